"""Shared fixtures: a private data folder for every test, the real model, synthesized speech, and
the virtual audio devices that scripts/test starts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest_plugins = ["robustness_table"]  # writes the README's robustness table

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"  # fixtures written for the tests, and public recordings (see audio/NOTICE)
AUDIO = DATA / "audio"


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    """Every test gets its own data folder, so nothing touches a user's recordings."""
    home = tmp_path / "data"
    monkeypatch.setenv("REHEARSE_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def transcriber():
    from rehearse.transcription.whisper import WhisperTranscriber

    t = WhisperTranscriber()
    t.load()
    return t


@pytest.fixture(scope="session")
def synth(tmp_path_factory):
    """Real speech to a 16 kHz mono WAV; returns its path. espeak-ng (through pyttsx3) unless
    engine="piper": the neural voice, so that answers are not all one robotic voice."""
    from rehearse.audio.sound import load_audio, write_wav
    from rehearse.audio.speech import PiperSpeaker, Pyttsx3Speaker

    speakers = {"espeak-ng": Pyttsx3Speaker(), "piper": PiperSpeaker()}
    folder = tmp_path_factory.mktemp("speech")
    count = iter(range(10_000))

    def make(text: str, lead_s: float = 0.0, engine: str = "espeak-ng") -> Path:
        n = next(count)
        raw = speakers[engine].synthesize(text, folder / f"raw{n}.wav")
        audio = load_audio(raw)
        audio = np.concatenate([np.zeros(int(lead_s * 16000), np.float32), audio])
        out = folder / f"speech{n}.wav"
        write_wav(out, audio)
        return out

    return make


@pytest.fixture
def virtual_audio():
    """The private PulseAudio server from scripts/test: 'spk' speaker, 'mic' microphone."""
    if not os.environ.get("REHEARSE_VIRTUAL_AUDIO"):
        pytest.skip("virtual audio devices are started by ./scripts/test")
    if shutil.which("pactl") is None or subprocess.run(["pactl", "info"], capture_output=True).returncode:
        pytest.fail("the virtual PulseAudio server is not answering")
    return True


def run_cli(*args: str, input: bytes | None = None, env: dict | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """rehearse as a user runs it: a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "rehearse", *args], input=input, capture_output=True,
        timeout=timeout, env={**os.environ, **(env or {})}, cwd=ROOT,
        stdin=None if input is not None else subprocess.DEVNULL,
    )


def load_16k(path: Path) -> np.ndarray:
    """A recording as 16 kHz mono float32, by plain linear interpolation (no decoder involved)."""
    import soundfile as sf

    audio, rate = sf.read(path, dtype="float32", always_2d=True)
    audio = audio.mean(axis=1)
    n = int(len(audio) * 16000 / rate)
    return np.interp(np.arange(n) * rate / 16000, np.arange(len(audio)), audio).astype(np.float32)


def word_error_rate(reference: str, hypothesis: str) -> float:
    """WER after Whisper's English normalizer ("2" and "two" agree; hesitations are not words here)."""
    import jiwer
    from whisper_normalizer.english import EnglishTextNormalizer

    norm = EnglishTextNormalizer()
    return jiwer.wer(norm(reference) or "-", norm(hypothesis) or "-")


# The slow tier, by the fixtures a test uses: `pytest -m "not audio and not model"` runs the rest in
# seconds. Tests that start the model or the devices some other way carry the marker themselves.
_MARK_BY_FIXTURE = {"virtual_audio": "audio", "transcriber": "model", "synth": "model"}


def pytest_collection_modifyitems(items):
    for item in items:
        for fixture, marker in _MARK_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)
