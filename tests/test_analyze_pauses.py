"""Pauses between words: where they fall, how long, and the wait before the first word."""

from __future__ import annotations

import pytest

from rehearse.analyze.options import AnalysisOptions
from rehearse.analyze.pauses import find_pauses, long_pauses, pause_kind, think_time
from rehearse.transcription.whisper import transcript_from_text, transcript_from_words

OPTIONS = AnalysisOptions()


@pytest.mark.parametrize("previous_word, kind", [
    ("done.", "sentence"),
    ("why?", "sentence"),
    ("great!", "sentence"),
    ('"done."', "sentence"),
    ("team,", "comma"),
    ("first;", "comma"),
    ("the", "clause"),
    ("decided", "clause"),
    ("Dr.", "clause"),  # an abbreviation does not end a sentence
])
def test_pause_kind(previous_word: str, kind: str) -> None:
    assert pause_kind(previous_word) == kind


def timed(*spec: tuple[str, float, float]):
    return transcript_from_words([(w, s, e, 0.9) for w, s, e in spec])


def test_pauses_from_word_gaps() -> None:
    transcript = timed(("We", 1.0, 1.2), ("decided", 1.2, 1.6), ("to", 1.8, 1.9),
                       ("wait.", 4.5, 4.9), ("Then,", 5.3, 5.6), ("I", 5.7, 5.8))
    pauses = find_pauses(transcript, OPTIONS)
    # 0.2 s after "decided" is below the 0.25 s cut-off; 0.1 s after "Then," too.
    assert [(p.start, p.end, p.kind, p.duration_s) for p in pauses] == [
        (1.9, 4.5, "clause", 2.6), (4.9, 5.3, "sentence", 0.4)]
    assert [p.duration_s for p in long_pauses(pauses, OPTIONS)] == [2.6]


@pytest.mark.parametrize("first_start, expected", [(0.0, 0.0), (3.2, 3.2)])
def test_think_time(first_start: float, expected: float) -> None:
    assert think_time(timed(("So", first_start, first_start + 0.3))) == expected


def test_typed_text_has_no_pauses() -> None:
    transcript = transcript_from_text("We decided. Then we waited.")
    assert find_pauses(transcript, OPTIONS) == []
    assert think_time(transcript) is None


def test_no_words_no_pauses() -> None:
    empty = transcript_from_text("")
    assert find_pauses(empty, OPTIONS) == [] and think_time(empty) is None
