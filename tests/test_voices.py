"""The interviewer's voices: the list, the choice, the neural voice's checksums and its fallback,
and the speaker that makes the next thing to say while an answer is analyzed."""

from __future__ import annotations

import json
import logging
import shutil
import threading

import numpy as np
import pytest

from conftest import run_cli
from rehearse.audio import voice_model
from rehearse.audio.voice_model import VoiceUnavailable
from rehearse.audio.voices import FALLBACK, QueuedSpeaker, Voice, find
from rehearse.errors import RehearseError


def test_voices_json_has_piper_as_the_default():
    result = run_cli("voices", "--json")
    assert result.returncode == 0, result.stderr.decode()
    voices = json.loads(result.stdout)
    defaults = [v for v in voices if v["default"]]
    assert len(defaults) == 1 and defaults[0]["engine"] == "piper", voices
    assert defaults[0]["available"]
    assert {"piper", "espeak-ng"} <= {v["engine"] for v in voices}
    assert all({"name", "engine", "language", "license", "default"} <= set(v) for v in voices)


def test_voices_table_names_every_voice():
    result = run_cli("voices")
    assert result.returncode == 0
    for name in ("joe", "espeak-en", "espeak-en-us"):
        assert name in result.stdout.decode()


@pytest.mark.robustness("practice --voice hal9000", "exit 2, one line naming the valid voices")
def test_an_unknown_voice_is_one_line():
    result = run_cli("practice", "--voice", "hal9000")
    err = result.stderr.decode()
    assert result.returncode == 2 and err.count("\n") == 1, err
    assert "unknown voice 'hal9000'" in err and "joe" in err


@pytest.fixture
def shadow_voice(tmp_path, monkeypatch):
    """A copy of the voice package found before the installed one, with its own stamp cache."""
    import importlib

    real = voice_model.data_dir()
    package = tmp_path / "shadow" / voice_model.PACKAGE
    (package / "data").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for name in voice_model.SHA256:
        shutil.copyfile(real / name, package / "data" / name)
    monkeypatch.syspath_prepend(str(tmp_path / "shadow"))
    monkeypatch.setenv("REHEARSE_MODEL_CACHE", str(tmp_path / "cache"))
    importlib.invalidate_caches()
    assert voice_model.data_dir() == package / "data"
    return package / "data"


def test_the_bundled_voice_matches_its_published_checksums(shadow_voice, tmp_path):
    files = voice_model.verified_files()
    assert files.model == shadow_voice / "en_US-joe-medium.onnx"
    assert files.model.stat().st_size == 63_201_294
    stamp = tmp_path / "cache" / "voices" / "en_US-joe-medium.verified.json"
    assert stamp.is_file() and stamp.stat().st_mode & 0o777 == 0o600


def test_a_corrupt_voice_is_never_loaded_even_after_a_stamp(shadow_voice):
    voice_model.verified_files()  # matches: the stamp is written
    model = shadow_voice / "en_US-joe-medium.onnx"
    with open(model, "r+b") as f:  # one byte changed, same size
        f.seek(1_000_000)
        byte = f.read(1)
        f.seek(1_000_000)
        f.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(VoiceUnavailable, match="en_US-joe-medium.onnx does not match"):
        voice_model.verified_files()


def test_a_missing_voice_file_is_named(shadow_voice):
    (shadow_voice / "en_US-joe-medium.onnx.json").unlink()
    with pytest.raises(VoiceUnavailable, match="onnx.json missing"):
        voice_model.verified_files()


class FakeEngine:
    """Speech as numbered pieces; records which thread made them."""

    engine = "fake"

    def __init__(self, fail_load: bool = False):
        self.fail_load = fail_load
        self.made: list[tuple[str, str]] = []

    def load(self) -> None:
        if self.fail_load:
            raise VoiceUnavailable("en_US-joe-medium.onnx does not match the published checksum")

    def pieces(self, text):
        self.made.append((text, threading.current_thread().name))
        for n in range(2):
            yield np.full(10, n, np.float32), 22050


def speaker_with(engine, monkeypatch) -> QueuedSpeaker:
    monkeypatch.setattr("rehearse.audio.voices.engine_for", lambda voice, device=None: (
        engine if voice.engine == "fake" else FakeEngine()))
    return QueuedSpeaker(Voice("fake", "fake", "en-US", "a fake voice", "none"))


def test_prepared_speech_is_made_ahead_in_the_voice_thread(monkeypatch):
    engine = FakeEngine()
    speaker = speaker_with(engine, monkeypatch)
    speaker.prepare("Next question?", "And what was the result?")
    pieces = list(speaker._speech("Next question?").pieces())
    assert [p[0][0] for p in pieces] == [0.0, 1.0]
    list(speaker._speech("And what was the result?").pieces())
    speaker.prepare("Next question?")  # made once, kept
    assert [t for t, _ in engine.made] == ["Next question?", "And what was the result?"]
    assert all(name.startswith("voice") for _, name in engine.made)
    speaker.close()


def test_speech_once_made_is_kept_and_played_from_the_cache(monkeypatch, tmp_path):
    class Neural(FakeEngine):
        def cache_key(self, text):
            return f"fake-{len(text)}"

    monkeypatch.setenv("REHEARSE_MODEL_CACHE", str(tmp_path))
    first = Neural()
    speaker = speaker_with(first, monkeypatch)
    made = np.concatenate([p for p, _ in speaker._speech("Tell me about a time.").pieces()])
    speaker.close()
    kept = tmp_path / "speech" / "fake-21.flac"
    for _ in range(100):  # stored by the voice thread just after the last piece
        if kept.exists():
            break
        threading.Event().wait(0.05)
    assert kept.stat().st_mode & 0o777 == 0o600
    again = Neural()
    speaker = speaker_with(again, monkeypatch)
    pieces = list(speaker._speech("Tell me about a time.").pieces())
    speaker.close()
    assert again.made == [] and len(pieces) == 1
    assert np.allclose(pieces[0][0], made, atol=1 / 32767) and pieces[0][1] == 22050


def test_closing_ends_the_voice_thread_and_unblocks_waiters(monkeypatch):
    speaker = speaker_with(FakeEngine(), monkeypatch)
    list(speaker._speech("One.").pieces())
    speaker.close()
    for thread in threading.enumerate():
        if thread.name.startswith("voice"):
            thread.join(timeout=5)
            assert not thread.is_alive()
    with pytest.raises(RehearseError):
        list(speaker._speech("Never made.").pieces())


def test_a_voice_that_cannot_load_falls_back_to_espeak_with_one_line(monkeypatch, caplog):
    speaker = speaker_with(FakeEngine(fail_load=True), monkeypatch)
    with caplog.at_level(logging.WARNING, logger="rehearse"):
        list(speaker._speech("Hello.").pieces())
    speaker.close()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1 and "speaking with espeak-ng instead" in lines[0], lines
    assert "does not match" in lines[0]
    assert find(FALLBACK).engine == "espeak-ng"


def test_a_synthesis_error_reaches_whoever_says_it(monkeypatch):
    class Broken(FakeEngine):
        def pieces(self, text):
            raise RehearseError("speech synthesis produced no audio")
            yield  # a generator, like the real engines

    speaker = speaker_with(Broken(), monkeypatch)
    with pytest.raises(RehearseError, match="no audio"):
        list(speaker._speech("Hello.").pieces())
    speaker.close()


@pytest.mark.robustness("Ctrl-C while the second question is being spoken",
                        "exit 130 at once, no synthesis thread left; the first answer is in the history")
def test_ctrl_c_while_the_next_question_is_spoken_keeps_the_answer(virtual_audio):
    """Interrupted while question 2 is being said: rehearse stops at once, with no synthesis
    thread holding it open, and answer 1 is in the history."""
    import signal
    import subprocess
    import sys
    import time

    from conftest import ROOT

    proc = subprocess.Popen(
        [sys.executable, "-m", "rehearse", "practice", "--count", "2", "--seed", "3", "--max-seconds", "1"],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        # A suite started in the background (nohup, &) hands its children Ctrl-C ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True).start()
    deadline = time.monotonic() + 240
    while not any("Question 2 of 2" in line for line in lines):
        assert proc.poll() is None and time.monotonic() < deadline, "".join(lines)
        time.sleep(0.05)
    time.sleep(0.8)  # into the question's first words
    proc.send_signal(signal.SIGINT)
    stopped = time.monotonic()
    assert proc.wait(timeout=30) == 130, "".join(lines)
    assert time.monotonic() - stopped < 10
    assert "rehearse: error: interrupted" in "".join(lines)
    history = run_cli("history", "--json")
    assert len(json.loads(history.stdout)) == 1, history.stdout


@pytest.mark.robustness("the neural voice's model with four bytes changed",
                        "one line: speaking with espeak-ng instead; the question is spoken, the answer reported")
def test_a_corrupt_voice_speaks_with_espeak_and_says_so_once(virtual_audio, tmp_path, transcriber):
    """The installed voice shadowed by a copy with one byte changed: the session still speaks its
    question (espeak-ng), with one line saying why, and records and reports the answer."""
    import os
    import subprocess

    from conftest import ROOT
    from rehearse.audio.sound import load_audio

    shadow = tmp_path / "shadow" / voice_model.PACKAGE
    (shadow / "data").mkdir(parents=True)
    (shadow / "__init__.py").write_text("")
    for name in voice_model.SHA256:
        shutil.copyfile(voice_model.data_dir() / name, shadow / "data" / name)
    with open(shadow / "data" / "en_US-joe-medium.onnx", "r+b") as f:
        f.seek(5_000_000)
        f.write(b"\0\0\0\0")
    bank = tmp_path / "bank.toml"  # a question never said, so nothing comes from the speech cache
    bank.write_text('[[question]]\nid = "corrupt-voice"\nkind = "behavioral"\ntarget_s = [60, 120]\n'
                    f'competencies = ["planning"]\ntext = "Tell me about the reports you wrote for client {os.getpid()}."\n')
    spoken = tmp_path / "speaker.wav"
    capture = subprocess.Popen(["parecord", "--device=spk.monitor", "--file-format=wav", str(spoken)])
    try:
        result = run_cli("practice", "--bank", str(bank), "--max-seconds", "1", "--json",
                         env={"PYTHONPATH": str(tmp_path / "shadow")})
    finally:
        capture.terminate()
        capture.wait()
    err = result.stderr.decode()
    assert result.returncode == 0, err
    fallback = [line for line in err.splitlines() if "espeak-ng instead" in line]
    assert len(fallback) == 1 and "does not match the published checksum" in fallback[0], err
    assert "report" in transcriber.transcribe(load_audio(spoken)).text.lower()  # espeak-ng spoke it; the stem, as "-s" may be dropped
    assert json.loads(result.stdout)["question"]["id"] == "corrupt-voice"
