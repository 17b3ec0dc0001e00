"""End to end with the real recognizer: an "um" spliced between two sentences of a synthesized
answer is counted as an um, in the JSON and in the terminal summary — whether the recognizer
writes it down (espeak-ng's "um", with the filler hint) or drops it (a held vowel closed by a hum,
made here, decoded without the hint as Whisper decodes real speech: faster-whisper issue 901)."""

from __future__ import annotations

import numpy as np
import pytest
from rich.console import Console

from scripts.evaluation.evaluate_audio import synthesized
from rehearse.assess import assess
from rehearse.audio.sound import SAMPLE_RATE, load_audio
from rehearse.report import render
from rehearse.transcription.whisper import WhisperOptions, WhisperTranscriber
from test_filled_pauses import um

FIRST = "I rebuilt the billing export for our finance team last spring."
SECOND = "The monthly close went from four days to one."


def _trimmed(audio: np.ndarray) -> np.ndarray:
    loud = np.flatnonzero(np.abs(audio) > 1e-3)
    return audio[loud[0]: loud[-1] + 1]


def _spliced(first, middle, second):
    pause = np.zeros(int(0.45 * SAMPLE_RATE), dtype=np.float32)
    at = (len(first) + len(pause)) / SAMPLE_RATE
    audio = np.concatenate([first, pause, middle, pause, second, pause]).astype(np.float32)
    return audio, (at, at + len(middle) / SAMPLE_RATE)


@pytest.fixture(scope="module")
def spoken(tmp_path_factory):
    """(espeak's um spliced in, a made um spliced in, neither): each (audio, span of the um)."""
    folder = tmp_path_factory.mktemp("speech")
    paths = synthesized([FIRST, SECOND, "um"], "gmw/en-us", 160, folder)
    first, second, said = (_trimmed(load_audio(p)) for p in paths)
    made = um(110.0)
    made *= np.sqrt(np.mean(first ** 2) / np.mean(made ** 2))  # as loud as the voice
    return (_spliced(first, said, second), _spliced(first, made, second),
            _spliced(first, np.zeros(0, dtype=np.float32), second))


@pytest.fixture(scope="module")
def transcriber():
    return WhisperTranscriber()


def _near(filler: dict, span: tuple[float, float]) -> bool:
    return filler["start"] <= span[1] + 0.3 and filler["end"] >= span[0] - 0.3


@pytest.mark.parametrize("which, hint, kind", [
    (0, True, "transcribed"),  # espeak-ng's "um": Whisper writes it down
    (1, False, "possible"),  # dropped by the recognizer, heard in the audio
])
def test_a_spliced_um_is_counted_as_an_um(spoken, transcriber, which, hint, kind) -> None:
    audio, span = spoken[which]
    heard_by = transcriber if hint else WhisperTranscriber(WhisperOptions(hotwords=None))
    attempt = assess(heard_by.transcribe(audio), None, audio=audio, question_text="q")
    record = attempt.to_json()
    near = [f for f in record["fillers"] if _near(f, span)]
    assert [(f["word"], f["kind"]) for f in near] == [("um", kind)], record["fillers"]
    assert set(near[0]) >= {"word", "start", "end", "char_start", "kind", "confidence", "sure"}
    console = Console(width=160, record=True, color_system=None)
    console.print(render(attempt))
    shown = console.export_text()
    assert "Fillers 1" in shown and "at least" not in shown
    assert ("um ×1" in shown) == near[0]["sure"] and ("1 unsure" in shown) != near[0]["sure"]


def test_the_same_answer_without_it_has_no_filler(spoken, transcriber) -> None:
    audio, _ = spoken[2]
    record = assess(transcriber.transcribe(audio), None, audio=audio, question_text="q").to_json()
    assert record["fillers"] == []
