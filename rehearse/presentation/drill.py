"""The presentation pacing drill, the live part: record the talk while showing elapsed time
against the target, the pace of the last 15 seconds and the script section being spoken; then
report time per section against the plan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from pathlib import Path
from typing import Callable, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from rehearse.attempt import Record
from rehearse.audio.recorder import BlockSource, RecordOptions, Status
from rehearse.history import folder
from rehearse.presentation.script import (
    ON_TIME_MIN_S,
    ON_TIME_SHARE,
    Section,
    current_section,
    normalize,
    on_time,
    section_report,
)
from rehearse.report import clock
from rehearse.terminal import RecordingDisplay, Terminal

LIVE_WPM_WINDOW_S = 15.0  # the pace shown while speaking: words of the last 15 s


class HeardWords:
    """The words recognized so far. A decode replaces everything from its first word on, since a
    committed stretch and a speculative tail both start where the committed words end."""

    def __init__(self):
        self._lock = threading.Lock()
        self.words: list[tuple[str, float, float]] = []

    def on_words(self, words) -> None:
        new = [(w.word, w.start, w.end) for w in words]
        if not new:
            return
        with self._lock:
            self.words = [w for w in self.words if w[1] < new[0][1]] + new

    def snapshot(self) -> list[tuple[str, float, float]]:
        with self._lock:
            return list(self.words)


def live_wpm(words: Sequence[tuple[str, float, float]], now_s: float) -> int | None:
    """Words per minute over the last 15 s (or since the start, before that)."""
    span = min(LIVE_WPM_WINDOW_S, now_s)
    if span < 3:
        return None
    return round(sum(1 for _, _, end in words if end >= now_s - span) * 60 / span)


class PaceDisplay(RecordingDisplay):
    """One live line on a terminal; otherwise a plain line whenever the section changes."""

    what = "your talk"
    refresh_per_second = 4

    def __init__(self, console: Console, target_s: float, sections: Sequence[Section], heard: HeardWords):
        super().__init__(console)
        self.target_s, self.sections, self.heard = target_s, sections, heard
        self._shown_section: int | None = None

    def update(self, status: Status) -> None:
        words = self.heard.snapshot()
        section = current_section([normalize(w) for w, _, _ in words],
                                  self.sections) if self.sections else None
        if self._live is not None:
            self._live.update(self._line(status, words, section))
        elif section is not None and section != self._shown_section:
            self.console.print(f"Section: {self.sections[section].title}")
        self._shown_section = section if section is not None else self._shown_section

    def _line(self, status: Status, words, section: int | None) -> Text:
        late = status.elapsed_s > self.target_s
        line = Text(f"● {clock(status.elapsed_s)} / {clock(self.target_s)}  ",
                    style="bold red" if late else "bold")
        wpm = live_wpm(words, status.elapsed_s)
        line.append(f"{wpm if wpm is not None else '–'} wpm  ", style="cyan")
        if section is not None:
            line.append(f"§ {self.sections[section].title}  ", style="green")
        line.append("Enter to finish", style="dim")
        return line


@dataclasses.dataclass
class Drill:
    """One drill: the components it runs on, built by the CLI."""

    open_source: Callable[[], BlockSource]
    transcriber: object
    terminal: Terminal
    record_options: RecordOptions

    def run(self, target_s: float, sections: Sequence[Section] = (), script: Path | None = None) -> Record:
        from rehearse.transcription.live import LiveTranscriber
        from rehearse.audio.recorder import record
        from rehearse.session import keep_in_history

        load = getattr(self.transcriber, "load", None)
        if load is not None:
            load()  # before the talk starts, so the first words are recognized as they come
        heard = HeardWords()
        live = LiveTranscriber(self.transcriber, on_words=heard.on_words)
        path = folder.attempt_stem(folder.new_session_dir(), "pace").with_suffix(".wav")
        source = self.open_source()  # the stream is open before "Recording" is shown
        with PaceDisplay(self.terminal.err, target_s, sections, heard) as display:
            recording = record(source, path, self.record_options, listeners=(live.feed,),
                               on_status=display.update, enter_pressed=self.terminal.enter_pressed)
        report = Record.from_json(build_report(live.finish(recording.audio), target_s, sections, script))
        report = dataclasses.replace(report, audio_path=str(path), stopped_by=recording.stopped_by)
        folder.save_json(path.with_suffix(".json"), report.to_json())
        return keep_in_history(report, path.parent, self.terminal, kind="pace")


def build_report(transcript, target_s: float, sections: Sequence[Section], script: Path | None) -> dict:
    """The usual analysis keys, plus target, sections, added parts and whether it was on time."""
    from rehearse.analyze import analyze

    span = (ON_TIME_SHARE * target_s, ON_TIME_MIN_S)
    analysis = analyze(transcript, target_s=(target_s - max(span), target_s + max(span))).to_json()
    words = [(w.word, w.start, w.end) for w in transcript.words]
    spoken_s = words[-1][2] - words[0][1] if words else 0.0
    title = f"Pacing drill: {script.name if script else 'free talk'}, {clock(target_s)} target"
    report = {"question": {"id": None, "text": title}, "drill": "pace",
              "created_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
              "script": str(script) if script else None, "target_s": target_s,
              "duration_s": transcript.duration_s, "spoken_s": round(spoken_s, 1),
              "on_time": on_time(spoken_s, target_s), "transcript": transcript.to_json(),
              **{k: analysis[k] for k in ("metrics", "fillers", "pauses")}}
    if sections:
        report["sections"], report["added"] = section_report(words, sections, target_s)
    return report


def print_report(report: Record, console: Console) -> None:
    from rehearse.review.progress import sparkline

    target, spoken = report.target_s, report.spoken_s
    verdict = "on time ✓" if report.on_time else ("over time ✗" if spoken > target else "short ✗")
    console.print(f"Spoke {clock(spoken)} of {clock(target)} target: {verdict}")
    metrics = report.metrics
    wpm = metrics.wpm
    console.print(f"Pace {'–' if wpm is None else f'{wpm:.0f}'} words/min  "
                  f"{sparkline([w.wpm for w in metrics.wpm_windows])}")
    fillers = sum(metrics.filler_counts.values())  # said ones; possible ones are not sure
    console.print(f"Fillers {fillers}   Long pauses {len(metrics.long_pauses or ())}")
    if report.sections:
        table = Table("section", "planned", "spoken", "", box=None)
        for row in report.sections:
            note = "skipped" if row.skipped else _difference(row.spoken_s - row.planned_s)
            table.add_row(row.title, clock(row.planned_s), clock(row.spoken_s), note)
        console.print(table)
    for added in report.added or []:
        where = f" after “{added['after']}”" if added["after"] else ""
        console.print(f"Added{where} ({clock(added['start'])}): “{added['text']}”")


def _difference(seconds: float) -> str:
    if abs(seconds) < 5:
        return "✓"
    return f"{'+' if seconds > 0 else '−'}{clock(abs(seconds))}"
