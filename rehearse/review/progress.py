"""`rehearse progress`: how the measures of your answers move over time. Pure."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from rehearse.history.database import Attempt
from rehearse.review.views import number, when

BARS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 40  # the most recent attempts shown in a sparkline; older ones are summarized

# (key, label, digits, which way is better: -1 lower, +1 higher, 0 neither)
SERIES = (
    ("fillers_per_min", "fillers/min", 1, -1),
    ("wpm", "words/min", 0, 0),
    ("duration_s", "length (s)", 0, 0),
    ("star_parts", "STAR parts (of 4)", 1, +1),
)


def sparkline(values: list[float | None]) -> str:
    """One bar per value, scaled between the smallest and largest; a space for a missing value."""
    known = [v for v in values if v is not None]
    if not known:
        return " " * len(values)
    low, high = min(known), max(known)
    span = high - low
    return "".join(
        " " if v is None else BARS[0 if span == 0 else round((v - low) / span * (len(BARS) - 1))]
        for v in values)


def progress(attempts: list[Attempt]) -> dict:
    """Attempts oldest first -> each one's measures, and per measure its first, last and trend."""
    points = [{"id": a.id, "created_at": a.created_at, "question_id": a.question_id,
               "fillers_per_min": a.fillers_per_min, "wpm": a.wpm, "duration_s": a.duration_s,
               "star_parts": a.star_parts}
              for a in attempts]
    trends = {key: _trend([p[key] for p in points], better) for key, _, _, better in SERIES}
    return {"attempts": points, "trends": trends}


def _trend(values: list[float | None], better: int) -> dict:
    known = [v for v in values if v is not None]
    if not known:
        return {"first": None, "last": None, "mean": None, "change": None, "improving": None}
    # Compare the average of the first and last thirds: one odd answer does not make a trend.
    third = max(1, len(known) // 3)
    early, late = sum(known[:third]) / third, sum(known[-third:]) / third
    change = round(late - early, 2)
    return {"first": known[0], "last": known[-1], "mean": round(sum(known) / len(known), 2),
            "change": change, "improving": None if not better or not change else (change > 0) == (better > 0)}


def render_progress(result: dict) -> Table:
    points = result["attempts"]
    shown = points[-SPARK_WIDTH:]
    span = f"{when(points[0]['created_at'])} → {when(points[-1]['created_at'])}, {len(points)} attempts"
    table = Table("", "trend", "first", "last", "change", box=None, title=span, title_justify="left")
    for key, label, digits, _ in SERIES:
        t = result["trends"][key]
        change = "" if t["change"] is None else f"{t['change']:+.{digits}f}"
        style = {True: "green", False: "red"}.get(t["improving"])
        table.add_row(label, Text(sparkline([p[key] for p in shown]), style="cyan"),
                      number(t["first"], digits), number(t["last"], digits), Text(change, style=style))
    return table
