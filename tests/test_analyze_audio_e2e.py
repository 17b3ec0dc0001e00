"""`rehearse analyze` on real human speech (tests/data/audio), with the real model."""

from __future__ import annotations

import json

import pytest

from conftest import AUDIO, run_cli, word_error_rate

JFK = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."


def analyze_json(*args: str) -> dict:
    result = run_cli("analyze", *args, "--json")
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


@pytest.mark.model  # transcribes audio with the real model
def test_jfk_stereo_44k_is_transcribed_close_to_its_text():
    record = analyze_json(str(AUDIO / "jfk.flac"), "--question", "Say something memorable.")
    assert word_error_rate(JFK, record["transcript"]["text"]) <= 0.1, record["transcript"]["text"]
    assert record["question"] == {"id": None, "text": "Say something memorable."}
    assert record["duration_s"] == pytest.approx(11.0, abs=0.1)
    words = record["transcript"]["words"]
    assert all(a["start"] <= b["start"] for a, b in zip(words, words[1:]))
    assert words[-1]["end"] <= 11.1


@pytest.mark.model  # transcribes audio with the real model
def test_um_is_found_in_real_meeting_speech():
    record = analyze_json(str(AUDIO / "ami_FEE013_headset_60s.flac"))
    ums = [f for f in record["fillers"] if f["word"].lower().strip(",.") == "um"]
    assert ums, record["transcript"]["text"]
    text = record["transcript"]["text"]
    for f in ums:
        if f["kind"] == "transcribed":  # one heard between words has no place in the text
            assert text[f["char_start"]:f["char_start"] + 2].lower() == "um"
        assert 0 <= f["start"] < f["end"] <= 60


def test_text_input_has_no_audio_metrics(tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text("Um, our release was late. I was responsible for the fix. I rewrote the "
                      "build and, you know, added tests. As a result we shipped two days early.")
    record = analyze_json("--text", str(answer))
    assert record["audio_path"] is None and record["duration_s"] is None
    assert [f["word"].lower() for f in record["fillers"]] == ["um", "you know"]
    assert all(f["start"] is None for f in record["fillers"])
    assert record["star"]["result"]["present"]
