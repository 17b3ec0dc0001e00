"""The candidate's questions for the interviewer: found in a transcript, judged, and one spoken
end to end through `rehearse ask`."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli
from modes_cli import play, start, wait_for_recording
from rehearse.interview import candidate_questions as cq


@pytest.mark.parametrize("text, expected", [
    ("What are the biggest challenges the team is facing right now?", "thoughtful"),
    ("How do you measure success for this role?", "thoughtful"),
    ("What would you expect me to achieve in the first 90 days?", "thoughtful"),
    ("What does learning and development look like here?", "thoughtful"),
    ("How does the team collaborate with product and design?", "thoughtful"),
    ("What is the salary for this position?", "weak"),
    ("How many holidays do I get?", "weak"),
    ("What benefits do you offer?", "weak"),
    ("So what does the company do?", "weak"),
    ("How many employees does the company have?", "weak"),
    ("Which programming languages do you use?", "ok"),
])
def test_judge(text, expected):
    assert cq.judge(text).verdict == expected


@pytest.mark.parametrize("text, expected", [
    ("Thanks. What does a typical day look like? And how big is the team?",
     ["What does a typical day look like?", "And how big is the team?"]),
    # Whisper may end a question with a full stop: an interrogative opening still counts.
    ("Yes. I was wondering how you measure success. That's all.", ["I was wondering how you measure success."]),
    ("No, I think you covered everything. Thank you.", []),
    # Two questions the recognizer ran into one sentence are judged apart.
    ("Yes, two questions, what is the salary for this role, and how do you measure success in the first 90 days?",
     ["Yes, two questions, what is the salary for this role", "and how do you measure success in the first 90 days?"]),
    ("", []),
])
def test_find_questions(text, expected):
    assert cq.find_questions(text) == expected


def test_no_questions_is_weak_and_gets_suggestions():
    result = cq.assess("No, I think you covered everything. Thank you.")
    assert result["candidate_questions"] == []
    assert result["questions_verdict"].startswith("none")
    assert len(result["suggestions"]) == cq.MAX_SUGGESTIONS


def test_suggestions_skip_topics_already_asked():
    result = cq.assess("What are the team's biggest challenges? How do you measure success?")
    assert result["questions_verdict"].startswith("good")
    assert len(result["suggestions"]) == 1
    assert not any("challenge" in s or "measure success" in s for s in result["suggestions"])


def test_ask_text_json():
    done = run_cli("ask", "--text", "-", "--json", input=b"What is the salary? What does the company do?")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [q["verdict"] for q in result["candidate_questions"]] == ["weak", "weak"]
    assert result["questions_verdict"].startswith("weak") and result["suggestions"]


def test_ask_spoken_end_to_end(virtual_audio, synth):
    proc, err = start("ask", "--json", "--end-silence", "1.5", "--max-seconds", "45", "--no-voice")
    wait_for_recording(err, proc, 1)
    said = synth("Yes, two questions. What is the salary for this role? "
                 "And how do you measure success in the first ninety days?")
    play(said)
    out, _ = proc.communicate(timeout=240)
    assert proc.returncode == 0, "".join(err)
    record = json.loads(out.splitlines()[0])
    verdicts = {q["verdict"] for q in record["candidate_questions"]}
    assert verdicts == {"weak", "thoughtful"}, record["candidate_questions"]
    assert record["follow_up"]["asked"] is False
