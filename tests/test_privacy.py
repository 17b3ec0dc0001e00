"""Nothing leaked: rehearse works with no network at all, writes only into its data folder and its
model cache, keeps every file there private, and removes what the user asks it to remove."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AUDIO, ROOT, run_cli
from rehearse.attempt import Record
from rehearse.history import database as history
from rehearse.history import folder as store


def tree(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.lstat().st_mode for p in sorted(folder.rglob("*"))}


@pytest.mark.robustness("analyze --save with networking cut (unshare -n), a fresh HOME, no XDG_* set",
                        "works; new files only in the data folder and model cache; files 0600, folders 0700")
def test_offline_and_private_with_a_fresh_home(tmp_path):
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode:
        pytest.skip("unshare -n is not permitted here")
    home = tmp_path / "home"
    home.mkdir()
    before = tree(home)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "REHEARSE_", "HF_")) and k not in ("TRANSFORMERS_OFFLINE",)}
    env["HOME"] = str(home)
    command = [sys.executable, "-m", "rehearse", "analyze", str(AUDIO / "jfk.flac"), "--save", "--json"]
    result = subprocess.run(["unshare", "-n", *command], env=env, cwd=ROOT, capture_output=True,
                            stdin=subprocess.DEVNULL, timeout=600)
    assert result.returncode == 0, result.stderr.decode()
    assert "country" in json.loads(result.stdout)["transcript"]["text"]

    data, cache = home / ".local" / "share" / "rehearse", home / ".cache" / "rehearse"
    new = {path: mode for path, mode in tree(home).items() if path not in before}
    outside = [p for p in new if not (home / p).is_relative_to(data) and not (home / p).is_relative_to(cache)
               and not (data.is_relative_to(home / p) or cache.is_relative_to(home / p))]
    assert not outside, outside
    private = {p: oct(stat.S_IMODE(m)) for p, m in new.items()
               if (home / p).is_relative_to(data) or (home / p).is_relative_to(cache)}
    assert private, "nothing was saved"
    wrong = {p: m for p, m in private.items()
             if m != ("0o700" if stat.S_ISDIR(new[p]) else "0o600")}
    assert not wrong, wrong
    assert any(p.endswith(".wav") for p in private) and any(p.endswith("rehearse.db") for p in private)
    assert any(p.endswith("model.bin") for p in private)


def _saved(data_home: Path, days_ago: float, name: str) -> Path:
    session = store.new_session_dir(dt.datetime.now() - dt.timedelta(days=days_ago))
    stem = session / name
    stem.with_suffix(".wav").write_bytes(b"RIFF")
    created = (dt.datetime.now().astimezone() - dt.timedelta(days=days_ago)).isoformat(timespec="seconds")
    record = {"question": {"id": name, "text": "q"}, "transcript": {"text": "t", "words": []},
              "audio_path": str(stem.with_suffix(".wav")), "created_at": created}
    store.save_json(stem.with_suffix(".json"), record)
    history.record_attempt(Record.from_json(record), session)
    return session


@pytest.mark.robustness("purge --older-than 30 --yes with attempts from 40 and 2 days ago",
                        "the old attempt's audio, JSON, folder and row are gone; the new one stays")
def test_purge_older_than(data_home):
    old, recent = _saved(data_home, 40, "old-1"), _saved(data_home, 2, "new-1")
    refused = run_cli("purge", "--older-than", "30", input=b"n\n")
    assert refused.returncode == 0 and "Nothing removed" in refused.stderr.decode() and old.exists()
    result = run_cli("purge", "--older-than", "30", "--yes")
    assert result.returncode == 0, result.stderr.decode()
    assert "Removed 1 attempts" in result.stderr.decode()
    assert not old.exists() and (recent / "new-1.wav").exists()
    with history.Store.open() as h:
        assert [a.question_id for a in h.recent()] == ["new-1"]
    again = run_cli("purge", "--older-than", "30", "--yes")
    assert again.returncode == 0 and "No attempts older than 30 days" in again.stderr.decode()


@pytest.mark.parametrize("command", [
    ["followup", "last", "--name", "Ada", "--company", "Acme", "--role", "Engineer"],
    ["export", "1", "--format", "md"],
    ["report", "1"],
])
@pytest.mark.parametrize("existing", [False, True], ids=["new-file", "over-a-readable-file"])
def test_files_written_on_request_are_private(tmp_path, command, existing):
    answer = tmp_path / "answer.txt"
    answer.write_text("Our release was late. I rewrote the billing export and, as a result, we shipped "
                      "two days early.")
    assert run_cli("analyze", "--text", str(answer), "--save").returncode == 0
    out = tmp_path / "out.txt"
    if existing:
        out.write_text("old")
        out.chmod(0o644)
    result = run_cli(*command, "--output", str(out))
    assert result.returncode == 0, result.stderr.decode()
    assert out.read_text() != "old"
    assert oct(stat.S_IMODE(out.stat().st_mode)) == "0o600"
