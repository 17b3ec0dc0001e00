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
                       timeout: float = 240) -> None:
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


class SpeakerOnsets:
    """The moments sound starts on the virtual speaker: read from its monitor in 20 ms pieces
    (10 ms of buffering); a start is three loud pieces in a row after at least 0.5 s of quiet."""

    PIECE = 640  # bytes: 20 ms of 16-bit mono at 16 kHz

    def __init__(self) -> None:
        self.onsets: list[float] = []
        self._rec = subprocess.Popen(["parec", "--device=spk.monitor", "--format=s16le", "--rate=16000",
                                      "--channels=1", "--latency-msec=10"], stdout=subprocess.PIPE)
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        import numpy as np

        loud: list[float] = []  # arrival times of the loud pieces in a row so far
        sounded = float("-inf")  # when the last loud run before this one ended
        while data := self._rec.stdout.read(self.PIECE):
            now = time.monotonic()
            if np.abs(np.frombuffer(data, np.int16)).max() > 0.01 * 32768:
                loud.append(now)
                if len(loud) == 3 and loud[0] - sounded > 0.5:
                    self.onsets.append(loud[0])
            elif loud:
                sounded, loud = (loud[-1] if len(loud) >= 3 else sounded), []

    def first_after(self, moment: float, timeout_s: float = 60.0) -> float:
        """The first start after `moment`, waiting up to `timeout_s` for it (NaN: none)."""
        deadline = time.monotonic() + timeout_s
        while not (later := [t for t in self.onsets if t > moment]):
            if time.monotonic() >= deadline:
                return float("nan")
            time.sleep(0.02)
        return later[0]

    def close(self) -> None:
        self._rec.terminate()
        self._rec.wait()
