"""The attempt record: read from any version's JSON and written back exactly, keys in order; and
the interviewer's follow-up as a step given to a practice session, on the real recorder."""

from __future__ import annotations

import dataclasses
import io
import json

import numpy as np
import pytest
from rich.console import Console

from rehearse.assess import assess
from rehearse.attempt import FollowUp, Record, Timing
from rehearse.audio.recorder import ArraySource, RecordOptions
from rehearse.audio.sound import load_audio
from rehearse.audio.speech import SilentSpeaker
from rehearse.interview.session import interviewer
from rehearse.questions import find, load_bank
from rehearse.report import render
from rehearse.review.views import metrics_rows
from rehearse.session import Practice, SessionOptions
from rehearse.terminal import Terminal
from rehearse.transcription.whisper import transcript_from_text, transcript_from_words

STORY = ("When our biggest customer threatened to leave, I was asked to fix the weekly reports. "
         "I rewrote the export job and added monitoring, um, over two weeks.")
ANALYSIS_KEYS = ["question", "audio_path", "duration_s", "transcript", "metrics", "pauses", "fillers",
                 "star", "specificity", "length", "tips", "created_at"]


def timed(text: str, start: float = 0.5, step: float = 0.4):
    words = [(w, start + i * step, start + i * step + 0.3, 0.9) for i, w in enumerate(text.split())]
    return transcript_from_words(words, duration_s=start + len(words) * step + 1.0)


def round_trip(data: dict) -> dict:
    """Through the record and back, as JSON text: what a file or the database would hold."""
    return json.loads(json.dumps(Record.from_json(json.loads(json.dumps(data))).to_json()))


def test_a_fresh_typed_record_round_trips():
    record = assess(transcript_from_text(STORY), find(load_bank(), "deadline-about-to-miss")).to_json()
    assert list(record) == ANALYSIS_KEYS
    assert round_trip(record) == record
    assert json.dumps(Record.from_json(record).to_json()) == json.dumps(record)  # the same order too


def test_a_fresh_audio_record_round_trips_with_voice_and_quality():
    rng = np.random.default_rng(1)
    audio = (0.05 * np.sin(np.arange(16000 * 8) * 2 * np.pi * 180 / 16000)
             + 0.01 * rng.standard_normal(16000 * 8)).astype(np.float32)
    record = assess(timed(STORY), None, audio=audio, question_text="Tell me", segments=[(0.5, 7.5)])
    out = record.to_json()
    assert list(out) == [*ANALYSIS_KEYS, "voice", "quality"]
    assert round_trip(out) == out and Record.from_json(out) == record


def test_an_interview_record_writes_its_keys_in_the_order_practice_always_did():
    answer = assess(timed(STORY), find(load_bank(), "deadline-about-to-miss"))
    record = dataclasses.replace(
        answer, stopped_by="silence", input_overflows=0, question_kind="behavioral",
        follow_up=FollowUp(asked=True, question="And what was the result?", transcript="We kept them.",
                           finding="no_result", start_s=12.5),
        timing=Timing(report_after_end_s=0.8, live_decodes=3, speech_left_s=0.2, voice_left_s=None,
                      turn_end={"silence_s": 0.6, "p_complete": 0.9, "cue": "done", "story_told": True,
                                "required_s": 0.6}),
        id=7)
    out = record.to_json()
    assert list(out) == [*ANALYSIS_KEYS, "stopped_by", "input_overflows", "question_kind", "follow_up",
                         "timing", "id"]
    assert out["follow_up"] == {"asked": True, "question": "And what was the result?",
                                "transcript": "We kept them.", "finding": "no_result", "start_s": 12.5}
    assert out["timing"]["voice_left_s"] is None  # a null that is there stays there
    assert round_trip(out) == out
    assert Record.from_json(out).follow_up.asked and Record.from_json(out).timing.turn_end["cue"] == "done"


OLD = {  # as an early version saved it: no pauses, no unsure fillers, no STAR confidence
    "question": {"id": "deadline-about-to-miss", "text": "Tell me about a deadline."},
    "audio_path": "/data/s/deadline-about-to-miss-1.wav", "duration_s": 42.0,
    "transcript": {"text": "Um, I fixed it.", "words": [
        {"word": "Um,", "start": 0.1, "end": 0.4, "probability": 0.8},
        {"word": "I", "start": 0.5, "end": 0.6, "probability": 0.9},
        {"word": "fixed", "start": 3.0, "end": 3.3, "probability": 0.9},
        {"word": "it.", "start": 3.3, "end": 3.5, "probability": 0.9}]},
    "metrics": {"words": 4, "wpm": 120.0, "fillers_per_min": 2.0},
    "fillers": [{"word": "um", "start": 0.1, "end": 0.4, "char_start": 0},
                {"word": "uh", "kind": "possible", "start": 1.0, "end": 1.2, "char_start": None}],
    "star": {"action": {"present": True, "evidence": ["Um, I fixed it."]}, "findings": []},
    "tips": [{"text": "Say how it turned out.", "quote": "I fixed it.", "start": 0.5}],
    "created_at": "2025-11-01T09:00:00+00:00",
    "timing": {"report_after_end_s": 1.2, "live_decodes": 2},
    "stopped_by": "silence",
    "coach_version": 1,  # a key this version does not know
}


def test_an_old_record_round_trips_and_reads_with_the_old_defaults():
    assert round_trip(OLD) == OLD
    assert list(Record.from_json(OLD).to_json()) == list(OLD)
    old = Record.from_json(OLD)
    assert [f.counted_sure for f in old.fillers] == [True, False]  # no `sure` key: by kind
    assert old.fillers[0].kind == "transcribed"
    assert old.pauses is None and old.metrics.long_pauses is None and old.timing.turn_end is None
    assert old.star.result.present is False and old.star.part("action").confidence is None
    assert old.specificity.numbers is None and old.quality is None and old.follow_up is None
    assert old._extra == {"coach_version": 1}
    rows = dict(metrics_rows(old))
    assert rows["Words"] == "4" and rows["STAR"] == "··A·" and rows["Long pauses"] == "–"
    console = Console(file=io.StringIO(), width=100)
    console.print(render(old))
    shown = console.file.getvalue()
    assert "Fillers 2, 2.0/min (um ×1, 1 unsure)" in shown and "Say how it turned out." in shown


def test_a_key_set_on_a_stored_record_is_written_after_the_stored_ones():
    drill = {"question": {"id": None, "text": "Pacing drill"}, "drill": "pace", "target_s": 60.0,
             "spoken_s": 58.0, "on_time": True, "transcript": {"text": "", "words": []}}
    record = dataclasses.replace(Record.from_json(drill), audio_path="/d/pace-1.wav", stopped_by="enter")
    assert list(record.to_json()) == [*drill, "audio_path", "stopped_by"]
    assert record.is_drill and "star" not in record.to_json()


@pytest.mark.parametrize("data", [{}, {"question": {"id": "x"}}, {"transcript": {"text": "Just typed", "words": []}}])
def test_sparse_records_read_and_write_back(data):
    assert Record.from_json(data).to_json() == data


# --- the follow-up as a step of the session ------------------------------------------------------


class ScriptedTranscriber:
    """Hands out transcripts in order, one per recording: the answer, then the reply."""

    def __init__(self, *texts: str):
        self.texts = list(texts)

    def transcribe(self, audio):
        text = self.texts.pop(0)
        return timed(text, start=0.6, step=1.8 / len(text.split()))


@pytest.fixture(scope="module")
def spoken():
    """Three seconds of an even, voice-like tone, so no scripted word is taken for a faint voice;
    the recording ends at its time limit."""
    t = np.arange(3 * 16000) / 16000
    return (0.2 * sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 6))).astype(np.float32)


def session(spoken, transcriber, data_home, follow_ups: bool) -> Practice:
    practice = Practice(SilentSpeaker(), lambda: ArraySource(spoken),
                        transcriber, Terminal(out=Console(file=io.StringIO()), err=Console(file=io.StringIO())),
                        SessionOptions(RecordOptions(end_silence_s=1.0, max_seconds=3.2), live=False, turn=None),
                        session_dir=data_home / "s")
    (data_home / "s").mkdir(parents=True)
    return interviewer(practice, ask_follow_ups=follow_ups)


def test_the_interviewer_asks_a_follow_up_and_analyzes_answer_and_reply_as_one(spoken, data_home):
    reply = "In the end the customer renewed for two years."
    answer = ("Our biggest customer was unhappy with late reports. I was asked to fix them. "
              "I rewrote the export job and added monitoring.")
    practice = session(spoken, ScriptedTranscriber(answer, reply), data_home, follow_ups=True)
    assert practice.said_next(["Next?"])[-1] == "Next?" and len(practice.said_next([])) > 1
    record = practice.run([find(load_bank(), "deadline-about-to-miss")])[0]
    assert record.follow_up.asked and record.question_kind == "behavioral"
    assert reply.split()[-1] in record.transcript.text
    assert record.follow_up.start_s and record.transcript.words[-1].start > record.follow_up.start_s
    assert abs(record.duration_s - len(load_audio(record.audio_path)) / 16000) < 0.05
    saved = json.loads((data_home / "s" / "deadline-about-to-miss-1.json").read_text())
    assert list(saved) == [*ANALYSIS_KEYS, "voice", "quality", "stopped_by", "input_overflows",
                           "question_kind", "follow_up", "timing"]
    assert saved == {k: v for k, v in record.to_json().items() if k != "id"} and record.id == 1
    assert not list((data_home / "s").glob("*-followup.wav"))  # the reply is inside the answer's WAV


def test_without_follow_ups_the_interview_keys_are_still_there(spoken, data_home):
    practice = session(spoken, ScriptedTranscriber("Our customer was unhappy."), data_home, follow_ups=False)
    assert practice.said_next(["Next?"]) == ["Next?"]
    record = practice.run([find(load_bank(), "deadline-about-to-miss")])[0]
    assert record.follow_up == FollowUp(asked=False) and record.to_json()["follow_up"] == {
        "asked": False, "question": None, "transcript": None, "finding": None, "start_s": None}


def test_plain_practice_adds_no_interview_keys(spoken, data_home):
    practice = dataclasses.replace(session(spoken, ScriptedTranscriber("Our customer was unhappy."),
                                           data_home, follow_ups=False), after_answer=None)
    out = practice.run([find(load_bank(), "deadline-about-to-miss")])[0].to_json()
    assert list(out)[-4:] == ["stopped_by", "input_overflows", "timing", "id"]


def test_every_view_shows_the_answer_length_the_report_shows():
    """First word to last when it was measured, else the recording's length: the report, `show`
    and the interview summary agree (the recording runs on past the last word)."""
    timed = Record.from_json({**OLD, "duration_s": 22.4, "length": {"duration_s": 20.1}})
    assert timed.shown_length_s == 20.1
    assert dict(metrics_rows(timed))["Length"] == "0:20"
    untimed = Record.from_json({**OLD, "duration_s": 22.4})
    assert untimed.shown_length_s == 22.4 and dict(metrics_rows(untimed))["Length"] == "0:22"
