"""The interviewer's voices, and the speaker that says questions without a wait between them.

`QueuedSpeaker` synthesizes in one background thread: the next question and the follow-up prompts
are made while the previous answer is analyzed, so each is played the moment it is needed. When
the neural voice cannot be loaded, espeak-ng speaks instead, and one line says so.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import threading
from typing import Callable, Iterator

import numpy as np

from rehearse.audio.speech import Engine, Pyttsx3Speaker, SilentSpeaker, Speaker, play_speech
from rehearse.errors import RehearseError, UsageError

log = logging.getLogger("rehearse")


@dataclasses.dataclass(frozen=True)
class Voice:
    name: str  # what --voice takes
    engine: str  # "piper" or "espeak-ng"
    language: str  # BCP 47-ish tag of the accent
    description: str  # one line for `rehearse voices`
    license: str  # of the voice itself (the engines' licences are in the README)
    espeak_id: str | None = None  # the espeak-ng voice, for espeak-ng voices

    def to_json(self, default: bool) -> dict:
        return {"name": self.name, "engine": self.engine, "language": self.language,
                "description": self.description, "license": self.license,
                "default": default, "available": available(self)}


VOICES = (
    Voice("joe", "piper", "en-US", "Piper en_US-joe-medium: neural, male", "CC0-1.0"),
    Voice("espeak-en", "espeak-ng", "en-GB", "espeak-ng British English",
          "GPL-3.0-or-later", "gmw/en"),
    Voice("espeak-en-us", "espeak-ng", "en-US", "espeak-ng American English",
          "GPL-3.0-or-later", "gmw/en-us"),
)
DEFAULT = "joe"
FALLBACK = "espeak-en"  # espeak-ng's default English voice, the one rehearse spoke with before


def find(name: str | None) -> Voice:
    wanted = name or DEFAULT
    for voice in VOICES:
        if voice.name == wanted:
            return voice
    raise UsageError(f"unknown voice '{wanted}'; valid voices: {', '.join(v.name for v in VOICES)}")


def available(voice: Voice) -> bool:
    """Whether the voice's files or program are on this machine (nothing is loaded)."""
    import shutil

    if voice.engine == "piper":
        from rehearse.audio import voice_model

        return voice_model.installed()
    return shutil.which("espeak-ng") is not None or shutil.which("espeak") is not None


def listing() -> list[dict]:
    return [v.to_json(v.name == DEFAULT) for v in VOICES]


def engine_for(voice: Voice, device: int | None = None) -> Engine:
    """The speech engine of a voice, not yet loaded."""
    if voice.engine == "piper":
        from rehearse.audio.speech import PiperSpeaker

        return PiperSpeaker(device)
    return Pyttsx3Speaker(device, voice_id=voice.espeak_id)


def make_speaker(enabled: bool, device: int | None, voice: str | None = None) -> Speaker:
    """The interviewer: the chosen voice (default: the neural one), or silence with --no-voice."""
    if not enabled:
        return SilentSpeaker()
    return QueuedSpeaker(find(voice), device)


def keep_bank() -> int:
    """Say the built-in question bank once into the speech cache, so that even a first session
    starts with a question ready (scripts/setup.sh does this once). Returns how many were made."""
    from rehearse.questions import load_bank

    speaker = QueuedSpeaker(find(DEFAULT))
    try:
        texts = [q.text for q in load_bank()]
        speaker.prepare(*texts)
        for text in texts:
            for _ in speaker._speech(text).pieces():
                pass
        return len(texts) if speaker.engine == "piper" else 0
    finally:
        speaker.close()


class Speech:
    """One text's samples as the synthesis thread makes them, a sentence at a time."""

    def __init__(self):
        self._pieces: list[tuple[np.ndarray, int]] = []
        self._done = False
        self._error: BaseException | None = None
        self._changed = threading.Condition()

    def add(self, piece: np.ndarray, rate: int) -> None:
        with self._changed:
            self._pieces.append((piece, rate))
            self._changed.notify_all()

    def finish(self, error: BaseException | None = None) -> None:
        with self._changed:
            if self._done:
                return
            self._done, self._error = True, error
            self._changed.notify_all()

    def pieces(self) -> Iterator[tuple[np.ndarray, int]]:
        """Every piece, waiting for each as it is made; re-raises a synthesis error."""
        at = 0
        while True:
            with self._changed:
                self._changed.wait_for(lambda: len(self._pieces) > at or self._done)
                if len(self._pieces) <= at:
                    if self._error is not None:
                        raise self._error
                    return
                piece = self._pieces[at]
            at += 1
            yield piece


class QueuedSpeaker:
    """Says questions in one voice; all synthesis runs in one background thread, ahead of time.

    The voice starts loading as soon as the speaker is made; what the neural voice has said
    before comes from the speech cache without waiting for it.
    """

    def __init__(self, voice: Voice, device: int | None = None):
        self.voice = voice
        self.device = device
        self._engine: Engine = engine_for(voice, device)
        self._loaded = False
        self._made: dict[str, Speech] = {}  # text -> its speech, made or being made; kept for repeats
        self._lock = threading.Lock()
        self._closed = False
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="voice")
        self._pool.submit(self._load)

    @property
    def engine(self) -> str:
        """The engine that speaks: the voice's own, or espeak-ng after a fallback."""
        return self._engine.engine

    def prepare(self, *texts: str) -> None:
        for text in texts:
            self._speech(text)

    def say(self, text: str, on_start: Callable[[], None] | None = None) -> None:
        play_speech(self._speech(text).pieces(), self.device, on_start)

    def close(self) -> None:
        """Drop synthesis not yet started; the one running finishes and the thread ends."""
        with self._lock:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._closed = True
            for speech in self._made.values():
                speech.finish(RehearseError("the interviewer has stopped speaking"))

    def _speech(self, text: str) -> Speech:
        with self._lock:
            if text not in self._made:
                speech = self._made[text] = Speech()
                cached = self._cached(text)
                if cached is not None:
                    speech.add(*cached)
                    speech.finish()
                elif self._closed:
                    speech.finish(RehearseError("the interviewer has stopped speaking"))
                else:
                    self._pool.submit(self._make, text, speech)
            return self._made[text]

    def _cache_key(self, text: str) -> str | None:
        key = getattr(self._engine, "cache_key", None)  # only the neural voice is worth keeping
        return key(text) if key is not None else None

    def _cached(self, text: str) -> tuple[np.ndarray, int] | None:
        from rehearse.audio import speech_cache

        name = self._cache_key(text)
        return speech_cache.load(name) if name else None

    def _make(self, text: str, speech: Speech) -> None:
        from rehearse.audio import speech_cache

        made = []
        try:
            self._load()
            for piece, rate in self._engine.pieces(text):
                speech.add(piece, rate)
                made.append(piece)
        except BaseException as exc:  # handed to whoever says it, in the main thread
            speech.finish(exc)
            return
        speech.finish()
        name = self._cache_key(text)
        if name:
            speech_cache.store(name, np.concatenate(made), rate)

    def _load(self) -> None:
        """Load the voice's engine (in the synthesis thread); espeak-ng when it cannot be loaded."""
        if self._loaded:
            return
        from rehearse.audio.voice_model import VoiceUnavailable

        self._loaded = True
        try:
            load = getattr(self._engine, "load", None)
            if load is not None:
                load()
        except VoiceUnavailable as exc:
            log.warning("the neural voice cannot be loaded (%s); speaking with espeak-ng instead", exc)
            self._engine = engine_for(find(FALLBACK), self.device)
