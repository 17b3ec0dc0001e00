"""Looking back at stored attempts: the transcript annotated word by word, and the terminal views
of `rehearse history` and `rehearse show`. Pure: takes records and attempts, returns renderables.

The annotation (`annotate`) is shared by every view of a transcript: the terminal, Markdown and the
HTML report all mark the same fillers, STAR parts and long pauses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Sequence

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rehearse.attempt import STAR_PARTS, Record, Star
from rehearse.history.database import Attempt
from rehearse.report import clock, shorten
from rehearse.transcription.whisper import Word

LONG_PAUSE_S = 2.0  # a silence a listener notices (the analyzers' long_pause_s; interview coaching)
# Where a sentence belongs to several parts, the rarer and more telling part wins.
PART_PRIORITY = ("result", "action", "task", "situation")
PART_STYLE = {"situation": "blue", "task": "cyan", "action": "green", "result": "yellow"}
FILLER_STYLE = "bold magenta underline"
PAUSE_STYLE = "bold red"


@dataclasses.dataclass(frozen=True)
class Piece:
    """One word of the transcript with what it is marked as."""

    text: str  # the word as transcribed, with its punctuation
    start: float | None  # seconds; None for typed text
    end: float | None
    filler: bool = False  # a filler word or part of one ("you know")
    part: str | None = None  # the STAR part whose evidence holds this word
    pause_before_s: float | None = None  # a long silence just before this word


def annotate(record: Record, long_pause_s: float = LONG_PAUSE_S) -> list[Piece]:
    text = record.transcript.text
    words = record.transcript.words or tuple(Word(w, None, None, None) for w in text.split())
    fillers = _filler_chars(record)
    parts = _part_chars(record.star, text)
    pauses = _pause_ends(record, words, long_pause_s)
    pieces, cursor = [], 0
    for w in words:
        at = text.find(w.word, cursor)
        at = cursor if at < 0 else at
        cursor = at + len(w.word)
        pieces.append(Piece(
            w.word, w.start, w.end, filler=at in fillers, part=parts.get(at),
            pause_before_s=_pause_before(pauses, w.start),
        ))
    return pieces


def _filler_chars(record: Record) -> set[int]:
    """Character offsets of every word that is (part of) a transcribed filler."""
    text = record.transcript.text
    out = set()
    for f in record.fillers:
        if f.char_start is None or f.kind != "transcribed":
            continue
        end = f.char_start + len(f.word)
        out.update(i for i in range(f.char_start, end) if i == f.char_start or text[i - 1] == " ")
    return out


def _part_chars(star: Star, text: str) -> dict[int, str]:
    """Character offset of each word start -> the STAR part its evidence sentence belongs to."""
    out: dict[int, str] = {}
    for part in reversed(PART_PRIORITY):  # later (higher priority) parts overwrite
        for sentence in star.part(part).evidence:
            at = text.find(sentence)
            if at < 0:
                continue
            for i in range(at, at + len(sentence)):
                if i == at or text[i - 1] == " ":
                    out[i] = part
    return out


def _pause_ends(record: Record, words: Sequence[Word], long_pause_s: float) -> list[tuple[float, float]]:
    """(end, length) of every long pause: the analyzers' list, else the gaps between words."""
    listed = record.metrics.long_pauses
    if listed is None and record.pauses is not None:
        listed = [p for p in record.pauses if (p.duration_s or 0) >= long_pause_s]
    if listed is not None:
        return [(p.end, p.length_s) for p in listed]
    timed = [w for w in words if w.start is not None]
    return [(b.start, round(b.start - a.end, 2)) for a, b in zip(timed, timed[1:])
            if b.start - a.end >= long_pause_s]


def _pause_before(pauses: list[tuple[float, float]], start: float | None) -> float | None:
    if start is None:
        return None
    for end, length in pauses:
        if abs(end - start) < 0.05:
            return length
    return None


def part_spans(pieces: list[Piece]) -> list[tuple[str, float, float]]:
    """(part, start, end) of each run of timed words in one STAR part: the timeline's bands."""
    spans: list[tuple[str, float, float]] = []
    for p in pieces:
        if p.part is None or p.start is None:
            continue
        if spans and spans[-1][0] == p.part and p.start - spans[-1][2] < 1.5:
            spans[-1] = (p.part, spans[-1][1], p.end)
        else:
            spans.append((p.part, p.start, p.end))
    return spans


# --- small formats -----------------------------------------------------------------------------


def when(created_at: str | None) -> str:
    """'2026-11-25 17:23' in local time."""
    if not created_at:
        return "–"
    try:
        return dt.datetime.fromisoformat(created_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return created_at[:16]


def star_letters(record: Record) -> str:
    """'STA·': the initial of each part present, a dot for each missing."""
    return "".join(p[0].upper() if record.star.part(p).present else "·" for p in STAR_PARTS)


def number(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


# --- terminal views ----------------------------------------------------------------------------


def history_table(attempts: list[Attempt]) -> Table:
    table = Table("id", "date", "question", "length", "wpm", "fillers/min", "STAR", box=None)
    for a in attempts:
        table.add_row(str(a.id), when(a.created_at), shorten(a.question_text or "(no question)", 60),
                      clock(a.duration_s), number(a.wpm), number(a.fillers_per_min, 1),
                      star_letters(a.record) + (" #" if a.result_quantified else ""))
    return table


def transcript_text(pieces: list[Piece]) -> Text:
    out = Text()
    for i, p in enumerate(pieces):
        if i:
            out.append(" ")
        if p.pause_before_s is not None:
            out.append(f"[{p.pause_before_s:.1f} s] ", style=PAUSE_STYLE)
        style = " ".join(s for s in (PART_STYLE.get(p.part or ""), FILLER_STYLE if p.filler else "") if s)
        out.append(p.text, style=style or None)
    return out


def legend() -> Text:
    out = Text()
    for part in STAR_PARTS:
        out.append(part.capitalize(), style=PART_STYLE[part]).append("  ")
    out.append("filler", style=FILLER_STYLE).append("  ")
    out.append("[long pause]", style=PAUSE_STYLE)
    return out


def metrics_rows(record: Record) -> list[tuple[str, str]]:
    m = record.metrics
    return [
        ("Length", clock(record.shown_length_s)),
        ("Words", str(m.words if m.words is not None else len(record.transcript.words))),
        ("Pace", f"{number(m.wpm)} words/min"),
        ("Fillers", f"{len(record.fillers)}, {number(m.fillers_per_min, 1)}/min"),
        ("Long pauses", "–" if m.long_pauses is None else str(len(m.long_pauses))),
        ("Thinking time", "–" if m.think_time_s is None else f"{m.think_time_s:.1f} s"),
        *(_drill_rows(record) if record.is_drill else [("STAR", star_letters(record))]),
    ]


def _drill_rows(record: Record) -> list[tuple[str, str]]:
    """A pacing drill has a target and perhaps a script's sections instead of STAR parts."""
    verdict = "on time" if record.on_time else (
        "over time" if (record.spoken_s or 0) > (record.target_s or 0) else "short")
    rows = [("Target", f"{clock(record.spoken_s)} spoken of {clock(record.target_s)}: {verdict}")]
    skipped = [s.title for s in record.sections or () if s.skipped]
    if record.sections:
        rows.append(("Skipped", ", ".join(skipped) or "none"))
    return rows


def show(attempt: Attempt) -> Group:
    record = attempt.record
    head = Text(f"Attempt {attempt.id} · {when(attempt.created_at)} · session {attempt.session}", style="dim")
    metrics = Table.grid(padding=(0, 2))
    for name, value in metrics_rows(record):
        metrics.add_row(Text(name, style="bold"), value)
    parts = [head, Text(attempt.question_text or "(no question)", style="bold"), metrics]
    if record.tips:
        lines = Text("\n").join(Text(f"{i}. {t.text}") for i, t in enumerate(record.tips, 1))
        parts.append(Panel(lines, title="Tips", title_align="left"))
    body = transcript_text(annotate(record)) if record.transcript.text else Text("(nothing was recognized)")
    parts.append(Panel(Group(body, Text(""), legend()), title="Transcript", title_align="left"))
    return Group(*parts)
