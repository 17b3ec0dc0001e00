"""STAR labelling: cue rules, whole answers, findings."""

from __future__ import annotations

import json

import pytest

from conftest import DATA
from scripts.evaluation.evaluate import balanced_accuracy, star_presence
from rehearse.analyze.sentences import split_clauses, split_sentences
from rehearse.analyze.star import analyze_star
from rehearse.analyze.star_cues import cue_scores, hypothetical_count, numbers_in
from rehearse.analyze.star_model import viterbi
from rehearse.transcription.whisper import transcript_from_text, transcript_from_words



def strongest(sentence: str) -> str:
    scores = cue_scores(sentence.lower(), sentence)
    return max(scores, key=scores.get)


@pytest.mark.parametrize("sentence, label", [
    ("At my last job our support queue was growing every week.", "situation"),
    ("When I was an intern at Acme, the build kept breaking.", "situation"),
    ("Two years ago, I worked as a barista in a busy cafe.", "situation"),
    ("I underestimated how long the migration would take.", "situation"),
    ("I was responsible for cutting the cloud bill.", "task"),
    ("My goal was to get the release out by Friday.", "task"),
    ("I had to find a way to keep the client.", "task"),
    ("My manager asked me to rebuild the onboarding guide.", "task"),
    ("Finish the project on time, with one person fewer.", "task"),
    ("Stop any harm and stop it recurring.", "task"),
    ("Cover every peak hour and still grant fair requests.", "task"),
    ("I built a dashboard and trained the team to use it.", "action"),
    ("So I called each customer and offered a refund.", "action"),
    ("I rang the supplier and asked for the invoice.", "action"),
    ("And I sort of tried to keep on top of it.", "action"),
    ("First, I mapped every step, then I removed the slow ones.", "action"),
    ("As a result, complaints dropped by 30%.", "result"),
    ("In the end we shipped two days early.", "result"),
    ("The client was pleased and renewed the contract.", "result"),
    ("I learned to check the scope before I start.", "result"),
    ("I excel at working with people.", "other"),
    ("This shows how I handle pressure.", "other"),
])
def test_sentence_cues(sentence: str, label: str) -> None:
    assert strongest(sentence) == label


def present(text: str) -> list[str]:
    star = analyze_star(transcript_from_text(text))
    return [name for name, part in star.parts.items() if part.present]


@pytest.mark.parametrize("answer, parts", [
    ("Last spring our warehouse was shipping orders late. I was asked to find out why. "
     "I walked the floor for a week and timed each step. I moved packing next to the dock. "
     "Late orders fell from 12% to 3%.", ["situation", "task", "action", "result"]),
    ("Our team was behind on a release at my previous company. I rewrote the test suite, "
     "which cut the run time by 40%.", ["situation", "action", "result"]),
    ("During my internship the website kept crashing under load. I had to keep it up during "
     "the sale. I would probably talk to the team and see what we could do.",
     ["situation", "task"]),
    ("I was part of a team, and things went fine.", []),
    ("So I was working at a payments startup and our biggest merchant was about to leave "
     "because refunds took ten days and my manager made me the owner of the backlog so I went "
     "through all the tickets and then I wrote a script that ran the bank check automatically "
     "and in the end refunds took two days.", ["situation", "task", "action", "result"]),
    ("A customer was upset about a late delivery, so I had to fix the problem quickly. "
     "I called the courier and sent a replacement the same day. The customer thanked me and "
     "ordered again.", ["situation", "task", "action", "result"]),
])
def test_whole_answers(answer: str, parts: list[str]) -> None:
    assert present(answer) == parts


@pytest.mark.parametrize("text, clauses", [
    ("I rewrote the query, which cut load time by 40%.",
     ["I rewrote the query,", "which cut load time by 40%."]),
    ("The client was unhappy about a late delivery, so I had to fix it.",
     ["The client was unhappy about a late delivery,", "so I had to fix it."]),
    ("I stayed late so that we could ship.", ["I stayed late so that we could ship."]),
    ("I checked the logs; the disk was full.", ["I checked the logs;", "the disk was full."]),
    # a short sentence keeps its "and I"; a spoken run-on is cut where a new subject starts
    ("My team and I managed to fix every bug.", ["My team and I managed to fix every bug."]),
    ("So I was a shift lead at a grocery store and one evening the card readers went down and "
     "I got the cashiers to take cash and then I called the bank and in the end we lost very "
     "little.",
     ["So I was a shift lead at a grocery store and one evening the card readers went down",
      "and I got the cashiers to take cash", "and then I called the bank",
      "and in the end we lost very little."]),
])
def test_clauses(text: str, clauses: list[str]) -> None:
    transcript = transcript_from_text(text)
    (sentence,) = split_sentences(transcript)
    assert [c.text for c in split_clauses(transcript, sentence)] == clauses


def test_viterbi_follows_the_transitions() -> None:
    # Two states; moving from 1 back to 0 is forbidden, so the last clause, which on its own
    # looks like state 0, stays in state 1.
    emit = [[3.0, 0.0], [0.0, 3.0], [2.0, 0.0]]
    assert viterbi(emit, [[0.0, 0.0], [-100.0, 0.0]]) == [0, 1, 1]
    assert viterbi(emit, [[0.0, 0.0], [0.0, 0.0]]) == [0, 1, 0]


@pytest.mark.parametrize("answer, codes", [
    ("Last year our release slipped by a month. I had to get it back on track. "
     "I split the work into weekly goals and met each owner every Monday.", ["no_result"]),
    ("Last year our release slipped by a month. I had to get it back on track. "
     "We split the work into weekly goals and we met each owner every Monday. "
     "In the end the client was happy.", ["quantify_result", "we_not_i"]),
    ("Last year our release slipped by a month. I had to get it back on track. "
     "I split the work into weekly goals and met each owner every Monday. "
     "In the end we shipped on time.", []),  # a concrete outcome needs no number
    ("Last year our release slipped by a month. I had to get it back on track. "
     "I split the work into weekly goals and met each owner every Monday. "
     "In the end we shipped 2 weeks early.", []),
    ("Last year our release slipped by a month.", ["no_story"]),
    ("If that happened I would first talk to the team to understand the problem. "
     "Then I would make a plan and I would share it with my manager. "
     "I think that would help the project go well in the end.",
     ["no_result", "no_action", "hypothetical"]),
])
def test_findings(answer: str, codes: list[str]) -> None:
    star = analyze_star(transcript_from_text(answer))
    assert [f.code for f in star.findings] == codes
    assert all(f.quote in answer for f in star.findings)


def test_long_situation_finding() -> None:
    answer = ("At my last job we were a team of five building a billing system for clinics. "
              "The clinics were small and every one of them had its own way of sending invoices. "
              "Our largest client was a chain of twelve dental offices in three states. "
              "Their billing manager was new and the old system was full of problems. "
              "I had to fix their invoices. I rewrote the export. Errors dropped by 80%.")
    star = analyze_star(transcript_from_text(answer))
    assert "long_situation" in [f.code for f in star.findings]


def test_parts_carry_time_and_share() -> None:
    words = []
    t = 0.0
    text = ("Last year our support queue doubled in a month. I had to cut the wait. "
            "I wrote reply templates for the top ten questions. The wait fell from 8 to 2 minutes.")
    for w in text.split():
        words.append((w, t, t + 0.3, 0.9))
        t += 0.4
    star = analyze_star(transcript_from_words(words))
    starts = [star.parts[p].start for p in ("situation", "task", "action", "result")]
    assert starts == sorted(starts) and starts[0] == 0.0
    assert abs(sum(p.share for p in star.parts.values()) - 1.0) < 0.01


@pytest.mark.parametrize("text, numbers", [
    ("the wait fell from 8 minutes to 2 minutes", ["8", "2"]),
    ("engagement rose by 15%", ["15%"]),
    ("it took twice as long", ["twice"]),
    ("we finished a day early", ["a day"]),
    ("the team was happy", []),
])
def test_numbers(text: str, numbers: list[str]) -> None:
    assert numbers_in(text) == numbers


@pytest.mark.parametrize("text, count", [
    ("i would talk to them and i'd make a plan", 2),
    ("i'd like to talk about my last job", 0),
    ("i talked to them", 0),
])
def test_hypothetical_count(text: str, count: int) -> None:
    assert hypothetical_count(text) == count


def _own_answers() -> list[dict]:
    lines = (DATA / "star_answers.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


# Twelve answers written for the tests (complete, each part missing once, one hypothetical), not
# the development split the cues were tuned on; scripts/eval measures that split. 7 of 9 results
# are found; not yet a result told as someone else's response without a cue word ("They placed
# the full order, and I started checking every list"), nor one followed by a further step ("In
# the end half of them could not issue an invoice alone, so I ran two extra sessions").
@pytest.mark.parametrize("part", [
    "situation", "task", "action",
    pytest.param("result", marks=pytest.mark.xfail(strict=True, reason="results without a cue word")),
])
def test_presence_accuracy_on_answers_written_for_the_tests(part: str) -> None:
    accuracy, detail = balanced_accuracy(star_presence(_own_answers())[part])
    assert accuracy >= 0.90, f"{part}: {accuracy:.3f} ({detail})"
