"""`rehearse interview` as a user runs it, on the virtual devices: the shape of a second round,
questions chosen for a job description, and the summary with the job's terms."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

JOB = """Senior Support Engineer
We are looking for someone who resolves escalated customer issues, leads incident reviews,
mentors junior engineers and works with Jira and Zendesk. You will handle conflict with
demanding customers and meet tight deadlines.
"""


def test_short_interview_with_a_job_description(virtual_audio, tmp_path):
    job = tmp_path / "job.txt"
    job.write_text(JOB)
    result = run_cli("interview", "--length", "short", "--no-voice", "--no-follow-ups", "--job", str(job),
                     "--json", "--max-seconds", "2", "--think-time", "1", "--seed", "3", timeout=600)
    assert result.returncode == 0, result.stderr.decode()
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
    answers, summary = lines[:-1], lines[-1]
    kinds = [a["question_kind"] for a in answers]
    assert kinds == ["opening", "behavioral", "behavioral", "behavioral", "situational", "closing"]
    assert all(a["follow_up"]["asked"] is False for a in answers)
    from rehearse.questions import find, load_bank

    bank = load_bank()
    asked = [set(find(bank, a["question"]["id"]).competencies) for a in answers[1:4]]
    wanted = {"leadership", "conflict", "customer", "deadline"}
    assert all(c & wanted for c in asked), asked  # questions for what the job asks
    assert summary["overall"]["answers"] == 6
    assert len(summary["answers"]) == 6
    terms = summary["job_terms"]
    assert {"jira", "zendesk"} <= {t.lower() for t in terms["unused"]}  # nothing was said
    assert terms["used"] == []
    assert summary["candidate_questions"] == []  # silence at "Do you have any questions for us?"
    assert summary["report_path"] and Path(summary["report_path"]).is_file()
