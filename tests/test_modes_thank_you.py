"""The thank-you email: it mentions a topic that was actually discussed in the session."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli
from rehearse import assess as coach
from rehearse.history import database as history
from rehearse.history import folder as store
from rehearse.interview import thank_you
from rehearse.questions import find, load_bank
from rehearse.transcription.whisper import transcript_from_text

STORY = ("Last year our quarterly billing migration was falling behind. I owned the billing "
         "migration plan, so I split the work into weekly milestones and paired with the finance "
         "team. As a result, the billing migration finished two weeks early and invoice errors "
         "dropped by thirty percent.")
INTRO = "I am a software engineer with eight years of experience, mostly in payments."


@pytest.mark.parametrize("text, expected", [
    ("I rewrote the export job for our biggest customer.", ["export job", "biggest customer"]),
    ("We met the deadline. It was a lot of work.", ["deadline"]),
    ("I did it and then we left.", []),
])
def test_noun_phrases(text, expected):
    assert thank_you.noun_phrases(text) == expected


def _session() -> str:
    bank = load_bank()
    folder = store.new_session_dir()
    for qid, text in (("opening-tell-me-about-yourself", INTRO), ("deadline-about-to-miss", STORY)):
        record = coach.assess(transcript_from_text(text), find(bank, qid))
        path = store.attempt_stem(folder, qid).with_suffix(".json")
        store.save_json(path, record.to_json())
        history.record_attempt(record, folder, json_path=path)
    return folder.name


def test_email_mentions_what_was_discussed(tmp_path):
    session = _session()
    out = tmp_path / "email.txt"
    done = run_cli("followup", session, "--name", "Ada Lovelace", "--company", "Acme", "--role",
                   "Backend Engineer", "--interviewer", "Grace", "--output", str(out), "--json")
    assert done.returncode == 0, done.stderr.decode()
    email = json.loads(done.stdout)
    assert email["topic"].startswith("billing migration")
    assert "billing migration" in email["body"] and "Acme" in email["body"] and "Backend Engineer" in email["body"]
    assert email["body"].startswith("Dear Grace,") and email["body"].rstrip().endswith("Ada Lovelace")
    assert out.read_text(encoding="utf-8").startswith(f"Subject: {email['subject']}\n")


def test_latest_session_and_plain_text():
    _session()
    done = run_cli("followup", "last", "--name", "Ada", "--company", "Acme", "--role", "Engineer")
    assert done.returncode == 0, done.stderr.decode()
    text = done.stdout.decode()
    assert text.startswith("Subject: Thank you") and "billing migration" in text


def test_unknown_session_is_a_usage_error():
    done = run_cli("followup", "no-such-session", "--name", "A", "--company", "B", "--role", "C")
    assert done.returncode == 2 and done.stderr.decode().startswith("rehearse: error: no session named")
