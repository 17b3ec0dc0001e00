"""The hand-set reading of STAR: cue scores, where a clause sits, and the order parts come in.

This is how rehearse labeled answers before the clause model was fit: each clause scored by the
cues of `star_cues` plus its position, and the labels chosen for the whole answer at once in STAR
order. The model takes its verdict as one feature among many, so the coaching knowledge in the
cues is kept where the data agree with it.
"""

from __future__ import annotations

import re
from typing import Sequence

from rehearse.analyze.fillers import sound_type
from rehearse.analyze.sentences import Span, norm, split_clauses, split_sentences
from rehearse.analyze.star_cues import cue_scores
from rehearse.attempt import STAR_PARTS
from rehearse.transcription.whisper import Transcript

OTHER = "other"
_OTHER_BASE = 1.0  # a part label must beat this, or the clause is "other"
_SECOND_TASK = 2.0  # a situation this task-like (by its own cues) also counts as task
_SECOND_SITUATION = 1.5  # a task that also sets a time or place also counts as situation
_SECOND_RESULT = 3.0  # an action this result-like (by its own cues) also counts as result


_LEADING_JOINER = re.compile(r"^(?:and|but)\s+")  # "and I moved ..." reads as "I moved ..."


def _units(transcript: Transcript, skip: frozenset[int]) -> list[tuple[Span, str]]:
    """Sentences cut into clauses, each with its lower-case text without the skipped words."""
    out = []
    for sentence in split_sentences(transcript):
        for clause in split_clauses(transcript, sentence, skip):
            kept = [transcript.words[i].word for i in range(clause.first, clause.last + 1)
                    if i not in skip and sound_type(norm(transcript.words[i].word)) is None]
            text = _LEADING_JOINER.sub("", " ".join(kept).lower().replace("\u2019", "'"))
            if any(norm(w) for w in kept):
                out.append((clause, text))
    return out


def rule_parts(transcript: Transcript, skip: frozenset[int] = frozenset()) -> set[str]:
    """The parts the cue rules find in the answer, read sentence by sentence as they always were
    (sentences cut at ", so I" and ", which"), with the fillers `skip` left out."""
    units = [(text, span.text) for span, text in _units(transcript, skip)]
    return {label for labels in rule_labels(units) for label in labels} - {OTHER}


def rule_labels(units: Sequence[tuple[str, str]]) -> list[tuple[str, ...]]:
    """The parts each (lower-case text, raw text) clause tells by the cue rules."""
    rows = _emissions(units)
    return [_with_second(label, cue_scores(text, raw), row)
            for (text, raw), label, row in zip(units, decode(rows), rows)]


def _emissions(units: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
    """Cue scores plus where the unit sits: situations open an answer, results close it."""
    n = len(units)
    rows = []
    for k, (text, raw) in enumerate(units):
        scores = cue_scores(text, raw)
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
            moves = [(phase, OTHER)] + [(PHASE[k], k) for k in STAR_PARTS if PHASE[k] >= phase]
            for new_phase, label in moves:
                candidate = (score + row[label], path + [label])
                if new_phase not in step or candidate[0] > step[new_phase][0]:
                    step[new_phase] = candidate
        best = step
    return max(best.values(), key=lambda sp: sp[0])[1]


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


