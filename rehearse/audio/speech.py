"""Speaking questions aloud: the speech engines, each turning text into samples played through
sounddevice. Piper (a neural voice, the default) and pyttsx3 driving espeak-ng (the fallback).

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
from typing import Callable, Iterable, Iterator, Protocol

import numpy as np

from rehearse.errors import RehearseError

log = logging.getLogger("rehearse")

MIN_SPEECH_BYTES = 1000  # a WAV smaller than this holds no real speech
LEAD_IN_S = 0.4  # silence played before a question
PIPER_VOLUME = 0.8  # Piper scales each sentence to full range; a little headroom avoids harshness


class Speaker(Protocol):
    def say(self, text: str, on_start: Callable[[], None] | None = None) -> None:
        """Say `text`; `on_start` is called as the sound starts (or at once, when silent)."""

    def prepare(self, *texts: str) -> None:
        """Synthesize these ahead, so that saying them later starts at once."""

    def close(self) -> None:
        """Stop any synthesis still running; nothing is said after this."""


class Engine(Protocol):
    """Text to speech samples: what a Speaker plays."""

    engine: str  # "piper" or "espeak-ng"

    def pieces(self, text: str) -> Iterator[tuple[np.ndarray, int]]:
        """The speech as (samples, rate), a piece at a time (a sentence, for Piper)."""


class SilentSpeaker:
    """--no-voice: the question is only printed."""

    engine = "none"

    def say(self, text: str, on_start: Callable[[], None] | None = None) -> None:
        if on_start is not None:
            on_start()

    def prepare(self, *texts: str) -> None:
        pass

    def close(self) -> None:
        pass


def play_speech(pieces: Iterable[tuple[np.ndarray, int]], device: int | None,
                on_start: Callable[[], None] | None = None) -> None:
    """Play speech as its pieces arrive: the first sentence sounds while the next is made."""
    from rehearse.audio.sound import play_pieces

    pieces = iter(pieces)
    first, rate = next(pieces)  # the stream opens when there is something to play

    def samples() -> Iterator[np.ndarray]:
        # Sound servers wake an idle output slowly and swallow the first moment of a stream:
        # a little silence in front keeps the question's first word whole.
        yield np.zeros(int(LEAD_IN_S * rate), dtype=np.float32)
        if on_start is not None:
            on_start()
        yield first
        for piece, piece_rate in pieces:
            if piece_rate != rate:
                raise RehearseError(f"speech came at {piece_rate} Hz after {rate} Hz")
            yield piece

    play_pieces(samples(), rate, device)


class Pyttsx3Speaker:
    engine = "espeak-ng"

    def __init__(self, device: int | None = None, rate_wpm: int | None = None,
                 voice_id: str | None = None):
        self.device = device
        self.rate_wpm = rate_wpm
        self.voice_id = voice_id  # an espeak-ng voice ("gmw/en-us"); None: espeak-ng's default
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
            # Set before the first utterance: the espeak driver ignores changes once it has spoken.
            if self.voice_id:
                self._engine.setProperty("voice", self.voice_id)
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

    def pieces(self, text: str) -> Iterator[tuple[np.ndarray, int]]:
        import soundfile

        with tempfile.TemporaryDirectory(prefix="rehearse-tts-") as tmp:
            wav = self.synthesize(text, Path(tmp) / "question.wav")
            audio, rate = soundfile.read(str(wav), dtype="float32")
        yield np.asarray(audio), rate

    def say(self, text: str, on_start: Callable[[], None] | None = None) -> None:
        play_speech(list(self.pieces(text)), self.device, on_start)


class PiperSpeaker:
    """Piper's neural voice (the bundled en_US joe), loaded on first use after its files are checked."""

    engine = "piper"

    def __init__(self, device: int | None = None, length_scale: float | None = None):
        self.device = device
        self.length_scale = length_scale  # > 1 speaks slower, < 1 faster; None: the voice's own pace
        self._voice = None

    def cache_key(self, text: str) -> str:
        """The name under which this voice's speech of `text` is kept (see speech_cache)."""
        from importlib.metadata import version

        from rehearse.audio import speech_cache

        from rehearse.audio import voice_model

        return speech_cache.key(voice_model.SHA256[f"{voice_model.NAME}.onnx"], version("piper-tts"),
                                PIPER_VOLUME, self.length_scale, text)

    def load(self) -> None:
        """Check and load the voice; VoiceUnavailable when it cannot be used."""
        if self._voice is not None:
            return
        from rehearse.audio.voice_model import VoiceUnavailable, verified_files

        files = verified_files()
        try:
            self._voice = _load_piper(files.model, files.config)
        except Exception as exc:  # an import or onnxruntime failure: the fallback voice speaks
            raise VoiceUnavailable(f"{type(exc).__name__}: {exc}") from exc

    def pieces(self, text: str) -> Iterator[tuple[np.ndarray, int]]:
        from piper import SynthesisConfig

        self.load()
        config = SynthesisConfig(length_scale=self.length_scale, volume=PIPER_VOLUME)
        made = False
        for chunk in self._voice.synthesize(text, syn_config=config):  # one per sentence
            made = True
            yield chunk.audio_float_array, chunk.sample_rate
        if not made:
            raise RehearseError("speech synthesis produced no audio; use --no-voice to read questions")

    def synthesize(self, text: str, path: Path) -> Path:
        """Write `text` as speech to a WAV file (the voice's own rate, 22.05 kHz)."""
        import soundfile

        pieces = list(self.pieces(text))
        soundfile.write(str(path), np.concatenate([p for p, _ in pieces]), pieces[0][1], subtype="PCM_16")
        return path

    def say(self, text: str, on_start: Callable[[], None] | None = None) -> None:
        play_speech(self.pieces(text), self.device, on_start)


def _load_piper(model: Path, config: Path):
    """PiperVoice.load, but with onnxruntime's basic graph optimizations only: measured on two
    busy cores, the session then opens in 0.4 s instead of 0.9-1.7 s and speaks as fast."""
    import json

    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    session = onnxruntime.InferenceSession(str(model), sess_options=options,
                                           providers=["CPUExecutionProvider"])
    settings = PiperConfig.from_dict(json.loads(config.read_text(encoding="utf-8")))
    return PiperVoice(session=session, config=settings, download_dir=config.parent)
