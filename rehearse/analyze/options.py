"""Thresholds for the analyzers, in one frozen dataclass, each with where it comes from."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class AnalysisOptions:
    # Pace. The National Center for Voice and Speech gives about 150 wpm for conversational
    # English; Tauroza & Allison (1990, "Speech rates in British English") measured roughly
    # 140-160 wpm for lectures and radio talk; presentation coaching asks for about 120-160 wpm.
    # Outside 110-170 listeners notice a drag or a rush.
    slow_wpm: float = 110.0  # below this the answer sounds hesitant
    fast_wpm: float = 170.0  # above this the answer sounds rushed
    window_s: float = 15.0  # length of the sliding window for fastest/slowest stretches
    window_step_s: float = 5.0  # how far the window moves each step

    # Pauses. Silent pauses shorter than ~0.25 s are articulatory, not hesitations (Goldman-Eisler
    # 1968; de Jong & Bosker 2013 found 250 ms the best cut-off for fluency measures).
    pause_min_s: float = 0.25  # shortest gap between words counted as a pause
    long_pause_s: float = 2.0  # a pause a listener notices as a silence (interview coaching)

    # Fillers. Speech coaching and Toastmasters' "ah-counter" practice: up to about 3 a minute
    # reads as fluent; above about 5 a minute listeners start to notice them.
    fluent_fillers_per_min: float = 3.0  # at or below: do not mention fillers
    noisy_fillers_per_min: float = 5.0  # above: worth working on
    burst_count: int = 3  # this many fillers ...
    burst_window_s: float = 10.0  # ... within this many seconds make a burst
    possible_gap_s: float = 0.2  # VAD speech this long in a word gap may be a dropped filler ...
    possible_max_s: float = 1.2  # ... and at most this long: longer is untranscribed speech
    possible_max_prob: float = 0.5  # a short isolated token below this confidence may be a filler

    # Length. Interview coaching (university career centres, recruiters) puts a behavioral
    # answer at one to two minutes; typed answers are timed at a conversational 150 wpm.
    typed_wpm: float = 150.0  # assumed speaking rate for typed text

    # STAR. STAR coaching: context short, the action the largest part (career-centre guides
    # suggest about 20% situation+task, 60% action, 20% result).
    long_situation_share: float = 0.45  # situation taking this share of the answer is too long ...
    long_situation_min_s: float = 20.0  # ... and runs this long (a third of a short answer)
    min_story_words: int = 20  # fewer words than this do not tell a story
