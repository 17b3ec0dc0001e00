"""Rendering an attempt record for people: the terminal report. Pure: takes the record."""

from __future__ import annotations

from typing import Sequence

from rich.console import Console, ConsoleOptions, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rehearse.attempt import STAR_PARTS, Quality, Record, Star, Tip


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def shorten(text: str, width: int) -> str:
    """At most `width` characters, cut at a word boundary with "…" (a table cell's summary)."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if text[width - 1] != " " and " " in cut:  # the last word would be cut: leave it out
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def render(record: Record, *, question: bool = True) -> Group:
    """The report for one attempt; without the question when it is already on the screen above."""
    parts = [
        Text(record.question.text or "(no question)", style="bold") if question else None,
        _headline(record),
        _star_line(record.star),
        *_quality_lines(record.quality),
        _tips(record.tips),
        _transcript(record),
    ]
    return Group(*[p for p in parts if p is not None])


class Cells:
    """Short measures on one line, three spaces apart; a measure that does not fit on the line
    starts the next, so no measure is split over two lines as a table's column would split it."""

    def __init__(self, cells: list[Text]):
        self.cells = cells

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        line = Text()
        for cell in self.cells:
            if line and line.cell_len + 3 + cell.cell_len > options.max_width:
                yield line
                line = Text()
            line.append("   " if line else "").append(cell)
        yield line


def _headline(record: Record) -> Cells:
    metrics, length = record.metrics, record.length
    cells = []
    if record.duration_s is not None:
        target = length.target_s
        target_text = f" (target {clock(target[0])}–{clock(target[1])})" if target else ""
        cells.append(f"Length [bold]{clock(record.shown_length_s)}[/]{target_text}" + _verdict(length.verdict))
    if metrics.wpm is not None:
        cells.append(f"Pace [bold]{metrics.wpm:.0f}[/] words/min")
    cells.append(f"Words [bold]{metrics.words or 0}[/]")
    cells.append(_filler_cell(record))
    return Cells([Text.from_markup(cell) for cell in cells])


def _verdict(verdict: str | None) -> str:
    return {"short": " [yellow]short[/]", "long": " [yellow]long[/]", "ok": " [green]✓[/]"}.get(verdict or "", "")


def _filler_cell(record: Record) -> str:
    """ "Fillers 7, 3.5/min (um ×4, uh ×2, 1 unsure)": every filler heard, the unsure ones
    (only a hint in the audio or the timing) counted apart."""
    counts: dict[str, int] = {}
    unsure = 0
    for f in record.fillers:
        if not f.counted_sure:
            unsure += 1
            continue
        counts[f.word.lower()] = counts.get(f.word.lower(), 0) + 1
    parts = [f"{w} ×{n}" for w, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    parts += [f"{unsure} unsure"] if unsure else []
    rate = record.metrics.fillers_per_min
    rate_text = f", {rate:.1f}/min" if rate is not None else ""
    return f"Fillers [bold]{len(record.fillers)}[/]{rate_text}" + (f" ({', '.join(parts)})" if parts else "")


def _star_line(star: Star) -> Text:
    line = Text("STAR  ")
    for part in STAR_PARTS:
        present = star.part(part).present
        line.append(f"{part.capitalize()} {'✓' if present else '✗'}  ",
                    style="green" if present else "red")
    return line


def _quality_lines(quality: Quality | None) -> list[Text]:
    if quality is None or quality.ok:
        return []
    return [Text(f"⚠ {p.message}", style="yellow") for p in quality.problems]


def _tips(tips: Sequence[Tip]) -> Panel | None:
    if not tips:
        return None
    grid = Table.grid(padding=(0, 1))  # the number in its own column: wrapped lines stay indented
    for i, tip in enumerate(tips, 1):
        body = Text(tip.text)
        if tip.quote:
            at = f" ({clock(tip.start)})" if tip.start is not None else ""
            body.append(f"\n“{tip.quote}”{at}", style="dim")
        grid.add_row(f"{i}.", body)
    return Panel(grid, title="Tips", title_align="left")


def _transcript(record: Record) -> Panel:
    text = record.transcript.text
    styled = Text(text or "(nothing was recognized)")
    for filler in record.fillers:
        if filler.char_start is not None and filler.kind == "transcribed":
            styled.stylize("bold magenta", filler.char_start, filler.char_start + len(filler.word))
    return Panel(styled, title="Transcript", title_align="left")


def print_report(record: Record, console: Console, *, question: bool = True) -> None:
    console.print(render(record, question=question))
    if record.audio_path:
        console.print(f"[dim]Saved {record.audio_path}[/]")
