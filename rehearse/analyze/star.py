"""STAR: which clauses tell the situation, the task, the action and the result, and how sure.

The answer is cut into clauses by a dependency parse (`star_parse`: "When X, I did Y" is two
clauses, so is "..., and we restored service"), and the clauses are labeled all at once by a
model fit to labeled answers (`star_model`), which keeps the order STAR answers follow. A clause
can tell an action and its result together ("I rewrote the query, which cut load time by 40%").
Each part carries the detector's confidence; a part is said to be missing only when the detector
is sure, and otherwise the coach asks.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

from rehearse.analyze.options import AnalysisOptions
from rehearse.analyze.sentences import I_WORDS, WE_WORDS, Span, count_words
from rehearse.analyze.star_cues import concrete_outcome, hypothetical_count, numbers_in
from rehearse.analyze.star_model import (
    Verdict, clause_features, label_clauses, parts_of, verdicts)
from rehearse.analyze.star_parse import Clause, parse_clauses
from rehearse.analyze.star_rules import rule_parts
from rehearse.attempt import STAR_PARTS
from rehearse.transcription.whisper import Transcript

OTHER = "other"


@dataclasses.dataclass(frozen=True)
class Unit:
    span: Span  # the sentence or clause
    text: str  # lower case, fillers left out: what the cues read
    labels: tuple[str, ...]  # STAR parts it tells, or ("other",)
    chance: dict[str, float] = dataclasses.field(default_factory=dict)  # per part, 0..1


@dataclasses.dataclass(frozen=True)
class Part:
    present: bool  # the answer tells this part
    evidence: tuple[Span, ...]  # the sentences or clauses that tell it
    start: float | None  # seconds where it starts; None for typed text or when absent
    share: float  # 0..1 of the answer's time (of its words for typed text)
    confidence: float = 1.0  # 0..1: how sure the detector is that `present` is right
    sure: bool = True  # sure enough to tell the person a part is missing (or there)

    def to_json(self) -> dict:
        return {"present": self.present, "evidence": [s.text for s in self.evidence],
                "start": self.start, "share": self.share, "confidence": self.confidence,
                "sure": self.sure}


@dataclasses.dataclass(frozen=True)
class Finding:
    code: str  # stable name: no_result, quantify_result, we_not_i, long_situation, ...
    message: str  # what to do about it, in the coach's words
    quote: str  # the words of the answer it is about
    start: float | None  # seconds where those words start; None for typed text
    kind: str = "advice"  # "missing": a part is surely missing; "ask": it may be; else "advice"

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Star:
    parts: dict[str, Part]  # situation, task, action, result
    units: tuple[Unit, ...]  # every sentence or clause with its labels
    findings: tuple[Finding, ...]  # what is missing or out of balance

    def to_json(self) -> dict:
        out: dict = {name: part.to_json() for name, part in self.parts.items()}
        out["findings"] = [f.to_json() for f in self.findings]
        return out

    def units_of(self, label: str) -> list[Unit]:
        return [u for u in self.units if label in u.labels]


def label_units(transcript: Transcript, fillers: frozenset[int] = frozenset(),
                options: AnalysisOptions = AnalysisOptions()) -> list[Unit]:
    """Every clause with the STAR parts it tells (fillers and restarts are not read)."""
    return _read(transcript, fillers, options)[0]


def _read(transcript: Transcript, fillers: frozenset[int],
          options: AnalysisOptions) -> tuple[list[Unit], dict[str, Verdict] | None]:
    """The labeled clauses, and the verdict on each part (None when too short to judge)."""
    clauses = parse_clauses(transcript, fillers)
    if too_short(clauses, options):
        return [Unit(c.span, c.text, (OTHER,)) for c in clauses], None
    labeling = label_clauses(clause_features(clauses))
    said = verdicts(labeling, frozenset(rule_parts(transcript, fillers)))
    told = [{label for label in parts_of(state) if said[label].present}
            for state in labeling.states]
    for label in STAR_PARTS:  # told by the verdict: its likeliest clause carries it
        if said[label].present and not any(label in t for t in told):
            told[max(range(len(told)), key=lambda k: labeling.chance[k][label])].add(label)
    units = [Unit(c.span, c.text, tuple(sorted(t, key=STAR_PARTS.index)) or (OTHER,), chance)
             for c, t, chance in zip(clauses, told, labeling.chance)]
    return units, said


def too_short(clauses: Sequence[Clause], options: AnalysisOptions = AnalysisOptions()) -> bool:
    """Too few words (fillers and restarts left out) to tell a story at all: no part is judged."""
    return sum(len(c.text.split()) for c in clauses) < options.min_story_words


def _durations(units: Sequence[Unit]) -> list[float]:
    """Each unit's time up to the next one (its words for typed text)."""
    if not units or units[0].span.start is None:
        return [float(u.span.n_words) for u in units]
    starts = [u.span.start for u in units] + [units[-1].span.end]
    return [max(b - a, 0.0) for a, b in zip(starts, starts[1:])]


def _parts(units: Sequence[Unit], said: dict[str, Verdict] | None) -> dict[str, Part]:
    sizes = _durations(units)
    total = sum(sizes) or 1.0
    parts = {}
    for label in STAR_PARTS:
        mine = [(u, size) for u, size in zip(units, sizes) if label in u.labels]
        verdict = said[label] if said else Verdict(False, 0.0, True)
        conf, sure = verdict.confidence, verdict.sure
        parts[label] = Part(
            present=bool(mine),
            evidence=tuple(u.span for u, _ in mine),
            start=mine[0][0].span.start if mine else None,
            share=round(sum(size for _, size in mine) / total, 3),
            confidence=conf,
            sure=sure,
        )
    return parts


def analyze_star(transcript: Transcript, fillers: frozenset[int] = frozenset(),
                 options: AnalysisOptions = AnalysisOptions()) -> Star:
    """Label the answer, measure each part, and say what is missing or out of balance."""
    units, said = _read(transcript, fillers, options)
    star = Star(_parts(units, said), tuple(units), ())
    return dataclasses.replace(star, findings=tuple(find_problems(star, options)))


# --- findings ---------------------------------------------------------------------------------

def _finding(code: str, message: str, span: Span, kind: str = "advice") -> Finding:
    return Finding(code, message, span.text, span.start, kind)


def find_problems(star: Star, options: AnalysisOptions) -> list[Finding]:
    """What a coach would point out about the structure, each tied to the words it is about."""
    if not star.units:
        return []
    too_short = sum(u.span.n_words for u in star.units) < options.min_story_words
    if too_short and all(u.labels == (OTHER,) for u in star.units):
        return [_finding("no_story", "This is too short to tell a story. Pick one specific time, "
                         "say what you did and how it ended.", star.units[0].span)]
    checks = (_no_result, _no_action, _quantify, _we_not_i, _long_situation, _hypothetical)
    return [f for check in checks if (f := check(star, options)) is not None]


def _no_result(star: Star, options: AnalysisOptions) -> Finding | None:
    part = star.parts["result"]
    if part.present:
        return None
    if not part.sure:  # a wrong "you never said" is worse than a question
        return _finding("no_result", "Did you say how it turned out? If not, end with the "
                        "result: what changed, and by how much.", star.units[-1].span, "ask")
    return _finding("no_result", "The answer stops before saying how it turned out. End with the "
                    "result: what changed, and by how much.", star.units[-1].span, "missing")


def _no_action(star: Star, options: AnalysisOptions) -> Finding | None:
    part = star.parts["action"]
    if part.present:
        return None
    if not part.sure:
        return _finding("no_action", "Did you say what you did yourself? If not, give the steps "
                        "you took, starting with \"I\".", star.units[-1].span, "ask")
    return _finding("no_action", "You never say what you did. Give the steps you took, "
                    "starting with \"I\".", star.units[-1].span, "missing")


def _quantify(star: Star, options: AnalysisOptions) -> Finding | None:
    results = star.units_of("result")
    if not results or any(numbers_in(u.text) or concrete_outcome(u.text) for u in results):
        return None
    return _finding("quantify_result", "Your result has no number or concrete outcome in it. "
                    "Quantify it if you can: time saved, a percentage, people, money.",
                    results[0].span)


def _we_not_i(star: Star, options: AnalysisOptions) -> Finding | None:
    # "..., and we restored service" tells how it ended, not who did the work; "I had to ..."
    # read as task and action sets the work up. Only the plain steps say who did them.
    actions = [u for u in star.units_of("action") if u.labels == ("action",)]
    i_count = sum(count_words(u.text, I_WORDS) for u in actions)
    we_units = [u for u in actions if count_words(u.text, WE_WORDS)]
    if not actions or i_count or not we_units:
        return None
    return _finding("we_not_i", "You tell the action as \"we\". Say what you did yourself: "
                    "\"I ...\".", we_units[0].span)


def _long_situation(star: Star, options: AnalysisOptions) -> Finding | None:
    situation = star.parts["situation"]
    told = star.parts["action"].present or star.parts["result"].present
    if situation.share < options.long_situation_share or not told:
        return None  # with no action and no result the problem is the missing story
    if _seconds(situation.evidence, options) < options.long_situation_min_s:
        return None  # a few sentences of context are fine, even in a short answer
    return _finding("long_situation", f"The situation takes {situation.share:.0%} of your answer. "
                    "Set the scene in a sentence or two and spend the time on what you did.",
                    situation.evidence[0])


def _seconds(spans: Sequence[Span], options: AnalysisOptions) -> float:
    """Time the spans take: measured, or their words at a conversational rate for typed text."""
    if spans and spans[0].start is not None:
        return sum(s.end - s.start for s in spans)
    return sum(s.n_words for s in spans) * 60.0 / options.typed_wpm


def _hypothetical(star: Star, options: AnalysisOptions) -> Finding | None:
    would = [u for u in star.units if hypothetical_count(u.text)]
    if len(would) < 2 or len(would) < len(star.units_of("action")):
        return None
    return _finding("hypothetical", "This says what you would do. Interviewers want a real time "
                    "it happened: \"Last year, I ...\".", would[0].span)
