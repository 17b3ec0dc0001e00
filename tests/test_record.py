"""Recording: end-of-speech rules on real (synthesized) speech through the real Silero VAD."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from rehearse.audio.recorder import ArraySource, RecordOptions, SpeechTracker, record
from rehearse.audio.sound import SAMPLE_RATE, load_audio
from rehearse.errors import DeviceError

W = 0.032  # one VAD window


@pytest.mark.parametrize("probs, started, start_s, silence_windows", [
    ([0.0] * 10, False, None, 10),
    ([0.9] * 3 + [0.0] * 5, False, None, 8),  # a click shorter than 0.25 s does not count
    ([0.0] * 2 + [0.9] * 10 + [0.0] * 4, True, 2 * W, 4),
    ([0.9] * 10 + [0.4] * 3 + [0.0] * 2, True, 0.0, 2),  # 0.4 continues speech already under way
    ([0.4] * 20, False, None, 20),  # but does not start it
    ([0.9] * 2 + [0.0] + [0.9] * 9 + [0.1], True, 3 * W, 1),
])
def test_speech_tracker(probs, started, start_s, silence_windows):
    tracker = SpeechTracker(W)
    for p in probs:
        tracker.feed(p)
    assert tracker.started == started
    assert tracker.start_s == (pytest.approx(start_s) if start_s is not None else None)
    assert tracker.silence_s() == pytest.approx(silence_windows * W)


@pytest.fixture(scope="module")
def answer(synth):
    return load_audio(synth("I fixed the build pipeline and we shipped the release two days early.", lead_s=1.0))


def test_stops_after_end_silence_and_keeps_everything(answer, tmp_path):
    heard = []
    rec = record(ArraySource(answer), tmp_path / "a.wav", RecordOptions(end_silence_s=1.5),
                 listeners=(lambda block, probs: heard.append(block),))
    assert rec.stopped_by == "silence"
    speech_len = len(answer) / SAMPLE_RATE
    assert 0.7 <= rec.speech_start_s <= 1.3
    assert speech_len - 0.6 <= rec.speech_end_s <= speech_len + 0.3
    assert rec.duration_s == pytest.approx(rec.speech_end_s + 1.5, abs=0.25)
    on_disk, rate = soundfile.read(tmp_path / "a.wav", dtype="float32")
    assert rate == SAMPLE_RATE and len(on_disk) == len(rec.audio)
    assert np.allclose(on_disk, rec.audio, atol=1 / 16000)
    assert sum(len(b) for b in heard) == len(rec.audio)


def test_never_stops_before_the_person_starts(tmp_path):
    statuses = []
    rec = record(ArraySource(np.zeros(0, np.float32)), tmp_path / "a.wav",
                 RecordOptions(end_silence_s=1.0, think_time_s=2.0, max_seconds=4.0),
                 on_status=lambda s: statuses.append(s.message))
    assert rec.stopped_by == "max"
    assert rec.speech_start_s is None
    assert any("Take your time" in m for m in statuses)
    assert any("muted" in w for w in rec.warnings)


def test_enter_stops(answer, tmp_path):
    presses = iter([False] * 5 + [True])
    rec = record(ArraySource(answer), tmp_path / "a.wav", enter_pressed=lambda: next(presses))
    assert rec.stopped_by == "enter" and rec.duration_s == pytest.approx(0.6)


def test_ctrl_c_keeps_the_answer(answer, tmp_path):
    def interrupt_after(n):
        blocks = iter(range(n))
        def listener(block, probs):
            if next(blocks, None) is None:
                raise KeyboardInterrupt
        return listener
    rec = record(ArraySource(answer), tmp_path / "a.wav", listeners=(interrupt_after(20),))
    assert rec.stopped_by == "interrupt"
    assert soundfile.info(tmp_path / "a.wav").frames == len(rec.audio) > 0


class VanishingSource(ArraySource):
    """A device that delivers some audio and then goes away."""

    def blocks(self):
        yield from list(super().blocks())[:15]
        raise DeviceError("the input device stopped delivering audio")


def test_device_lost_keeps_the_recording(answer, tmp_path):
    rec = record(VanishingSource(answer), tmp_path / "a.wav")
    assert rec.stopped_by == "device"
    assert any("stopped delivering" in w for w in rec.warnings)
    assert soundfile.info(tmp_path / "a.wav").frames == 15 * 1600
