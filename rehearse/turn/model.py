"""The turn-end model: Smart Turn v3.2, which hears from the voice whether a speaker has finished.

Smart Turn (pipecat-ai/smart-turn-v3 on HuggingFace, BSD-2-Clause) is a small Whisper-encoder
classifier: the last 8 s of 16 kHz audio as 80-bin Whisper log-mel features in, the probability
that the turn is complete out. The 8.7 MB ONNX file ships inside the `pipecat-ai` wheel; set-up
takes that one file out of the wheel (not the framework and its dependencies), checks it against
the sha256 pinned here, and puts it in the model cache. At run time the file is checked again and
never loaded when it differs. Without it an answer ends on silence and the words alone.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Protocol

import numpy as np

from rehearse.audio.sound import SAMPLE_RATE
from rehearse.errors import ModelError
from rehearse.transcription.model import cache_dir, sha256

log = logging.getLogger("rehearse")

FILE_NAME = "smart-turn-v3.2-cpu.onnx"
WHEEL = "pipecat-ai==1.14.0"  # the package on PyPI that carries the file
WHEEL_MEMBER = "pipecat/audio/turn/smart_turn/data/" + FILE_NAME
# The file in that wheel; the same sha256 and size (8,679,182 bytes) are published for
# smart-turn-v3.2-cpu.onnx at revision f766f81d of pipecat-ai/smart-turn-v3.
SHA256 = "2bb026316b14a660486a75b1733cd3fbab8c2fd0314dc9af7be49f8cca967e4f"

WINDOW_S = 8  # the model reads the last 8 s; shorter audio is zero-padded at the start
WINDOW = WINDOW_S * SAMPLE_RATE
_NORM_EPS = 1e-7  # WhisperFeatureExtractor's do_normalize: zero mean, unit variance, this epsilon


class TurnModel(Protocol):
    """Hears whether the speaker has finished: the probability that the turn is complete."""

    def probability(self, audio: np.ndarray) -> float: ...


def model_path() -> Path:
    return cache_dir() / FILE_NAME


def install_from_wheel(wheel: Path, target: Path | None = None) -> Path:
    """Take the model out of the pipecat-ai wheel into the cache, only if its sha256 matches."""
    target = target or model_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".smart-turn-", dir=target.parent)  # 0600
    except OSError as exc:
        raise ModelError(f"cannot write the model cache {target.parent}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as out, zipfile.ZipFile(wheel) as z, z.open(WHEEL_MEMBER) as f:
            while chunk := f.read(1 << 20):
                out.write(chunk)
        if sha256(Path(tmp)) != SHA256:
            raise ModelError(f"the turn-end model in {wheel.name} does not match its published checksum")
        os.replace(tmp, target)
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise ModelError(f"cannot take the turn-end model out of {wheel}: {exc}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def features(audio: np.ndarray) -> np.ndarray:
    """(1, 80, 800) Whisper log-mel features of the last 8 s, as Smart Turn was trained on.

    faster-whisper's own feature extractor computes what transformers' WhisperFeatureExtractor
    (chunk_length=8, padding="max_length", do_normalize=True), which Smart Turn was trained with,
    does once the waveform is normalized first. Checked on the first 8 s of the JFK clip against
    transformers 5.24 and against the numpy copy pipecat 1.14 ships: at most 6.7e-6 apart (the
    two references 1.2e-7), and the model's output the same to the printed digit.
    """
    x = np.asarray(audio, dtype=np.float32)[-WINDOW:]
    x = np.pad(x, (WINDOW - len(x), 0))
    x = (x - x.mean()) / np.sqrt(x.var() + _NORM_EPS)
    return _extractor()(x, padding=0)[None].astype(np.float32)


_EXTRACTOR = None


def _extractor():
    global _EXTRACTOR
    if _EXTRACTOR is None:
        from faster_whisper.feature_extractor import FeatureExtractor

        _EXTRACTOR = FeatureExtractor(feature_size=80, chunk_length=WINDOW_S)
    return _EXTRACTOR


class SmartTurn:
    """Smart Turn v3.2 on ONNX Runtime, one thread (it costs tens of milliseconds a call)."""

    def __init__(self, path: Path):
        self.path = path
        self._session = None
        self._lock = threading.Lock()

    def load(self) -> None:
        with self._lock:
            if self._session is None:
                import onnxruntime as ort

                so = ort.SessionOptions()
                so.intra_op_num_threads = 1  # the other core is transcribing
                so.inter_op_num_threads = 1
                so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
                self._session = ort.InferenceSession(str(self.path), sess_options=so,
                                                     providers=["CPUExecutionProvider"])

    def probability(self, audio: np.ndarray) -> float:
        self.load()
        out = self._session.run(None, {"input_features": features(audio)})[0]
        return float(np.asarray(out).reshape(-1)[0])  # the graph ends in a sigmoid


def load_turn_model(path: Path | None = None) -> tuple[SmartTurn | None, str]:
    """The verified model, or None and the one line that says why answers end without it."""
    path = path or model_path()
    if not path.is_file():
        return None, ("the turn-end model is not installed (run ./scripts/rehearse to set it up); "
                      "an answer ends after a silence, judged by its last words")
    if sha256(path) != SHA256:
        return None, (f"the turn-end model {path} does not match its checksum (run ./scripts/rehearse "
                      "to set it up again); an answer ends after a silence, judged by its last words")
    return SmartTurn(path), ""
