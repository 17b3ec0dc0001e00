"""Fitting the STAR detector to labeled answers.

`scripts/train-star EVAL_DIR` fits the clause model of `star_model` and its answer-level verdict
to every labeled answer in the folder and writes `star_weights.json`, which ships with the
package. `out_of_fold` gives the same fit's readings of answers it was not fit to: folds grouped by
source, so an answer is never judged by weights fit to its own source, nor to the written or
spoken version of itself (`evaluate_star` turns those readings into figures).

Needs scikit-learn and sklearn-crfsuite (development dependencies, in the `test` extra); the
product only reads the weights.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Sequence
from urllib.parse import urlparse

from rehearse.analyze.fillers import find_fillers
from rehearse.analyze.star import too_short
from rehearse.analyze.star_model import (
    OTHER, WEIGHTS, Labeling, Verdict, clause_features, evidence, label_clauses, verdicts)
from rehearse.analyze.star_parse import Clause, parse_clauses
from rehearse.analyze.star_rules import rule_parts
from rehearse.attempt import STAR_PARTS
from rehearse.transcription.whisper import Transcript, transcript_from_text

WRITTEN = ("star_dev.jsonl", "star2_dev.jsonl")
SPOKEN = ("star_spoken_dev.jsonl", "star2_spoken_dev.jsonl")
FOLDS = 5  # outer cross-validation folds, grouped by source
INNER_FOLDS = 4  # inside a training set: out-of-fold scores to place the thresholds
C1, C2 = 1.0, 0.3  # the CRF's L1 and L2 penalties, chosen by grouped CV
MAX_ITERATIONS = 500  # L-BFGS steps: enough for the fit to converge (200 stopped short)
MIN_ANSWERS = 3  # a feature must occur in this many training answers to get a weight
VERDICT_C = 1.0  # inverse L2 strength of the answer-level verdict's logistic regression
# A call is sure when it is well clear of every wrong call seen on the inner folds: under half
# the probability of the least likely part that was told after all (a sure "present" likewise).
SURE_MARGIN = 0.5
MIN_SURE_CALLS = 5  # and when at least this many calls of the training set are that clear
OVERLAP = 0.5  # a clause tells a part when this share of its characters is in the labeled part


@dataclasses.dataclass(frozen=True)
class Example:
    id: str  # the answer's id, with "/spoken" for spoken versions
    group: str  # its source: answers of one group are never split between fit and test
    spoken: bool  # a spoken version (fillers, restarts) rather than a written answer
    present: dict[str, bool]  # which parts the labels say it tells
    rows: list[dict[str, float]]  # clause features
    gold: list[set[str]]  # parts each clause tells, by the labels
    ruled: frozenset[str] = frozenset(STAR_PARTS)  # parts the cue rules find in the answer
    short: bool = False  # too short to tell a story: the product judges no part (star.too_short)


def load(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def filler_words(transcript: Transcript) -> frozenset[int]:
    return frozenset(i for f in find_fillers(transcript) for i in range(f.first, f.last + 1))


def clauses_of(transcript: Transcript) -> list[Clause]:
    return parse_clauses(transcript, filler_words(transcript))


def _gold(text: str, clauses: Sequence[Clause], parts: dict) -> list[set[str]]:
    """The parts each clause tells: those covering most of its characters."""
    ranges = {}
    for label in STAR_PARTS:
        part = parts.get(label)
        at = text.find(" ".join(part.split())) if part else -1
        if at >= 0:
            ranges[label] = (at, at + len(" ".join(part.split())))
    out = []
    for c in clauses:
        a, b = c.span.char_start, c.span.char_start + len(c.span.text)
        out.append({label for label, (x, y) in ranges.items()
                    if min(b, y) - max(a, x) >= OVERLAP * max(b - a, 1)})
    return out


def groups(folder: Path) -> dict[str, str]:
    """Each written answer's source group: its site, or the site of the answer it derives from."""
    rows = [r for name in WRITTEN for r in load(folder / name)]
    by_id = {r["id"]: r for r in rows}
    out = {}
    for r in rows:
        base = by_id.get(r.get("derived_from") or "", r)
        host = urlparse(base.get("source_url") or "").netloc.removeprefix("www.")
        out[r["id"]] = host or "first-split"  # the first split names no sources: one group
    return out


def examples(folder: Path) -> list[Example]:
    """Every labeled answer, written and spoken, parsed and labeled clause by clause."""
    group_of = groups(folder)
    out = []
    for names, spoken in ((WRITTEN, False), (SPOKEN, True)):
        for r in (r for name in names for r in load(folder / name)):
            written_id = r.get("written_version_id") or r["id"]
            transcript = transcript_from_text(r["answer"])
            clauses = clauses_of(transcript)
            out.append(Example(
                r["id"] + ("/spoken" if spoken else ""), group_of.get(written_id, "first-split"),
                spoken, {label: r["parts"][label] is not None for label in STAR_PARTS},
                clause_features(clauses), _gold(transcript.text, clauses, r["parts"]),
                frozenset(rule_parts(transcript, filler_words(transcript))), too_short(clauses)))
    return out


# --- fitting ------------------------------------------------------------------------------------

def _vocabulary(train: Sequence[Example]) -> set[str]:
    seen: dict[str, int] = {}
    for ex in train:
        for name in {n for row in ex.rows for n in row}:
            seen[name] = seen.get(name, 0) + 1
    return {n for n, k in seen.items() if k >= MIN_ANSWERS}


def state(gold: set[str]) -> str:
    """The CRF state of a clause: its parts joined in STAR order, or "other"."""
    return "+".join(label for label in STAR_PARTS if label in gold) or OTHER


def fit(train: Sequence[Example], inner: bool = True) -> dict:
    """CRF weights, and where calls are sure, placed on out-of-fold scores of the training set."""
    import sklearn_crfsuite

    train = [ex for ex in train if ex.rows]
    vocab = _vocabulary(train)
    xs = [[{k: v for k, v in row.items() if k in vocab} for row in ex.rows] for ex in train]
    ys = [[state(g) for g in ex.gold] for ex in train]
    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=C1, c2=C2, max_iterations=MAX_ITERATIONS,
                               all_possible_transitions=True)
    crf.fit(xs, ys)
    states = sorted(crf.classes_)
    index = {s: i for i, s in enumerate(states)}
    table: dict[str, dict[str, float]] = {}
    for (name, st), w in crf.state_features_.items():
        if abs(w) >= 1e-3:
            table.setdefault(name, {})[str(index[st])] = round(float(w), 4)
    trans = [[0.0] * len(states) for _ in states]
    for (a, b), w in crf.transition_features_.items():
        trans[index[a]][index[b]] = round(float(w), 4)
    model = {"states": states, "state_features": table, "transitions": trans}
    if inner:
        place_thresholds(model, train)
    return model


@dataclasses.dataclass(frozen=True)
class Scored:
    example: Example  # the answer
    labeling: Labeling  # the clause model's reading of it
    verdicts: dict[str, Verdict]  # per part, what the detector says (empty before stacking)

    def found(self, label: str) -> bool:
        return self.verdicts[label].present

    def sure(self, label: str) -> bool:
        return self.verdicts[label].sure


def score(model: dict, ex: Example) -> Scored:
    """The detector's reading of an answer, as the product gives it: an answer too short to tell
    a story has no part, whatever the model would say."""
    labeling = label_clauses(ex.rows, model)
    if "verdict" not in model:
        return Scored(ex, labeling, {})
    said = verdicts(labeling, ex.ruled, model)
    if ex.short:
        said = {label: Verdict(False, 0.0, True) for label in said}
    return Scored(ex, labeling, said)


def place_thresholds(model: dict, train: Sequence[Example]) -> None:
    """The answer-level weighing, fit to inner out-of-fold readings, and where calls are sure."""
    from sklearn.linear_model import LogisticRegression

    scored = out_of_fold(train, INNER_FOLDS, inner=False)
    model["verdict"] = {}
    for label in STAR_PARTS:
        x = [evidence(s.labeling, s.example.ruled, label) for s in scored]
        y = [s.example.present[label] for s in scored]
        fit = LogisticRegression(C=VERDICT_C, class_weight="balanced").fit(x, y)
        model["verdict"][label] = {"coef": [round(float(w), 4) for w in fit.coef_[0]],
                                   "intercept": round(float(fit.intercept_[0]), 4)}
        probs = fit.predict_proba(x)[:, 1]
        pairs = list(zip(y, probs))
        model["verdict"][label]["sure_absent"] = _sure_absent([c for c in pairs if c[1] < 0.5])
        model["verdict"][label]["sure_present"] = _sure_present([c for c in pairs if c[1] >= 0.5])


def _sure_absent(calls: Sequence[tuple[bool, float]]) -> float:
    """Half the probability of the least likely part that was told after all: below that a
    "missing" call is sure (when enough calls fall there; else no call is)."""
    wrong = min((p for e, p in calls if e), default=1.0)
    cut = SURE_MARGIN * wrong
    return round(float(cut), 4) if sum(p <= cut for _, p in calls) >= MIN_SURE_CALLS else -1.0


def _sure_present(calls: Sequence[tuple[bool, float]]) -> float:
    wrong = max((p for e, p in calls if not e), default=0.0)
    cut = 1.0 - SURE_MARGIN * (1.0 - wrong)
    return round(float(cut), 4) if sum(p >= cut for _, p in calls) >= MIN_SURE_CALLS else 2.0


def folds(items: Sequence[Example], k: int) -> list[list[int]]:
    """Indices split into k folds with no group in two folds (largest groups placed first)."""
    by_group: dict[str, list[int]] = {}
    for i, ex in enumerate(items):
        by_group.setdefault(ex.group, []).append(i)
    out: list[list[int]] = [[] for _ in range(min(k, len(by_group)))]
    for members in sorted(by_group.values(), key=lambda m: (-len(m), items[m[0]].group)):
        min(out, key=len).extend(members)
    return out


def out_of_fold(items: Sequence[Example], k: int = FOLDS, inner: bool = True,
                heard: Sequence[Example] = ()) -> list[Scored]:
    """Every answer scored by weights fit on the other folds; `heard` (answers as the recognizer
    heard them) are scored by the weights fit without their written and spoken versions."""
    scored = []
    for test in folds(items, k):
        held = set(test)
        model = fit([ex for i, ex in enumerate(items) if i not in held], inner=inner)
        scored.extend(score(model, items[i]) for i in test)
        held_groups = {items[i].group for i in test}
        scored.extend(score(model, ex) for ex in heard if ex.group in held_groups)
    return scored


def balanced_accuracy(pairs) -> tuple[float, str]:
    from scripts.evaluation.evaluate import balanced_accuracy as ba

    return ba(pairs)


def train(folder: Path, out: Path = WEIGHTS) -> dict:
    """Fit on every labeled answer and write the weights the product ships."""
    items = examples(folder)
    model = fit(items)
    model["fit_on"] = {"answers": len(items), "groups": len({ex.group for ex in items})}
    out.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n")
    return model


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="train-star", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the labeled evaluation data")
    parser.add_argument("--output", type=Path, default=WEIGHTS, help="where to write the weights")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"train-star: error: no labeled data at {args.folder}", file=sys.stderr)
        return 2
    model = train(args.folder, args.output)
    size = sum(len(w) for w in model["state_features"].values())
    print(f"fit on {model['fit_on']['answers']} answers from {model['fit_on']['groups']} sources; "
          f"{size} weights written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
