"""The numbers of one answer in one place: words, rate, fillers, pauses.

Nothing is judged here; pace, fillers and pauses measure, this module only gathers their figures
into the flat `metrics` record that reports and history store.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

from rehearse.analyze.fillers import Burst, Filler, count_by_type
from rehearse.analyze.pace import Pace, Window
from rehearse.analyze.pauses import Pause


@dataclasses.dataclass(frozen=True)
class Metrics:
    words: int  # transcribed words, fillers included
    duration_s: float | None  # length of the recording; None for typed text
    pace: Pace | None  # rates; None for typed text
    fillers: tuple[Filler, ...]  # transcribed fillers
    possible_fillers: int  # places timing suggests an untranscribed filler
    bursts: tuple[Burst, ...]  # clusters of fillers
    long_pauses: tuple[Pause, ...]  # pauses of options.long_pause_s or more
    think_time_s: float | None  # silence before the first word
    pause_count: int  # pauses of options.pause_min_s or more

    @property
    def fillers_per_min(self) -> float | None:
        if self.pace is None or self.pace.speaking_s <= 0:
            return None
        return round(len(self.fillers) * 60.0 / self.pace.speaking_s, 2)

    @property
    def filler_share(self) -> float:
        """Fillers per transcribed word, 0..1."""
        return round(len(self.fillers) / self.words, 3) if self.words else 0.0

    def to_json(self) -> dict:
        pace = self.pace
        return {
            "words": self.words,
            "duration_s": self.duration_s,
            "speaking_s": pace.speaking_s if pace else None,
            "wpm": pace.wpm if pace else None,
            "articulation_wpm": pace.articulation_wpm if pace else None,
            "wpm_windows": [w.to_json() for w in pace.windows] if pace else [],
            "fastest": _window(pace.fastest if pace else None),
            "slowest": _window(pace.slowest if pace else None),
            "fillers_per_min": self.fillers_per_min,
            "filler_share": self.filler_share,
            "filler_counts": count_by_type(self.fillers),
            "possible_fillers": self.possible_fillers,
            "filler_bursts": [b.to_json() for b in self.bursts],
            "long_pauses": [p.to_json() for p in self.long_pauses],
            "think_time_s": self.think_time_s,
            "pause_count": self.pause_count,
        }


def _window(window: Window | None) -> dict | None:
    return window.to_json() if window else None


def gather(words: int, duration_s: float | None, pace: Pace | None,
           fillers: Sequence[Filler], possible: Sequence[Filler], bursts: Sequence[Burst],
           pauses: Sequence[Pause], long: Sequence[Pause], think_time_s: float | None) -> Metrics:
    return Metrics(words, duration_s, pace, tuple(fillers), len(possible), tuple(bursts),
                   tuple(long), think_time_s, len(pauses))
