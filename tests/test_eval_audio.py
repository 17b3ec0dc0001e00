"""The audio rows of scripts/eval: lining fillers up with labels (tables), and one end-to-end run
on synthesized speech through the real recognizer."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import DATA
from rehearse.analyze import analyze
from scripts.evaluation.evaluate_audio import (
    FillerScore, Label, align, count_score, label_gap, labels, match_possible, match_said,
    reference_words, score_answer, speaking_time, synthesized, wpm_error,
)
from rehearse.transcription.whisper import transcript_from_words


@pytest.mark.parametrize("reference, heard, positions, exact", [
    ("a b c", "a b c", [0, 1, 2], {0: 0, 1: 1, 2: 2}),
    ("um a b", "a b", [1, 2], {1: 0, 2: 1}),  # the filler was not heard
    ("a b", "a uh b", [0, 1, 1], {0: 0, 1: 2}),  # an extra word sits before the next one
    ("a b c d", "a x y d", [0, 1, 2, 3], {0: 0, 3: 3}),  # misheard word by word
    ("a b c d", "a x d", [0, 1, 3], {0: 0, 3: 2}),  # two words heard as one
])
def test_align(reference, heard, positions, exact) -> None:
    assert align(reference.split(), heard.split()) == (positions, exact)


UM0, UH3, KNOW5 = Label("um", 0), Label("uh", 3), Label("you know", 5, 2)
SO_DECOY = Label("so", 8)


@pytest.mark.parametrize("said, found, false, decoys", [
    ([], set(), 0, 0),
    ([("um", 0), ("uh", 3), ("you know", 5)], {0, 1, 2}, 0, 0),
    ([("uh", 4)], {1}, 0, 0),  # a word or two off after alignment still counts
    ([("um", 3)], set(), 1, 0),  # right place, wrong type
    ([("uh", 3), ("uh", 3)], {1}, 1, 0),  # one label is found once
    ([("uh", 9)], set(), 1, 0),  # too far from any label
    ([("so", 8)], set(), 1, 1),  # on a decoy
    ([("so", 20)], set(), 1, 0),  # a false filler, but not on the decoy
])
def test_match_said(said, found, false, decoys) -> None:
    assert match_said([UM0, UH3, KNOW5], [SO_DECOY], said) == (found, false, decoys)


@pytest.mark.parametrize("gaps, possible, expected", [
    ([], [], (0, 0)),
    ([(1.0, 2.0)], [(1.2, 1.6)], (1, 0)),  # inside the gap
    ([(1.0, 2.0)], [(2.1, 2.4)], (1, 0)),  # within the slack after it
    ([(1.0, 2.0)], [(2.3, 2.6)], (0, 1)),  # after it
    ([(1.0, 2.0)], [(1.1, 1.3), (1.5, 1.8)], (1, 1)),  # one gap holds one filler
    ([(1.0, 2.0), (5.0, 6.0)], [(5.5, 5.8)], (1, 0)),
])
def test_match_possible(gaps, possible, expected) -> None:
    assert match_possible(gaps, possible) == expected


@pytest.mark.parametrize("reference, detected, expected", [
    ({"um": 2}, ["um", "um"], (2, 2, 0)),
    ({"um": 2}, ["um"], (1, 2, 0)),
    ({"um": 2}, ["um", "um", "um"], (2, 2, 1)),  # one more than said
    ({"mm": 1}, ["you know"], (0, 1, 1)),  # a type the reference lacks
    ({}, [], (0, 0, 0)),
])
def test_count_score(reference, detected, expected) -> None:
    assert count_score(reference, detected) == expected


@pytest.mark.parametrize("measured, words, seconds, expected", [
    (150.0, 50, 20.0, 0.0),
    (165.0, 50, 20.0, 0.1),
    (135.0, 50, 20.0, 0.1),
])
def test_wpm_error(measured, words, seconds, expected) -> None:
    assert wpm_error(measured, words, seconds) == pytest.approx(expected)


def test_speaking_time_trims_silence_at_both_ends() -> None:
    audio = np.zeros(16000 * 3, np.float32)
    audio[8000:40000] = 0.1
    assert speaking_time(audio) == pytest.approx(2.0, abs=1e-3)
    assert speaking_time(np.zeros(100, np.float32)) == 0.0


def test_labels_are_word_positions() -> None:
    answer = {"answer": "Um, we shipped, you know, early - so fast.",
              "fillers": [{"word": "um", "char_index": 0}, {"word": "you know", "char_index": 16}],
              "non_fillers": [{"word": "so", "char_index": 34}]}
    assert reference_words(answer["answer"])[0] == ["um", "we", "shipped", "you", "know",
                                                    "early", "so", "fast"]
    assert labels(answer, "fillers") == [Label("um", 0), Label("you know", 3, 2)]
    assert labels(answer, "non_fillers") == [Label("so", 6)]


def test_label_gap_is_between_the_heard_neighbours() -> None:
    transcript = transcript_from_words([("We", 0.5, 0.7, 0.9), ("shipped.", 1.5, 1.9, 0.9)],
                                       duration_s=3.0)
    _, exact = align(["um", "we", "uh", "shipped"], ["we", "shipped"])
    assert label_gap(Label("um", 0), exact, transcript) == (0.0, 0.5)
    assert label_gap(Label("uh", 2), exact, transcript) == (0.7, 1.5)
    assert label_gap(Label("uh", 4), exact, transcript) == (1.9, 3.0)


def test_scores_add_up() -> None:
    total = FillerScore(3, 2, 1, 0, 1, 0) + FillerScore(2, 1, 0, 1, 0, 1)
    assert total == FillerScore(5, 3, 1, 1, 1, 1)
    assert (total.recall, total.precision) == (0.6, 0.75)
    assert (total.recall_with_possible, total.precision_with_possible) == (0.8, 4 / 6)


# --- end to end: espeak-ng speech through the real recognizer --------------------------------

def _spoken() -> list[dict]:
    """Answers written for the tests, with their fillers and decoys labeled by hand."""
    lines = (DATA / "spoken_answers.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_fillers_and_pace_from_synthesized_answers(transcriber, tmp_path) -> None:
    from rehearse.audio.sound import load_audio
    from rehearse.assess import speech_segments

    answers = _spoken()  # um, uh, like, you know; "so that" and "I'd like to" as decoys
    wavs = synthesized([a["answer"] for a in answers], "gmw/en-us", 150, tmp_path)
    total = FillerScore()
    for answer, wav in zip(answers, wavs):
        audio = load_audio(wav)
        transcript = transcriber.transcribe(audio)
        analysis = analyze(transcript, speech_segments=speech_segments(audio))
        score = score_answer(answer, transcript, analysis.fillers)
        assert score.decoys == 0 and score.false == 0, transcript.text
        total += score
        words = len(reference_words(answer["answer"])[0])
        assert wpm_error(analysis.metrics.pace.wpm, words, speaking_time(audio)) <= 0.10
    assert total.labeled == 9
    # espeak-ng's output differs a little from run to run and Whisper drops a hesitation now and
    # then, so one answer's misses are noise: scripts/eval holds the 0.80 target over 124 fillers.
    assert total.recall >= 0.6, total
