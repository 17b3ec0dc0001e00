"""Tailoring to a job description: its key terms, the competencies it asks for, and which terms
the answers used."""

from __future__ import annotations

import pytest

from rehearse.interview import job
from rehearse.questions import competencies, load_bank

DESCRIPTION = """Senior Data Engineer

We are looking for a data engineer to join our analytics team.

Responsibilities:
- Design and build reliable data pipelines in Python and Apache Airflow
- Own our AWS infrastructure end-to-end, including Kubernetes and Terraform
- Partner with product managers and stakeholders to prioritize competing requests
- Mentor junior engineers and give feedback in code reviews
- Communicate results clearly to non-technical audiences

Requirements:
- 5+ years of experience with SQL
- Strong problem-solving skills and the ability to work under tight deadlines
"""


@pytest.fixture(scope="module")
def terms():
    return job.extract_terms(DESCRIPTION)


@pytest.mark.parametrize("text, kind", [
    ("Python", "tool"), ("Apache Airflow", "tool"), ("AWS", "tool"), ("Kubernetes", "tool"),
    ("Terraform", "tool"), ("SQL", "tool"),
    ("mentor", "competency"), ("stakeholders", "competency"), ("deadlines", "competency"),
    ("prioritize", "competency"), ("problem-solving", "competency"), ("code reviews", "competency"),
    ("data pipelines", "phrase"), ("product managers", "phrase"), ("junior engineers", "phrase"),
])
def test_terms_found(terms, text, kind):
    assert {t.text: t.kind for t in terms}.get(text) == kind


@pytest.mark.parametrize("not_a_term", [
    "Senior Data Engineer", "We", "Design", "Responsibilities", "Strong", "experience", "the", "Own",
])
def test_ordinary_words_are_not_terms(terms, not_a_term):
    assert not_a_term.lower() not in {t.text.lower() for t in terms}


def test_competencies_asked_are_bank_tags(terms):
    asked = job.competencies_asked(terms, competencies(load_bank()))
    assert {"leadership", "feedback", "prioritization", "deadline", "problem-solving",
            "influence"} <= set(asked)
    assert set(asked) <= set(competencies(load_bank()))


def test_used_and_unused(terms):
    said = ("I built a new data pipeline in Python, mentored two junior engineers, and kept our "
            "stakeholders informed until we met the deadline.")
    report = job.terms_used(terms, said)
    assert {"Python", "data pipelines", "mentor", "junior engineers", "stakeholders", "deadlines"} <= set(report["used"])
    assert {"Kubernetes", "SQL", "AWS", "code reviews", "product managers"} <= set(report["unused"])
    assert not set(report["used"]) & set(report["unused"])
    assert len(report["used"]) + len(report["unused"]) == len(terms)


def test_interview_questions_follow_the_job(terms):
    from rehearse.interview.session import plan

    bank = load_bank()
    chosen = plan(bank, "short", seed=1, wanted=job.competencies_asked(terms, competencies(bank)))
    asked = set(job.competencies_asked(terms, competencies(bank)))
    for question in chosen[1:4]:
        assert asked & set(question.competencies), question.id
