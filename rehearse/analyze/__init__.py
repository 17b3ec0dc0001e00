"""Analysis of one answer: what a coach would say about its structure, words and delivery.

`analyze()` runs the checks in order (fillers first, so that STAR reads the answer without them)
and gathers their results in an `Analysis`. Every check is a pure function of the transcript.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

import numpy as np

from rehearse.analyze.dropped_fillers import possible_fillers
from rehearse.analyze.fillers import Filler, find_bursts, find_fillers
from rehearse.analyze.length import Length, judge_length
from rehearse.analyze.metrics import Metrics, gather
from rehearse.analyze.options import AnalysisOptions
from rehearse.analyze.pace import measure_pace
from rehearse.analyze.pauses import Pause, find_pauses, long_pauses, think_time
from rehearse.analyze.specificity import Specificity, measure_specificity
from rehearse.analyze.star import Star, analyze_star
from rehearse.analyze.tips import Evidence, Tip, choose_tips
from rehearse.transcription.whisper import Transcript

__all__ = ["Analysis", "AnalysisOptions", "analyze"]

DEFAULT_TARGET_S = (60.0, 120.0)  # one to two minutes: career-centre advice for STAR answers


@dataclasses.dataclass(frozen=True)
class Analysis:
    metrics: Metrics  # counts and rates
    pauses: tuple[Pause, ...]  # every pause between words
    fillers: tuple[Filler, ...]  # transcribed fillers, then possible ones, in time order
    star: Star  # structure: situation, task, action, result, and findings
    specificity: Specificity  # I/we, numbers, hedges, vague words
    length: Length  # against the target
    tips: tuple[Tip, ...]  # at most three, most useful first

    def to_json(self) -> dict:
        return {
            "metrics": self.metrics.to_json(),
            "pauses": [p.to_json() for p in self.pauses],
            "fillers": [f.to_json() for f in self.fillers],
            "star": self.star.to_json(),
            "specificity": self.specificity.to_json(),
            "length": self.length.to_json(),
            "tips": [t.to_json() for t in self.tips],
        }


def analyze(
    transcript: Transcript,
    *,
    target_s: tuple[float, float] = DEFAULT_TARGET_S,
    speech_segments: Sequence[tuple[float, float]] | None = None,
    audio: np.ndarray | None = None,
    sounds: dict | None = None,
    options: AnalysisOptions = AnalysisOptions(),
) -> Analysis:
    """Analyze one answer. speech_segments: voice-activity regions in seconds, when audio exists;
    audio: the 16 kHz samples, for hearing the hesitations the recognizer left out; sounds: gaps
    already listened to while recording (`dropped_fillers.listen_between`)."""
    said = find_fillers(transcript)
    maybe = possible_fillers(transcript, speech_segments, said, options, audio, sounds)
    every = sorted(said + maybe, key=lambda f: (f.start or 0.0, f.char_start or 0))
    filler_words = frozenset(i for f in said for i in range(f.first, f.last + 1))
    pauses = find_pauses(transcript, options)
    star = analyze_star(transcript, filler_words, options)
    heard = sorted(said + [f for f in maybe if f.sure], key=lambda f: f.start or 0.0)
    metrics = gather(len(transcript.words), transcript.duration_s,
                     measure_pace(transcript, pauses, options), heard,
                     [f for f in maybe if not f.sure],
                     find_bursts(heard, options), pauses, long_pauses(pauses, options),
                     think_time(transcript))
    specificity = measure_specificity(transcript, star, said)
    length = judge_length(transcript, star, target_s, options)
    tips = choose_tips(Evidence(transcript, star, specificity, metrics, length, options))
    return Analysis(metrics, tuple(pauses), tuple(every), star, specificity, length, tuple(tips))

