"""A whole practice session as a user runs it, on the virtual audio devices with the real model:
the question is spoken to the virtual speaker, a synthesized answer is played into the virtual
microphone, and the JSON report is checked against the contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT
from rehearse import assess as coach
from rehearse.audio.sound import load_audio

QUESTION_ID = "deadline-about-to-miss"
ANSWER = (
    "Last spring our biggest customer threatened to leave because the weekly reports were late. "
    "Um, I was responsible for the reporting pipeline. I rewrote the export job and added "
    "monitoring, and uh, I set up alerts for the team. As a result, reports arrived on time every "
    "week and the customer renewed their contract for two more years."
)
CONTRACT = {"question", "audio_path", "duration_s", "transcript", "metrics", "fillers", "star", "tips"}


def start_session(*args: str) -> tuple[subprocess.Popen, list[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "rehearse", "practice", *args], cwd=ROOT, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True).start()
    return proc, lines


def wait_for(lines: list[str], text: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not any(text in line for line in lines):
        assert proc.poll() is None, f"rehearse exited early: {''.join(lines)}"
        assert time.monotonic() < deadline, f"no '{text}' on stderr: {''.join(lines)}"
        time.sleep(0.05)


def test_practice_session_end_to_end(virtual_audio, synth, transcriber, tmp_path, data_home):
    from rehearse.questions import find, load_bank

    question = find(load_bank(), QUESTION_ID)
    answer = synth(ANSWER)
    spoken = tmp_path / "speaker.wav"
    capture = subprocess.Popen(["parecord", "--device=spk.monitor", "--file-format=wav", str(spoken)])
    try:
        proc, err = start_session("--question-id", QUESTION_ID, "--json", "--end-silence", "2")
        wait_for(err, "Recording", proc)
        time.sleep(0.5)
        subprocess.run(["paplay", "--device=mic", str(answer)], check=True)
        out, _ = proc.communicate(timeout=240)
    finally:
        capture.terminate()
        capture.wait()
    assert proc.returncode == 0, "".join(err)

    # The question was audible on the speaker: the model hears its words there.
    heard = transcriber.transcribe(load_audio(spoken)).text.lower()
    key_words = [w for w in question.text.lower().replace(",", "").replace(".", "").split() if len(w) > 5]
    assert sum(w in heard for w in key_words) >= len(key_words) * 0.6, (heard, key_words)

    # The answer was recorded, transcribed and analyzed, and follows the JSON contract.
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(records) == 1
    record = records[0]
    assert CONTRACT <= set(record)
    assert record["question"] == {"id": QUESTION_ID, "text": question.text}
    text = record["transcript"]["text"].lower()
    for word in ("customer", "reporting", "monitoring", "contract"):
        assert word in text, {k: record[k] for k in ("stopped_by", "duration_s", "audio_path", "quality")}
    assert record["fillers"], "the 'um' and 'uh' in the answer were not found"
    for f in record["fillers"]:
        assert record["transcript"]["text"][f["char_start"]:].lower().startswith(f["word"].lower())
        assert f["start"] <= f["end"]
    for w in record["transcript"]["words"]:
        assert set(w) == {"word", "start", "end", "probability"}
    assert {"situation", "task", "action", "result"} <= set(record["star"])
    assert record["star"]["result"]["present"] and record["star"]["action"]["present"], record["transcript"]["text"]
    assert record["metrics"]["words"] >= 40 and 80 < record["metrics"]["wpm"] < 260
    wav = Path(record["audio_path"])
    assert wav.is_file() and wav.parent.parent == data_home
    assert wav.with_suffix(".json").is_file()
    assert abs(record["duration_s"] - len(load_audio(wav)) / 16000) < 0.05
    assert record["stopped_by"] == "silence"
    assert record["timing"]["live_decodes"] >= 1

    # The voice was measured while the person spoke, and reads as it would from the file.
    from rehearse.analyze.voice import analyze_voice

    assert record["timing"]["voice_left_s"] <= record["duration_s"] - 7  # a chunk or more measured early
    audio = load_audio(wav)
    whole = analyze_voice(audio, speech_segments=coach.speech_segments(audio)).to_json()
    assert record["voice"]["pitch_variation_st"] == pytest.approx(whole["pitch_variation_st"], abs=0.15)
    assert record["voice"]["median_f0_hz"] == pytest.approx(whole["median_f0_hz"], rel=0.02)
    assert record["voice"]["loudness_db"] == pytest.approx(whole["loudness_db"], abs=0.5)


def test_questions_in_the_default_voice_are_understood(virtual_audio, transcriber, tmp_path):
    """Three questions in a row, spoken by the neural voice and recorded from the speaker; the
    tool's own recognizer hears them with a word error rate of at most 0.10. The second and third
    are made while the answer before them is analyzed."""
    from conftest import word_error_rate

    spoken = tmp_path / "speaker.wav"
    capture = subprocess.Popen(["parecord", "--device=spk.monitor", "--file-format=wav", str(spoken)])
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "rehearse", "practice", "--count", "3", "--seed", "11", "--json",
             "--max-seconds", "1", "--competency", "conflict"],
            cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    finally:
        capture.terminate()
        capture.wait()
    assert proc.returncode == 0, proc.stderr
    assert "espeak-ng instead" not in proc.stderr  # the neural voice spoke, not the fallback
    asked = [json.loads(line)["question"]["text"] for line in proc.stdout.splitlines() if line.strip()]
    assert len(asked) == 3
    heard = " ".join(transcriber.transcribe(part).text for part in spoken_parts(load_audio(spoken)))
    assert word_error_rate(" ".join(asked), heard) <= 0.10, (asked, heard)


def spoken_parts(audio, gap_s: float = 2.0) -> list:
    """The stretches of a speaker recording with sound in them, split at the long silences
    between questions (Whisper skips words across long silences in one long recording)."""
    parts: list[list[float]] = []
    for start, end in coach.speech_segments(audio):
        if parts and start - parts[-1][1] < gap_s:
            parts[-1][1] = end
        else:
            parts.append([start, end])
    return [audio[max(0, int((a - 0.3) * 16000)):int((b + 0.3) * 16000)] for a, b in parts]
