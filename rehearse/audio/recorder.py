"""Recording one answer: microphone blocks to a WAV on disk, with end-of-speech detection.

As in python-sounddevice's rec_unlimited example, the stream callback only copies blocks into a
queue; this thread writes them to disk, runs the VAD and decides when the answer is over. Each
block is also handed to listeners, so that a transcriber can work while the person speaks.
"""

from __future__ import annotations

import dataclasses
import queue
import time
from pathlib import Path
from typing import Callable, Iterator, Protocol

import numpy as np

from rehearse.audio.sound import BLOCK_S, SAMPLE_RATE, WavWriter, read_wav
from rehearse.audio.vad import SILENCE_PROB, SPEECH_PROB, VAD_WINDOW, StreamingVad, segments_from_probs
from rehearse.errors import DeviceError, StorageError

MIN_SPEECH_S = 0.25  # speech needed before we believe the person has started answering
MUTED_PEAK = 1e-4  # a peak this low over the first seconds means no signal at all


@dataclasses.dataclass(frozen=True)
class RecordOptions:
    end_silence_s: float = 3.0  # silence after speech that ends the answer
    think_time_s: float = 20.0  # silence allowed before the first word, then a nudge
    max_seconds: float = 240.0  # hard stop
    mute_check_s: float = 3.0  # dead silence this long at the start: warn that the mic may be muted


@dataclasses.dataclass
class Recording:
    path: Path
    audio: np.ndarray  # 16 kHz mono float32, everything that was recorded
    stopped_by: str  # "silence", "enter", "interrupt", "max", "device", "end"
    speech_start_s: float | None  # when speech was first heard, None if never
    speech_end_s: float | None  # end of the last speech heard
    overflows: int = 0  # input blocks the sound system dropped
    warnings: list[str] = dataclasses.field(default_factory=list)
    vad_probs: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, np.float32))

    def speech_segments(self) -> list[tuple[float, float]]:
        """Speech regions from the VAD decisions already made while recording."""
        return segments_from_probs(self.vad_probs)

    @property
    def duration_s(self) -> float:
        return len(self.audio) / SAMPLE_RATE


class SpeechTracker:
    """Turns per-window speech probabilities into 'started', 'last speech' and silence length."""

    def __init__(self, window_s: float = VAD_WINDOW / SAMPLE_RATE):
        self.window_s = window_s
        self.t = 0.0  # end time of the last window seen
        self.start_s: float | None = None  # start of the first run of speech long enough to count
        self.last_speech_s: float | None = None
        self._run_start: float | None = None  # start of the current run of speech windows

    def feed(self, prob: float) -> None:
        window_start, self.t = self.t, self.t + self.window_s
        if prob >= SPEECH_PROB or (self._run_start is not None and prob >= SILENCE_PROB):
            if self._run_start is None:
                self._run_start = window_start
            self.last_speech_s = self.t
            if self.start_s is None and self.t - self._run_start >= MIN_SPEECH_S:
                self.start_s = self._run_start
        else:
            self._run_start = None

    @property
    def started(self) -> bool:
        return self.start_s is not None

    @property
    def speaking(self) -> bool:
        return self._run_start is not None

    def silence_s(self) -> float:
        """Silence since the last speech that counted (or since the start, before any)."""
        return self.t - (self.last_speech_s if self.started else 0.0)


class BlockSource(Protocol):
    """Where audio blocks come from: a microphone, or an array in tests."""

    overflows: int

    def blocks(self) -> Iterator[np.ndarray]: ...

    def close(self) -> None: ...


class MicrophoneSource:
    def __init__(self, device: int | None, block_s: float = BLOCK_S):
        from rehearse.audio.sound import _sounddevice
        from rehearse.audio.quiet import quiet_stderr

        sd = _sounddevice()
        self.overflows = 0
        self._queue: queue.Queue[np.ndarray] = queue.Queue()
        try:
            with quiet_stderr():  # PortAudio's notes while it opens and starts the stream
                self._stream = sd.InputStream(
                    samplerate=SAMPLE_RATE, channels=1, dtype="float32", device=device,
                    blocksize=int(SAMPLE_RATE * block_s), callback=self._callback,
                    # PortAudio's "high" default latency makes PulseAudio deliver blocks seconds late.
                    latency="low",
                )
                self._stream.start()
        except Exception as exc:
            raise DeviceError(f"cannot open input device {device}: {exc}") from exc

    def _callback(self, indata, frames, time_info, status) -> None:
        if status.input_overflow:
            self.overflows += 1
        self._queue.put(indata[:, 0].copy())

    def blocks(self) -> Iterator[np.ndarray]:
        timeout = 5.0  # the first block may take a moment while the device starts
        while True:
            try:
                yield self._queue.get(timeout=timeout)
                timeout = 2.0
            except queue.Empty:
                # No block for two seconds: the device went away or stopped delivering.
                raise DeviceError("the input device stopped delivering audio") from None

    def close(self) -> None:
        from rehearse.audio.quiet import quiet_stderr

        try:
            with quiet_stderr():
                self._stream.stop()
                self._stream.close()
        except Exception:
            pass  # the device may already be gone; the recording is safe on disk


class ArraySource:
    """Blocks from an array, then silence: stands in for a microphone in unit tests."""

    def __init__(self, audio: np.ndarray, block_s: float = BLOCK_S, tail_s: float = 600.0):
        self.overflows = 0
        self._audio = np.asarray(audio, dtype=np.float32)
        self._block = int(SAMPLE_RATE * block_s)
        self._tail = int(tail_s / block_s)

    def blocks(self) -> Iterator[np.ndarray]:
        for i in range(0, len(self._audio), self._block):
            yield self._audio[i : i + self._block]
        for _ in range(self._tail):
            yield np.zeros(self._block, dtype=np.float32)

    def close(self) -> None:
        pass


@dataclasses.dataclass
class Status:
    """What the live display shows, updated once a block."""

    elapsed_s: float = 0.0
    level: float = 0.0  # peak of the last block, 0..1
    speaking: bool = False
    started: bool = False
    silence_s: float = 0.0
    message: str = ""


Listener = Callable[[np.ndarray, np.ndarray], None]  # (block, VAD probabilities of its windows)


class EndOfTurn(Protocol):
    """Decides when the answer is over, instead of a fixed silence (rehearse.turn.ending.TurnJudge)."""

    def should_end(self, silence_s: float) -> bool: ...


def record(
    source: BlockSource,
    path: Path,
    options: RecordOptions = RecordOptions(),
    *,
    listeners: tuple[Listener, ...] = (),
    on_status: Callable[[Status], None] = lambda status: None,
    enter_pressed: Callable[[], bool] = lambda: False,
    end_of_turn: EndOfTurn | None = None,
) -> Recording:
    """Record until end of speech, Enter, Ctrl-C, the time limit or a lost device.

    End of speech is `options.end_silence_s` of silence, or whatever `end_of_turn` decides.
    """
    writer = WavWriter(path)
    vad, tracker, status = StreamingVad(), SpeechTracker(), Status()
    all_probs: list[np.ndarray] = []
    warnings: list[str] = []
    stopped_by, peak, nudged = "end", 0.0, False
    try:
        for block in source.blocks():
            writer.write(block)
            probs = vad.feed(block)
            all_probs.append(probs)
            for prob in probs:
                tracker.feed(float(prob))
            for listener in listeners:
                listener(block, probs)
            status.elapsed_s = writer.frames / SAMPLE_RATE
            status.level = float(np.max(np.abs(block))) if len(block) else 0.0
            peak = max(peak, status.level)
            status.speaking, status.started = tracker.speaking, tracker.started
            status.silence_s = tracker.silence_s()
            if not nudged and not tracker.started and status.elapsed_s >= options.think_time_s:
                nudged = True
                status.message = "Take your time. Start whenever you are ready; press Enter to skip."
            if status.elapsed_s >= options.mute_check_s and peak < MUTED_PEAK and not warnings:
                warnings.append("no sound at all from the microphone: it may be muted or unplugged")
                status.message = warnings[-1]
            on_status(status)
            stopped_by = _stop_reason(tracker, status, options, enter_pressed, end_of_turn)
            if stopped_by:
                break
    except KeyboardInterrupt:
        stopped_by = "interrupt"
    except DeviceError as exc:
        stopped_by = "device"
        warnings.append(f"recording stopped: {exc}")
    except StorageError:
        writer.close()
        raise
    finally:
        source.close()
        writer.close()
    # The audio is not kept in memory while recording (a long take stays flat); read it back.
    audio = read_wav(path) if writer.frames else np.zeros(0, dtype=np.float32)
    probs = np.concatenate(all_probs) if all_probs else np.zeros(0, np.float32)
    return Recording(path, audio, stopped_by or "end", tracker.start_s, tracker.last_speech_s,
                     source.overflows, warnings, probs)


def _stop_reason(tracker: SpeechTracker, status: Status, options: RecordOptions,
                 enter_pressed: Callable[[], bool], end_of_turn: EndOfTurn | None) -> str:
    if tracker.started and _over(tracker.silence_s(), options, end_of_turn):
        return "silence"
    if status.elapsed_s >= options.max_seconds:
        return "max"
    if enter_pressed():
        return "enter"
    return ""


def _over(silence_s: float, options: RecordOptions, end_of_turn: EndOfTurn | None) -> bool:
    if end_of_turn is None:
        return silence_s >= options.end_silence_s
    return end_of_turn.should_end(silence_s)
