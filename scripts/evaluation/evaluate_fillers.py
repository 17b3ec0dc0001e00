"""Filled pauses in real human speech, scored event by event (`scripts/eval_fillers`).

The data folder's `real/` holds recordings of real people with the time of every filled pause
("um", "uh", "mm", "hm"), and `real/ami_ES2004a_0750-0810_times.json` gives the same for the four
AMI headset clips in `audio/`. Every filler the report counts (a transcribed hesitation sound or
one heard in the audio between words) is matched one to one with a reference within `SLACK_S`.
Recordings whose references have no times (the elicited utterances) are scored by count.

Spontaneous speech, elicited speech and the synthesized answers are scored apart: the elicited
fillers are real voice but said on purpose, and the synthesized ones flatter any detector.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Iterable, Sequence

from rehearse.analyze.fillers import SOUNDS, Filler
from scripts.evaluation.evaluate_audio import RecallPrecision

SLACK_S = 0.3  # a found filler within this much of a reference filled pause is a hit
HESITATIONS = frozenset(SOUNDS.values())  # the types counted as hesitation sounds
RECALL_TARGET = 0.80  # the aim on real speech; shown, not enforced (see `main`)
PRECISION_TARGET = 0.90
TIMES_FILE = "ami_ES2004a_0750-0810_times.json"


@dataclasses.dataclass(frozen=True)
class Recording:
    name: str  # the audio file's stem
    path: Path  # the audio file
    group: str  # "spontaneous" or "elicited"
    source: str  # recordings from one meeting or one speaker share a source (for grouped folds)
    fillers: tuple[tuple[float, float], ...] | None  # reference filled pauses; None: untimed
    count: int  # how many filled pauses the reference has
    neutral: tuple[tuple[float, float], ...] = ()  # backchannels, other speakers: not scored


@dataclasses.dataclass(frozen=True)
class Score(RecallPrecision):
    labeled: int = 0  # reference filled pauses
    found: int = 0  # of them, matched by a counted filler
    false: int = 0  # counted fillers that match no reference

    def __add__(self, other: Score) -> Score:
        return Score(self.labeled + other.labeled, self.found + other.found,
                     self.false + other.false)


# --- the references -----------------------------------------------------------------------------

def _span(item: dict) -> tuple[float, float]:
    return float(item["start"]), float(item["end"])


def _source(name: str) -> str:
    """One AMI meeting, or one speaker (the aligner's developer recorded all the mfa_ files)."""
    return name.split("_")[0] + ("_" + name.split("_")[1] if name.startswith("ami") else "")


def recordings(folder: Path) -> list[Recording]:
    """Every scored recording under `folder` (the evaluation data's root)."""
    real = folder / "real"
    found = []
    for line in (real / "manifest.jsonl").read_text().splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        pauses = [f for f in entry["fillers"] if f.get("kind") == "filled_pause"]
        timed = bool(entry.get("timing_reliable")) and all("start" in f for f in pauses)
        elicited = "ELICITED" in entry.get("setting", "")
        name = Path(entry["file"]).stem
        found.append(Recording(
            name, real / entry["file"], "elicited" if elicited else "spontaneous",
            _source(name),
            tuple(map(_span, pauses)) if timed else None, len(pauses),
            tuple(_span(f) for f in entry["fillers"] if f.get("kind") != "filled_pause"
                  and "start" in f)))
    times = real / TIMES_FILE
    if times.exists():
        found += _headset_clips(json.loads(times.read_text()), real)
    return found


def _headset_clips(times: dict, real: Path) -> list[Recording]:
    """The AMI headset clips: this speaker's filled pauses; other voices' are not scored."""
    clips = []
    for clip in times["clips"]:
        own = [f for f in clip["fillers_this_speaker"] if f["kind"] == "filled_pause"]
        others = [f for f in clip["fillers_this_speaker"] if f["kind"] != "filled_pause"]
        others += clip["fillers_other_speakers_crosstalk"]
        path = (real / clip["file"]).resolve()
        clips.append(Recording(path.stem, path, "spontaneous", "ami_" + clip["ami_meeting"],
                               tuple(map(_span, own)), len(own), tuple(map(_span, others))))
    return clips


# --- matching -----------------------------------------------------------------------------------

def _near(a: tuple[float, float], b: tuple[float, float], slack: float) -> bool:
    return a[0] <= b[1] + slack and a[1] >= b[0] - slack


def match_events(found: Sequence[tuple[float, float]], references: Sequence[tuple[float, float]],
                 neutral: Sequence[tuple[float, float]] = (), slack: float = SLACK_S) -> Score:
    """Found fillers against reference ones, one to one, nearest first.

    A found filler near no reference but near a neutral event (a backchannel, another speaker's
    filler) is neither a hit nor a false alarm.
    """
    pairs = sorted((abs((f[0] + f[1]) - (r[0] + r[1])) / 2, i, j)
                   for i, f in enumerate(found) for j, r in enumerate(references)
                   if _near(f, r, slack))
    used_f, used_r = set(), set()
    for _, i, j in pairs:
        if i not in used_f and j not in used_r:
            used_f.add(i)
            used_r.add(j)
    rest = [f for i, f in enumerate(found) if i not in used_f]
    false = sum(not any(_near(f, n, slack) for n in neutral) for f in rest)
    return Score(len(references), len(used_r), false)


def match_count(found: int, labeled: int) -> Score:
    """For references without times: up to `labeled` found fillers are hits, the rest false."""
    return Score(labeled, min(found, labeled), max(0, found - labeled))


def counted(fillers: Iterable[Filler]) -> list[Filler]:
    """The fillers the report counts as hesitations: sounds, transcribed or heard in the audio."""
    return [f for f in fillers if f.start is not None
            and (f.type in HESITATIONS or f.kind != "transcribed")]


def score(recording: Recording, fillers: Sequence[Filler]) -> Score:
    spans = [(f.start, f.end) for f in counted(fillers)]
    if recording.fillers is None:
        return match_count(len(spans), recording.count)
    return match_events(spans, recording.fillers, recording.neutral)


# --- hearing ------------------------------------------------------------------------------------

def heard(recording: Recording, transcriber, cache: Path) -> tuple[Filler, ...]:
    """The fillers the report gives for this recording, through the batch path."""
    from rehearse.analyze import analyze
    from scripts.evaluation.evaluate_audio import transcribed
    from rehearse.audio.sound import load_audio
    from rehearse.assess import speech_segments
    from rehearse.transcription.whisper import without_faint_words

    audio = load_audio(recording.path)
    transcript = without_faint_words(transcribed(audio, transcriber, cache / "transcripts"), audio)
    return analyze(transcript, speech_segments=speech_segments(audio), audio=audio).fillers


def _table(scores: dict[str, Score]) -> list[str]:
    lines = []
    for name, s in scores.items():
        lines.append(f"  {name:<34} recall {s.recall:4.2f} ({s.found}/{s.labeled})  "
                     f"precision {s.precision:4.2f} ({s.false} false)")
    return lines


def heard_all(folder: Path, transcriber, cache: Path) -> list[tuple[Recording, tuple[Filler, ...]]]:
    return [(rec, heard(rec, transcriber, cache)) for rec in recordings(folder)]


def totals(results, least: float = 0.0, sure_only: bool = False) -> dict[str, Score]:
    """Per-group scores, counting heard fillers of at least `least` confidence (or sure ones)."""
    groups: dict[str, Score] = {}
    for rec, fillers in results:
        kept = [f for f in fillers if f.confidence is None
                or (f.sure if sure_only else f.confidence >= least)]
        groups[rec.group] = groups.get(rec.group, Score()) + score(rec, kept)
    return groups


THRESHOLDS = (0.35, 0.45, 0.55, 0.65, 0.75, 0.85)  # confidences tried for the one fitted threshold


def _f1(s: Score) -> float:
    return 2 * s.recall * s.precision / (s.recall + s.precision) if s.found else 0.0


def cross_validated(results, group: str) -> tuple[Score, list[float]]:
    """Leave one source out: the confidence threshold that maximizes F1 on the other sources
    (spontaneous and elicited together), applied to the one left out. Returns the pooled score
    on `group` and the threshold chosen for each fold."""
    pooled, chosen = Score(), []
    for source in sorted({rec.source for rec, _ in results if rec.group == group}):
        rest = [r for r in results if r[0].source != source]
        best = max(THRESHOLDS, key=lambda t: _f1(sum(totals(rest, t).values(), Score())))
        chosen.append(best)
        held = [r for r in results if r[0].source == source]
        pooled += totals(held, best).get(group, Score())
    return pooled, chosen


def show(results) -> None:
    for rec, fillers in results:
        s = score(rec, fillers)
        at = ", ".join(f"{f.type or f.kind}@{f.start:.2f}"
                       + (f"({f.confidence:.2f})" if f.confidence is not None else "")
                       for f in counted(fillers))
        refs = ", ".join(f"{a:.2f}" for a, _ in rec.fillers or ())
        print(f"{rec.name:<32} {s.found}/{s.labeled} {s.false} false | ref {refs} | found {at}")


def rows(folder: Path) -> list:
    """Rows for `scripts/eval`: shown as information, without a target (see `main`)."""
    from scripts.evaluation.evaluate import Row, _transcriber
    from scripts.evaluation.evaluate_audio import cache_folder

    if not (folder / "real" / "manifest.jsonl").exists():
        return []
    results = heard_all(folder, _transcriber(), cache_folder())
    found = []
    for group, s in totals(results).items():
        detail = f"{s.found}/{s.labeled}, {s.false} false; aim {RECALL_TARGET} / {PRECISION_TARGET}"
        found += [Row(f"filled pauses in real {group} speech, recall by event", s.recall, None, detail),
                  Row(f"filled pauses in real {group} speech, precision by event", s.precision,
                      None, "")]
    return found


def synthesized(folder: Path, transcriber, cache: Path) -> tuple[float, float]:
    """Recall and precision, possible fillers included, on the synthesized spoken answers."""
    from scripts.evaluation import evaluate_audio as ea
    from scripts.evaluation.evaluate import load

    takes = ea.synthesized_takes(load(folder / "star_spoken_dev.jsonl"), transcriber, cache)
    total = sum((t.score for t in takes), ea.FillerScore())
    return total.recall_with_possible, total.precision_with_possible


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="eval_fillers", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the evaluation data (holding real/ and audio/)")
    parser.add_argument("--show", action="store_true", help="print every recording's events")
    parser.add_argument("--no-synthesized", action="store_true",
                        help="skip the synthesized answers (minutes the first time)")
    args = parser.parse_args(argv)
    if not (args.folder / "real" / "manifest.jsonl").exists():
        print(f"eval_fillers: error: no real/manifest.jsonl in {args.folder}", file=sys.stderr)
        return 2
    from scripts.evaluation.evaluate import _transcriber
    from scripts.evaluation.evaluate_audio import cache_folder

    transcriber, cache = _transcriber(), cache_folder()
    results = heard_all(args.folder, transcriber, cache)
    if args.show:
        show(results)
    print(f"filled pauses, event by event within {SLACK_S} s "
          f"(aim on real speech: recall >= {RECALL_TARGET}, precision >= {PRECISION_TARGET})")
    print("as reported (every heard filler, sure and unsure):")
    print("\n".join(_table(totals(results))))
    print("sure ones only (confidence >= the report's 'sure'):")
    print("\n".join(_table(totals(results, sure_only=True))))
    print("heard fillers kept from confidence t on, all data:")
    for t in THRESHOLDS:
        print(f"  t={t:.2f}  " + "   ".join(f"{g} {s.recall:.2f} / {s.precision:.2f}"
                                          for g, s in totals(results, t).items()))
    for group in ("spontaneous", "elicited"):
        pooled, chosen = cross_validated(results, group)
        print(f"leave one source out, {group}: recall {pooled.recall:.2f} ({pooled.found}/"
              f"{pooled.labeled}) precision {pooled.precision:.2f} ({pooled.false} false); "
              f"t chosen per fold: {', '.join(f'{c:.2f}' for c in chosen)}")
    if not args.no_synthesized and (args.folder / "star_spoken_dev.jsonl").exists():
        recall, precision = synthesized(args.folder, transcriber, cache)
        print(f"  {'synthesized answers (by words)':<34} recall {recall:4.2f}  "
              f"precision {precision:4.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
