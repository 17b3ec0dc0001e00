"""Answer length against the target, and the part that took the extra time."""

from __future__ import annotations

import pytest

from rehearse.analyze.length import judge_length
from rehearse.analyze.options import AnalysisOptions
from rehearse.analyze.star import analyze_star
from rehearse.transcription.whisper import transcript_from_text, transcript_from_words

STORY = ("Last spring our warehouse was shipping a third of its orders late. I was asked to fix "
         "it. I walked the floor for a week, timed every step, and moved two packing stations. "
         "Late orders fell from 33% to 4% within a month.")


def spoken(seconds: float):
    """STORY spread evenly so that its last word ends at `seconds`."""
    words = STORY.split()
    slot = seconds / len(words)
    return transcript_from_words([(w, i * slot, (i + 1) * slot, 0.9) for i, w in enumerate(words)])


@pytest.mark.parametrize("seconds, verdict, over, under", [
    (45.0, "short", 0.0, 15.0),
    (59.97, "ok", 0.0, 0.0),  # judged to the second
    (90.0, "ok", 0.0, 0.0),
    (150.0, "long", 30.0, 0.0),
])
def test_verdict(seconds: float, verdict: str, over: float, under: float) -> None:
    transcript = spoken(seconds)
    length = judge_length(transcript, analyze_star(transcript), (60, 120), AnalysisOptions())
    assert (length.verdict, length.over_s, length.under_s) == (verdict, over, under)
    assert not length.estimated


def test_longest_part_is_the_one_furthest_over_its_share() -> None:
    long_context = ("At my last job we were a team of five building a billing system for clinics. "
                    "The clinics were small and each had its own way of sending invoices. "
                    "Our largest client was a chain of twelve dental offices in three states. "
                    "I had to fix their invoices. I rewrote the export. Errors dropped by 80%.")
    transcript = transcript_from_text(long_context)
    length = judge_length(transcript, analyze_star(transcript), (10, 20), AnalysisOptions())
    assert length.verdict == "long" and length.longest_part == "situation"
    assert length.estimated and length.longest_part_s > 10


def test_typed_text_is_timed_at_conversational_rate() -> None:
    transcript = transcript_from_text(" ".join(["word"] * 150))
    length = judge_length(transcript, analyze_star(transcript), (60, 120), AnalysisOptions())
    assert length.duration_s == 60.0 and length.verdict == "ok"
