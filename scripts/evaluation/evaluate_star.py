"""How right the STAR detector is on answers it was not fit to: the rows of `scripts/eval`.

Each part's balanced accuracy from cross-validation grouped by source (`star_fit.out_of_fold`)
beside the development-set figure: the shipped weights on the answers they were fit to, an
optimistic figure that shows how far the fit flatters itself. The audio rows do the same on
synthesized speech heard by the real recognizer; the cost rows time the parse in a fresh process.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Sequence

from rehearse.analyze.star import too_short
from rehearse.attempt import STAR_PARTS
from scripts.evaluation.star_fit import (
    FOLDS, SPOKEN, Example, Scored, balanced_accuracy, clauses_of, examples, filler_words, folds,
    groups, load, out_of_fold, score)
from rehearse.analyze.star_model import WEIGHTS, clause_features
from rehearse.analyze.star_rules import rule_parts

TEXT_TARGET = 0.90  # balanced accuracy of each part's presence, on answers not fit to
AUDIO_TARGET = 0.85  # the same from synthesized speech through the recognizer
# Floors should an aim be missed again (see evaluate.Row.floor): a little under the latest
# cross-validated figures, text 0.91-0.94 per part, audio 0.87-0.93.
TEXT_FLOOR = 0.80
AUDIO_FLOOR = 0.80

# --- figures -----------------------------------------------------------------------------------

def presence(scored: Sequence[Scored], label: str) -> tuple[float, str]:
    return balanced_accuracy((s.example.present[label], s.found(label)) for s in scored)


def sure_missing(scored: Sequence[Scored]) -> tuple[int, int]:
    """(right, made) of the "this part is missing" calls the detector was sure of (an answer too
    short to tell a story gets no such call: the coach says it is too short instead)."""
    calls = [(s.example.present[label]) for s in scored for label in STAR_PARTS
             if not s.example.short and not s.found(label) and s.sure(label)]
    return sum(not c for c in calls), len(calls)


def star_text_rows(folder: Path) -> list:
    """Per part: balanced accuracy by grouped cross-validation, the shipped weights beside it."""
    items = examples(folder)
    if not items:
        return []
    cv, shipped = out_of_fold(items), weights_file()
    dev = [score(shipped, ex) for ex in items]
    written = sum(not ex.spoken for ex in items)
    setup = f"{written} written + {len(items) - written} spoken answers, {len(folds(items, FOLDS))}"
    rows = _rows(f"text ({setup} folds by source)", cv, dev, TEXT_TARGET, TEXT_FLOOR)
    return rows + [_same_when_spoken(cv)] + cost_rows()


def _same_when_spoken(cv: Sequence[Scored]) -> object:
    """Whether fillers, restarts and run-ons change the parts found: spoken against written."""
    from scripts.evaluation.evaluate import Row

    found = {s.example.id: {label for label in STAR_PARTS if s.found(label)} for s in cv}
    pairs = [(found[i], found[i.removesuffix("/spoken")]) for i in found
             if i.endswith("/spoken") and i.removesuffix("/spoken") in found]
    same = sum(a == b for a, b in pairs)
    return Row("STAR parts found the same in an answer and its spoken version, grouped CV",
               same / len(pairs) if pairs else 1.0, None, f"{same}/{len(pairs)} answers")


_PROBE = """
import json, resource, time
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 / 1e6
from rehearse.analyze import star_parse
from rehearse.analyze.star import analyze_star
from rehearse.transcription.whisper import transcript_from_text
before, t = rss(), time.perf_counter()
star_parse.load_parser()
load, added = time.perf_counter() - t, rss() - before
text = " ".join(["Last year our support queue doubled in a month, so I had to cut the wait.",
                 "I wrote reply templates for the top ten questions and trained the team.",
                 "Within six weeks the wait fell from eight minutes to two."] * 4)
transcript = transcript_from_text(text)
times = []
for _ in range(7):
    t = time.perf_counter()
    analyze_star(transcript)
    times.append(time.perf_counter() - t)
print(json.dumps({"load_s": load, "rss_mb": added, "answer_s": sorted(times)[3],
                  "words": len(transcript.words)}))
"""


def cost_rows() -> list:
    """What the parse costs, measured in a fresh process: load time, memory, time per answer."""
    import subprocess

    from scripts.evaluation.evaluate import Row

    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                         check=True)
    cost = json.loads(out.stdout)
    return [Row("STAR parse pipeline: load time (s), fresh process", cost["load_s"], None),
            Row("STAR parse pipeline: memory added (MB RSS)", cost["rss_mb"], None),
            Row(f"STAR: time to judge one {cost['words']}-word answer (s, median of 7)",
                cost["answer_s"], None)]


def star_audio_rows(folder: Path, transcriber) -> list:
    """The same from synthesized speech heard by the recognizer: every spoken answer in each
    voice; the figure beside is the shipped weights on the same transcripts."""
    items = examples(folder)
    heard = heard_examples(folder, transcriber)
    if not heard:
        return []
    cv = [s for s in out_of_fold(items, heard=heard) if s.example.id.endswith("/heard")]
    shipped = weights_file()
    dev = [score(shipped, ex) for ex in heard]
    voices = ", ".join(f"{v.split('/')[-1]}@{r}" for v, r in AUDIO_TAKES)
    return _rows(f"synthesized audio ({len(heard)} takes: {voices})", cv, dev, AUDIO_TARGET, AUDIO_FLOOR)


def _rows(setup: str, cv: Sequence[Scored], dev: Sequence[Scored], target: float,
          floor: float) -> list:
    from scripts.evaluation.evaluate import Row

    rows = []
    for label in STAR_PARTS:
        value, detail = presence(cv, label)
        dev_value, _ = presence(dev, label)
        rows.append(Row(f"STAR {label}, grouped CV, {setup}" if not rows else
                        f"STAR {label}, grouped CV", value, target,
                        f"dev-set {dev_value:.3f} (weights fit on these answers); CV {detail}",
                        floor=floor))
    right, made = sure_missing(cv)
    dev_right, dev_made = sure_missing(dev)
    rows.append(Row("STAR sure 'missing' calls right, grouped CV", right / made if made else 1.0,
                    None, f"{right}/{made}; dev-set {dev_right}/{dev_made}"))
    return rows


AUDIO_TAKES = (("gmw/en-us", 150), ("gmw/en", 190))  # espeak-ng voice and words per minute


def heard_examples(folder: Path, transcriber) -> list[Example]:
    """The spoken answers synthesized, transcribed by Whisper (both cached), ready to score."""
    from scripts.evaluation import evaluate_audio as ea
    from rehearse.audio.sound import load_audio

    group_of = groups(folder)
    rows = [r for name in SPOKEN for r in load(folder / name)]
    cache = ea.cache_folder()
    out = []
    for voice, rate in AUDIO_TAKES:
        wavs = ea.synthesized([r["answer"] for r in rows], voice, rate, cache / "speech")
        for r, wav in zip(rows, wavs):
            transcript = ea.transcribed(load_audio(wav), transcriber, cache / "transcripts")
            clauses = clauses_of(transcript)
            written_id = r.get("written_version_id") or r["id"]
            out.append(Example(
                f"{r['id']}@{voice.split('/')[-1]}{rate}/heard",
                group_of.get(written_id, "first-split"), True,
                {label: r["parts"][label] is not None for label in STAR_PARTS},
                clause_features(clauses), [set() for _ in clauses],
                frozenset(rule_parts(transcript, filler_words(transcript))), too_short(clauses)))
    return out


def weights_file() -> dict:
    return json.loads(WEIGHTS.read_text())
