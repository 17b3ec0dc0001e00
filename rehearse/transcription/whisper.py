"""Speech to text: our Transcript type and the faster-whisper transcriber.

faster-whisper is imported inside `WhisperTranscriber` only, so that `--help`, history commands
and the pure analyzers never pay for loading CTranslate2.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from typing import Iterable, Protocol

import numpy as np

from rehearse.audio.sound import SAMPLE_RATE

log = logging.getLogger("rehearse")

# Whisper drops "um"/"uh" from real speech unless nudged (faster-whisper issue 901). Measured on
# these machines: hotwords keep them at no cost in accuracy, while a filler `initial_prompt` made
# the model silently skip whole stretches of speech, so we never use that.
FILLER_HOTWORDS = "Um, uh"


@dataclasses.dataclass(frozen=True)
class Word:
    word: str  # the word as recognized, without surrounding white space
    start: float | None  # seconds from the start of the recording; None for typed text
    end: float | None
    probability: float | None  # recognizer confidence 0..1; None for typed text
    char_start: int = 0  # index of the word in Transcript.text


@dataclasses.dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...]
    duration_s: float | None = None  # length of the audio, None for typed text

    @property
    def timed(self) -> bool:
        return bool(self.words) and self.words[0].start is not None

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "words": [
                {"word": w.word, "start": w.start, "end": w.end, "probability": w.probability}
                for w in self.words
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Transcript":
        """A stored transcript; each word's place in the text is found again."""
        text = data.get("text") or ""
        words, cursor = [], 0
        for w in data.get("words") or ():
            at = text.find(w["word"], cursor)
            at = cursor if at < 0 else at
            cursor = at + len(w["word"])
            words.append(Word(w["word"], w.get("start"), w.get("end"), w.get("probability"), at))
        return cls(text=text, words=tuple(words))


_TOKEN = re.compile(r"\S+")


def transcript_from_text(text: str) -> Transcript:
    """A transcript of typed or pasted text: words with their offsets, no times."""
    text = " ".join(text.split())
    words = tuple(
        Word(m.group(), None, None, None, m.start()) for m in _TOKEN.finditer(text)
    )
    return Transcript(text=text, words=words)


def transcript_from_words(
    timed: Iterable[tuple[str, float, float, float]], duration_s: float | None = None
) -> Transcript:
    """Join recognized (word, start, end, probability) into a transcript with char offsets."""
    parts: list[str] = []
    words: list[Word] = []
    offset = 0
    for raw, start, end, prob in timed:
        token = raw.strip()
        if not any(ch.isalnum() for ch in token):
            continue  # Whisper sometimes emits bare punctuation over silence
        if parts:
            offset += 1  # the joining space
        words.append(Word(token, round(start, 3), round(end, 3), round(prob, 4), offset))
        parts.append(token)
        offset += len(token)
    return Transcript(text=" ".join(parts), words=tuple(words), duration_s=duration_s)


# Whisper scales each 30 s window to its loudest sound, so a stretch that holds only a distant
# voice (a colleague across the room, a television) is heard as clearly as the person at the
# microphone. Words far quieter than the loudest words of the answer are taken for someone else's
# voice. Measured on the AMI headset clips (crosstalk from other speakers): word error rate fell
# from 0.96 to 0.19, 1.16 to 0.04 and 0.25 to 0.05 for live transcription.
FAINT_DB = 20.0  # dB below the near voice (the 90th percentile of word levels)


def without_faint_words(transcript: Transcript, audio: np.ndarray) -> Transcript:
    words = transcript.words
    if len(words) < 5 or not transcript.timed:
        return transcript
    levels = word_levels(transcript, audio)
    floor = np.percentile(levels, 90) - FAINT_DB
    kept = [(w.word, w.start, w.end, w.probability) for w, lv in zip(words, levels) if lv >= floor]
    if len(kept) == len(words):
        return transcript
    return transcript_from_words(kept, duration_s=transcript.duration_s)


def word_levels(transcript: Transcript, audio: np.ndarray) -> np.ndarray:
    """Each recognized word's loudness, dB full scale."""
    return np.array([_level_db(audio, w.start, w.end) for w in transcript.words])


def _level_db(audio: np.ndarray, start: float, end: float) -> float:
    first = int(start * SAMPLE_RATE)
    piece = audio[first : max(int(end * SAMPLE_RATE), first + 160)]
    return 10 * np.log10(float(np.mean(np.square(piece))) + 1e-10) if len(piece) else -100.0


class Transcriber(Protocol):
    def transcribe(self, audio: np.ndarray) -> Transcript:
        """Transcribe 16 kHz mono float32 samples."""
        ...


@dataclasses.dataclass(frozen=True)
class WhisperOptions:
    model: str | None = None  # a model folder, a faster-whisper model name, or None for the embedded base
    compute_type: str = "int8"  # int8 on CPU: about twice as fast as float32 at the same accuracy
    cpu_threads: int = 2  # these machines have two cores
    beam_size: int = 5  # faster-whisper's default
    language: str = "en"  # behavioral interviews are rehearsed in English; skips detection
    hotwords: str | None = FILLER_HOTWORDS
    # A decode that loops ("uh uh uh ...", most often on audio cut mid-word) is cut short: speech
    # runs at up to about 4 tokens a second (measured on the real and synthesized clips), so a
    # window may make twice that. Unbounded, one such loop took 10 s on an idle machine and
    # minutes on a busy one; bounded, 5-6 s. The retries at higher temperatures stay: without them
    # 12 of the 18 elicited filled pauses were found instead of 15.
    tokens_per_s: float = 8.0


class WhisperTranscriber:
    """faster-whisper, loaded once and kept; converts its segments to our Transcript."""

    def __init__(self, options: WhisperOptions = WhisperOptions()):
        self.options = options
        self._model = None
        self._loading = threading.Lock()

    def load(self) -> None:
        with self._loading:  # the session loads in the background; a first decode may wait here
            if self._model is None:
                self._load()

    def _load(self) -> None:
        from rehearse.transcription import model
        from rehearse.errors import ModelError

        path = model.resolve(self.options.model)
        from faster_whisper import WhisperModel

        try:
            self._model = WhisperModel(
                path, device="cpu", compute_type=self.options.compute_type,
                cpu_threads=self.options.cpu_threads, local_files_only=True,
            )
        except Exception as exc:  # CTranslate2 raises RuntimeError for unreadable model files
            raise ModelError(f"cannot load the speech model from {path}: {exc}") from exc

    def transcribe(self, audio: np.ndarray, offset_s: float = 0.0) -> Transcript:
        if self._model is None:
            self.load()
        o = self.options
        window_s = min(len(audio) / SAMPLE_RATE, 30.0)  # Whisper decodes 30 s at a time
        segments, info = self._model.transcribe(
            audio, language=o.language, beam_size=o.beam_size, word_timestamps=True,
            hotwords=o.hotwords, vad_filter=True, condition_on_previous_text=False,
            max_new_tokens=16 + int(o.tokens_per_s * window_s),
        )
        timed = [
            (w.word, w.start + offset_s, w.end + offset_s, w.probability)
            for segment in segments  # a generator: decoding happens while we iterate
            for w in (segment.words or ())
        ]
        return transcript_from_words(timed, duration_s=len(audio) / SAMPLE_RATE)
