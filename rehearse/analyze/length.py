"""Answer length against the target, and which STAR part took the extra time."""

from __future__ import annotations

import dataclasses

from rehearse.analyze.options import AnalysisOptions
from rehearse.analyze.star import Star
from rehearse.transcription.whisper import Transcript

# The balance STAR coaching recommends (career-centre guides: keep the context short, spend
# most of the time on what you did): shares of the answer each part "should" take.
EXPECTED_SHARE = {"situation": 0.15, "task": 0.10, "action": 0.50, "result": 0.25}


@dataclasses.dataclass(frozen=True)
class Length:
    duration_s: float  # seconds up to the last word (estimated from words for typed text)
    estimated: bool  # True for typed text, timed at options.typed_wpm
    target_s: tuple[float, float]  # the range the answer should fall in
    verdict: str  # "short", "ok" or "long"
    over_s: float  # seconds beyond the target's maximum (0 when not long)
    under_s: float  # seconds short of the target's minimum (0 when not short)
    longest_part: str | None  # the STAR part furthest above its expected share
    longest_part_s: float | None  # seconds that part took

    def to_json(self) -> dict:
        out = dataclasses.asdict(self)
        out["target_s"] = list(self.target_s)
        return out


def answer_seconds(transcript: Transcript, options: AnalysisOptions) -> tuple[float, bool]:
    """(seconds, estimated): to the end of the last word, or words at typed_wpm for text."""
    if transcript.timed:
        return transcript.words[-1].end, False
    return len(transcript.words) * 60.0 / options.typed_wpm, True


def heaviest_part(star: Star) -> str | None:
    """The present STAR part that takes the most time beyond its expected share."""
    present = {k: p.share for k, p in star.parts.items() if p.present}
    if not present:
        return None
    return max(present, key=lambda k: present[k] - EXPECTED_SHARE[k])


def judge_length(transcript: Transcript, star: Star, target_s: tuple[float, float],
                 options: AnalysisOptions) -> Length:
    seconds, estimated = answer_seconds(transcript, options)
    low, high = target_s
    whole = round(seconds)  # judged to the second: 59.97 s is a one-minute answer
    verdict = "short" if whole < low else "long" if whole > high else "ok"
    part = heaviest_part(star)
    return Length(
        duration_s=round(seconds, 1),
        estimated=estimated,
        target_s=(low, high),
        verdict=verdict,
        over_s=round(max(seconds - high, 0.0), 1),
        under_s=round(max(low - seconds, 0.0), 1),
        longest_part=part,
        longest_part_s=round(star.parts[part].share * seconds, 1) if part else None,
    )
