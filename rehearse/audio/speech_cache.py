"""Questions once spoken by the neural voice, kept as FLAC in the cache folder.

A question the interviewer has said before is played from here at once, without loading the
voice: the first sound of a session comes in about a second instead of the two to four seconds
that loading Piper and making the first sentence take on two busy cores. An entry is named by a
digest of everything that shapes the sound (the voice's checksum, Piper's version, the synthesis
settings, the text), so a change to any of them simply misses.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import numpy as np

from rehearse.transcription.model import cache_dir

log = logging.getLogger("rehearse")


def folder() -> Path:
    return cache_dir() / "speech"


def key(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def load(name: str) -> tuple[np.ndarray, int] | None:
    path = folder() / f"{name}.flac"
    if not path.is_file():
        return None
    import soundfile

    try:
        audio, rate = soundfile.read(str(path), dtype="float32")
    except Exception as exc:  # a torn or foreign file: made again
        log.debug("cannot read cached speech %s: %s", path, exc)
        return None
    return audio, rate


def store(name: str, audio: np.ndarray, rate: int) -> None:
    """Best effort, written under a temporary name and renamed: no torn entry is ever read."""
    import soundfile

    path = folder() / f"{name}.flac"
    tmp = path.with_name(f".{name}.{os.getpid()}.flac")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # a custom bank's text
        with os.fdopen(fd, "wb") as f:
            soundfile.write(f, audio, rate, format="FLAC", subtype="PCM_16")
        os.replace(tmp, path)
    except (OSError, RuntimeError) as exc:
        log.debug("cannot cache speech in %s: %s", path, exc)
        tmp.unlink(missing_ok=True)
