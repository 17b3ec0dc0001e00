"""Transcribing while the person speaks: the final transcript is as good as transcribing the whole
recording at once, and almost nothing is left to decode when the answer ends."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import word_error_rate
from rehearse.audio.recorder import ArraySource, RecordOptions, record
from rehearse.audio.sound import load_audio
from rehearse.transcription.live import LiveTranscriber

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
    """Blocks at the pace a microphone delivers them; notes when the answer's audio ran out."""

    answer_over_at: float | None = None  # time.monotonic() when the first block after it went out

    def blocks(self):
        t0 = time.monotonic()
        answer_blocks = -(-len(self._audio) // self._block)
        for i, block in enumerate(super().blocks()):
            delay = t0 + i * 0.1 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if i == answer_blocks:
                self.answer_over_at = time.monotonic()
            yield block


class TimedTranscriber:
    """The real transcriber, noting when each decode started and ended."""

    def __init__(self, transcriber):
        self.transcriber, self.decodes = transcriber, []

    def transcribe(self, audio, offset_s: float = 0.0):
        started = time.monotonic()
        try:
            return self.transcriber.transcribe(audio, offset_s=offset_s)
        finally:
            self.decodes.append((started, time.monotonic()))


def test_live_transcript_matches_batch_and_leaves_little_for_the_end(synth, transcriber, tmp_path):
    audio = load_audio(synth(ANSWER, lead_s=1.0))  # about 30 s of speech
    source, timed = PacedSource(audio), TimedTranscriber(transcriber)
    live = LiveTranscriber(timed)
    # A long end-of-speech wait: on a busy machine a stretch can still be decoding when the answer
    # ends, and the tail is only decoded in the wait once it is done (scripts/bench times the wait).
    rec = record(source, tmp_path / "a.wav", RecordOptions(end_silence_s=10.0), listeners=(live.feed,))
    final = live.finish(rec.audio)
    batch = transcriber.transcribe(rec.audio)
    assert rec.stopped_by == "silence"
    # The audio came at the pace of speech, so the first stretch (about 10 s) was handed over some
    # 20 s before the answer ended: time for its decode even at a tenth of the usual speed.
    assert any(end < source.answer_over_at for _, end in timed.decodes), \
        "nothing was decoded while the answer was spoken"
    # Every word was decoded during the answer or its end-of-speech silence wait.
    assert live.speech_left_s == 0.0
    live_wer, batch_wer = word_error_rate(ANSWER, final.text), word_error_rate(ANSWER, batch.text)
    # One short answer: a word or two either way is noise (~1 point a word); scripts/bench holds
    # the pooled 1-point target over long answers and real speech.
    assert live_wer <= batch_wer + 0.05, (final.text, batch.text)
    times = [(w.start, w.end) for w in final.words]
    assert all(a[0] <= b[0] for a, b in zip(times, times[1:])), "words out of order across stretches"
    assert final.duration_s == pytest.approx(rec.duration_s)


class SpanTranscriber:
    """Records which audio it was asked to decode; each second of sound comes back as one word."""

    def __init__(self):
        self.spans: list[tuple[float, float]] = []

    def transcribe(self, audio, offset_s: float = 0.0):
        import numpy as np

        from rehearse.transcription.whisper import transcript_from_words

        self.spans.append((round(offset_s, 2), round(offset_s + len(audio) / 16000, 2)))
        loud = [i for i in range(0, len(audio) // 16000) if np.abs(audio[i * 16000:(i + 1) * 16000]).max() > 0]
        return transcript_from_words([(f"w{offset_s + i:.0f}", offset_s + i, offset_s + i + 0.9, 0.9)
                                      for i in loud])


def test_a_tail_decoded_in_a_pause_is_not_decoded_again():
    """9.2 s of speech, then silence: the tail decoded at 0.5 s of silence becomes the committed
    stretch once enough audio is pending, instead of the same audio being decoded again."""
    import numpy as np

    from rehearse.audio.vad import VAD_WINDOW

    fake = SpanTranscriber()
    live = LiveTranscriber(fake)
    block = 3 * VAD_WINDOW  # three VAD decisions a block
    speech = int(9.2 * 16000) // block * block
    audio = np.zeros(speech + 3 * 16000 // block * block, np.float32)
    audio[:speech] = 0.1
    for i in range(0, len(audio), block):
        live.feed(audio[i : i + block], np.full(3, 0.9 if i < speech else 0.0, np.float32))
        live._idle.wait()  # a decode as fast as the machine allows
    decoded_while_recording = list(fake.spans)
    final = live.finish(audio)
    assert fake.spans == decoded_while_recording, "the end of the answer was decoded after it"
    assert all(a[1] <= b[0] for a, b in zip(fake.spans, fake.spans[1:])), f"audio decoded twice: {fake.spans}"
    assert [w.word for w in final.words] == [f"w{i}" for i in range(9)]
