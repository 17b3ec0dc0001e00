"""How the STAR detector is fit and measured: folds never split a source, sure calls keep clear
of every mistake seen, and labeled parts reach the clauses that tell them."""

from __future__ import annotations

import pytest

from scripts.evaluation.star_fit import (
    Example, _gold, _sure_absent, _sure_present, folds, score)
from rehearse.analyze.star_model import label_clauses, verdicts, weights
from rehearse.analyze.star_parse import parse_clauses
from rehearse.transcription.whisper import transcript_from_text


def example(i: int, group: str) -> Example:
    return Example(f"a{i}", group, False, {}, [], [])


def test_folds_keep_each_source_whole() -> None:
    items = [example(i, g) for i, g in enumerate("aaabbbbccdeeffg")]
    split = folds(items, 5)
    assert sorted(i for fold in split for i in fold) == list(range(len(items)))
    for fold in split:
        groups = {items[i].group for i in fold}
        assert all(items[j].group not in groups for other in split if other is not fold
                   for j in other)


@pytest.mark.parametrize("calls, cut", [
    # the least likely part that was told after all scored 0.3: sure below 0.15
    ([(False, 0.01), (False, 0.02), (False, 0.05), (False, 0.1), (False, 0.12), (True, 0.3)],
     0.15),
    # too few calls that clear: never sure
    ([(False, 0.01), (False, 0.2), (True, 0.1)], -1.0),
])
def test_sure_absent(calls, cut) -> None:
    assert _sure_absent(calls) == cut


def test_sure_present_keeps_clear_of_the_wrong_calls() -> None:
    calls = [(True, 0.95), (True, 0.97), (True, 0.98), (True, 0.99), (True, 0.99), (False, 0.8)]
    assert _sure_present(calls) == 0.9


def test_labeled_parts_reach_their_clauses() -> None:
    text = ("When our biggest account was at risk, I negotiated better terms and sold two new "
            "modules. The client renewed.")
    clauses = parse_clauses(transcript_from_text(text))
    parts = {"situation": "When our biggest account was at risk,",
             "action": "I negotiated better terms and sold two new modules.",
             "result": "The client renewed.", "task": None}
    assert _gold(text, clauses, parts) == [{"situation"}, {"action"}, {"result"}]


def test_an_answer_too_short_for_a_story_is_scored_as_the_product_reads_it() -> None:
    rows = [{"bias": 1.0, "cue_situation": 1.0, "is_first": 1.0}]
    short = Example("s", "g", False, {}, rows, [set()], frozenset({"situation"}), short=True)
    told = Example("t", "g", False, {}, rows, [set()], frozenset({"situation"}))
    assert not any(v.present for v in score(weights(), short).verdicts.values())
    assert score(weights(), told).verdicts == verdicts(label_clauses(rows), told.ruled)
    assert score(weights(), told).verdicts["situation"].present  # so the gate made the difference
