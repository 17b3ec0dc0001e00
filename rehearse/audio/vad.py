"""The voice-activity detector: Silero VAD, bundled with faster-whisper and imported lazily.

Over a stream while recording (one speech probability per 512-sample window, and the regions
those decisions make), and over a whole take when the recorder did not run (files analyzed later).
"""

from __future__ import annotations

import numpy as np

from rehearse.audio.sound import SAMPLE_RATE

VAD_WINDOW = 512  # samples per Silero VAD decision (32 ms at 16 kHz)
SPEECH_PROB = 0.5  # Silero's own default threshold for speech
SILENCE_PROB = 0.35  # below this a window is silence (Silero's neg_threshold = threshold - 0.15)
MIN_SEGMENT_S = 0.25  # Silero's defaults for turning decisions into regions: shortest speech,
MIN_GAP_S = 0.1  # shortest silence that splits two regions


def segments_from_probs(probs: np.ndarray, window_s: float = VAD_WINDOW / SAMPLE_RATE) -> list[tuple[float, float]]:
    """(start, end) seconds of speech from per-window probabilities, with Silero's hysteresis."""
    segments: list[list[float]] = []
    in_speech = False
    for i, p in enumerate(probs):
        if p >= SPEECH_PROB or (in_speech and p >= SILENCE_PROB):
            t = i * window_s
            if not in_speech and segments and t - segments[-1][1] < MIN_GAP_S:
                segments[-1][1] = t + window_s  # too short a silence: the same region goes on
            elif not in_speech:
                segments.append([t, t + window_s])
            segments[-1][1] = t + window_s
            in_speech = True
        else:
            in_speech = False
    return [(round(a, 3), round(b, 3)) for a, b in segments if b - a >= MIN_SEGMENT_S]


class StreamingVad:
    """Silero VAD (bundled with faster-whisper) over a stream, one probability per 512 samples."""

    def __init__(self):
        from faster_whisper.vad import get_vad_model

        self._model = get_vad_model()
        self._pending = np.zeros(0, dtype=np.float32)
        self._context = np.zeros(VAD_WINDOW, dtype=np.float32)

    def feed(self, block: np.ndarray) -> np.ndarray:
        audio = np.concatenate([self._pending, block])
        n = len(audio) // VAD_WINDOW * VAD_WINDOW
        self._pending = audio[n:]
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        # One extra window in front gives the first new window its real left context.
        probs = self._model(np.concatenate([self._context, audio[:n]]))
        self._context = audio[n - VAD_WINDOW : n]
        return np.asarray(probs).reshape(-1)[1:]


def speech_segments(audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> list[tuple[float, float]]:
    """(start, end) seconds of speech found by the Silero VAD bundled with faster-whisper."""
    if sample_rate != SAMPLE_RATE:
        raise ValueError(f"the VAD needs {SAMPLE_RATE} Hz audio, got {sample_rate} Hz")
    audio = np.asarray(audio, dtype=np.float32)
    if audio.size == 0:
        return []
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    # Silero's own defaults (250 ms shortest speech, 100 ms shortest silence, 30 ms padding),
    # not faster-whisper's (2 s silence, 400 ms padding), which are tuned to cut audio into
    # chunks for transcription. Tight segments keep pauses out of speech and speech out of the
    # background estimate.
    vad = VadOptions(min_speech_duration_ms=250, min_silence_duration_ms=100, speech_pad_ms=30)
    stamps = get_speech_timestamps(audio, vad, sampling_rate=sample_rate)
    return [(s["start"] / sample_rate, s["end"] / sample_rate) for s in stamps]
