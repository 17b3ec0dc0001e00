"""What the history indexes about an attempt record: its STAR parts, whether its result has a
figure, and its competencies. Pure, apart from reading the built-in question bank once."""

from __future__ import annotations

import functools
import logging
import re

from rehearse.attempt import STAR_PARTS, Record  # noqa: F401 (STAR_PARTS: still importable from here)

log = logging.getLogger("rehearse")

_NUMBER = re.compile(r"\d|\b(percent|half|double|twice|tripled?|doubled?|halved)\b", re.I)


def star_parts(record: Record) -> int:
    return len(record.star.present())


def result_quantified(record: Record) -> bool:
    """A result that is there and has a figure in it ("cut build time by 40 percent")."""
    result = record.star.result
    if not result.present:
        return False
    if record.specificity.numbers is not None:
        return bool(record.specificity.numbers)
    return any(_NUMBER.search(sentence) for sentence in result.evidence)


def competencies_of(record: Record) -> list[str]:
    """The record's own competencies, else those of its question in the built-in bank."""
    if record.question.competencies:
        return list(record.question.competencies)
    return list(_bank_competencies().get(record.question.id, ()))


@functools.cache
def _bank_competencies() -> dict[str, tuple[str, ...]]:
    from rehearse.errors import BankError
    from rehearse.questions import load_bank

    try:
        return {q.id: q.competencies for q in load_bank()}
    except BankError as exc:
        log.warning("competencies unknown: %s", exc)
        return {}
