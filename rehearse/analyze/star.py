"""STAR: which sentences tell the situation, the task, the action and the result.

Each sentence (or clause, where "..., so I ..." or "..., which cut ..." starts a new part) gets cue
scores from `star_cues`. The labels are then chosen for the whole answer at once, keeping the
order that STAR answers follow (situation, task, action, result; "other" anywhere), so that one
ambiguous sentence is read in the light of its neighbours. A clause can carry an action and its
result together ("I rewrote the query, which cut load time by 40%").
"""

from __future__ import annotations

import dataclasses
import re
from typing import Sequence

from rehearse.analyze.options import AnalysisOptions
from rehearse.analyze.sentences import (
    I_WORDS, WE_WORDS, Span, count_words, norm, split_clauses, split_sentences)
from rehearse.analyze.star_cues import (
    LABELS, concrete_outcome, cue_scores, hypothetical_count, numbers_in)
from rehearse.transcribe import Transcript

OTHER = "other"
_OTHER_BASE = 1.0  # a part label must beat this, or the sentence is "other"
_SECOND_TASK = 2.0  # a situation this task-like (by its own cues) also counts as task
_SECOND_SITUATION = 1.5  # a task that also sets a time or place also counts as situation
_SECOND_RESULT = 3.0  # an action this result-like (by its own cues) also counts as result


@dataclasses.dataclass(frozen=True)
class Unit:
    span: Span  # the sentence or clause
    text: str  # lower case, fillers left out: what the cues read
    labels: tuple[str, ...]  # STAR parts it tells, or ("other",)


@dataclasses.dataclass(frozen=True)
class Part:
    present: bool  # the answer tells this part
    evidence: tuple[Span, ...]  # the sentences or clauses that tell it
    start: float | None  # seconds where it starts; None for typed text or when absent
    share: float  # 0..1 of the answer's time (of its words for typed text)

    def to_json(self) -> dict:
        return {"present": self.present, "evidence": [s.text for s in self.evidence],
                "start": self.start, "share": self.share}


@dataclasses.dataclass(frozen=True)
class Finding:
    code: str  # stable name: no_result, quantify_result, we_not_i, long_situation, ...
    message: str  # what to do about it, in the coach's words
    quote: str  # the words of the answer it is about
    start: float | None  # seconds where those words start; None for typed text

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


_LEADING_JOINER = re.compile(r"^(?:and|but)\s+")  # "and I moved ..." reads as "I moved ..."


def _units(transcript: Transcript, skip: frozenset[int]) -> list[tuple[Span, str]]:
    """Sentences cut into clauses, each with its lower-case text without the skipped words."""
    out = []
    for sentence in split_sentences(transcript):
        for clause in split_clauses(transcript, sentence, skip):
            kept = [transcript.words[i].word for i in range(clause.first, clause.last + 1)
                    if i not in skip]
            text = _LEADING_JOINER.sub("", " ".join(kept).lower().replace("\u2019", "'"))
            if any(norm(w) for w in kept):
                out.append((clause, text))
    return out


def _emissions(units: Sequence[tuple[Span, str]]) -> list[dict[str, float]]:
    """Cue scores plus where the unit sits: situations open an answer, results close it."""
    n = len(units)
    rows = []
    for k, (span, text) in enumerate(units):
        scores = cue_scores(text, span.text)
        pos = k / (n - 1) if n > 1 else 0.0
        scores["situation"] += 2.0 if k == 0 else 0.8 * (1 - pos)
        scores["task"] += 0.5 if pos < 0.5 else 0.0
        if scores["result"] > 0:  # position strengthens an outcome cue, never replaces one
            scores["result"] += pos + (0.5 if k == n - 1 and n > 1 else 0.0)
        scores[OTHER] += _OTHER_BASE
        rows.append(scores)
    return rows


# The order answers follow: the set-up (situation and task, in either order), then the action,
# then the result. "other" may come anywhere.
PHASE = {"situation": 0, "task": 0, "action": 1, "result": 2}


def decode(rows: Sequence[dict[str, float]]) -> list[str]:
    """Best labels for all units at once, keeping the parts in STAR order."""
    # best[phase] = (score, labels so far); phase = the furthest part reached, -1 for none.
    best: dict[int, tuple[float, list[str]]] = {-1: (0.0, [])}
    for row in rows:
        step: dict[int, tuple[float, list[str]]] = {}
        for phase, (score, path) in best.items():
            moves = [(phase, OTHER)] + [(PHASE[k], k) for k in LABELS if PHASE[k] >= phase]
            for new_phase, label in moves:
                candidate = (score + row[label], path + [label])
                if new_phase not in step or candidate[0] > step[new_phase][0]:
                    step[new_phase] = candidate
        best = step
    return max(best.values(), key=lambda sp: sp[0])[1]


def label_units(transcript: Transcript, fillers: frozenset[int] = frozenset(),
                options: AnalysisOptions = AnalysisOptions()) -> list[Unit]:
    """Every sentence or clause with the STAR parts it tells (fillers are not read)."""
    units = _units(transcript, fillers)
    spoken = sum(len(text.split()) for _, text in units)
    if spoken < options.min_story_words:  # too short to tell a story at all
        return [Unit(span, text, (OTHER,)) for span, text in units]
    rows = _emissions(units)
    out = []
    for (span, text), label, row in zip(units, decode(rows), rows):
        out.append(Unit(span, text, _with_second(label, cue_scores(text, span.text), row)))
    return out


def _with_second(label: str, cues: dict[str, float], row: dict[str, float]) -> tuple[str, ...]:
    """The label, plus the next part when the unit tells that one too.

    Set-up parts must say so themselves ("our team was asked to ...", "last year I had to ...");
    an action may lean on its place near the end ("..., and then delivered the fixed version").
    """
    if label == "situation" and cues["task"] >= _SECOND_TASK:
        return ("situation", "task")
    if label == "task" and cues["situation"] >= _SECOND_SITUATION:  # "Last year I was asked to"
        return ("situation", "task")
    if label == "action" and row["result"] >= _SECOND_RESULT:
        return ("action", "result")
    return (label,)


def _durations(units: Sequence[Unit]) -> list[float]:
    """Each unit's time up to the next one (its words for typed text)."""
    if not units or units[0].span.start is None:
        return [float(u.span.n_words) for u in units]
    starts = [u.span.start for u in units] + [units[-1].span.end]
    return [max(b - a, 0.0) for a, b in zip(starts, starts[1:])]


def _parts(units: Sequence[Unit]) -> dict[str, Part]:
    sizes = _durations(units)
    total = sum(sizes) or 1.0
    parts = {}
    for label in LABELS:
        mine = [(u, size) for u, size in zip(units, sizes) if label in u.labels]
        parts[label] = Part(
            present=bool(mine),
            evidence=tuple(u.span for u, _ in mine),
            start=mine[0][0].span.start if mine else None,
            share=round(sum(size for _, size in mine) / total, 3),
        )
    return parts


def analyze_star(transcript: Transcript, fillers: frozenset[int] = frozenset(),
                 options: AnalysisOptions = AnalysisOptions()) -> Star:
    """Label the answer, measure each part, and say what is missing or out of balance."""
    units = tuple(label_units(transcript, fillers, options))
    parts = _parts(units)
    star = Star(parts, units, ())
    return dataclasses.replace(star, findings=tuple(find_problems(star, options)))


# --- findings ---------------------------------------------------------------------------------

def _finding(code: str, message: str, span: Span) -> Finding:
    return Finding(code, message, span.text, span.start)


def find_problems(star: Star, options: AnalysisOptions) -> list[Finding]:
    """What a coach would point out about the structure, each tied to the words it is about."""
    if not star.units:
        return []
    if all(u.labels == (OTHER,) for u in star.units):
        return [_finding("no_story", "This is too short to tell a story. Pick one specific time, "
                         "say what you did and how it ended.", star.units[0].span)]
    checks = (_no_result, _no_action, _quantify, _we_not_i, _long_situation, _hypothetical)
    return [f for check in checks if (f := check(star, options)) is not None]


def _no_result(star: Star, options: AnalysisOptions) -> Finding | None:
    if star.parts["result"].present:
        return None
    return _finding("no_result", "The answer stops before saying how it turned out. End with the "
                    "result: what changed, and by how much.", star.units[-1].span)


def _no_action(star: Star, options: AnalysisOptions) -> Finding | None:
    if star.parts["action"].present:
        return None
    return _finding("no_action", "You never say what you did. Give the steps you took, "
                    "starting with \"I\".", star.units[-1].span)


def _quantify(star: Star, options: AnalysisOptions) -> Finding | None:
    results = star.units_of("result")
    if not results or any(numbers_in(u.text) or concrete_outcome(u.text) for u in results):
        return None
    return _finding("quantify_result", "Your result has no number or concrete outcome in it. "
                    "Quantify it if you can: time saved, a percentage, people, money.",
                    results[0].span)


def _we_not_i(star: Star, options: AnalysisOptions) -> Finding | None:
    actions = star.units_of("action")
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
