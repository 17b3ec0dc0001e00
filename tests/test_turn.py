"""Knowing when an answer is over: the rule as a table, the last words, and the judge with fakes."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from rehearse.audio.recorder import ArraySource, RecordOptions, record
from rehearse.turn.ending import (
    CLEAR, NO_TRANSCRIPT, OPEN, PENDING, UNFINISHED, TurnJudge, TurnOptions, required_silence,
    transcript_cue)
from rehearse.turn.story import story_told

O = TurnOptions()  # max pause 20, finished 0.6, doubt 2.5, story 4.0, pending 3.0 (surely done
# 2.0), no model 1.2


@pytest.mark.parametrize("p, cue, story, expected", [
    (0.9, CLEAR, True, 0.6),  # sounds done, words done, story told: quickly
    (0.2, CLEAR, True, 2.5),  # the voice hangs but the words do not: some doubt
    (0.9, UNFINISHED, True, 20.0),  # "... and" : wait through the thought
    (0.02, UNFINISHED, False, 20.0),
    (0.9, CLEAR, False, 4.0),  # no result yet: more patience
    (0.2, CLEAR, False, 4.0),
    (0.9, OPEN, True, 4.0),  # "... was" but sounds done: patience, not forever
    (0.1, OPEN, True, 20.0),  # "... was" and sounds unfinished: a thinking pause
    (None, OPEN, True, 4.0),
    (0.6, PENDING, True, 3.0),  # last words not transcribed yet: the old fixed rule meanwhile
    (0.6, PENDING, None, 3.0),
    (0.2, PENDING, None, 3.0),
    (0.9, PENDING, True, 2.0),  # ... unless the voice sounds surely done: it decides sooner
    (0.9, PENDING, None, 2.0),
    (0.9, PENDING, False, 4.0),
    (None, PENDING, None, 3.0),
    (None, CLEAR, True, 1.2),  # no model: the words and a short silence
    (None, CLEAR, False, 4.0),
    (None, UNFINISHED, True, 20.0),
    (0.9, NO_TRANSCRIPT, None, 0.6),  # --no-live: the voice alone
    (0.2, NO_TRANSCRIPT, None, 2.5),
    (None, NO_TRANSCRIPT, None, 1.2),
])
def test_required_silence(p, cue, story, expected):
    assert required_silence(p, cue, story, O) == expected


def test_never_longer_than_the_longest_pause():
    assert required_silence(0.1, UNFINISHED, False, TurnOptions(max_pause_s=2.0)) == 2.0
    assert required_silence(0.9, CLEAR, False, TurnOptions(max_pause_s=2.0)) == 2.0


@pytest.mark.parametrize("text, expected", [
    ("So what I did was", OPEN),
    ("so what I did was.", OPEN),  # Whisper ends a stretch with a period even mid-sentence
    ("I called their operations lead because", UNFINISHED),
    ("I called their operations lead, and", UNFINISHED),
    ("and then I went to the", UNFINISHED),
    ("I rewrote the job so", UNFINISHED),
    ("we talked to them, um", UNFINISHED),
    ("we talked to them...", UNFINISHED),
    ("we talked to them,", UNFINISHED),
    ("and they renewed for two more years.", CLEAR),
    ("The customer renewed their contract.", CLEAR),
    ("Thank you.", CLEAR),
    ("and she has been with us ever since.", CLEAR),  # "since" closing the clause
    ("she has stayed with us for four years since", CLEAR),
    ("and I kept it that way since", UNFINISHED),
    ("I knew we could do better, and we did.", OPEN),
    ("", UNFINISHED),
])
def test_transcript_cue(text, expected):
    assert transcript_cue(text.split()) == expected


def timed(text: str) -> list[tuple]:
    return [(w, i * 0.3, i * 0.3 + 0.25, 0.9) for i, w in enumerate(text.split())]


@pytest.mark.parametrize("text, told", [
    ("Last year our biggest customer was about to leave. So what I did was I called their "
     "operations lead.", False),
    ("Last year our biggest customer was about to leave. I called their operations lead and "
     "rewrote the weekly report. As a result they renewed their contract for two more years.", True),
    # As the live transcript heard them: the result garbled, still a result.
    ("Last year our biggest customer was about to leave, so what I did was I called their "
     "operations lead. And I renewed for two more years.", True),
    ("When I joined the team, the overall rotation was a mess. The first thing I did was write "
     "down every alert we had, and I deleted the ones nobody acted on, after a month, pages at I "
     "dropped I half.", True),
    ("Last year our biggest customer was about to leave. We had a meeting about it.", False),
])
def test_story_told(text, told):
    assert story_told(timed(text)) is told


class FakeModel:
    """A turn-end model that answers from a list, and counts how often it was asked."""

    def __init__(self, answers):
        self.answers, self.calls = list(answers), 0

    def probability(self, audio):
        assert len(audio) == 8 * 16000
        self.calls += 1
        return self.answers[min(self.calls, len(self.answers)) - 1]


def ends(judge, silence_s):
    """Asked once a block, as the recorder does; the worker keeps up, as on idle cores."""
    over = judge.should_end(silence_s)
    judge.settle()
    return over


def judge_over(model, words, current=True, silences=np.arange(0.0, 25.0, 0.1)):
    """The first silence at which the judge ends the answer (None: it never does)."""
    judge = TurnJudge(O, model, lambda: (timed(words), current))
    judge.feed(np.zeros(1600, np.float32), np.zeros(3))
    return next((round(s, 1) for s in silences if ends(judge, float(s))), None), judge


TOLD = ("Last year our biggest customer was about to leave because the reports were late. I called "
        "their operations lead and rewrote the weekly report. As a result they renewed their "
        "contract for two more years.")


def test_judge_ends_a_finished_answer_quickly_and_asks_the_model_a_few_times():
    end, judge = judge_over(FakeModel([0.3, 0.9]), TOLD)
    # The story read at 0.2 (the words are in), the model at 0.3 (0.3) and 0.6 (0.9): the highest
    # counts, once it is known.
    assert end == 0.7
    assert judge.model.calls == 2
    assert judge.last["cue"] == CLEAR and judge.last["story_told"] is True


def test_judge_model_not_asked_after_the_first_second():
    end, judge = judge_over(FakeModel([0.1, 0.1, 0.1, 0.99]), TOLD + " So what I did was")
    assert end == 20.0 and judge.model.calls == 3  # 0.3, 0.6, 0.9; never at 2 s where it drifts


def test_judge_waits_while_the_last_words_are_not_transcribed():
    end, judge = judge_over(FakeModel([0.6]), TOLD, current=False)
    assert end == 3.0
    assert judge.last["cue"] == PENDING


def test_judge_lets_a_surely_finished_voice_decide_when_the_words_lag():
    end, judge = judge_over(FakeModel([0.95]), TOLD, current=False)
    assert end == 2.0
    # The words so far have no result: the voice alone does not end a story still untold.
    opening = "Last year our biggest customer was about to leave because the reports were late."
    end, judge = judge_over(FakeModel([0.95]), opening, current=False)
    assert end == 4.0 and judge.last["story_told"] is False
    # Once they are transcribed and leave the clause hanging, there is patience again.
    assert judge_over(FakeModel([0.95]), opening + " So I talked to the", current=True)[0] == 20.0


def test_a_slow_model_never_holds_up_the_recording():
    release = threading.Event()

    class Slow:
        def probability(self, audio):
            release.wait(60)
            return 0.9

    judge = TurnJudge(O, Slow(), lambda: (timed(TOLD), True))
    # Each block is decided while the model is still hearing the pause ...
    assert not any(judge.should_end(s) for s in (0.2, 0.3, 0.4, 0.5, 0.6))
    assert not release.is_set() and judge.last["p_complete"] is None
    release.set()  # ... and its verdict counts once it comes
    assert next(s for s in (0.7, 0.8, 0.9, 1.0, 1.1) if ends(judge, s)) < O.no_model_s
    assert judge.last["p_complete"] == 0.9
    judge.close()


def test_judge_without_a_model_or_with_a_broken_one():
    class Broken:
        def probability(self, audio):
            raise RuntimeError("no such file")

    warnings = []
    judge = TurnJudge(O, Broken(), lambda: (timed(TOLD), True), on_warning=warnings.append)
    assert [s for s in (0.3, 0.4, 1.1, 1.3) if ends(judge, s)] == [1.3]  # the no-model rule
    assert judge.model is None and len(warnings) == 1 and "cannot run" in warnings[0]


def test_judge_starts_afresh_after_speech_resumes():
    model = FakeModel([0.9, 0.1])
    judge = TurnJudge(O, model, lambda: (timed(TOLD), True))
    assert not ends(judge, 0.2)  # the story read
    assert not ends(judge, 0.3)  # 0.9 heard
    assert ends(judge, 0.6) and judge.last["p_complete"] == 0.9
    ends(judge, 0.0)  # speech again
    assert not ends(judge, 0.2)  # 0.1 heard
    assert not ends(judge, 0.6)  # the 0.9 of the last pause is forgotten
    assert judge.last["p_complete"] == 0.1


def test_recorder_asks_the_judge_instead_of_the_fixed_silence(synth, tmp_path):
    from rehearse.audio.sound import load_audio

    asked = []

    class Judge:
        def should_end(self, silence_s):
            asked.append(silence_s)
            return silence_s >= 1.0

    answer = load_audio(synth("I fixed the build and we shipped two days early.", lead_s=0.5))
    rec = record(ArraySource(answer), tmp_path / "a.wav", RecordOptions(end_silence_s=30),
                 end_of_turn=Judge())
    assert rec.stopped_by == "silence"
    assert rec.duration_s == pytest.approx(rec.speech_end_s + 1.0, abs=0.15)
    assert min(asked) < 0.2, "the judge is asked from the first block of silence on"
