"""The practice loop: question -> speak -> record -> transcribe -> analyze -> report -> save."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import time
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from rehearse.analyze.star_parse import load_parser
from rehearse.analyze.voice import Measures, VoiceTracker
from rehearse.assess import assess
from rehearse.attempt import Record, Timing
from rehearse.audio.recorder import BlockSource, RecordOptions, Recording, record
from rehearse.audio.speech import Speaker
from rehearse.errors import RehearseError
from rehearse.history import folder
from rehearse.questions import Question
from rehearse.report import print_report
from rehearse.terminal import RecordingDisplay, Terminal
from rehearse.transcription.live import LiveOptions, LiveTranscriber
from rehearse.transcription.whisper import Transcriber, Transcript, without_faint_words
from rehearse.turn.ending import TurnJudge, TurnOptions
from rehearse.turn.model import TurnModel

log = logging.getLogger("rehearse")


@dataclasses.dataclass(frozen=True)
class SessionOptions:
    record: RecordOptions = RecordOptions()
    json_out: bool = False  # one JSON object per answer on stdout instead of the report
    live: bool = True  # transcribe while the person speaks (False: all at once at the end)
    live_transcript: bool = False  # show the words as they are recognized
    # How an answer's end is found: the voice, the words and the story (rehearse.turn.ending); None:
    # after record.end_silence_s of silence, whatever was said (--end-silence).
    turn: TurnOptions | None = TurnOptions()


@dataclasses.dataclass(frozen=True)
class Answer:
    """One answer as heard, before it is analyzed."""

    transcript: Transcript
    audio: np.ndarray  # 16 kHz samples
    segments: list[tuple[float, float]]  # speech regions, seconds
    measures: Measures | None  # pitch and loudness taken while recording; None with --no-live


class AfterAnswer(Protocol):
    """A step between hearing an answer and analyzing it: the interviewer's follow-up."""

    def prompts(self) -> list[str]:
        """What it may say after an answer, so the voice can make it ahead."""

    def after(self, practice: "Practice", question: Question, answer: Answer,
              recording: Recording) -> tuple[Answer, dict]:
        """The answer to analyze (perhaps extended by a reply) and the keys it adds to the record."""


@dataclasses.dataclass
class Practice:
    """One practice session: the components it runs on, built by the CLI (or by tests)."""

    speaker: Speaker
    open_source: Callable[[], BlockSource]  # opens the microphone for one answer
    transcriber: Transcriber
    terminal: Terminal
    options: SessionOptions = SessionOptions()
    session_dir: Path | None = None
    turn_model: TurnModel | None = None  # hears whether the person sounds done (None: words and silence)
    after_answer: AfterAnswer | None = None  # a mock interview's follow-ups (None: plain practice)
    _loading: concurrent.futures.Future | None = None

    def start_loading_model(self) -> None:
        """Load the models in the background while the first question is being spoken: the
        recognizer, then the parse STAR reads answers with (about a second), so that neither
        is loaded after the answer ends."""
        load = getattr(self.transcriber, "load", None)
        if load is not None and self._loading is None:
            pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="model")
            self._loading = pool.submit(load)
            pool.submit(load_parser)
            if hasattr(self.turn_model, "load"):  # a failure shows when the model is first used
                pool.submit(self.turn_model.load)
            pool.shutdown(wait=False)

    def run(self, questions: list[Question]) -> list[Record]:
        self.speaker.prepare(questions[0].text)  # the voice loads and speaks as soon as it can
        self.session_dir = self.session_dir or folder.new_session_dir()
        records = []
        try:
            for number, question in enumerate(questions, 1):
                upcoming = [q.text for q in questions[number:number + 1]]
                records.append(self.ask(question, number, len(questions), upcoming))
        finally:
            self.speaker.close()  # no synthesis outlives the session, even on Ctrl-C
        return records

    def ask(self, question: Question, number: int = 1, total: int = 1,
            upcoming: Sequence[str] = ()) -> Record:
        err = self.terminal.err
        err.rule(f"Question {number} of {total}" if total > 1 else "Question")
        err.print(f"[bold]{question.text}[/]")
        # The model loads while the question is heard, not while the voice is still being made.
        self.speaker.say(question.text, on_start=self.start_loading_model)
        stem = folder.attempt_stem(self.session_dir, question.id)
        live, voice = self.listeners()
        recording, turn_end = self.record_answer(stem.with_suffix(".wav"), live, voice)
        stopped = time.monotonic()
        # Made while this answer is analyzed, so the next thing said comes without a wait.
        self.speaker.prepare(*self.said_next(upcoming))
        record = self._assess(question, recording, live, voice)
        record = dataclasses.replace(record, timing=Timing(
            report_after_end_s=round(time.monotonic() - stopped, 3),
            live_decodes=live.decodes if live else 0,
            speech_left_s=round(live.speech_left_s, 2) if live else None,
            voice_left_s=round(voice.left_s, 2) if voice else None,
            turn_end=turn_end))
        folder.save_json(stem.with_suffix(".json"), record.to_json())
        self._show(record)
        return keep_in_history(record, self.session_dir, self.terminal)

    def said_next(self, upcoming: Sequence[str]) -> list[str]:
        """What the interviewer may say after an answer: a follow-up, then the next question."""
        prompts = self.after_answer.prompts() if self.after_answer is not None else []
        return [*prompts, *upcoming]

    def listeners(self) -> tuple[LiveTranscriber | None, VoiceTracker | None]:
        """What works on the answer while it is recorded: none of it with --no-live."""
        if not self.options.live:
            return None, None
        on_words = self.terminal.show_words if self.options.live_transcript else None
        # The end-of-turn rule reads the last words: have them decoded from the first pause on.
        options = LiveOptions(tail_pause_s=0.3) if self.options.turn else LiveOptions()
        return LiveTranscriber(self.transcriber, options, on_words=on_words), VoiceTracker()

    def _judge(self, live: LiveTranscriber | None) -> TurnJudge | None:
        if self.options.turn is None:
            return None
        return TurnJudge(self.options.turn, self.turn_model, live.words_so_far if live else None,
                         on_warning=lambda text: self.terminal.err.print(f"[yellow]{text}[/]"))

    def record_answer(self, path: Path, live: LiveTranscriber | None,
                      voice: VoiceTracker | None) -> tuple[Recording, dict | None]:
        """The answer, and what its end was judged on (None under the fixed silence rule)."""
        err = self.terminal.err
        judge = self._judge(live)
        source = self.open_source()  # the stream is open before "Recording" is shown
        try:
            with RecordingDisplay(err) as display:
                recording = record(
                    source, path, self.options.record,
                    listeners=tuple(listener.feed for listener in (live, voice, judge)
                                    if listener is not None),
                    on_status=display.update, enter_pressed=self.terminal.enter_pressed,
                    end_of_turn=judge,
                )
        finally:
            if judge is not None:
                judge.close()
        for warning in recording.warnings:
            err.print(f"[yellow]{warning}[/]")
        if recording.overflows:
            log.warning("the sound system dropped %d input blocks", recording.overflows)
        return recording, judge.last if judge is not None else None

    def hear(self, recording: Recording, live: LiveTranscriber | None,
             voice: VoiceTracker | None) -> Answer:
        """The recorded answer transcribed, with its speech regions and voice measures."""
        return Answer(self.transcribe(recording, live), recording.audio, recording.speech_segments(),
                      voice.finish(recording.audio) if voice else None)

    def transcribe(self, recording: Recording, live: LiveTranscriber | None) -> Transcript:
        if self._loading is not None:
            self._loading.result()  # re-raises a model error here, after the answer is safe on disk
        if live is not None:
            return live.finish(recording.audio)
        return without_faint_words(self.transcriber.transcribe(recording.audio), recording.audio)

    def _assess(self, question: Question, recording: Recording, live: LiveTranscriber | None,
                voice: VoiceTracker | None) -> Record:
        answer, added = self.hear(recording, live, voice), {}
        if self.after_answer is not None:
            answer, added = self.after_answer.after(self, question, answer, recording)
        record = assess(answer.transcript, question, audio=answer.audio, audio_path=recording.path,
                        segments=answer.segments, voice_measures=answer.measures,
                        sounds=live.sounds if live else None)
        return dataclasses.replace(record, stopped_by=recording.stopped_by,
                                   input_overflows=recording.overflows, **added)

    def _show(self, record: Record) -> None:
        if self.options.json_out:
            self.terminal.print_json(record.to_json())
        else:
            # The question is on the screen already, above the recording line.
            print_report(record, self.terminal.out, question=False)


def keep_in_history(record: Record, session_dir: Path, terminal: Terminal, kind: str = "practice") -> Record:
    """Index a saved attempt; the record with its history id. A failure is a warning, never a
    lost take (the record comes back without an id)."""
    from rehearse.history.database import record_attempt

    try:
        return dataclasses.replace(record, id=record_attempt(record, session_dir, kind=kind))
    except RehearseError as exc:
        # The WAV and JSON are on disk; the next start imports them into the history.
        terminal.err.print(f"[yellow]not added to the history yet: {exc}[/]")
        return record
