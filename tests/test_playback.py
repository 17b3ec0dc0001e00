"""Sound played on the virtual speaker is heard to its end: recorded from the speaker's monitor,
a sequence of six tones comes back whole, its last tone included."""

from __future__ import annotations

import subprocess
import time

import numpy as np
import pytest

from rehearse.audio.sound import load_audio, play, play_pieces

RATE = 22050
SLOT_S = 0.5
FREQS = [300, 400, 500, 600, 700, 800]


def tones() -> np.ndarray:
    slot = np.arange(int(SLOT_S * RATE)) / RATE
    return np.concatenate([0.3 * np.sin(2 * np.pi * f * slot) for f in FREQS]).astype(np.float32)


def heard_sounds(path) -> list[np.ndarray]:
    """The loud stretches of a recording, split at gaps of over 0.1 s."""
    audio = load_audio(path)
    loud = np.flatnonzero(np.abs(audio) > 0.05)
    cuts = np.flatnonzero(np.diff(loud) > 1600)
    starts = np.r_[loud[0], loud[cuts + 1]]
    ends = np.r_[loud[cuts], loud[-1]]
    return [audio[a:b + 1] for a, b in zip(starts, ends)]


def frequency(samples: np.ndarray) -> float:
    crossings = np.count_nonzero(np.diff(np.signbit(samples)))
    return crossings / 2 / (len(samples) / 16000)


@pytest.mark.parametrize("player", ["pieces", "whole"])
def test_the_end_of_a_sound_is_heard(virtual_audio, tmp_path, player):
    recording = tmp_path / "speaker.wav"
    capture = subprocess.Popen(["parecord", "--device=spk.monitor", "--file-format=wav", str(recording)])
    try:
        time.sleep(0.5)
        lead_in = np.zeros(int(0.5 * RATE), dtype=np.float32)  # a sound server's slow first moment
        for _ in range(2):
            if player == "pieces":
                play_pieces([lead_in, tones()[:RATE], tones()[RATE:]], RATE, None)
            else:
                play(np.concatenate([lead_in, tones()]), RATE, None)
        time.sleep(0.5)
    finally:
        capture.terminate()
        capture.wait()
    sounds = heard_sounds(recording)
    assert len(sounds) == 2, [len(s) / 16000 for s in sounds]
    last = sounds[-1]  # the first may lose its start on a server that has just woken
    assert len(last) / 16000 == pytest.approx(len(FREQS) * SLOT_S, abs=0.05)
    assert frequency(last[-4000:-800]) == pytest.approx(FREQS[-1], rel=0.05)
    assert frequency(last[800:4000]) == pytest.approx(FREQS[0], rel=0.05)
