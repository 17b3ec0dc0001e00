"""A command as a person sees it: run in a real terminal (tmux) of a given size, its screen and
scrollback captured as text, and read back the way a person reads it.

Every capture a test takes is also written to tests/screens/, so a reviewer can read what the
person would have seen (the folder is not kept in git).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT

SIZES = [(80, 24), (120, 40)]
SCREENS = ROOT / "tests" / "screens"
# What the sound libraries print when left alone, and what a crash prints.
STRAY = ("ALSA lib", "Expression '", "pa_linux_alsa", "PortAudio", "snd_pcm", "Traceback", "jack")
_CONF = "set -g history-limit 50000\nset -g remain-on-exit on\nset -g status off\n"
_DEAD = re.compile(r"^Pane is dead")


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


class Screen:
    """One command in its own tmux server (a private socket), `size` columns by rows."""

    def __init__(self, folder: Path, name: str, size: tuple[int, int], *args: str, env: dict | None = None):
        self.name, self.size = name, size
        folder.mkdir(parents=True, exist_ok=True)
        self.socket = folder / f"tmux-{name}.sock"
        conf = folder / f"tmux-{name}.conf"
        conf.write_text(_CONF)
        environ = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        environ.update(env or {})
        # The exit status goes to a file: tmux 3.3 sometimes never reports a dead pane's status.
        self._status = folder / f"tmux-{name}.status"
        self._status.unlink(missing_ok=True)
        run = 'status="$1"; shift; "$@"; echo $? > "$status.part"; mv "$status.part" "$status"'
        self._tmux("-f", str(conf), "new-session", "-d", "-x", str(size[0]), "-y", str(size[1]),
                   "-c", str(ROOT), "sh", "-c", run, "sh", str(self._status),
                   sys.executable, "-m", "rehearse", *args, env=environ)
        self.saved: Path | None = None

    def _tmux(self, *args: str, env: dict | None = None) -> str:
        done = subprocess.run(["tmux", "-S", str(self.socket), *args], capture_output=True, text=True,
                              env=env, timeout=60)
        if done.returncode:
            raise RuntimeError(f"tmux {' '.join(args[:2])}: {done.stderr.strip()}")
        return done.stdout

    def capture(self) -> str:
        """The whole scrollback and the visible screen, as plain text, without tmux's own notes."""
        text = self._tmux("capture-pane", "-p", "-S", "-", "-E", "-")
        lines = [line.rstrip() for line in text.splitlines() if not _DEAD.match(line)]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) + "\n"

    def exit_status(self) -> int | None:
        """The command's exit status once it has ended; None while it runs."""
        return int(self._status.read_text()) if self._status.exists() else None

    def wait_for(self, ready, timeout: float, what: str) -> str:
        """Polls the screen until `ready(screen)`; the screen then. Fails with the screen shown."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.capture()
            if ready(screen):
                return screen
            if self.exit_status() is not None and not ready(screen := self.capture()):
                self.save(screen)
                raise AssertionError(f"{self.name}: ended before {what}:\n{screen}")
            if time.monotonic() > deadline:
                self.save(screen)
                raise AssertionError(f"{self.name}: no {what} after {timeout:.0f} s:\n{screen}")
            time.sleep(0.2)

    def wait_exit(self, timeout: float) -> tuple[int, str]:
        """The exit status and the final screen (saved for the reviewer)."""
        self.wait_for(lambda _: self.exit_status() is not None, timeout, "exit")
        screen = self.capture()
        self.save(screen)
        return self.exit_status(), screen

    def send(self, *keys: str) -> None:
        self._tmux("send-keys", *keys)

    def save(self, screen: str | None = None) -> Path:
        SCREENS.mkdir(exist_ok=True)
        self.saved = SCREENS / f"{self.name}-{size_id(self.size)}.txt"
        self.saved.write_text(screen if screen is not None else self.capture(), encoding="utf-8")
        return self.saved

    def close(self) -> None:
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True)


# --- reading a screen ---------------------------------------------------------------------------


def flat(text: str) -> str:
    """Lines joined as a reader joins them: a line break is a space, runs of spaces are one.

    A word cut in two at the edge of the screen stays cut, so a text found in `flat(screen)` was
    wrapped at word boundaries."""
    return " ".join(text.split())


def panel(screen: str, title: str) -> str:
    """The flattened text inside the box titled `title` (╭─ title ─…╮ … ╰…╯)."""
    lines = screen.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(rf"^╭─ {re.escape(title)} ─", line)), None)
    assert start is not None, f"no '{title}' panel on the screen:\n{screen}"
    inside = []
    for line in lines[start + 1:]:
        if line.startswith("╰"):
            break
        assert line.startswith("│") and line.endswith("│"), f"a broken '{title}' panel line: {line!r}"
        inside.append(line[1:-1])
    return flat("\n".join(inside))


def occurrences(screen: str, text: str) -> int:
    return flat(screen).count(flat(text))


def stray_lines(screen: str) -> list[str]:
    return [line for line in screen.splitlines() if any(s in line for s in STRAY)]


def in_order(screen: str, words: list[str]) -> bool:
    """Every word appears whole, in this order (for text wrapped inside a table's cell)."""
    tokens, at = flat(screen).split(), 0
    for word in words:
        while at < len(tokens) and tokens[at] != word:
            at += 1
        if at == len(tokens):
            return False
        at += 1
    return True
