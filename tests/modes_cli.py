"""Driving a recording command as a user runs it: a separate process whose stderr is watched for
"Recording", so that speech is played into the virtual microphone only once it listens."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from conftest import ROOT


def start(*args: str) -> tuple[subprocess.Popen, list[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "rehearse", *args], cwd=ROOT, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True).start()
    return proc, lines


def wait_for_recording(lines: list[str], proc: subprocess.Popen, count: int = 1,
                       timeout: float = 90) -> None:
    """Until the `count`-th recording has started and its stream listens to the microphone.

    "Recording" is printed before PortAudio has opened the stream, which can take seconds on a
    loaded machine; speech played before that is lost, so the test waits for the stream itself."""
    deadline = time.monotonic() + timeout
    while sum("Recording" in line for line in lines) < count or not _listening():
        assert proc.poll() is None, f"rehearse exited early: {''.join(lines)}"
        assert time.monotonic() < deadline, f"no recording #{count}: {''.join(lines)}"
        time.sleep(0.05)
    time.sleep(0.3)


def _listening() -> bool:
    """A recording stream is connected to the virtual microphone's monitor."""
    sources = subprocess.run(["pactl", "list", "short", "sources"], capture_output=True, text=True).stdout
    mic = {line.split()[0] for line in sources.splitlines() if "\tmic.monitor\t" in f"\t{line}\t"
           or line.split()[1:2] == ["mic.monitor"]}
    outputs = subprocess.run(["pactl", "list", "short", "source-outputs"], capture_output=True, text=True).stdout
    return any(line.split()[1:2] and line.split()[1] in mic for line in outputs.splitlines())


def play(path) -> None:
    subprocess.run(["paplay", "--device=mic", str(path)], check=True)
