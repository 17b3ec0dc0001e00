"""Speaking rate: overall, without pauses, and in a sliding window to find rushed stretches."""

from __future__ import annotations

import dataclasses

from rehearse.analyze.options import AnalysisOptions
from rehearse.analyze.pauses import Pause
from rehearse.transcription.whisper import Transcript


@dataclasses.dataclass(frozen=True)
class Window:
    start: float  # seconds
    end: float  # seconds
    wpm: float  # words whose middle falls in [start, end), per minute

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "wpm": self.wpm}


@dataclasses.dataclass(frozen=True)
class Pace:
    words: int  # every transcribed word, fillers included: they take speaking time too
    speaking_s: float  # first word start to last word end
    wpm: float  # words per minute of speaking time
    articulation_wpm: float  # words per minute with pauses >= pause_min_s taken out
    windows: tuple[Window, ...]  # sliding windows over the speaking time
    fastest: Window | None  # None when the answer fits in a single window
    slowest: Window | None

    def verdict(self, options: AnalysisOptions) -> str:
        """'slow', 'fast' or 'ok' against the options' thresholds."""
        if self.wpm < options.slow_wpm:
            return "slow"
        return "fast" if self.wpm > options.fast_wpm else "ok"


def _per_minute(count: float, seconds: float) -> float:
    return round(count * 60.0 / seconds, 1) if seconds > 0 else 0.0


def sliding_windows(midpoints: list[float], begin: float, finish: float,
                    options: AnalysisOptions) -> list[Window]:
    """Windows of `window_s` every `window_step_s` from begin; the last one ends at finish."""
    size = min(options.window_s, finish - begin)
    windows, start = [], begin
    while True:
        end = min(start + size, finish)
        start = end - size  # the last window is pulled back to keep its full length
        n = sum(start <= m < end or (end == finish and m == end) for m in midpoints)
        windows.append(Window(round(start, 2), round(end, 2), _per_minute(n, size)))
        if end >= finish:
            return windows
        start += options.window_step_s


def measure_pace(transcript: Transcript, pauses: list[Pause],
                 options: AnalysisOptions) -> Pace | None:
    """The rates of a timed transcript; None for typed text or no words."""
    if not transcript.timed:
        return None
    words = transcript.words
    begin, finish = words[0].start, words[-1].end
    speaking = finish - begin
    paused = sum(p.duration_s for p in pauses)
    mids = [(w.start + w.end) / 2 for w in words]
    windows = sliding_windows(mids, begin, finish, options) if speaking > 0 else []
    several = len(windows) > 1
    return Pace(
        words=len(words),
        speaking_s=round(speaking, 2),
        wpm=_per_minute(len(words), speaking),
        articulation_wpm=_per_minute(len(words), speaking - paused),
        windows=tuple(windows),
        fastest=max(windows, key=lambda w: w.wpm) if several else None,
        slowest=min(windows, key=lambda w: w.wpm) if several else None,
    )
