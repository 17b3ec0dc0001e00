"""Specificity: I versus we in the action, figures in the result, hedges and vague words."""

from __future__ import annotations

import pytest

from rehearse.analyze.fillers import find_fillers
from rehearse.analyze.specificity import VAGUE, find_hedges, find_phrases, measure_specificity
from rehearse.analyze.star import analyze_star
from rehearse.transcription.whisper import transcript_from_text, transcript_from_words


def hedges(text: str) -> list[str]:
    transcript = transcript_from_text(text)
    return [h.phrase for h in find_hedges(transcript, find_fillers(transcript))]


@pytest.mark.parametrize("text, expected", [
    ("I think it went well.", ["i think"]),
    ("Maybe we could have started sooner, probably by May.", ["maybe", "probably"]),
    ("I guess it kind of worked.", ["i guess", "kind of"]),
    ("We built a new kind of report.", []),  # "kind of" that classifies is no hedge
    ("What sort of tests did you run?", []),
    ("Perhaps I'm not sure.", ["perhaps", "i'm not sure"]),
    ("I shipped it on Friday.", []),
])
def test_hedges(text: str, expected: list[str]) -> None:
    assert hedges(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("We fixed a lot of stuff.", ["a lot", "stuff"]),
    ("Various things went wrong, etc.", ["various", "things", "etc"]),
    ("We fixed 14 bugs in the billing export.", []),
    ("Everything was finished on time.", []),  # "everything" is not "things"
])
def test_vague_words(text: str, expected: list[str]) -> None:
    assert [p.phrase for p in find_phrases(transcript_from_text(text), VAGUE)] == expected


def test_phrases_carry_place_and_time() -> None:
    transcript = transcript_from_words(
        [("It", 0.0, 0.2, 0.9), ("was", 0.2, 0.4, 0.9), ("maybe", 1.0, 1.3, 0.9),
         ("fine.", 1.3, 1.6, 0.9)])
    found = find_hedges(transcript, [])
    assert [(h.phrase, h.char_start, h.start) for h in found] == [("maybe", 7, 1.0)]


@pytest.mark.parametrize("answer, i_action, we_action, numbers", [
    ("Last year our release slipped. I had to fix it. I split the work and I met each owner. "
     "We shipped 2 weeks early and cut bugs by 30%.", 2, 0, ["2", "30%"]),
    ("Last year our release slipped. I had to fix it. We split the work and we met each owner. "
     "In the end the client was happy.", 0, 2, []),
])
def test_i_and_we_in_action_and_numbers_in_result(answer, i_action, we_action, numbers) -> None:
    transcript = transcript_from_text(answer)
    spec = measure_specificity(transcript, analyze_star(transcript), [])
    assert (spec.i_action, spec.we_action, list(spec.numbers)) == (i_action, we_action, numbers)
    assert spec.i_overall >= spec.i_action and spec.we_overall >= spec.we_action
