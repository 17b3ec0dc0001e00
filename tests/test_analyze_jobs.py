"""`rehearse analyze` on several files with worker processes: results in order, bad files named."""

from __future__ import annotations

import json

import pytest

from conftest import AUDIO, run_cli


@pytest.mark.model  # transcribes audio with the real model
def test_several_files_with_two_jobs(tmp_path):
    files = [AUDIO / "jfk.flac", tmp_path / "missing.wav", AUDIO / "uberi_short_interview.flac"]
    result = run_cli("analyze", *map(str, files), "--jobs", "2", "--json")
    err = result.stderr.decode()
    assert result.returncode == 3, err
    assert err.strip().splitlines() == [f"rehearse: error: {files[1]}: no such file"]
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["audio_path"] for r in records] == [str(files[0].resolve()), str(files[2].resolve())]
    assert "ask not what your country can do for you" in records[0]["transcript"]["text"].lower()
    assert "interview" in records[1]["transcript"]["text"].lower()
    assert records[1]["metrics"]["words"] > 30


def test_bad_model_is_one_line_before_any_worker_starts(tmp_path):
    result = run_cli("analyze", str(AUDIO / "jfk.flac"), str(AUDIO / "jfk.flac"), "--jobs", "2",
                     "--model", str(tmp_path))
    assert result.returncode == 5
    assert result.stderr.decode().strip().startswith("rehearse: error: ")
    assert "Traceback" not in result.stderr.decode()
