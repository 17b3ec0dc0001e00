"""Speaking questions aloud: pyttsx3 (espeak-ng on Linux) to a WAV, played through sounddevice.

pyttsx3 2.99's espeak driver has two traps: the first long `save_to_file` of a process silently
writes nothing, and its own playback shells out to `aplay`, ignoring our output device. So we
always synthesize to a file, check it, synthesize again if it came out empty, and play it ourselves.
"""

from __future__ import annotations

import contextlib
import io
import logging
import tempfile
from pathlib import Path
from typing import Protocol

import numpy as np

from rehearse.errors import RehearseError

log = logging.getLogger("rehearse")

MIN_SPEECH_BYTES = 1000  # a WAV smaller than this holds no real speech
LEAD_IN_S = 0.4  # silence played before a question


class Speaker(Protocol):
    def say(self, text: str) -> None: ...


class SilentSpeaker:
    """--no-voice: the question is only printed."""

    def say(self, text: str) -> None:
        pass


class Pyttsx3Speaker:
    def __init__(self, device: int | None = None, rate_wpm: int | None = None):
        self.device = device
        self.rate_wpm = rate_wpm
        self._engine = None

    def _get_engine(self):
        if self._engine is None:
            import pyttsx3

            try:
                self._engine = pyttsx3.init()
            except Exception as exc:
                raise RehearseError(
                    f"speech synthesis is not available ({exc}); install espeak-ng, "
                    "or use --no-voice"
                ) from exc
            if self.rate_wpm:
                self._engine.setProperty("rate", self.rate_wpm)
            self._warm_up()
        return self._engine

    def _warm_up(self) -> None:
        """A short first utterance, so that the engine's first-call trap costs nothing."""
        with tempfile.TemporaryDirectory(prefix="rehearse-tts-") as tmp:
            self._save("Ready.", Path(tmp) / "warm-up.wav")

    def _save(self, text: str, path: Path) -> None:
        # The espeak driver prints "Audio saved to ..." on stdout, which is ours for --json.
        with contextlib.redirect_stdout(io.StringIO()):
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()

    def synthesize(self, text: str, path: Path) -> Path:
        """Write `text` as speech to a WAV file, retrying once if the engine wrote nothing."""
        self._get_engine()
        for _ in range(3):
            self._save(text, path)
            if path.exists() and path.stat().st_size >= MIN_SPEECH_BYTES:
                return path
            log.debug("speech synthesis wrote nothing to %s; trying again", path)
        raise RehearseError("speech synthesis produced no audio; use --no-voice to read questions")

    def say(self, text: str) -> None:
        import soundfile

        from rehearse.audio import play

        with tempfile.TemporaryDirectory(prefix="rehearse-tts-") as tmp:
            wav = self.synthesize(text, Path(tmp) / "question.wav")
            audio, rate = soundfile.read(str(wav), dtype="float32")
        # Sound servers wake an idle output slowly and swallow the first moment of a stream:
        # a little silence in front keeps the question's first word whole.
        lead = np.zeros(int(LEAD_IN_S * rate), dtype=np.float32)
        play(np.concatenate([lead, np.asarray(audio)]), rate, self.device)


def make_speaker(voice: bool, device: int | None) -> Speaker:
    return Pyttsx3Speaker(device) if voice else SilentSpeaker()

