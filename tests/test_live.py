"""Transcribing while the person speaks: the final transcript is as good as transcribing the whole
recording at once, and almost nothing is left to decode when the answer ends."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import word_error_rate
from rehearse.audio import load_audio
from rehearse.live import LiveTranscriber
from rehearse.record import ArraySource, RecordOptions, record

ANSWER = (
    "Two years ago our support team was drowning in tickets after a big product launch. "
    "My manager asked me to bring the backlog down before the holiday season. "
    "First I sorted the tickets by topic and found that half of them were about password resets. "
    "So I wrote a short help article and added a reset button to the login page. "
    "Then I trained two colleagues to handle the remaining billing questions. "
    "Within three weeks the backlog fell from nine hundred tickets to under a hundred, "
    "and customer satisfaction went up by twelve points."
)


class PacedSource(ArraySource):
    """Blocks at the pace a microphone delivers them."""

    def blocks(self):
        t0 = time.monotonic()
        for i, block in enumerate(super().blocks()):
            delay = t0 + i * 0.1 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            yield block


def test_live_transcript_matches_batch_and_leaves_little_for_the_end(synth, transcriber, tmp_path):
    audio = load_audio(synth(ANSWER, lead_s=1.0))
    live = LiveTranscriber(transcriber)
    rec = record(PacedSource(audio), tmp_path / "a.wav", RecordOptions(end_silence_s=3.0),
                 listeners=(live.feed,))
    decodes_while_speaking = live.decodes
    final = live.finish(rec.audio)
    batch = transcriber.transcribe(rec.audio)
    assert rec.stopped_by == "silence"
    assert decodes_while_speaking >= 2, "nothing was decoded while the answer was spoken"
    # Every word was decoded during the answer or its end-of-speech silence wait.
    assert live.speech_left_s == 0.0
    live_wer, batch_wer = word_error_rate(ANSWER, final.text), word_error_rate(ANSWER, batch.text)
    # One short answer: a word or two either way is noise (~1 point a word); scripts/bench holds
    # the pooled 1-point target over long answers and real speech.
    assert live_wer <= batch_wer + 0.05, (final.text, batch.text)
    times = [(w.start, w.end) for w in final.words]
    assert all(a[0] <= b[0] for a, b in zip(times, times[1:])), "words out of order across stretches"
    assert final.duration_s == pytest.approx(rec.duration_s)
