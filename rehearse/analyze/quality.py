"""Can this take be scored at all? Speech found, level, clipping, background noise.

Runs before the other analyzers: a take with no speech, a whisper-quiet input, an overloaded
input or a loud room gives numbers that look precise and mean nothing, so we say so instead.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Sequence

import numpy as np

from rehearse.analyze.voice import (
    VoiceOptions,
    clipped_share,
    frame_levels_db,
    segment_mask,
)
from rehearse.audio.sound import SAMPLE_RATE


@dataclasses.dataclass(frozen=True)
class QualityOptions:
    # Less speech than this, seconds, is a word or two: no answer to score. Slightly above a
    # bare "Mm. Yeah." (about 1.2 s), which is what a mic that picks up the wrong person hears.
    min_speech_s: float = 2.0
    # Less speech than this, seconds, is too little for pace, pauses and pitch windows to settle.
    short_speech_s: float = 5.0
    # Speech quieter than this RMS level, dBFS, is mostly hiss once brought up. Close-talking
    # headset speech sits around -20 dBFS (measured on the AMI headset clips in our eval set).
    quiet_speech_db: float = -45.0
    # A take whose loudest sample stays below this, dBFS, never got near a usable level.
    quiet_peak_db: float = -30.0
    # More clipped samples than this share distorts pitch and loudness (see VoiceOptions).
    clip_share: float = VoiceOptions.clip_problem_share
    # Speech less than this many dB above the background is "noisy". Recognizers trained on
    # clean speech degrade steeply below about 10 dB SNR (Hirsch & Pearce 2000, "The Aurora
    # experimental framework", ISCA ASR2000, which tests from 20 dB down to -5 dB).
    min_snr_db: float = 10.0
    # Frame length for levels, seconds: the voice analysis's, so its levels can be reused.
    frame_s: float = VoiceOptions.frame_s
    # With less non-speech than this, seconds, the background level is not estimated.
    min_noise_s: float = 0.5


@dataclasses.dataclass(frozen=True)
class Problem:
    code: str  # "no_speech", "too_short", "too_quiet", "clipping" or "noisy"
    message: str  # one or two plain sentences: what is wrong and what to do about it


@dataclasses.dataclass(frozen=True)
class Quality:
    problems: tuple[Problem, ...]  # empty when the take can be scored
    speech_s: float  # seconds of speech the VAD found
    speech_db: float | None  # RMS level of the speech, dBFS; None without speech
    peak_db: float | None  # loudest sample, dBFS; None for digital silence
    snr_db: float | None  # speech over background, dB, at least -30; None: no speech or pauses
    clipping_share: float  # share of samples clipped, 0..1

    @property
    def ok(self) -> bool:
        # Every problem we report makes the scores unreliable, so any one of them is enough.
        return not self.problems

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "problems": [{"code": p.code, "message": p.message} for p in self.problems],
            "measured": {
                "speech_s": round(self.speech_s, 2),
                "speech_db": _round(self.speech_db),
                "peak_db": _round(self.peak_db),
                "snr_db": _round(self.snr_db),
                "clipping_share": round(self.clipping_share, 6),
            },
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0


def check_quality(
    audio: np.ndarray,
    sample_rate: int = SAMPLE_RATE,
    *,
    speech_segments: Sequence[tuple[float, float]],
    options: QualityOptions = QualityOptions(),
    levels: np.ndarray | None = None,
    clipping_share: float | None = None,
) -> Quality:
    """Say whether the take can be scored, and if not, why and what to do.

    `levels` (per `options.frame_s` frame) and `clipping_share` save measuring them again when the
    voice analysis already did.
    """
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim != 1:
        raise ValueError(f"expected mono audio (one dimension), got shape {audio.shape}")
    duration = len(audio) / sample_rate
    speech_s = float(sum(max(0.0, min(b, duration) - max(a, 0.0)) for a, b in speech_segments))
    if levels is None:
        levels = frame_levels_db(audio, sample_rate, options.frame_s)
    in_speech = segment_mask(speech_segments, len(levels), options.frame_s)
    speech_db = _power_mean_db(levels[in_speech]) if in_speech.any() else None
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    quality = Quality(
        problems=(),
        speech_s=speech_s,
        speech_db=speech_db,
        peak_db=20.0 * math.log10(peak) if peak > 0 else None,
        snr_db=_snr_db(levels, in_speech, options) if speech_db is not None else None,
        clipping_share=clipped_share(audio) if clipping_share is None else clipping_share,
    )
    return dataclasses.replace(quality, problems=tuple(_problems(quality, options)))


def _power_mean_db(levels: np.ndarray) -> float:
    """The level of a stretch of frames: their RMS, not their average in dB."""
    return float(10.0 * np.log10(np.mean(10.0 ** (levels / 10.0))))


def _snr_db(levels: np.ndarray, in_speech: np.ndarray, options: QualityOptions) -> float | None:
    """Speech power over background power, dB; None with too little background to measure.

    The background is the frames outside speech. Tight VAD segments leave every pause between
    phrases outside, so any take long enough to score has plenty of it.
    """
    background = levels[~in_speech]
    if background.size * options.frame_s < options.min_noise_s:
        return None
    speech_power = 10.0 ** (_power_mean_db(levels[in_speech]) / 10.0)
    noise_power = 10.0 ** (_power_mean_db(background) / 10.0)
    # Speech frames carry the background too; take it out before comparing. Floor at -30 dB,
    # where the speech is lost in the background anyway.
    clean_power = max(speech_power - noise_power, noise_power * 1e-3)
    return 10.0 * math.log10(clean_power / noise_power)


def _problems(q: Quality, options: QualityOptions) -> list[Problem]:
    found = [check(q, options) for check in (_amount, _level, _clipping, _noise)]
    return [problem for problem in found if problem is not None]


def _amount(q: Quality, options: QualityOptions) -> Problem | None:
    if q.speech_s < options.min_speech_s:
        return Problem("no_speech", (
            f"Almost no speech was heard ({q.speech_s:.1f} s), so this take can't be scored. "
            "Check that the right microphone is selected and not muted, then answer again."
        ))
    if q.speech_s < options.short_speech_s:
        return Problem("too_short", (
            f"Only {q.speech_s:.1f} s of speech, so this take can't be scored reliably: pace, "
            "pauses and pitch need more to go on. Give a fuller answer, as you would in the "
            "interview."
        ))
    return None


def _too_quiet(q: Quality, options: QualityOptions) -> bool:
    quiet_speech = q.speech_db is not None and q.speech_db < options.quiet_speech_db
    return quiet_speech or q.peak_db is None or q.peak_db < options.quiet_peak_db


def _level(q: Quality, options: QualityOptions) -> Problem | None:
    if not _too_quiet(q, options):
        return None
    return Problem("too_quiet", (
        f"The recording is very quiet ({_level_words(q)}), so it can't be scored reliably. "
        "Move closer to the microphone or turn the input gain up."
    ))


def _clipping(q: Quality, options: QualityOptions) -> Problem | None:
    if q.clipping_share <= options.clip_share:
        return None
    return Problem("clipping", (
        f"{q.clipping_share * 100:.2g}% of the recording is clipped (the input is overloaded), "
        "which distorts pitch and loudness, so it can't be scored reliably. "
        "Turn the input gain down or move back from the microphone."
    ))


def _noise(q: Quality, options: QualityOptions) -> Problem | None:
    # On a take with no speech or a far too quiet one the noise estimate means nothing either.
    if q.speech_s < options.min_speech_s or _too_quiet(q, options):
        return None
    if q.snr_db is None or q.snr_db >= options.min_snr_db:
        return None
    return Problem("noisy", (
        f"{_snr_words(q.snr_db)}, so the take can't be scored reliably. "
        "Find a quieter room or move closer to the microphone."
    ))


def _level_words(q: Quality) -> str:
    speech = "no speech" if q.speech_db is None else f"speech at {q.speech_db:.0f} dBFS"
    peak = "digital silence" if q.peak_db is None else f"peak {q.peak_db:.0f} dBFS"
    return f"{speech}, {peak}"


def _snr_words(snr_db: float) -> str:
    if snr_db < 1:
        return "Background noise is as loud as your voice"
    return f"Background noise is close to the level of your voice (only {snr_db:.0f} dB below it)"
