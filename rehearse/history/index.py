"""What the history indexes about an attempt record: its STAR parts, whether its result has a
figure, and its competencies. Pure, apart from reading the built-in question bank once."""

from __future__ import annotations

import functools
import logging
import re

log = logging.getLogger("rehearse")

STAR_PARTS = ("situation", "task", "action", "result")  # the one list of the parts, in story order
_NUMBER = re.compile(r"\d|\b(percent|half|double|twice|tripled?|doubled?|halved)\b", re.I)


def star_parts(record: dict) -> int:
    star = record.get("star") or {}
    return sum(1 for part in STAR_PARTS if (star.get(part) or {}).get("present"))


def result_quantified(record: dict) -> bool:
    """A result that is there and has a figure in it ("cut build time by 40 percent")."""
    result = (record.get("star") or {}).get("result") or {}
    if not result.get("present"):
        return False
    numbers = (record.get("specificity") or {}).get("numbers")
    if numbers is not None:
        return bool(numbers)
    return any(_NUMBER.search(sentence) for sentence in result.get("evidence") or [])


def competencies_of(record: dict) -> list[str]:
    """The record's own competencies, else those of its question in the built-in bank."""
    question = record.get("question") or {}
    if question.get("competencies"):
        return list(question["competencies"])
    return list(_bank_competencies().get(question.get("id"), ()))


@functools.cache
def _bank_competencies() -> dict[str, tuple[str, ...]]:
    from rehearse.errors import BankError
    from rehearse.questions import load_bank

    try:
        return {q.id: q.competencies for q in load_bank()}
    except BankError as exc:
        log.warning("competencies unknown: %s", exc)
        return {}
