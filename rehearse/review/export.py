"""`rehearse export`: attempts as JSON or Markdown. Pure: takes attempts, returns text."""

from __future__ import annotations

import json

from rehearse.attempt import STAR_PARTS, Record
from rehearse.history.database import Attempt
from rehearse.review.views import annotate, metrics_rows, when

FORMATS = ("md", "json", "html")


def attempt_json(attempt: Attempt) -> dict:
    """The stored record, as `--json` printed it, with the attempt's id and session."""
    return {"id": attempt.id, "session": attempt.session, **attempt.record.to_json()}


def to_json(attempts: list[Attempt], single: bool) -> str:
    data = attempt_json(attempts[0]) if single else [attempt_json(a) for a in attempts]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def to_markdown(attempts: list[Attempt], title: str | None = None) -> str:
    blocks = [f"# {title}\n"] if title else []
    blocks += [_attempt_md(a, level=2 if title else 1) for a in attempts]
    return "\n".join(blocks)


def _attempt_md(attempt: Attempt, level: int) -> str:
    record, h = attempt.record, "#" * level
    lines = [f"{h} {attempt.question_text or '(no question)'}", "",
             f"Attempt {attempt.id}, {when(attempt.created_at)}, session {attempt.session}", "",
             "| measure | value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in metrics_rows(record)]
    lines += ["", f"{h}# STAR", ""]
    for part in STAR_PARTS:
        got = record.star.part(part)
        evidence = " ".join(got.evidence)
        lines.append(f"- **{part.capitalize()}** {'✓' if got.present else '✗'}"
                     + (f": {_md_escape(evidence)}" if evidence else ""))
    if record.tips:
        lines += ["", f"{h}# Tips", ""]
        lines += [f"{i}. {_md_escape(t.text)}" for i, t in enumerate(record.tips, 1)]
    lines += ["", f"{h}# Transcript", "", transcript_md(record),
              "", "*Fillers in bold; long pauses in brackets.*", ""]
    return "\n".join(lines)


def transcript_md(record: Record) -> str:
    words = []
    for p in annotate(record):
        pause = f"[{p.pause_before_s:.1f} s] " if p.pause_before_s is not None else ""
        text = _md_escape(p.text)
        words.append(pause + (f"**{text}**" if p.filler else text))
    return " ".join(words) or "(nothing was recognized)"


def _md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)
