"""A 30-minute take: memory stays flat while recording, and nothing of it is lost."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from rehearse.audio.recorder import ArraySource, RecordOptions, record
from rehearse.transcription.live import LiveTranscriber
from rehearse.transcription.whisper import transcript_from_words

MINUTES = 30


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


class Silent:
    """A transcriber that hears nothing: this test is about memory, not words."""

    def transcribe(self, audio, offset_s=0.0):
        return transcript_from_words([], len(audio) / 16000)


@pytest.mark.audio  # thirty minutes of audio through the recorder: the slow tier
def test_thirty_minutes_keep_memory_flat(tmp_path):
    rng = np.random.default_rng(0)
    one_minute = (rng.standard_normal(16000 * 60) * 0.05).astype(np.float32)
    minutes = iter(range(MINUTES))

    class LongSource(ArraySource):
        def blocks(self):
            while next(minutes, None) is not None:
                yield from (one_minute[i : i + 1600] for i in range(0, len(one_minute), 1600))

    samples: list[float] = []
    live = LiveTranscriber(Silent())
    counter = iter(range(10**9))

    def watch(block, probs):
        live.feed(block, probs)
        if next(counter) % 600 == 0:  # once a minute of audio
            samples.append(rss_mb())

    rec = record(LongSource(np.zeros(0, np.float32)), tmp_path / "long.wav",
                 RecordOptions(max_seconds=MINUTES * 60 + 5), listeners=(watch,))
    assert soundfile.info(tmp_path / "long.wav").frames == MINUTES * 60 * 16000
    assert rec.duration_s == MINUTES * 60
    growth = max(samples) - samples[1]
    print(f"memory while recording {MINUTES} min: {samples[1]:.0f} MB -> {max(samples):.0f} MB")
    assert growth < 40, f"memory grew {growth:.0f} MB while recording"
