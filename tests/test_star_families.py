"""The kinds of answer the STAR detector used to misread, one line each: the answer, the parts it
must find, and tips it must not give."""

from __future__ import annotations

import pytest

from rehearse.analyze import analyze
from rehearse.analyze.star_parse import parse_clauses
from rehearse.transcription.whisper import transcript_from_text

NO_ACTION_TIP = "You never say what you did"
NO_RESULT_TIP = "The answer stops before saying how it turned out"
WE_TIP = 'You tell the action as "we"'

FAMILIES = [
    # "When X, I did Y": the situation and the action share a sentence.
    ("When our biggest account was at risk, I negotiated better terms and sold two new modules. "
     "The client renewed for three more years.",
     {"situation", "action", "result"}, [NO_ACTION_TIP]),
    ("When the night shift was two nurses short, I rebuilt the rota and covered three shifts "
     "myself. Nobody missed a round that month.",
     {"situation", "action", "result"}, [NO_ACTION_TIP]),
    # "..., and we restored X": the result is a trailing clause told as "we".
    ("My toughest week came during a production outage last year, I kept the team focused, "
     "delegated the rollback, and we restored service in under an hour.",
     {"situation", "action", "result"}, [NO_RESULT_TIP, WE_TIP]),
    ("Our payroll run failed the night before payday, so I called the bank, reran the batch by "
     "hand, and we paid everyone on time.",
     {"situation", "action", "result"}, [NO_RESULT_TIP, WE_TIP]),
    # A place opens the answer: it sets the scene even when the sentence also gives the task.
    ("At Tim Hortons I was asked to cut drive-thru times. I timed every order for a week and "
     "moved the coffee station next to the window. Wait times fell from four minutes to ninety "
     "seconds.",
     {"situation", "task", "action", "result"}, [NO_ACTION_TIP, NO_RESULT_TIP]),
    ("At my first internship I was asked to clean up the customer database. I wrote a script "
     "that merged the duplicates and checked every change with the sales team. The list shrank "
     "by a third and the bounce rate halved.",
     {"situation", "task", "action", "result"}, [NO_ACTION_TIP, NO_RESULT_TIP]),
]


@pytest.mark.parametrize("answer, parts, never", FAMILIES)
def test_family(answer: str, parts: set[str], never: list[str]) -> None:
    analysis = analyze(transcript_from_text(answer), target_s=(5, 120))
    found = {name for name, part in analysis.star.parts.items() if part.present}
    assert parts <= found, [(u.labels, u.span.text) for u in analysis.star.units]
    for tip in analysis.tips:
        assert not any(tip.text.startswith(t) for t in never), tip.text


@pytest.mark.parametrize("sentence, clauses", [
    ("When our biggest account was at risk, I negotiated better terms and sold two new modules.",
     ["When our biggest account was at risk,",
      "I negotiated better terms and sold two new modules."]),
    ("I kept the team focused, delegated the rollback, and we restored service in under an hour.",
     ["I kept the team focused, delegated the rollback, and",
      "we restored service in under an hour."]),
    ("At Tim Hortons I was asked to cut drive-thru times.",
     ["At Tim Hortons", "I was asked to cut drive-thru times."]),
    ("I rewrote the query, which cut load time by 40%.",
     ["I rewrote the query,", "which cut load time by 40%."]),
    ("I talked to the team to understand the problem.",
     ["I talked to the team to understand the problem."]),
    # the small parse reads "end refunds" as one noun: the connective still opens a clause
    ("Then I wrote a script that ran the bank check and in the end refunds took two days.",
     ["Then I wrote a script that ran the bank check and",
      "in the end refunds took two days."]),
])
def test_clauses_from_the_parse(sentence: str, clauses: list[str]) -> None:
    assert [c.span.text for c in parse_clauses(transcript_from_text(sentence))] == clauses


def test_a_loop_of_hesitations_the_filler_count_left_out_is_not_read_as_a_clause() -> None:
    # The recognizer can end on "uh uh uh ..." of which the filler count takes only the first.
    transcript = transcript_from_text("The wait fell from eight minutes to two. uh uh uh uh")
    clauses = parse_clauses(transcript, frozenset({8}))
    assert [c.span.text for c in clauses] == ["The wait fell from eight minutes to two."]


SPOKEN = [
    # The same story written and spoken (fillers, a restart, "so" and "and then" chains).
    ("Last year our support queue doubled in a month. I had to cut the wait. I wrote reply "
     "templates for the top ten questions. The wait fell from eight minutes to two.",
     "Um, so last year our support queue, like, doubled in a month and I had to, uh, I had to "
     "cut the wait so I wrote reply templates for the top ten questions and then the wait fell "
     "from eight minutes to two."),
]


@pytest.mark.parametrize("written, spoken", SPOKEN)
def test_spoken_version_finds_the_same_parts(written: str, spoken: str) -> None:
    def parts(text: str) -> set[str]:
        star = analyze(transcript_from_text(text), target_s=(5, 120)).star
        return {name for name, part in star.parts.items() if part.present}

    assert parts(spoken) == parts(written) == {"situation", "task", "action", "result"}
