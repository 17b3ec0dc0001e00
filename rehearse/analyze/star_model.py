"""How likely each clause is to tell the situation, the task, the action or the result.

A linear-chain CRF over the clauses of an answer: each clause is read by its parse (who the subject is, the
tense and build of the verb, "when"/"so" openers and their kind, entities such as dates and places), its
first word, its main verb and the kind of that verb (an outcome, a state, a mishap, a duty given),
the STAR cue scores of `star_cues`, its place in the answer and its neighbours; the chain learns
the order answers follow. Bag-of-words features were tried and dropped: they fit the topics of the
development answers and lost accuracy under cross-validation. The weights are fit to labeled answers
by `scripts/train-star` and ship as `star_weights.json`; here they are only applied, in plain
Python. An answer tells a part when the best labeling gives it to a clause;
the likeliest clause's probability for that part is the detector's confidence.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import re
from pathlib import Path
from typing import Sequence

from rehearse.analyze.sentences import norm
from rehearse.analyze.star_cues import (
    MISHAP, OUTCOME, STATIVE, cue_scores, hypothetical_count, numbers_in)
from rehearse.analyze.star_parse import Clause
from rehearse.analyze.star_rules import rule_labels
from rehearse.attempt import STAR_PARTS

WEIGHTS = Path(__file__).with_name("star_weights.json")
OTHER = "other"
_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "they", "it", "this", "that", "there"})


def _subject_kind(subject: str) -> str:
    if not subject:
        return "none"
    return subject if subject in _PRONOUNS else "noun"


# What the main verb does, by kind, so that a verb the training answers never used is read like
# its kin: "we restored service" like "we resolved the outage", "sales rose" like "costs fell".
_VERB_KINDS = {
    "outcome": OUTCOME | frozenset("""
        restored recovered retained renewed grew rose fell dropped doubled halved tripled shrank
        climbed jumped improved increased reduced decreased saved avoided prevented earned gained
        """.split()),
    "state": STATIVE - {"did"},
    "mishap": MISHAP | frozenset("broke crashed slipped lost".split()),
    "duty": frozenset("asked tasked assigned given expected required needed wanted".split()),
}
# Words that open an adverbial clause, by what the clause says about the rest of the sentence.
_MARKER_KINDS = {
    "time": frozenset("when while after before as once until since during whenever".split()),
    "cause": frozenset("because since as".split()),
    "purpose": frozenset(["so", "that", "to"]),
    "concession": frozenset("although though even but while".split()),
}
# A deadline met or a duration measured: "in under an hour", "within six weeks".
_TIME_BOUND = re.compile(
    r"\b(?:in|within) (?:(?:just|only|under|less than|about|around|over) )*"
    r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of)\s?"
    r"(?:minutes?|hours?|days?|weeks?|months?)\b")


def _verb_kind(head: str) -> str:
    return next((kind for kind, verbs in _VERB_KINDS.items() if head in verbs), "other")


def _tokens(text: str) -> list[str]:
    return [t for t in (norm(w) for w in text.split()) if t]


def own_features(clause: Clause) -> dict[str, float]:
    """What one clause says by itself."""
    words = _tokens(clause.text)
    f: dict[str, float] = {}
    subject = _subject_kind(clause.subject)
    f.update({
        f"first={words[0] if words else ''}": 1.0,
        f"head={clause.head}": 1.0,
        f"tag={clause.head_tag}": 1.0,
        f"dep={clause.head_dep}": 1.0,
        f"subj={subject}": 1.0,
        f"subj_tag={subject}|{clause.head_tag}": 1.0,
        f"marker={clause.marker}": 1.0,
        "opens_sentence": float(clause.sentence_start),
        "numbers": min(len(numbers_in(clause.text)), 2) / 2,
        "modal": float("MD" in clause.tags),
        "hypothetical": float(hypothetical_count(clause.text) > 0),
        "past_verbs": min(clause.tags.count("VBD"), 3) / 3,
    })
    f.update({f"ent={e}": 1.0 for e in clause.entities})
    kind = _verb_kind(clause.head)
    f.update({f"verb={kind}": 1.0, f"verb_subj={kind}|{subject}": 1.0,
              f"aspect={clause.aspect}": 1.0, "negated": float(clause.negated),
              "time_bound": float(_TIME_BOUND.search(clause.text) is not None)})
    f.update({f"marker_kind={k}": 1.0 for k, words in _MARKER_KINDS.items()
              if clause.marker in words})
    cues = cue_scores(clause.text, clause.span.text)
    f.update({f"cue_{k}": max(min(v, 6.0), -3.0) / 3 for k, v in cues.items()})
    return f


_CONTEXT = ("subj=", "tag=", "marker=", "cue_", "first=", "ent=", "rule=", "verb=")
_LEADING_JOINER = re.compile(r"^(?:and|but)\s+")  # "and I moved ..." reads as "I moved ..."


def clause_features(clauses: Sequence[Clause]) -> list[dict[str, float]]:
    """Each clause's features, with where it sits and a summary of the clauses around it."""
    own = [own_features(c) for c in clauses]
    ruled = rule_labels([(_LEADING_JOINER.sub("", c.text), c.span.text) for c in clauses])
    for f, labels in zip(own, ruled):
        f.update({f"rule={label}": 1.0 for label in labels})
    n = len(clauses)
    out = []
    for k, f in enumerate(own):
        row = dict(f)
        pos = k / (n - 1) if n > 1 else 0.0
        row.update({"bias": 1.0, "pos": pos, "pos2": pos * pos, "is_first": float(k == 0),
                    "is_last": float(k == n - 1 and n > 1), f"pos_q={min(int(pos * 4), 3)}": 1.0})
        row[f"late_subj={_subject_kind(clauses[k].subject)}|{pos >= 0.5}"] = 1.0  # "we" late
        for side, j in (("prev", k - 1), ("next", k + 1)):
            if 0 <= j < n:
                row.update({f"{side}:{name}": v for name, v in own[j].items()
                            if name.startswith(_CONTEXT)})
            else:
                row[f"{side}:none"] = 1.0
        out.append(row)
    return out


@functools.cache
def weights(path: Path = WEIGHTS) -> dict:
    return json.loads(path.read_text())


def parts_of(state: str) -> set[str]:
    """The parts a state tells: "action+result" tells two, "other" none."""
    return set() if state == OTHER else set(state.split("+"))


def _emissions(rows: Sequence[dict[str, float]], model: dict) -> list[list[float]]:
    states, table = model["states"], model["state_features"]
    out = []
    for row in rows:
        scores = [0.0] * len(states)
        for name, value in row.items():
            for k, w in table.get(name, {}).items():
                scores[int(k)] += w * value
        out.append(scores)
    return out


def viterbi(emit: list[list[float]], trans: list[list[float]]) -> list[int]:
    """The best sequence of states, given per-clause scores and transition scores."""
    n = len(emit[0])
    best, back = list(emit[0]), []
    for row in emit[1:]:
        step = [max(range(n), key=lambda i: best[i] + trans[i][j]) for j in range(n)]
        best = [best[step[j]] + trans[step[j]][j] + row[j] for j in range(n)]
        back.append(step)
    path = [max(range(n), key=lambda j: best[j])]
    for step in reversed(back):
        path.append(step[path[-1]])
    return path[::-1]


def _logsumexp(values: Sequence[float]) -> float:
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))


def marginals(emit: list[list[float]], trans: list[list[float]]) -> list[list[float]]:
    """Probability of each state at each clause (forward-backward in log space)."""
    n, m = len(emit[0]), len(emit)
    fwd = [list(emit[0])]
    for row in emit[1:]:
        fwd.append([row[j] + _logsumexp([fwd[-1][i] + trans[i][j] for i in range(n)])
                    for j in range(n)])
    bwd = [[0.0] * n]
    for row in reversed(emit[1:]):
        bwd.insert(0, [_logsumexp([trans[i][j] + row[j] + bwd[0][j] for j in range(n)])
                       for i in range(n)])
    z = _logsumexp(fwd[-1])
    return [[math.exp(fwd[t][j] + bwd[t][j] - z) for j in range(n)] for t in range(m)]


@dataclasses.dataclass(frozen=True)
class Labeling:
    states: tuple[str, ...]  # the state of each clause on the best path
    chance: tuple[dict[str, float], ...]  # per clause, the probability it tells each part
    ruled: tuple[frozenset[str], ...] = ()  # per clause, the parts the cue rules give it


@dataclasses.dataclass(frozen=True)
class Verdict:
    present: bool  # the answer tells this part
    probability: float  # 0..1 that it does
    sure: bool  # far enough from the line to tell the person it is missing (or there)

    @property
    def confidence(self) -> float:
        return round(self.probability if self.present else 1.0 - self.probability, 3)


def label_clauses(rows: Sequence[dict[str, float]], model: dict | None = None) -> Labeling:
    """The best labels for all clauses at once, and how likely each part is in each clause."""
    model = model or weights()
    if not rows:
        return Labeling((), ())
    states = model["states"]
    trans = model["transitions"]
    emit = _emissions(rows, model)
    path = viterbi(emit, trans)
    chance = []
    for probs in marginals(emit, trans):
        chance.append({label: round(sum(p for s, p in zip(states, probs)
                                        if label in parts_of(s)), 4) for label in STAR_PARTS})
    ruled = tuple(frozenset(k[5:] for k in row if k.startswith("rule=")) for row in rows)
    return Labeling(tuple(states[i] for i in path), tuple(chance), ruled)


def evidence(labeling: Labeling, ruled: frozenset[str], label: str) -> list[float]:
    """What the answer-level verdict weighs: the model's likeliest clause for the part, whether
    its best labeling gives the part to a clause, whether the cue rules find it reading whole
    sentences (`ruled`), whether they give it to a clause the model gives it to, and how many
    clauses' worth of the part the model expects."""
    best = max((c[label] for c in labeling.chance), default=0.0)
    found = float(any(label in parts_of(s) for s in labeling.states))
    rule = float(label in ruled)
    agree = float(any(label in parts_of(s) and label in r
                      for s, r in zip(labeling.states, labeling.ruled)))
    mass = min(sum(c[label] for c in labeling.chance), 3.0) / 3.0  # clauses' worth of the part
    return [best, found, rule, found * rule, agree, mass]


def verdicts(labeling: Labeling, ruled: frozenset[str],
             model: dict | None = None) -> dict[str, Verdict]:
    """Per part: told or not, how likely, and whether the detector is sure.

    The clause model and the cue rules each find parts that are not there; a logistic
    regression fit to held-out answers weighs the two (`scripts/train-star`)."""
    model = model or weights()
    out = {}
    for label in STAR_PARTS:
        fit = model["verdict"][label]
        z = fit["intercept"] + sum(w * x for w, x in zip(fit["coef"],
                                                         evidence(labeling, ruled, label)))
        p = _sigmoid(z)
        present = p >= 0.5
        sure = p >= fit["sure_present"] if present else p <= fit["sure_absent"]
        out[label] = Verdict(present, round(p, 4), sure)
    return out


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0
