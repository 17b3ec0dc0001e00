"""Speaking rate, articulation rate, sliding windows and the pace verdict."""

from __future__ import annotations

import pytest

from rehearse.analyze.options import AnalysisOptions
from rehearse.analyze.pace import measure_pace, sliding_windows
from rehearse.analyze.pauses import find_pauses
from rehearse.transcription.whisper import transcript_from_text, transcript_from_words

OPTIONS = AnalysisOptions()


def evenly(n: int, every_s: float, start: float = 0.0, word_s: float | None = None):
    """n words, one every `every_s` seconds, each `word_s` long (the whole slot by default)."""
    length = every_s if word_s is None else word_s
    return transcript_from_words(
        [(f"w{i}", start + i * every_s, start + i * every_s + length, 0.9) for i in range(n)])


def pace_of(transcript):
    return measure_pace(transcript, find_pauses(transcript, OPTIONS), OPTIONS)


@pytest.mark.parametrize("n, every_s, wpm", [
    (30, 0.5, 120.0),  # 30 words in 15 s
    (60, 0.4, 150.0),
    (40, 0.3, 200.0),
])
def test_wpm_over_speaking_time(n: int, every_s: float, wpm: float) -> None:
    pace = pace_of(evenly(n, every_s, start=2.0))  # think time does not count
    assert pace.wpm == wpm
    assert pace.speaking_s == round(n * every_s, 2)


def test_articulation_rate_leaves_pauses_out() -> None:
    # 20 words of 0.2 s with 0.3 s gaps: 9.8 s speaking, 19 pauses of 0.3 s = 5.7 s.
    pace = pace_of(evenly(20, 0.5, word_s=0.2))
    assert pace.wpm == round(20 * 60 / 9.7, 1)
    assert pace.articulation_wpm == round(20 * 60 / (9.7 - 19 * 0.3), 1)


def test_windows_find_fast_and_slow_stretches() -> None:
    slow = [(f"s{i}", i * 1.0, i * 1.0 + 0.5, 0.9) for i in range(20)]  # 60 wpm for 20 s
    fast = [(f"f{i}", 20 + i * 0.25, 20 + i * 0.25 + 0.2, 0.9) for i in range(80)]  # 240 wpm
    pace = pace_of(transcript_from_words(slow + fast))
    assert pace.fastest.start >= 20.0 and pace.fastest.wpm == 240.0
    assert pace.slowest.end <= 20.0 and pace.slowest.wpm == 60.0


def test_short_answer_is_one_window() -> None:
    pace = pace_of(evenly(10, 0.5))
    assert len(pace.windows) == 1 and pace.fastest is None and pace.slowest is None


@pytest.mark.parametrize("begin, finish, expected", [
    (0.0, 15.0, [(0.0, 15.0)]),
    (0.0, 20.0, [(0.0, 15.0), (5.0, 20.0)]),
    (0.0, 22.0, [(0.0, 15.0), (5.0, 20.0), (7.0, 22.0)]),  # last one pulled back to full length
    (1.0, 9.0, [(1.0, 9.0)]),
])
def test_sliding_windows(begin: float, finish: float, expected) -> None:
    windows = sliding_windows([], begin, finish, OPTIONS)
    assert [(w.start, w.end) for w in windows] == expected


@pytest.mark.parametrize("every_s, verdict", [(0.6, "slow"), (0.4, "ok"), (0.3, "fast")])
def test_verdict(every_s: float, verdict: str) -> None:
    assert pace_of(evenly(40, every_s)).verdict(OPTIONS) == verdict


def test_typed_text_has_no_pace() -> None:
    assert pace_of(transcript_from_text("I led the team.")) is None
