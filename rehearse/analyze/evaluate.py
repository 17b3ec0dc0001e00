"""How right the analyzers are, measured on labeled answers nobody on the project wrote.

Run as `scripts/eval` (or `python -m rehearse.analyze.evaluate [EVAL_DIR]`). Each row of the
table is one function returning `Row`s; a new measurement (say, fillers on synthesized audio)
is one more function in `ROWS`. Exits 1 when a row misses its target.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Callable, Iterable

from rehearse.analyze.fillers import find_fillers
from rehearse.analyze.star import label_units
from rehearse.analyze.star_cues import LABELS
from rehearse.transcribe import transcript_from_text

DEFAULT_DIR = Path(__file__).resolve().parents[3] / "shared" / "eval"
STAR_TARGET = 0.90  # balanced accuracy of each part's presence
FILLER_F1_TARGET = 0.95  # on text, with no decoy counted


@dataclasses.dataclass(frozen=True)
class Row:
    name: str  # what was measured, on what data
    value: float  # the measurement
    target: float | None  # the least acceptable value; None for information only
    detail: str = ""  # counts behind the value

    @property
    def passed(self) -> bool:
        return self.target is None or self.value >= self.target


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def balanced_accuracy(pairs: Iterable[tuple[bool, bool]]) -> tuple[float, str]:
    """Mean of recall on present and on absent cases, from (expected, predicted) pairs."""
    tp = fn = tn = fp = 0
    for expected, predicted in pairs:
        tp += expected and predicted
        fn += expected and not predicted
        tn += not expected and not predicted
        fp += not expected and predicted
    pos = tp / (tp + fn) if tp + fn else 1.0
    neg = tn / (tn + fp) if tn + fp else 1.0
    return (pos + neg) / 2, f"tp={tp} fn={fn} tn={tn} fp={fp}"


def star_presence(answers: list[dict]) -> dict[str, list[tuple[bool, bool]]]:
    """(labeled present, detected present) per part over the answers."""
    pairs: dict[str, list[tuple[bool, bool]]] = {label: [] for label in LABELS}
    for answer in answers:
        transcript = transcript_from_text(answer["answer"])
        skip = frozenset(i for f in find_fillers(transcript) for i in range(f.first, f.last + 1))
        found = {label for unit in label_units(transcript, skip) for label in unit.labels}
        for label in LABELS:
            pairs[label].append((answer["parts"][label] is not None, label in found))
    return pairs


def star_rows(path: Path) -> list[Row]:
    if not path.exists():
        return []
    rows = []
    for label, pairs in star_presence(load(path)).items():
        value, detail = balanced_accuracy(pairs)
        rows.append(Row(f"STAR {label} presence, {path.name}", value, STAR_TARGET, detail))
    return rows


def filler_counts(answers: list[dict]) -> tuple[int, int, int, int]:
    """(true positives, false positives, false negatives, decoys flagged) by character offset."""
    tp = fp = fn = decoys = 0
    for answer in answers:
        transcript = transcript_from_text(answer["answer"])
        assert transcript.text == answer["answer"], "offsets need single-spaced text"
        found = {(f.char_start, f.word) for f in find_fillers(transcript)}
        gold = {(f["char_index"], f["word"].lower()) for f in answer["fillers"]}
        decoy = {d["char_index"] for d in answer.get("non_fillers", [])}
        tp += len(found & gold)
        fp += len(found - gold)
        fn += len(gold - found)
        decoys += sum(start in decoy for start, _ in found)
    return tp, fp, fn, decoys


def filler_rows(path: Path) -> list[Row]:
    if not path.exists():
        return []
    tp, fp, fn, decoys = filler_counts(load(path))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    detail = f"P={precision:.3f} R={recall:.3f} tp={tp} fp={fp} fn={fn}"
    return [
        Row(f"filler F1 on text, {path.name}", f1, FILLER_F1_TARGET, detail),
        # Negated so that "at least 0" is the target: any decoy flagged fails the row.
        Row(f"filler decoys flagged (negated), {path.name}", -decoys, 0.0, f"{decoys} flagged"),
    ]


def written_filler_rows(path: Path) -> list[Row]:
    """Written answers have no fillers: whatever is flagged there is a false alarm."""
    if not path.exists():
        return []
    flagged = [(a["id"], f.word) for a in load(path)
               for f in find_fillers(transcript_from_text(a["answer"]))]
    return [Row(f"fillers flagged in written answers (negated), {path.name}", -len(flagged), None,
                ", ".join(f"{i}:{w}" for i, w in flagged))]


ROWS: tuple[Callable[[Path], list[Row]], ...] = (
    lambda d: star_rows(d / "star_dev.jsonl"),
    lambda d: star_rows(d / "star_spoken_dev.jsonl"),
    lambda d: filler_rows(d / "star_spoken_dev.jsonl"),
    lambda d: written_filler_rows(d / "star_dev.jsonl"),
)


def render(rows: list[Row]) -> str:
    width = max((len(r.name) for r in rows), default=10)
    lines = [f"{'measure':<{width}}  {'value':>7}  {'target':>7}  ok    detail"]
    for r in rows:
        target = f"{r.target:7.3f}" if r.target is not None else "      -"
        mark = "yes" if r.passed else "NO"
        lines.append(f"{r.name:<{width}}  {r.value:7.3f}  {target}  {mark:<4}  {r.detail}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else DEFAULT_DIR
    if not folder.is_dir():
        print(f"eval: error: no evaluation data at {folder}", file=sys.stderr)
        return 2
    rows = [row for measure in ROWS for row in measure(folder)]
    print(render(rows))
    missed = [r.name for r in rows if not r.passed]
    if missed:
        print(f"eval: {len(missed)} target(s) missed", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
