"""The terminal the program talks to: consoles, Enter detection and the live recording display.

Tests replace the streams; nothing here knows it is being tested.
"""

from __future__ import annotations

import dataclasses
import json
import os
import select
import sys
from typing import IO, TYPE_CHECKING

from rich.console import Console
from rich.live import Live
from rich.text import Text

if TYPE_CHECKING:  # the recorder pulls in numpy, which history commands do not need
    from rehearse.audio.recorder import Status

METER_WIDTH = 20


@dataclasses.dataclass
class Terminal:
    stdin: IO = dataclasses.field(default_factory=lambda: sys.stdin)
    # Wrapped by rich at word boundaries: soft wrapping left panels cut to one line and long
    # lines broken mid-word by the terminal.
    out: Console = dataclasses.field(default_factory=Console)
    err: Console = dataclasses.field(default_factory=lambda: Console(stderr=True))

    def print_json(self, data) -> None:
        """One JSON document on its own line of stdout, untouched by rich's markup."""
        self.out.file.write(json.dumps(data, ensure_ascii=False) + "\n")
        self.out.file.flush()

    def show_words(self, words) -> None:
        """--live-transcript: words as they are recognized, dimmed, on stderr."""
        self.err.print(" ".join(w.word for w in words), style="dim", highlight=False)

    @property
    def interactive(self) -> bool:
        """Enter can end a recording only when a person is typing: not for pipes or /dev/null."""
        try:
            return self.stdin.isatty()
        except (AttributeError, ValueError):
            return False

    def enter_pressed(self) -> bool:
        if not self.interactive:
            return False  # end of input from a script is not Enter: keep recording
        ready, _, _ = select.select([self.stdin], [], [], 0)
        if ready:
            os.read(self.stdin.fileno(), 4096)
            return True
        return False


def meter(level: float) -> str:
    filled = min(METER_WIDTH, int(level * METER_WIDTH * 2))  # speech rarely peaks above 0.5
    return "█" * filled + "·" * (METER_WIDTH - filled)


def status_line(status: Status) -> Text:
    minutes, seconds = divmod(int(status.elapsed_s), 60)
    line = Text(f"● REC {minutes}:{seconds:02d}  ", style="bold red")
    line.append(meter(status.level), style="green" if status.speaking else "dim")
    if status.speaking:
        line.append("  speaking", style="green")
    elif status.started:
        line.append(f"  silence {status.silence_s:.1f}s", style="yellow")
    else:
        line.append("  waiting for you to start", style="dim")
    line.append("   Enter to finish", style="dim")
    if status.message:
        line.append(f"\n{status.message}", style="yellow")
    return line


class RecordingDisplay:
    """A one-line live view while recording; plain start/finish lines when not on a terminal."""

    what = "your answer"  # what is being recorded, for the plain start line
    refresh_per_second = 10

    def __init__(self, console: Console):
        self.console = console
        self._live = None
        self._said: set[str] = set()

    def __enter__(self) -> "RecordingDisplay":
        if self.console.is_terminal:
            self._live = Live(Text(""), console=self.console, refresh_per_second=self.refresh_per_second,
                              transient=True)
            self._live.__enter__()
        else:
            self.console.print(f"Recording… (stops after a pause at the end of {self.what})")
        return self

    def update(self, status: Status) -> None:
        if self._live is not None:
            self._live.update(status_line(status))
        elif status.message and status.message not in self._said:
            self._said.add(status.message)
            self.console.print(status.message)

    def __exit__(self, *exc) -> None:
        if self._live is not None:
            self._live.__exit__(*exc)
