"""The mock interview: choosing questions, follow-ups for answers that leave something out, and
one answer end to end on the virtual audio devices, with its follow-up spoken and recorded."""

from __future__ import annotations

import json
import subprocess

import pytest

from modes_cli import play, start, wait_for_recording
from rehearse.analyze import analyze
from rehearse.attempt import Record
from rehearse.interview import follow_ups as followup
from rehearse.interview import session as interview
from rehearse.questions import load_bank
from rehearse.transcription.whisper import Transcript, transcript_from_text

NO_RESULT = ("In my last job, the weekly reports for our biggest customer were always late, and "
             "they were unhappy. I was responsible for the reporting pipeline, so I rewrote the export job and "
             "added monitoring and alerts.")
# The action and the result in sentences that stay apart even when the recognizer runs them on.
WITH_RESULT = ("In my last job, the weekly reports for our biggest customer were always late. I was "
               "responsible for the reporting pipeline. So I rewrote the export job, and then I added "
               "monitoring and alerts. After that, the reports arrived on time every week, and the "
               "customer renewed their contract for two more years.")
REPLY = ("As a result, the reports arrived on time every week, and the customer renewed their "
         "contract for two more years.")


@pytest.mark.parametrize("codes, kind, expected", [
    (["no_result", "we_not_i"], "behavioral", "And what was the result?"),
    (["we_not_i"], "behavioral", "What did you personally do?"),
    (["quantify_result"], "situational", "Can you put a number on that?"),
    (["no_action"], "behavioral", "What did you do, step by step?"),
    (["long_situation"], "behavioral", None),
    ([], "behavioral", None),
    (["no_result"], "opening", None),
    (["no_result"], "closing", None),
])
def test_follow_up_choice(codes, kind, expected):
    chosen = followup.choose(codes, kind)
    assert (chosen.question if chosen else None) == expected


def test_the_follow_up_completes_the_story():
    answer = analyze(transcript_from_text(NO_RESULT))
    assert not answer.star.parts["result"].present
    joined = followup.join(_timed(NO_RESULT), _timed(REPLY), offset_s=20.0)
    star = analyze(joined).star
    assert star.parts["result"].present and star.parts["action"].present
    assert joined.text == f"{NO_RESULT} {REPLY}"
    assert joined.words[len(NO_RESULT.split())].start >= 20.0  # the reply's times follow the answer


def _timed(text: str) -> Transcript:
    from rehearse.transcription.whisper import transcript_from_words

    return transcript_from_words([(w, i * 0.4, i * 0.4 + 0.3, 0.9) for i, w in enumerate(text.split())],
                                 duration_s=len(text.split()) * 0.4)


@pytest.mark.parametrize("length, stories", [("short", 3), ("standard", 5)])
def test_plan_is_an_interview(length, stories):
    chosen = interview.plan(load_bank(), length, seed=7, role="data engineer")
    kinds = [q.kind for q in chosen]
    assert kinds == ["opening", *["behavioral"] * stories, "situational", "closing"]
    assert "yourself" in chosen[0].text and "data engineer" in chosen[0].text
    assert "questions for us" in chosen[-1].text
    tags = [t for q in chosen[1:-2] for t in q.competencies]
    assert len(tags) == len(set(tags)), "two stories share a competency"


def test_plan_covers_the_competencies_wanted_first():
    chosen = interview.plan(load_bank(), "short", seed=3, wanted=["customer", "conflict", "learning"])
    for tag, question in zip(["customer", "conflict", "learning"], chosen[1:4]):
        assert tag in question.competencies


def test_summary_adds_up():
    records = [Record.from_json(r) for r in [
        {"question": {"id": "a", "text": "A"}, "question_kind": "behavioral", "duration_s": 60.0,
         "metrics": {"words": 150, "speaking_s": 60.0, "wpm": 150, "fillers_per_min": 2.0},
         "star": {p: {"present": True} for p in ("situation", "task", "action", "result")},
         "follow_up": {"asked": False}, "transcript": {"text": ""}},
        {"question": {"id": "b", "text": "B"}, "question_kind": "behavioral", "duration_s": 30.0,
         "metrics": {"words": 50, "speaking_s": 30.0, "wpm": 100, "fillers_per_min": 8.0},
         "star": {p: {"present": p != "result"} for p in ("situation", "task", "action", "result")},
         "follow_up": {"asked": True}, "transcript": {"text": ""}},
    ]]
    overall = interview.summarize(records)["overall"]
    assert overall == {"answers": 2, "total_s": 90.0, "wpm": 133, "fillers_per_min": 4.0,
                       "stories": 2, "stories_complete": 1, "follow_ups_asked": 1}


# --- end to end ---------------------------------------------------------------------------------


def _records(out: str) -> tuple[dict, dict]:
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(lines) == 2 and "overall" in lines[1], out
    return lines[0], lines[1]


QUESTION = "deadline-about-to-miss"


def test_an_answer_without_a_result_gets_a_spoken_follow_up(virtual_audio, synth, transcriber, tmp_path):
    from rehearse.audio.sound import load_audio

    # The neural voice answers here, espeak-ng elsewhere; made before the session starts.
    answer, reply = synth(NO_RESULT, engine="piper"), synth(REPLY, engine="piper")
    spoken = tmp_path / "speaker.wav"
    capture = subprocess.Popen(["parecord", "--device=spk.monitor", "--file-format=wav", str(spoken)])
    try:
        proc, err = start("interview", "--question-id", QUESTION, "--json", "--end-silence", "1.5", "--max-seconds", "45")
        wait_for_recording(err, proc, 1)
        play(answer)
        wait_for_recording(err, proc, 2)
        play(reply)
        out, _ = proc.communicate(timeout=240)
    finally:
        capture.terminate()
        capture.wait()
    assert proc.returncode == 0, "".join(err)
    record, summary = _records(out)
    asked = record["follow_up"]
    assert asked["asked"] and asked["question"] == "And what was the result?" and asked["finding"] == "no_result"
    assert "contract" in asked["transcript"].lower() and "renew" in asked["transcript"].lower()
    # The reply is part of the analyzed answer: the story now has its result.
    assert "contract" in record["transcript"]["text"].lower()
    assert record["star"]["result"]["present"], record["star"]
    assert asked["start_s"] and record["transcript"]["words"][-1]["start"] > asked["start_s"]
    assert abs(record["duration_s"] - len(load_audio(record["audio_path"])) / 16000) < 0.05
    assert summary["overall"]["follow_ups_asked"] == 1 and summary["report_path"].endswith(".html")
    # The follow-up was spoken on the speaker after the question.
    heard = transcriber.transcribe(load_audio(spoken)).text.lower()
    assert "what was the result" in heard.replace(",", "").replace("?", ""), heard


def test_an_answer_with_a_result_gets_no_follow_up(virtual_audio, synth):
    proc, err = start("interview", "--question-id", QUESTION, "--json", "--end-silence", "1.5", "--max-seconds", "45",
                       "--no-voice")
    wait_for_recording(err, proc, 1)
    play(synth(WITH_RESULT))
    out, _ = proc.communicate(timeout=240)
    assert proc.returncode == 0, "".join(err)
    record, summary = _records(out)
    assert record["follow_up"]["asked"] is False, (record["transcript"]["text"], record["star"]["findings"])
    assert sum("Recording" in line for line in err) == 1
    assert record["star"]["result"]["present"]
    assert summary["overall"]["follow_ups_asked"] == 0


def test_summary_in_the_terminal():
    import io

    from rich.console import Console

    from rehearse.interview.summary import print_summary

    record = {"question": {"id": "a", "text": "Tell me about a deadline."}, "question_kind": "behavioral",
              "duration_s": 61.0, "metrics": {"words": 150, "speaking_s": 60.0, "wpm": 150, "fillers_per_min": 2.0},
              "star": {p: {"present": p != "result"} for p in ("situation", "task", "action", "result")},
              "follow_up": {"asked": True}, "transcript": {"text": "I used Python."}}
    closing = {**record, "question_kind": "closing", "follow_up": {"asked": False},
               "candidate_questions": [{"text": "What is the salary?", "verdict": "weak", "reason": "pay"}],
               "questions_verdict": "weak", "suggestions": ["How do you measure success?"]}
    summary = interview.summarize([Record.from_json(record), Record.from_json(closing)], job_terms={"used": ["Python"], "unused": ["SQL"]},
                                  report_path="/tmp/session.html")
    out = io.StringIO()
    print_summary(summary, Console(file=out, width=120))
    text = out.getvalue()
    for expected in ("Tell me about a deadline.", "1:01", "STA·", "asked", "weak", "What is the salary?",
                     "How do you measure success?", "used: Python", "never touched: SQL", "/tmp/session.html"):
        assert expected in text, (expected, text)


def test_unknown_length_is_a_usage_error():
    from conftest import run_cli

    done = run_cli("interview", "--length", "long", "--no-voice")
    assert done.returncode == 2 and b"long" in done.stderr
