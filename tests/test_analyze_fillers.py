"""Filler rules: one line per case, the text and the fillers it holds."""

from __future__ import annotations

import pytest

from rehearse.analyze.dropped_fillers import possible_fillers
from rehearse.analyze.fillers import count_by_type, find_bursts, find_fillers
from rehearse.analyze.options import AnalysisOptions
from rehearse.transcription.whisper import transcript_from_text, transcript_from_words


def said(text: str) -> list[str]:
    return [f.word for f in find_fillers(transcript_from_text(text))]


@pytest.mark.parametrize("text, expected", [
    # hesitation sounds and their spellings
    ("Um, I led the team.", ["um"]),
    ("I, uh, led the team.", ["uh"]),
    ("Umm I think erm it was hmm fine.", ["umm", "erm", "hmm"]),
    ("Mm-hmm. Yes. Mhm.", ["mm-hmm", "mhm"]),
    ("Ah, right.", ["ah"]),
    # like
    ("I'd like to talk about my last job.", []),
    ("We used tools like Jira and Trello.", []),
    ("I would like to add one thing.", []),
    ("It looks like the build broke.", []),
    ("Something like that.", []),
    ("It was, like, missing.", ["like"]),
    ("The deadline was like closing in.", ["like"]),
    ("It was like a maze.", []),
    ("The professor like praised our work.", ["like"]),
    ("It took like 20 minutes.", ["like"]),
    ("We saw like a 15% rise in signups.", ["like"]),
    ("It felt like a 15 minute wait.", []),
    ("Sales drove, like, a 15% increase.", ["like"]),
    ("I like working with data.", []),
    ("We had to, like, start over.", ["like"]),
    ("I wondered what the job would be like, although I applied anyway.", []),
    ("I knew what it was like. Then I left.", []),
    ("It was like, really hard.", ["like"]),
    # you know
    ("We finished, you know, a day early.", ["you know"]),
    ("You know, it was hard.", ["you know"]),
    ("Do you know what I mean?", []),
    ("I'll let you know the answer.", []),
    ("As you know the team was small.", []),
    ("But you know on a phone you can press a key.", ["you know"]),
    ("Fast enough to, you know, make a difference.", ["you know"]),
    ("You know the drill.", []),
    # I mean
    ("But, I mean, something can always go wrong.", ["i mean"]),
    ("I mean it.", []),
    ("What I mean is that we were late.", []),
    ("I mean we should have tested more.", ["i mean"]),
    # kind of / sort of
    ("It kind of underlined the problem.", ["kind of"]),
    ("We built a new kind of report.", []),
    ("What kind of tests did you run?", []),
    ("That sort of thing happens.", []),
    ("The clear communication and the sort of forward planning.", ["sort of"]),
    ("He is the kind of person who helps.", []),
    ("Options kind of recording.", ["kind of"]),
    # so
    ("So, the situation was tense.", ["so"]),
    ("Um, so, I called a meeting.", ["um", "so"]),
    ("So I decided to call a meeting.", []),
    ("I stayed late so that we could ship.", []),
    ("It mattered so much to them.", []),
    ("I pulled everyone into a huddle so each nurse could speak.", []),
    ("So um we started again.", ["so", "um"]),
    ("I think so, yes.", []),
    # well
    ("Well, it started in May.", ["well"]),
    ("The launch went well.", []),
    ("I fixed the tests as well.", []),
    ("It went well, and we shipped.", []),
    # right
    ("We had to ship by Friday, right?", ["right"]),
    ("I got it right away.", []),
    ("She was the right person for it.", []),
    ("Is that right?", []),
    # okay
    ("Okay, so the project was late.", ["okay"]),
    ("The result was okay.", []),
    ("OK so I started with the logs.", ["ok"]),
    # actually, basically, literally
    ("I actually needed that class to graduate.", []),
    ("It was, actually, fine.", ["actually"]),
    ("The team basically relied on it.", ["basically"]),
    ("It was literally on fire.", ["literally"]),
    ("Don't take it literally.", []),
])
def test_filler_rules(text: str, expected: list[str]) -> None:
    assert said(text) == expected


def test_filler_positions_and_times() -> None:
    transcript = transcript_from_words(
        [("So,", 0.5, 0.7, 0.9), ("you", 0.9, 1.0, 0.9), ("know,", 1.0, 1.2, 0.9),
         ("I", 1.3, 1.4, 0.9), ("shipped", 1.4, 1.8, 0.9), ("it.", 1.8, 2.0, 0.9)])
    found = find_fillers(transcript)
    assert [(f.word, f.char_start, f.start, f.end) for f in found] == [
        ("so", 0, 0.5, 0.7), ("you know", 4, 0.9, 1.2)]


def test_zero_length_tokens_are_recognizer_artifacts() -> None:
    # Whisper sometimes ends a file with a loop of zero-length "uh" tokens.
    transcript = transcript_from_words(
        [("done.", 1.0, 1.4, 0.9), ("uh", 1.8, 2.0, 0.5), ("uh", 2.0, 2.0, 0.1),
         ("uh", 2.0, 2.0, 0.1)])
    assert [(f.word, f.start) for f in find_fillers(transcript)] == [("uh", 1.8)]


def test_a_token_inside_a_repetition_loop_is_an_artifact_too() -> None:
    # The loop starts with a zero-length "uh"; the timed one after it is part of it (heard at
    # the end of a meeting clip cut off mid-word), while a timed one before it is a real "uh".
    transcript = transcript_from_words(
        [("browse", 59.6, 59.8, 1.0), ("uh", 59.81, 59.81, 0.0), ("uh", 59.81, 59.97, 0.08),
         ("uh", 59.97, 59.97, 0.4), ("uh", 59.97, 59.97, 0.6)])
    assert find_fillers(transcript) == []


def test_counts_by_type_merge_spellings() -> None:
    found = find_fillers(transcript_from_text("Um, umm, uh, like, I led it."))
    assert count_by_type(found) == {"um": 2, "like": 1, "uh": 1}


@pytest.mark.parametrize("starts, expected", [
    ([1.0, 4.0, 9.0], [(1.0, 9.2, 3)]),  # three within 10 s
    ([1.0, 4.0, 12.0], []),  # the third is too late
    ([1.0, 2.0, 3.0, 10.5, 30.0], [(1.0, 10.7, 4)]),  # overlapping runs merge
    ([1.0, 2.0, 3.0, 30.0, 31.0, 32.0], [(1.0, 3.2, 3), (30.0, 32.2, 3)]),
])
def test_bursts(starts: list[float], expected: list[tuple[float, float, int]]) -> None:
    timed = []
    for s in starts:
        timed += [("um,", s, s + 0.2, 0.9), ("then", s + 0.3, s + 0.5, 0.9)]
    fillers = find_fillers(transcript_from_words(timed))
    got = [(b.start, b.end, b.count) for b in find_bursts(fillers, AnalysisOptions())]
    assert got == expected


def _timed(*words: tuple[str, float, float, float]):
    return transcript_from_words(words)


@pytest.mark.parametrize("segments, expected", [
    (None, []),  # no audio: nothing to suspect
    ([(0.5, 1.0), (2.0, 3.0)], []),  # speech only where the words are
    ([(0.5, 1.0), (1.3, 1.7), (2.0, 3.0)], [(1.3, 1.7)]),  # voiced gap between words
    ([(0.0, 0.25), (0.5, 1.0), (2.0, 3.0)], []),  # voiced before the first word, too short
    ([(0.0, 1.0), (2.0, 3.0)], [(0.1, 0.4)]),  # speech before the first word
    ([(0.5, 1.1), (1.9, 3.0)], []),  # word edges a little off: not a filler
    ([(0.5, 3.0)], [(1.1, 1.9)]),  # voiced through the whole gap: a long "uhhh"
])
def test_possible_fillers_from_voice_activity(segments, expected) -> None:
    transcript = _timed(("I", 0.5, 1.0, 0.9), ("led", 2.0, 3.0, 0.9))
    found = possible_fillers(transcript, segments, [], AnalysisOptions())
    assert [(f.start, f.end) for f in found] == expected
    assert all(f.kind == "possible" for f in found)


@pytest.mark.parametrize("words, expected", [
    ([("I", 0.0, 0.2, 0.9), ("a", 0.8, 1.0, 0.3), ("led", 1.6, 2.0, 0.9)], ["a"]),  # unsure, alone
    ([("I", 0.0, 0.2, 0.9), ("a", 0.8, 1.0, 0.8), ("led", 1.6, 2.0, 0.9)], []),  # confident
    ([("I", 0.0, 0.2, 0.9), ("a", 0.25, 0.4, 0.3), ("led", 1.6, 2.0, 0.9)], []),  # not in a pause
])
def test_possible_fillers_from_unsure_tokens(words, expected) -> None:
    found = possible_fillers(_timed(*words), None, [], AnalysisOptions())
    assert [f.word for f in found] == expected


def test_long_voiced_stretch_without_words_is_not_a_filler() -> None:
    transcript = _timed(("I", 0.5, 1.0, 0.9), ("led", 4.0, 4.5, 0.9))
    assert possible_fillers(transcript, [(0.5, 4.5)], [], AnalysisOptions()) == []


def test_voice_next_to_a_transcribed_filler_is_that_filler() -> None:
    transcript = _timed(("Um,", 0.5, 0.7, 0.3), ("I", 1.5, 1.7, 0.9), ("led", 2.5, 2.8, 0.9))
    said = find_fillers(transcript)
    found = possible_fillers(transcript, [(0.5, 1.2), (1.5, 1.7), (2.0, 2.4), (2.5, 2.8)],
                             said, AnalysisOptions())
    assert [(f.start, f.end) for f in found] == [(2.0, 2.4)]


def test_typed_text_has_no_possible_fillers() -> None:
    transcript = transcript_from_text("I led the team.")
    assert possible_fillers(transcript, [(0.0, 9.0)], [], AnalysisOptions()) == []
