"""Whether a story has come to its result, from how it is told: a table of clauses, and stories."""

from __future__ import annotations

import pytest

from rehearse.turn.story import outcome_after_deed, story_told, tells_deed, tells_outcome


@pytest.mark.parametrize("text, outcome", [
    # how things turned out, without the words coaches teach
    ("the new dashboard went live two days before the board meeting", True),
    ("the client signed a three year extension", True),
    ("and we onboarded every store in the region by march", True),
    ("churn went down from eight percent to three", True),
    ("we finished a week early", True),
    ("the audit came back without a single finding", True),
    ("since then nobody has missed a handover", True),
    ("which meant the night shift could go home at six", True),
    ("the nurses thanked me at the next staff meeting", True),
    ("support calls were cut by a third", True),
    ("now the report takes five minutes instead of an hour", True),
    ("the page loaded twice as fast", True),
    ("we stayed within budget", True),
    ("we had no outages during the holiday peak", True),
    ("that spring we sold more tickets than ever", True),  # compared with before
    ("the form now takes under a minute", True),
    # aimed at, imagined, or the scene being set
    ("my job was to make sure the launch happened on time", False),
    ("we had to finish before the deadline", False),
    ("i would make sure everyone was happy with the plan", False),
    ("if we missed the date we would lose the client", False),
    ("the reports were late every week", False),
    ("two years ago i worked at a bank", False),
    ("i called a meeting with both teams", False),
    ("the test suite took four hours to run", False),
    ("it was caused by a bug in the parser", False),
])
def test_tells_outcome(text, outcome):
    assert tells_outcome(text) is outcome


@pytest.mark.parametrize("text, deed", [
    ("i called a meeting with both teams", True),
    ("so we rewrote the parser", True),
    ("i then quietly split the work in two", True),
    ("i noticed that the numbers were off", False),
    ("i was responsible for the payroll", False),
    ("we needed more time", False),
    ("our manager left in june", False),
])
def test_tells_deed(text, deed):
    assert tells_deed(text) is deed


def test_an_outcome_counts_only_after_the_opening_and_a_deed():
    assert not outcome_after_deed(["sales dropped by half last year", "nobody knew why"])
    assert not outcome_after_deed(["last year", "sales dropped by half", "so i was asked to help"])
    assert outcome_after_deed(["last year sales fell", "i interviewed ten customers",
                               "and sales rose by a third"])
    assert outcome_after_deed(["last year sales fell", "i fixed the pricing page and it paid off"])
    # the opening goes on to the speaker's deed: "During X, I did Y"
    assert outcome_after_deed(["during the rollout the nurses lost notes, i sat with the night shift",
                               "after that, not one note was lost"])
    assert not outcome_after_deed(["during the rollout, the nurses lost notes",
                                   "after that, not one note was lost"])


def timed(text: str) -> list[tuple]:
    return [(w, i * 0.3, i * 0.3 + 0.25, 0.9) for i, w in enumerate(text.split())]


@pytest.mark.parametrize("text, told", [
    ("Our payroll vendor was shutting down at the end of the quarter. I was asked to lead the "
     "switch to a new one. I mapped every pay rule with the finance team, and we migrated every "
     "account without a single failed payment.", True),
    ("Our build took forty minutes, so developers waited all day. I grouped the tests by how "
     "often they failed, and we now run the whole suite in eight minutes.", True),
    # a number in the scene, and a deed, but no result yet
    ("Our build took forty minutes, so developers waited all day for four weeks. I grouped the "
     "tests by how often they failed and", False),
    ("Last year our biggest client threatened to leave. My task was to make sure the next "
     "release shipped on time.", False),
    # the deed in the opening sentence, after the scene it sets (a live transcript, garbled)
    ("During a hospital software out in the nurses kept using patient notes, I sat with the night "
     "shift for a week and revealed the same button so it kept a draft. After that, not one note "
     "was lost in three months.", True),
    ("During a hospital software rollout, the nurses kept losing patient notes. After that, not "
     "one note was lost in three months.", False),
])
def test_story_told(text, told):
    assert story_told(timed(text)) is told
