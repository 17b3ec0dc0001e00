"""`rehearse compare` and the end of `rehearse retry`: two attempts' measures side by side and a
word-level diff of what was said. Pure."""

from __future__ import annotations

import difflib

from rich.console import Group
from rich.table import Table
from rich.text import Text

from rehearse.history.database import Attempt
from rehearse.review.views import number, star_letters, when

# (key, label, digits, which way is better: -1 lower, +1 higher, 0 neither)
MEASURES = (
    ("duration_s", "length (s)", 0, 0),
    ("words", "words", 0, 0),
    ("wpm", "words/min", 0, 0),
    ("fillers_per_min", "fillers/min", 1, -1),
    ("long_pauses", "long pauses", 0, -1),
    ("star_parts", "STAR parts", 0, +1),
    ("result_quantified", "result with a figure", 0, +1),
)


def measures(attempt: Attempt) -> dict:
    m = attempt.record.metrics
    long_pauses = m.long_pauses
    return {
        "duration_s": attempt.duration_s, "words": m.words, "wpm": attempt.wpm,
        "fillers_per_min": attempt.fillers_per_min,
        "long_pauses": None if long_pauses is None else len(long_pauses),
        "star_parts": attempt.star_parts, "result_quantified": int(attempt.result_quantified),
    }


def word_diff(before: str, after: str) -> list[dict]:
    """What changed between two transcripts, as runs: same, added, dropped or reworded.

    Words are matched ignoring case and punctuation, and shown as said."""
    a, b = before.split(), after.split()
    matcher = difflib.SequenceMatcher(None, [_key(w) for w in a], [_key(w) for w in b], autojunk=False)
    op_names = {"equal": "same", "insert": "added", "delete": "dropped", "replace": "reworded"}
    return [{"op": op_names[op], "before": " ".join(a[i1:i2]), "after": " ".join(b[j1:j2])}
            for op, i1, i2, j1, j2 in matcher.get_opcodes()]


def _key(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalnum() or c == "'")


def compare(a: Attempt, b: Attempt) -> dict:
    ma, mb = measures(a), measures(b)
    rows = []
    for key, label, _, better in MEASURES:
        change = None if ma[key] is None or mb[key] is None else round(mb[key] - ma[key], 2)
        rows.append({"measure": key, "label": label, "a": ma[key], "b": mb[key], "change": change,
                     "better": None if not change or not better else (change > 0) == (better > 0)})
    diff = word_diff(a.transcript_text, b.transcript_text)
    return {
        "a": _side(a), "b": _side(b), "measures": rows, "diff": diff,
        "similarity": round(difflib.SequenceMatcher(
            None, [_key(w) for w in a.transcript_text.split()],
            [_key(w) for w in b.transcript_text.split()], autojunk=False).ratio(), 3),
        "counts": {op: sum(len(d["after" if op == "added" else "before"].split())
                           for d in diff if d["op"] == op) for op in ("added", "dropped", "reworded")},
    }


def _side(attempt: Attempt) -> dict:
    return {"id": attempt.id, "created_at": attempt.created_at, "question_text": attempt.question_text,
            "star": star_letters(attempt.record)}


def render_comparison(comparison: dict, *, question: bool = True) -> Group:
    """Measures side by side and the word diff; without the question when it is on the screen above."""
    a, b = comparison["a"], comparison["b"]
    table = Table("", f"#{a['id']}  {when(a['created_at'])}", f"#{b['id']}  {when(b['created_at'])}",
                  "change", box=None)
    digits = {key: d for key, _, d, _ in MEASURES}
    for row in comparison["measures"]:
        d = digits[row["measure"]]
        change = "" if row["change"] is None else f"{row['change']:+.{d}f}"
        style = {True: "green", False: "red"}.get(row["better"])
        table.add_row(row["label"], number(row["a"], d), number(row["b"], d), Text(change, style=style))
    table.add_row("STAR", a["star"], b["star"], "")
    counts = comparison["counts"]
    summary = Text(f"Words: {counts['added']} added, {counts['dropped']} dropped, "
                   f"{counts['reworded']} reworded ({comparison['similarity']:.0%} the same)", style="dim")
    legend = Text.assemble(("added", "green"), "  ", ("dropped", "red strike"), "  ",
                           ("reworded: ", "dim"), ("old", "red strike"), "→", ("new", "green"))
    heading = [Text(a["question_text"] or "", style="bold")] if question else []
    return Group(*heading, table, Text(""), diff_text(comparison["diff"]), Text(""), summary, legend)


def diff_text(diff: list[dict]) -> Text:
    out = Text()
    for run in diff:
        if out:
            out.append(" ")
        if run["op"] == "same":
            out.append(run["after"])
        elif run["op"] == "added":
            out.append(run["after"], style="green")
        elif run["op"] == "dropped":
            out.append(run["before"], style="red strike")
        else:
            out.append(run["before"], style="red strike").append("→").append(run["after"], style="green")
    return out
