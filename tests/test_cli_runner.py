"""The command line on fakes, through the seam the commands take their parts from: the whole
`rehearse` group run by click's CliRunner with `obj=` components whose microphone plays a WAV,
whose recognizer hears each take as a given text and whose speaker writes down what it says.
Everything else is real: the question bank, the recorder and its voice-activity detector, the
analysis, the report, the SQLite history in the test's data folder, the error line.

The middle tier between the pure tests and the end-to-end ones on the real model and devices
(test_practice_e2e.py, test_modes_interview.py …), which these do not replace."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import AUDIO
from rehearse.cli.app import cli
from rehearse.cli.components import Components
from rehearse.errors import DeviceError

QUESTION_ID = "deadline-about-to-miss"
# An answer with no result: the interviewer asks for it.
NO_RESULT = ("In my last job, the weekly reports for our biggest customer were always late, and "
             "they were unhappy. I was responsible for the reporting pipeline, so I rewrote the export "
             "job and added monitoring and alerts.")
WITH_RESULT = (f"{NO_RESULT} After that, the reports arrived on time every week, and the customer "
               "renewed their contract for two more years.")
REPLY = "As a result, the reports arrived on time every week, and the customer renewed their contract."
CONTRACT = {"question", "audio_path", "duration_s", "transcript", "metrics", "fillers", "star", "tips",
            "pauses", "specificity", "length", "voice", "quality", "timing"}


class FakeSpeaker:
    """Says nothing; keeps what it was asked to say."""

    def __init__(self):
        self.said: list[str] = []

    def say(self, text, on_start=None):
        self.said.append(text)
        if on_start is not None:
            on_start()

    def prepare(self, *texts):
        pass

    def close(self):
        pass


class FakeTranscriber:
    """Hears the microphone's current take as its text, the words spread over the take's speech,
    with times as the real one gives them (from the start of the take, `offset_s` added)."""

    def __init__(self, components: "FakeComponents"):
        self.components = components

    def transcribe(self, audio, offset_s: float = 0.0):
        from rehearse.transcription.whisper import transcript_from_words

        start, end = offset_s, offset_s + len(audio) / 16000
        words = [w for w in self.components.heard() if start <= (w[1] + w[2]) / 2 < end]
        return transcript_from_words(words, duration_s=len(audio) / 16000)


class FakeComponents(Components):
    """A microphone that plays a recorded interview answer once per take, a recognizer that hears
    take n as texts[n], a speaker that only listens, no turn-end model."""

    def __init__(self, *texts: str):
        from rehearse.audio.sound import load_audio
        from rehearse.audio.vad import speech_segments

        self.audio = load_audio(AUDIO / "uberi_short_interview.flac")
        self.texts = texts
        self.segments = speech_segments(self.audio)
        self.takes = 0
        self.voice = FakeSpeaker()
        self.models: list[str | None] = []  # the --model each transcriber was made for
        self._heard: dict[int, list] = {}

    def heard(self) -> list[tuple[str, float, float, float]]:
        """The current take's words, one in each equal share of the WAV's speech, where it is loudest
        (the recognizer's faint-word filter keeps them)."""
        take = max(self.takes, 1)
        if take not in self._heard:
            words = self.texts[take - 1].split()
            times = np.concatenate([np.arange(a, b, 0.01) for a, b in self.segments])
            self._heard[take] = [(word, *self._loudest(share[0], share[-1]), 0.9)
                                 for word, share in zip(words, np.array_split(times, len(words)))]
        return self._heard[take]

    def _loudest(self, start: float, end: float, length: float = 0.2) -> tuple[float, float]:
        piece = self.audio[int(start * 16000):int(end * 16000) + 1]
        window = int(length * 16000)
        if len(piece) <= window:
            return start, start + length
        energy = np.convolve(np.square(piece), np.ones(window), "valid")
        at = start + int(np.argmax(energy)) / 16000
        return at, at + length

    def transcriber(self, model):
        self.models.append(model)
        return FakeTranscriber(self)

    def microphone(self, device):
        from rehearse.audio.recorder import ArraySource

        def open_take():
            self.takes += 1
            return ArraySource(self.audio)

        return open_take

    def speaker(self, enabled, device, voice):
        return self.voice

    def turn_model(self):
        return None


class NothingReal(Components):
    """Components that fail if anything asks for a model, a microphone or a voice."""

    def transcriber(self, model):
        raise AssertionError("a model was loaded")

    def microphone(self, device):
        raise AssertionError("a microphone was opened")

    def speaker(self, enabled, device, voice):
        raise AssertionError("a voice was made")

    def turn_model(self):
        raise AssertionError("the turn-end model was loaded")


def run(components: Components, *args: str, code: int = 0, input: str | None = None):
    result = CliRunner().invoke(cli, list(args), obj=components, input=input)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def json_lines(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def practised(*texts: str, args: tuple[str, ...] = ()) -> tuple[FakeComponents, dict]:
    components = FakeComponents(*texts)
    (record,) = json_lines(run(components, "practice", "--question-id", QUESTION_ID, "--json", *args))
    return components, record


def test_practice_one_answer_json(data_home):
    components, record = practised(WITH_RESULT)
    assert CONTRACT <= set(record), CONTRACT - set(record)
    assert record["question"]["id"] == QUESTION_ID
    assert components.voice.said == [record["question"]["text"]] and components.takes == 1
    assert "renewed their contract" in record["transcript"]["text"]
    assert record["star"]["result"]["present"]
    assert record["audio_path"].startswith(str(data_home)) and record["duration_s"] > 20
    assert record["timing"]["live_decodes"] >= 1  # transcribed while the take played
    assert components.models == [None]


def test_practice_one_answer_report(data_home):
    components = FakeComponents(NO_RESULT)
    result = run(components, "practice", "--question-id", QUESTION_ID, "--end-silence", "1.5")
    question, err, out = (" ".join(text.split())
                          for text in (components.voice.said[0], result.stderr, result.stdout))
    assert question in err and question not in out  # shown once, above the recording
    assert "Tips" in result.stdout and "result" in result.stdout.lower()
    assert "Saved" in result.stdout and str(data_home) in result.stdout.replace("\n", "")


def test_the_default_command_is_practice():
    components = FakeComponents(WITH_RESULT)
    (record,) = json_lines(run(components, "--question-id", QUESTION_ID, "--json", "--no-live"))
    assert record["question"]["id"] == QUESTION_ID and record["timing"]["live_decodes"] == 0


def test_retry_compares_with_the_first_answer():
    practised(NO_RESULT)
    components = FakeComponents(WITH_RESULT)
    *records, comparison = json_lines(run(components, "retry", "1", "--json", "--model", "tiny.en"))
    assert len(records) == 1 and records[0]["question"]["id"] == QUESTION_ID
    assert comparison["a"]["id"] == 1 and comparison["b"]["id"] == 2
    assert comparison["counts"]["added"] >= 10, comparison["counts"]  # the result was added
    assert components.models == ["tiny.en"]


def test_history_and_show_use_no_model_or_device():
    _, record = practised(WITH_RESULT)
    listed = json_lines(run(NothingReal(), "history", "--json"))[0]
    assert [a["id"] for a in listed] == [1] and listed[0]["question_id"] == QUESTION_ID
    shown = json_lines(run(NothingReal(), "show", "1", "--json"))[0]
    assert shown["transcript"]["text"] == record["transcript"]["text"]
    text = run(NothingReal(), "show", "1").stdout
    assert "renewed their contract" in " ".join(text.split())


def test_help_builds_nothing():
    result = run(NothingReal(), "--help")
    assert "practice" in result.stdout and "history" in result.stdout


def test_analyze_text(tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text(WITH_RESULT)
    (record,) = json_lines(run(NothingReal(), "analyze", "--text", str(answer), "--json"))
    assert {"question", "transcript", "metrics", "fillers", "star", "tips"} <= set(record)
    assert record["question"]["id"] is None and record["audio_path"] is None
    assert record["transcript"]["text"] == WITH_RESULT
    report = run(NothingReal(), "analyze", "--text", "-", input=NO_RESULT).stdout
    assert "Tips" in report


def test_analyze_one_recording_on_the_given_model():
    components = FakeComponents(WITH_RESULT)
    wav = str(AUDIO / "uberi_short_interview.flac")
    (record,) = json_lines(run(components, "analyze", wav, "--json", "--model", "base"))
    assert components.models == ["base"] and "renewed their contract" in record["transcript"]["text"]


def test_ask_text(tmp_path):
    asked = tmp_path / "asked.txt"
    asked.write_text("What are the biggest challenges the team faces this year? How is success measured?")
    (result,) = json_lines(run(NothingReal(), "ask", "--text", str(asked), "--json"))
    assert [q["verdict"] for q in result["candidate_questions"]] == ["thoughtful", "thoughtful"]
    assert "suggestions" in result


def test_interview_asks_a_follow_up():
    components = FakeComponents(NO_RESULT, REPLY)
    *records, summary = json_lines(run(components, "interview", "--question-id", QUESTION_ID, "--json",
                                       "--end-silence", "1.5"))
    (record,) = records
    assert components.voice.said == [record["question"]["text"], "And what was the result?"]
    assert components.takes == 2  # the answer, then the reply
    follow_up = record["follow_up"]
    assert follow_up["asked"] and follow_up["finding"] == "no_result"
    assert "renewed their contract" in follow_up["transcript"]
    assert record["star"]["result"]["present"]  # the reply completed the story
    assert summary["overall"]["follow_ups_asked"] == 1 and summary["report_path"].endswith(".html")


@pytest.mark.parametrize("args, code, fragment", [
    (("practice", "--question-id", "no-such-question", "--no-voice"), 2, "unknown question id"),
    (("practice", "--count", "0"), 2, "--count"),
    (("show", "7"), 2, "no attempt with id 7"),
    (("analyze", "--text", "missing.txt"), 3, "no such file"),
])
def test_bad_input_is_one_line(args, code, fragment):
    result = run(NothingReal(), *args, code=code)
    err = result.stderr
    assert err.startswith("rehearse: error: ") and fragment in err and len(err.strip().splitlines()) == 1, err
    assert result.stdout == ""


class NoMicrophone(FakeComponents):
    def microphone(self, device):
        raise DeviceError(f"no input device matches '{device}'")


def test_a_missing_microphone_is_one_line_and_nothing_is_asked(data_home):
    components = NoMicrophone(WITH_RESULT)
    result = run(components, "practice", "--input-device", "usb", code=4)
    assert result.stderr == "rehearse: error: no input device matches 'usb'\n"
    assert components.voice.said == [] and not list(data_home.glob("*/*.wav"))
