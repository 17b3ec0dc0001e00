"""The pure parts of looking back: annotation, sparklines, word diffs, trends, story grouping."""

from __future__ import annotations

import pytest

from rehearse.attempt import Record
from rehearse.review.compare import word_diff
from rehearse.review.progress import _trend, sparkline
from rehearse.review.stories import content_words, group_stories
from rehearse.review.views import annotate, part_spans, star_letters

RETOLD = [
    "Last spring our biggest customer threatened to leave because the weekly reports were late. I was "
    "responsible for the reporting pipeline. I rewrote the export job and added monitoring. As a result "
    "reports arrived on time every week and the customer renewed their contract for two more years.",
    "When our largest client was about to walk away over late weekly reports, I owned the reporting "
    "pipeline, so I rebuilt the export job and set up monitoring and alerts. Reports have been on time "
    "since and the client renewed for two years.",
]
# RETOLD as the model once transcribed it from synthesized speech: "reports arrived" became
# "report survived", "late" became "eight", "rebuilt" became "revealed".
RETOLD_HEARD = [
    "last spring our biggest customer threatened to leave because the weekly reports were late. I was "
    "responsible for the reporting pipeline, I wrote the export job and added monitoring, and a result "
    "report survived on time every week, and the customer renewed their contract for two more years.",
    "When our largest client was about to walk away over eight weekly reports, I owned the reporting "
    "pipeline, so I revealed the export job and set up monitoring and alerts. Reports have been on time "
    "since and the client renewed for two years.",
]
JFK = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."
OTHERS = [
    "In my second year a teammate and I disagreed about the database schema for the billing service. I "
    "set up a meeting, we compared both designs against load tests, and we picked his design with one "
    "change of mine. Billing latency fell by 30 percent.",
    "I had never used Kubernetes when I joined the platform team. I took an online course, paired with a "
    "senior engineer for two weeks and migrated our staging cluster myself. Deployment time dropped from "
    "an hour to ten minutes.",
]


@pytest.mark.parametrize("values, expected", [
    ([], ""),
    ([1, 2, 3, 4, 5, 6, 7, 8], "▁▂▃▄▅▆▇█"),
    ([5, 5, 5], "▁▁▁"),
    ([0, None, 10], "▁ █"),
    ([None, None], "  "),
    ([10, 0], "█▁"),
])
def test_sparkline(values, expected):
    assert sparkline(values) == expected


@pytest.mark.parametrize("before, after, expected", [
    ("I led the team.", "I led the team.", [("same", "I led the team.", "I led the team.")]),
    ("I led the team.", "I led the whole team.",
     [("same", "I led the", "I led the"), ("added", "", "whole"), ("same", "team.", "team.")]),
    ("um I fixed it", "I fixed it",
     [("dropped", "um", ""), ("same", "I fixed it", "I fixed it")]),
    ("we fixed it", "I fixed it", [("reworded", "we", "I"), ("same", "fixed it", "fixed it")]),
    ("It worked.", "it worked", [("same", "It worked.", "it worked")]),  # case and punctuation
])
def test_word_diff(before, after, expected):
    assert [(d["op"], d["before"], d["after"]) for d in word_diff(before, after)] == expected


@pytest.mark.parametrize("values, better, change, improving", [
    ([10, 8, 6, 4, 2, 1], -1, -7.5, True),
    ([1, 2, 3], -1, 2.0, False),
    ([120, 140], 0, 20.0, None),
    ([2, 2], +1, 0.0, None),
    ([None, 3, None], +1, 0.0, None),
])
def test_trend(values, better, change, improving):
    t = _trend(values, better)
    assert (t["change"], t["improving"]) == (change, improving)


@pytest.mark.parametrize("texts, expected", [
    (RETOLD + OTHERS, [[0, 1], [2], [3]]),
    (OTHERS + RETOLD[:1], [[0], [1], [2]]),
    ([OTHERS[0], OTHERS[0]], [[0, 1]]),
    (RETOLD_HEARD + OTHERS[:1] + [JFK], [[0, 1], [2], [3]]),
])
def test_group_stories(texts, expected):
    assert group_stories(texts) == expected


@pytest.mark.parametrize("text, expected", [
    ("Um, I think we basically fixed the build.", ["think", "fixed", "build"]),
    ("The team and I", ["team"]),
])
def test_content_words(text, expected):
    assert content_words(text) == expected


def test_annotate_marks_fillers_parts_and_long_pauses():
    text = "Um, our build was slow. I added caching. Build time fell by half."
    times = [(0.0, 0.3), (0.4, 0.6), (0.6, 0.9), (0.9, 1.0), (1.0, 1.4), (4.0, 4.1), (4.1, 4.5),
             (4.5, 5.0), (5.2, 5.5), (5.5, 5.8), (5.8, 6.0), (6.0, 6.1), (6.1, 6.5)]
    words = [{"word": w, "start": s, "end": e} for w, (s, e) in zip(text.split(), times)]
    record = Record.from_json({
        "transcript": {"text": text, "words": words},
        "fillers": [{"word": "um", "char_start": 0, "kind": "transcribed"}],
        "star": {"situation": {"present": True, "evidence": ["Um, our build was slow."]},
                 "action": {"present": True, "evidence": ["I added caching."]},
                 "result": {"present": True, "evidence": ["Build time fell by half."]}},
        "metrics": {"long_pauses": [{"start": 1.4, "end": 4.0, "duration_s": 2.6}]},
    })
    pieces = annotate(record)
    assert [p.text for p in pieces] == text.split()
    assert [p.filler for p in pieces] == [True] + [False] * 12
    assert [p.part for p in pieces] == ["situation"] * 5 + ["action"] * 3 + ["result"] * 5
    assert [p.pause_before_s for p in pieces if p.pause_before_s] == [2.6]
    assert pieces[5].text == "I" and pieces[5].pause_before_s == 2.6
    assert part_spans(pieces) == [("situation", 0.0, 1.4), ("action", 4.0, 5.0), ("result", 5.2, 6.5)]
    assert star_letters(record) == "S·AR"


def test_annotate_typed_text_and_gaps_without_analysis():
    words = [{"word": "I", "start": 0.0, "end": 0.2}, {"word": "waited.", "start": 3.0, "end": 3.4}]
    pieces = annotate(Record.from_json({"transcript": {"text": "I waited.", "words": words}}))
    assert [p.pause_before_s for p in pieces] == [None, 2.8]
    typed = annotate(Record.from_json({"transcript": {"text": "Just typed words", "words": []}}))
    assert [(p.text, p.start) for p in typed] == [("Just", None), ("typed", None), ("words", None)]


@pytest.mark.parametrize("text, width, expected", [
    ("Tell me about a time", 60, "Tell me about a time"),
    ("Describe a situation where you realized you were going to miss a deadline.", 40,
     "Describe a situation where you realized…"),
    ("Tell me, about a time", 10, "Tell me…"),
    ("unbreakable-identifier-of-a-question", 10, "unbreakab…"),
])
def test_shorten_cuts_after_a_whole_word(text, width, expected):
    from rehearse.report import shorten

    assert shorten(text, width) == expected
    assert len(shorten(text, width)) <= width
