"""Our transcript type and the filter for distant voices, on real audio levels."""

from __future__ import annotations

import numpy as np
import pytest

from rehearse.transcription.whisper import transcript_from_text, transcript_from_words, without_faint_words

RATE = 16000


def tone(seconds: float, amplitude: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


@pytest.mark.parametrize("amplitudes, kept", [
    ([0.3] * 6, 6),  # one voice: everything stays
    ([0.3] * 5 + [0.3 / 30], 5),  # ~30 dB quieter: someone across the room
    ([0.3] * 5 + [0.3 / 5], 6),  # ~14 dB quieter: the same person trailing off stays
    ([0.3, 0.003, 0.003], 3),  # too few words to judge
])
def test_faint_words_dropped(amplitudes, kept):
    audio = np.concatenate([tone(0.5, a) for a in amplitudes])
    words = [(f"w{i}", i * 0.5, i * 0.5 + 0.4, 0.9) for i in range(len(amplitudes))]
    result = without_faint_words(transcript_from_words(words, len(audio) / RATE), audio)
    assert len(result.words) == kept
    assert result.text == " ".join(w.word for w in result.words)


@pytest.mark.parametrize("raw, text, offsets", [
    ([(" Hello,", 0.0, 0.4, 0.9), (" world.", 0.5, 0.9, 0.8)], "Hello, world.", [0, 7]),
    ([(" .", 0.0, 0.1, 0.2), (" Um,", 0.2, 0.4, 0.5), (" yes", 0.5, 0.7, 0.9)], "Um, yes", [0, 4]),
])
def test_words_join_with_offsets(raw, text, offsets):
    transcript = transcript_from_words(raw, 1.0)
    assert transcript.text == text
    assert [w.char_start for w in transcript.words] == offsets


def test_typed_text_has_offsets_and_no_times():
    transcript = transcript_from_text("  I led\n the  team. ")
    assert transcript.text == "I led the team."
    assert [(w.word, w.char_start, w.start) for w in transcript.words] == [
        ("I", 0, None), ("led", 2, None), ("the", 6, None), ("team.", 10, None)]


@pytest.mark.parametrize("seconds, most_tokens", [(2.0, 32), (4.2, 49), (16.0, 144), (300.0, 256)])
def test_a_decode_that_loops_is_cut_short(seconds, most_tokens):
    """Whisper may loop on audio cut mid-word ("uh uh uh ..."): the tokens it may make for a window
    grow with the audio it holds (30 s at most)."""
    from rehearse.transcription.whisper import WhisperTranscriber

    asked = {}

    class Model:
        def transcribe(self, audio, **options):
            asked.update(options)
            return iter(()), None

    transcriber = WhisperTranscriber()
    transcriber._model = Model()
    transcriber.transcribe(np.zeros(int(seconds * RATE), np.float32))
    assert asked["max_new_tokens"] == most_tokens
