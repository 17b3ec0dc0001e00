"""The question bank: `Question`, loading and validating banks, and choosing what to practice.

A bank is a TOML file of `[[question]]` tables; a folder of such files is one bank. Every problem
in a bank is a `BankError` that names the file and the question, so that a typo in a key or a tag
never passes silently.
"""

from __future__ import annotations

import dataclasses
import random
import re
import sys
from pathlib import Path
from typing import Any, Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 has no tomllib
    import tomli as tomllib

from rehearse.errors import BankError, UsageError


def _prompts_dir() -> Path:
    """The built-in banks and suggestions: prompts/ at the root of the project, beside the package
    (an editable install, so edits take effect at once); a wheel carries them as rehearse/prompts."""
    package = Path(__file__).resolve().parent
    packaged = package / "prompts"
    return packaged if packaged.is_dir() else package.parent / "prompts"


PROMPTS_DIR = _prompts_dir()
DEFAULT_BANK_DIR = PROMPTS_DIR

# Every kind of question a bank may hold; `kind` in a bank file must be one of these.
KINDS = ("behavioral", "situational", "opening", "closing", "followup")

# The keys of a [[question]] table, all required, in the order they are checked.
FIELDS = ("id", "text", "kind", "competencies", "target_s")

# Ids and competency tags: lowercase words joined by single hyphens, e.g. "problem-solving".
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclasses.dataclass(frozen=True)
class Question:
    id: str  # short kebab-case name, unique across the bank, e.g. "conflict-coworker-disagree"
    text: str  # what the interviewer says, on one line, white space collapsed
    competencies: tuple[str, ...]  # kebab-case tags that `--competency` filters on
    kind: str  # one of KINDS
    target_s: tuple[float, float]  # (min, max) seconds that a good spoken answer takes
    source: Path  # the bank file the question was read from

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "competencies": list(self.competencies),
            "kind": self.kind,
            "target_s": list(self.target_s),
        }


class _Invalid(Exception):
    """A problem in one bank file; `_load_file` adds the file name and raises BankError."""


# --- loading ----------------------------------------------------------------------------------


def load_bank(path: Path | None = None) -> list[Question]:
    """The questions of a bank file, of every *.toml in a folder, or of the built-in banks."""
    questions = [q for file in bank_files(path) for q in _load_file(file)]
    _check_unique(questions)
    return questions


def bank_files(path: Path | None = None) -> list[Path]:
    """The files a bank is made of: the file itself, or the *.toml of a folder, sorted."""
    if path is None:
        if not DEFAULT_BANK_DIR.is_dir():
            raise BankError(
                f"question bank folder {DEFAULT_BANK_DIR} is missing;"
                " pass the path of a bank file or folder instead"
            )
        path = DEFAULT_BANK_DIR
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.toml") if p.is_file())
        if not files:
            raise _bank_error(path, "no .toml files in this folder")
        return files
    if not path.exists():
        raise _bank_error(path, "no such file or folder")
    return [path]


def _load_file(path: Path) -> list[Question]:
    try:
        tables = _question_tables(_read_toml(path))
        return [_question(raw, number, path) for number, raw in enumerate(tables, start=1)]
    except _Invalid as problem:
        raise _bank_error(path, str(problem)) from problem


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise _Invalid(f"cannot be read: {e.strerror}") from e
    try:
        text = data.decode("utf-8-sig")  # editors on Windows may add a byte order mark
    except UnicodeDecodeError as e:
        raise _Invalid(f"not UTF-8 text (byte {data[e.start]:#04x} at offset {e.start})") from e
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise _Invalid(f"not valid TOML: {e}") from e


def _question_tables(doc: dict[str, Any]) -> list[dict[str, Any]]:
    extra = sorted(set(doc) - {"question"})
    if extra:
        raise _Invalid(f"unknown top-level key '{extra[0]}'; questions go in [[question]] tables")
    tables = doc.get("question", [])
    if not isinstance(tables, list):
        raise _Invalid("'question' must be an array of tables: write [[question]], not [question]")
    if not tables:
        raise _Invalid("no questions; add [[question]] tables")
    for number, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise _Invalid(f"question {number} is not a table; write [[question]] and key = value")
    return tables


def _question(raw: dict[str, Any], number: int, source: Path) -> Question:
    qid = _id(raw.get("id"), number)
    label = f"question '{qid}'"
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise _Invalid(f"{label} has unknown key '{unknown[0]}' (known keys: {', '.join(FIELDS)})")
    missing = [key for key in FIELDS if key not in raw]
    if missing:
        raise _Invalid(f"{label} has no {missing[0]}")
    return Question(
        id=qid,
        text=_text(raw["text"], label),
        competencies=_competencies(raw["competencies"], label),
        kind=_kind(raw["kind"], label),
        target_s=_target(raw["target_s"], label),
        source=source,
    )


# --- one validator per field: the value as read, to the value as stored -------------------------


def _id(value: Any, number: int) -> str:
    if value is None:
        raise _Invalid(f"question {number} has no id")
    if not isinstance(value, str) or not _KEBAB.fullmatch(value):
        raise _Invalid(
            f"question {number}: id {value!r} must be kebab-case"
            " (lowercase letters and digits joined by single hyphens)"
        )
    return value


def _text(value: Any, label: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"{label}: text must be a non-empty string")
    return " ".join(value.split())  # multi-line TOML strings are spoken as one sentence


def _kind(value: Any, label: str) -> str:
    if value not in KINDS:
        raise _Invalid(f"{label}: unknown kind {value!r} (valid kinds: {', '.join(KINDS)})")
    return value


def _competencies(value: Any, label: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(
        isinstance(tag, str) and _KEBAB.fullmatch(tag) for tag in value
    ):
        raise _Invalid(
            f"{label}: competencies must be a list of kebab-case strings,"
            f' e.g. ["conflict", "problem-solving"], got {value!r}'
        )
    return tuple(dict.fromkeys(value))  # a tag written twice counts once


def _target(value: Any, label: str) -> tuple[float, float]:
    numbers = isinstance(value, list) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value
    )
    if not numbers or len(value) != 2 or not 0 < value[0] < value[1]:
        raise _Invalid(
            f"{label}: target_s must be [min, max] seconds with 0 < min < max, got {value!r}"
        )
    return (float(value[0]), float(value[1]))


def _check_unique(questions: Sequence[Question]) -> None:
    first: dict[str, Question] = {}
    for question in questions:
        other = first.setdefault(question.id, question)
        if other is not question:
            where = (
                "earlier in this file"
                if other.source == question.source
                else f"in {_shown(other.source)}"
            )
            raise _bank_error(question.source, f"duplicate id '{question.id}' (also {where})")


def _bank_error(path: Path, problem: str) -> BankError:
    return BankError(f"question bank {_shown(path)}: {problem}")


def _shown(path: Path) -> str:
    """A path as the user would write it: relative to the current folder when inside it."""
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --- choosing questions -------------------------------------------------------------------------


def competencies(questions: Sequence[Question]) -> list[str]:
    """Every competency tag used by the questions, sorted."""
    return sorted({tag for q in questions for tag in q.competencies})


def find(questions: Sequence[Question], question_id: str) -> Question:
    """The question with this id, whatever its kind."""
    for question in questions:
        if question.id == question_id:
            return question
    raise UsageError(f"unknown question id '{question_id}'; see 'rehearse questions'")


def select(
    questions: Sequence[Question],
    *,
    competency: str | None = None,
    question_id: str | None = None,
    kind: str | None = "behavioral",
    count: int = 1,
    seed: int | None = None,
) -> list[Question]:
    """`count` questions to practice, drawn at random without repeats.

    `question_id` picks one question, ignoring `kind` and `competency`. `kind=None` means any
    kind. When `count` is larger than the questions available, they come round again, reshuffled.
    """
    if count < 1:
        raise UsageError(f"count must be at least 1, got {count}")
    if question_id is not None:
        pool = [find(questions, question_id)]
    else:
        pool = _pool(questions, kind, competency)
    return _draw(pool, count, random.Random(seed))


def filter_questions(
    questions: Sequence[Question], *, competency: str | None = None, kind: str | None = None
) -> list[Question]:
    """The questions of a kind and competency, in bank order; errors name the valid values."""
    return _pool(questions, kind, competency)


def _pool(
    questions: Sequence[Question], kind: str | None, competency: str | None
) -> list[Question]:
    if kind is not None and kind not in KINDS:
        raise UsageError(f"unknown kind '{kind}'; valid kinds: {', '.join(KINDS)}")
    pool = [q for q in questions if kind is None or q.kind == kind]
    if not pool:
        raise UsageError(f"the question bank has no {kind} questions")
    if competency is None:
        return pool
    tag = _tag(competency)
    valid = competencies(pool)
    if tag not in valid:
        raise UsageError(
            f"unknown competency '{competency}'; valid competencies: {', '.join(valid)}"
        )
    return [q for q in pool if tag in q.competencies]


def _tag(text: str) -> str:
    """A competency as typed, e.g. "Problem Solving", to its tag, "problem-solving"."""
    return "-".join(text.lower().replace("_", " ").split())


def _draw(pool: Sequence[Question], count: int, rng: random.Random) -> list[Question]:
    drawn: list[Question] = []
    while len(drawn) < count:
        batch = rng.sample(pool, len(pool))
        if drawn and len(batch) > 1 and batch[0] is drawn[-1]:
            batch.append(batch.pop(0))  # never the same question twice in a row
        drawn.extend(batch)
    return drawn[:count]
