"""Silent pauses between words, and where they fall.

A pause at a sentence end is where listeners expect one; a pause in the middle of a clause
("we decided to ... move the launch") is the kind that makes speech sound hesitant (Goldman-Eisler
1968; Kahng 2014 on mid-clause pauses and perceived fluency).
"""

from __future__ import annotations

import dataclasses

from rehearse.analyze.options import AnalysisOptions
from rehearse.analyze.sentences import ends_sentence, trailing_comma
from rehearse.transcription.whisper import Transcript


@dataclasses.dataclass(frozen=True)
class Pause:
    start: float  # seconds: end of the word before the pause
    end: float  # seconds: start of the word after it
    kind: str  # "sentence" after . ? !, "comma" after , ; : and "clause" inside a clause
    after: int  # index of the word before the pause in Transcript.words

    @property
    def duration_s(self) -> float:
        return round(self.end - self.start, 3)

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "kind": self.kind,
                "duration_s": self.duration_s}


def pause_kind(previous_word: str) -> str:
    """Where a pause falls, judged from the punctuation of the word before it."""
    if ends_sentence(previous_word):
        return "sentence"
    return "comma" if trailing_comma(previous_word) else "clause"


def find_pauses(transcript: Transcript, options: AnalysisOptions) -> list[Pause]:
    """Every gap between words at least `pause_min_s` long; none for typed text."""
    if not transcript.timed:
        return []
    words = transcript.words
    return [
        Pause(a.end, b.start, pause_kind(a.word), i)
        for i, (a, b) in enumerate(zip(words, words[1:]))
        if b.start - a.end >= options.pause_min_s
    ]


def long_pauses(pauses: list[Pause], options: AnalysisOptions) -> list[Pause]:
    return [p for p in pauses if p.duration_s >= options.long_pause_s]


def think_time(transcript: Transcript) -> float | None:
    """Seconds of silence before the first word: time taken to start answering."""
    return transcript.words[0].start if transcript.timed else None
