"""The attempt record: what `--json` prints, what is saved beside each WAV, and what every view of
a stored attempt reads. The JSON contract (README, "The JSON report") is written here, once.

Each section is a frozen dataclass whose fields are its JSON keys. `from_json` takes a record
saved by any version: a key an older version did not write gets the field's default (what the
readers assume when it is missing), and `to_json` leaves it out again, so a stored record is
written back exactly as it was read, keys in the same order; keys this version does not know are
kept as they are. A record built by the program writes its keys in the order of the fields,
leaving out the `OPTIONAL` ones that are not set (`voice` for typed text, `timing` outside practice).
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from rehearse.transcription.whisper import Transcript

STAR_PARTS = ("situation", "task", "action", "result")  # the one list of the parts, in story order


@dataclasses.dataclass(frozen=True)
class JsonObject:
    """A JSON object with its keys as fields (see the module's docstring)."""

    # field -> the type its JSON value is read as: a class with from_json, or [class] for a list
    NESTED: ClassVar[dict[str, Any]] = {}
    # fields written only when set (not None) in a record built by the program
    OPTIONAL: ClassVar[frozenset[str]] = frozenset()

    # the keys of the stored JSON, in order; None for a section built by the program
    _keys: tuple[str, ...] | None = dataclasses.field(default=None, kw_only=True, repr=False, compare=False)
    # keys this version does not know, kept as they were
    _extra: dict = dataclasses.field(default_factory=dict, kw_only=True, repr=False)

    @classmethod
    def from_json(cls, data: dict):
        known = {f.name for f in dataclasses.fields(cls) if not f.name.startswith("_")}
        values = {k: _load(cls.NESTED.get(k), v) for k, v in data.items() if k in known}
        extra = {k: v for k, v in data.items() if k not in known}
        return cls(**values, _keys=tuple(data), _extra=extra)

    def to_json(self) -> dict:
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name.startswith("_") or not self._written(f, value):
                continue
            out[f.name] = _dump(value)
        out.update(self._extra)
        stored = {k: out[k] for k in self._keys or () if k in out}
        return {**stored, **out}  # the stored order first, then keys set since

    def _written(self, field: dataclasses.Field, value) -> bool:
        if self._keys is not None and field.name in self._keys:
            return True
        if self._keys is None and field.name not in self.OPTIONAL:
            return True
        # A key the stored record lacked, or an optional one, is written once it is set.
        default = field.default_factory() if field.default is dataclasses.MISSING else field.default
        return value != default


def _load(kind, value):
    if kind is None or value is None:
        return value
    if isinstance(kind, list):
        return tuple(kind[0].from_json(v) for v in value)
    return kind.from_json(value)


def _dump(value):
    if isinstance(value, (JsonObject, Transcript)):
        return value.to_json()
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    return value


# --- the question and the analysis ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class QuestionRef(JsonObject):
    id: str | None = None  # the bank's id; None for `analyze` and drills
    text: str | None = None
    competencies: list[str] | None = None  # only in records that name their own

    OPTIONAL: ClassVar = frozenset({"competencies"})


@dataclasses.dataclass(frozen=True)
class Pause(JsonObject):
    start: float = 0.0  # seconds
    end: float = 0.0
    kind: str = "sentence"  # "sentence", "comma" or "clause"
    duration_s: float | None = None

    @property
    def length_s(self) -> float:
        return self.duration_s if self.duration_s is not None else self.end - self.start


@dataclasses.dataclass(frozen=True)
class Window(JsonObject):
    start: float = 0.0  # seconds
    end: float = 0.0
    wpm: float = 0.0


@dataclasses.dataclass(frozen=True)
class Metrics(JsonObject):
    words: int | None = None  # transcribed words, fillers included
    duration_s: float | None = None
    speaking_s: float | None = None
    wpm: float | None = None
    articulation_wpm: float | None = None
    wpm_windows: tuple[Window, ...] = ()
    fastest: Window | None = None
    slowest: Window | None = None
    fillers_per_min: float | None = None
    filler_share: float | None = None
    filler_counts: dict = dataclasses.field(default_factory=dict)  # type -> count, said fillers
    possible_fillers: int = 0
    filler_bursts: list = dataclasses.field(default_factory=list)  # [{start, end, count}]
    long_pauses: tuple[Pause, ...] | None = None  # None: a record saved before they were listed
    think_time_s: float | None = None
    pause_count: int | None = None

    NESTED: ClassVar = {"wpm_windows": [Window], "fastest": Window, "slowest": Window,
                        "long_pauses": [Pause]}


@dataclasses.dataclass(frozen=True)
class Filler(JsonObject):
    word: str = ""  # as said, lower case
    type: str | None = None  # what it is counted under
    kind: str = "transcribed"  # or "possible": heard in the audio or the timing, not transcribed
    start: float | None = None
    end: float | None = None
    char_start: int | None = None  # index in transcript.text; None for one heard between words
    confidence: float | None = None
    sure: bool | None = None  # None: a record from before unsure fillers (see `counted_sure`)

    @property
    def counted_sure(self) -> bool:
        """Transcribed fillers are sure; one found only in the audio or timing says so itself
        (records saved before heard fillers had a `sure` key held only timing guesses)."""
        return self.sure if self.sure is not None else self.kind == "transcribed"


@dataclasses.dataclass(frozen=True)
class StarPart(JsonObject):
    present: bool = False
    evidence: list[str] = dataclasses.field(default_factory=list)  # the sentences that tell it
    start: float | None = None
    share: float | None = None
    confidence: float | None = None
    sure: bool | None = None


@dataclasses.dataclass(frozen=True)
class Finding(JsonObject):
    code: str = ""
    message: str = ""
    quote: str = ""
    start: float | None = None
    kind: str = "advice"


@dataclasses.dataclass(frozen=True)
class Star(JsonObject):
    situation: StarPart = dataclasses.field(default_factory=StarPart)
    task: StarPart = dataclasses.field(default_factory=StarPart)
    action: StarPart = dataclasses.field(default_factory=StarPart)
    result: StarPart = dataclasses.field(default_factory=StarPart)
    findings: tuple[Finding, ...] = ()

    NESTED: ClassVar = {**{p: StarPart for p in STAR_PARTS}, "findings": [Finding]}

    def part(self, name: str) -> StarPart:
        return getattr(self, name)

    def present(self) -> list[str]:
        return [p for p in STAR_PARTS if self.part(p).present]


@dataclasses.dataclass(frozen=True)
class Specificity(JsonObject):
    i_count: dict = dataclasses.field(default_factory=dict)  # {action, overall}
    we_count: dict = dataclasses.field(default_factory=dict)
    numbers: list[str] | None = None  # figures in the result; None: a record from before
    hedges: list = dataclasses.field(default_factory=list)  # [{phrase, char_start, start}]
    vague: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class Length(JsonObject):
    duration_s: float | None = None  # up to the last word
    estimated: bool = False  # typed text: its length is estimated at a typical speaking rate
    target_s: list[float] | None = None  # [low, high]
    verdict: str | None = None  # "short", "ok" or "long"
    over_s: float = 0.0
    under_s: float = 0.0
    longest_part: str | None = None
    longest_part_s: float | None = None


@dataclasses.dataclass(frozen=True)
class Tip(JsonObject):
    text: str = ""
    quote: str = ""
    start: float | None = None
    kind: str = "advice"  # "missing", "ask" or "advice"


@dataclasses.dataclass(frozen=True)
class Problem(JsonObject):
    code: str = ""
    message: str = ""


@dataclasses.dataclass(frozen=True)
class Quality(JsonObject):
    ok: bool = True
    problems: tuple[Problem, ...] = ()
    measured: dict = dataclasses.field(default_factory=dict)

    NESTED: ClassVar = {"problems": [Problem]}


# --- what practice and the interview add -------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Timing(JsonObject):
    """Seconds from the end of the answer to the report, and what they were spent on."""

    report_after_end_s: float | None = None
    live_decodes: int = 0
    speech_left_s: float | None = None  # speech still to transcribe when the answer ended
    voice_left_s: float | None = None  # audio still to measure for pitch and loudness
    turn_end: dict | None = None  # what the end was judged on (rehearse.turn.ending); None: fixed silence


@dataclasses.dataclass(frozen=True)
class FollowUp(JsonObject):
    asked: bool = False
    question: str | None = None  # what the interviewer asked
    transcript: str | None = None  # the reply
    finding: str | None = None  # the STAR finding that called for it
    start_s: float | None = None  # where the reply starts in the recording


@dataclasses.dataclass(frozen=True)
class CandidateQuestion(JsonObject):
    text: str = ""
    verdict: str = ""  # "thoughtful", "weak" or "ok"
    reason: str = ""


@dataclasses.dataclass(frozen=True)
class DrillSection(JsonObject):
    title: str = ""
    planned_s: float = 0.0
    spoken_s: float = 0.0
    skipped: bool = False


# --- the record ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Record(JsonObject):
    question: QuestionRef = dataclasses.field(default_factory=QuestionRef)
    audio_path: str | None = None  # the saved recording; None for typed text
    duration_s: float | None = None  # length of the recording
    transcript: Transcript = Transcript("", ())
    metrics: Metrics = dataclasses.field(default_factory=Metrics)
    pauses: tuple[Pause, ...] | None = None  # None: a record saved before pauses were kept
    fillers: tuple[Filler, ...] = ()
    star: Star = dataclasses.field(default_factory=Star)
    specificity: Specificity = dataclasses.field(default_factory=Specificity)
    length: Length = dataclasses.field(default_factory=Length)
    tips: tuple[Tip, ...] = ()
    created_at: str | None = None  # ISO 8601 with the local offset
    voice: dict | None = None  # pitch and loudness (rehearse.analyze.voice); audio only
    quality: Quality | None = None  # audio only
    stopped_by: str | None = None  # what ended the recording
    input_overflows: int | None = None  # blocks the sound system dropped
    question_kind: str | None = None  # the interview's: opening, behavioral, situational, closing
    follow_up: FollowUp | None = None
    candidate_questions: tuple[CandidateQuestion, ...] | None = None  # the closing answer's
    questions_verdict: str | None = None
    suggestions: list[str] | None = None  # better questions to ask
    timing: Timing | None = None  # practice only
    # a pacing drill's (drill == "pace")
    drill: str | None = None
    script: str | None = None
    target_s: float | None = None
    spoken_s: float | None = None
    on_time: bool | None = None
    sections: tuple[DrillSection, ...] | None = None
    added: list | None = None  # [{after, start, text}]: parts said that the script does not have
    source_path: str | None = None  # an outside recording kept with `analyze --save`
    id: int | None = None  # in the history, once added

    NESTED: ClassVar = {
        "question": QuestionRef, "transcript": Transcript, "metrics": Metrics, "pauses": [Pause],
        "fillers": [Filler], "star": Star, "specificity": Specificity, "length": Length,
        "tips": [Tip], "quality": Quality, "follow_up": FollowUp, "timing": Timing,
        "candidate_questions": [CandidateQuestion], "sections": [DrillSection],
    }
    OPTIONAL: ClassVar = frozenset({
        "voice", "quality", "stopped_by", "input_overflows", "question_kind", "follow_up",
        "candidate_questions", "questions_verdict", "suggestions", "timing", "drill", "script",
        "target_s", "spoken_s", "on_time", "sections", "added", "source_path", "id"})

    @property
    def is_drill(self) -> bool:
        return self.drill == "pace"

    @property
    def shown_length_s(self) -> float | None:
        """The answer's length as its report shows it: first word to last, else the recording's."""
        return self.length.duration_s if self.length.duration_s is not None else self.duration_s
