"""How the answer sounds: pitch variation, loudness, trailing off at sentence ends, clipping.

Pure functions of the audio samples plus the speech regions (from the VAD) and the sentence end
times (from the transcript). The pitch tracker is Praat's, through praat-parselmouth, imported
inside `pitch_track` so that importing this module stays cheap.

The costly part, the per-frame pitch and loudness (`Measures`), can be taken while the person
speaks: `VoiceTracker` listens to the recorder and measures a few seconds at a time, so when the
answer ends only its last seconds are left to measure.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Sequence

import numpy as np

from rehearse.audio.sound import SAMPLE_RATE

Segments = Sequence[tuple[float, float]]  # (start, end) seconds of speech, from the VAD

# Floor for frame power, so digital silence reads as -100 dBFS instead of -inf.
_POWER_FLOOR = 1e-10
# One step of 16-bit audio: samples this close to the peak are "at" it.
_INT16_STEP = 1.0 / 32768


@dataclasses.dataclass(frozen=True)
class VoiceOptions:
    # Pitch range searched, in Hz. Praat's defaults for speech (75-600 Hz) cover low male and high
    # female voices; the floor also sets the analysis window (3 periods = 40 ms).
    pitch_floor_hz: float = 75.0
    pitch_ceiling_hz: float = 600.0
    # Frames whose peak is below this share of the take's loudest sample are silent (Praat's
    # default for "To Pitch (ac)").
    silence_threshold: float = 0.03
    # Pitch frame step, seconds. Praat's default is 10 ms; 20 ms halves the cost (300 s of audio
    # in about 0.2 s) and still gives 400 frames per window, plenty for a standard deviation.
    pitch_step_s: float = 0.02
    # Pitch variation is measured per window of this many seconds, then the median is reported.
    # Hincks (2005, "Measures and perceptions of liveliness in student oral presentation speech",
    # System 33(4)) measured it over 10-second stretches; 8 s gives short answers two windows.
    window_s: float = 8.0
    # A window counts only with at least this much voiced speech in it, seconds.
    min_voiced_s: float = 1.0
    # Below this many semitones of pitch standard deviation the delivery is called monotone.
    # Hincks (2005) found pitch variation (std of F0 over its mean, "PVQ") tracked listeners'
    # liveliness ratings; 2 st is a PVQ of about 0.12. Semitones, not Hz, because the spread in
    # semitones is about the same for men and women and grows with livelier speech (Traunmüller
    # & Eriksson 1995, "The frequency range of the voice fundamental in the speech of male and
    # female adults"). The line itself is a heuristic: meeting talk measures 1.8-2.2 st here.
    monotone_below_st: float = 2.0
    # Frame length for loudness, seconds.
    frame_s: float = 0.02
    # Length of a sentence's ending that is checked for trailing off, seconds: about one syllable
    # or two at conversational rates.
    tail_s: float = 0.5
    # A sentence trails off when its last `tail_s` is this many dB below the rest of it: half
    # the amplitude, a heuristic set past the gentle fall in intensity that ends most statements.
    trail_drop_db: float = 6.0
    # A sentence needs this much speech before its tail for the comparison to mean anything, s.
    min_body_s: float = 0.5
    # A sample at or above this magnitude is taken as clipped (full scale is 1.0).
    clip_level: float = 0.999
    # Runs of at least this many samples stuck at the take's peak also count as clipped: that is
    # how clipping looks when a gain stage saturates below digital full scale.
    clip_run: int = 3
    # Flat tops only count on a loud take: a peak below this cannot be a saturated stage.
    clip_min_peak: float = 0.5
    # Above this share of clipped samples (16 a second at 16 kHz) clipping is no longer a stray
    # peak but audible distortion that skews pitch and loudness. A heuristic.
    clip_problem_share: float = 0.001


@dataclasses.dataclass(frozen=True)
class PitchWindow:
    start: float  # seconds from the start of the recording
    end: float  # seconds; the last window may be shorter than the others
    st: float  # standard deviation of pitch in this window, semitones


@dataclasses.dataclass(frozen=True)
class TrailingOff:
    count: int  # sentences whose ending is notably quieter than the rest of them
    share: float | None  # count over the sentences that could be judged; None if none could
    times: tuple[float, ...]  # end times of the sentences that trail off, seconds


@dataclasses.dataclass(frozen=True)
class Voice:
    pitch_variation_st: float | None  # median over windows of pitch std, semitones
    pitch_windows: tuple[PitchWindow, ...]  # the windows with enough voiced speech
    monotone: bool | None  # pitch variation below VoiceOptions.monotone_below_st
    median_f0_hz: float | None  # median pitch over voiced speech, Hz
    loudness_db: float | None  # mean level of voiced speech frames, dBFS
    loudness_variation_db: float | None  # standard deviation of those levels, dB
    trailing_off: TrailingOff
    clipping_share: float  # share of all samples that are clipped, 0..1
    clipping_problem: bool  # clipping_share above VoiceOptions.clip_problem_share

    def to_json(self) -> dict:
        return {
            "pitch_variation_st": _round(self.pitch_variation_st, 2),
            "pitch_windows": [
                {"start": round(w.start, 2), "end": round(w.end, 2), "st": round(w.st, 2)}
                for w in self.pitch_windows
            ],
            "monotone": self.monotone,
            "median_f0_hz": _round(self.median_f0_hz, 1),
            "loudness_db": _round(self.loudness_db, 1),
            "loudness_variation_db": _round(self.loudness_variation_db, 1),
            "trailing_off": {
                "count": self.trailing_off.count,
                "share": _round(self.trailing_off.share, 3),
                "times": [round(t, 2) for t in self.trailing_off.times],
            },
            "clipping_share": round(self.clipping_share, 6),
            "clipping_problem": self.clipping_problem,
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


@dataclasses.dataclass(frozen=True)
class Measures:
    """Per-frame pitch and loudness of a stretch of audio: what the voice report is made from."""

    times: np.ndarray  # pitch frame times, seconds from the start of the take
    f0: np.ndarray  # pitch per frame, Hz, 0 where unvoiced
    levels: np.ndarray  # loudness per VoiceOptions.frame_s frame from the start, dBFS
    samples: int  # how many samples of audio these cover

    def then(self, later: "Measures", sample_rate: int = SAMPLE_RATE) -> "Measures":
        """These measures followed by those of audio recorded right after (a follow-up reply).

        The later loudness frames move by less than one frame (20 ms) when this take does not end
        on a frame boundary: far finer than anything the report looks at.
        """
        return Measures(
            np.concatenate([self.times, later.times + self.samples / sample_rate]),
            np.concatenate([self.f0, later.f0]),
            np.concatenate([self.levels, later.levels]),
            self.samples + later.samples,
        )


def measure(audio: np.ndarray, sample_rate: int = SAMPLE_RATE, options: VoiceOptions = VoiceOptions()) -> Measures:
    audio = _mono(audio)
    times, f0 = pitch_track(audio, sample_rate, options)
    return Measures(times, f0, frame_levels_db(audio, sample_rate, options.frame_s), len(audio))


REMEASURE_BELOW = 0.5  # a chunk is measured again if its peak was below this share of the final one


class VoiceTracker:
    """Measures pitch and loudness as the audio arrives, `chunk_s` seconds at a time.

    A recorder listener. Pitch is tracked over each chunk plus `margin_s` of audio on both sides,
    and only the frames inside the chunk are kept: Praat chooses the pitch path over the whole
    sound it is given, and a second of context on each side was enough, on the real clips, for
    the chunked track to give the same pitch variation as the whole take's within 0.02 st (0.2 s
    of context: up to 0.17 st). Measuring 10 s takes about 10 ms on these machines, too little
    to disturb recording.

    Praat calls a frame silent relative to the loudest sample of the whole sound, which is not
    known until the answer ends: each chunk is measured against the loudest sample so far, and
    `finish` measures again the chunks that came before a notably louder moment.
    """

    def __init__(self, sample_rate: int = SAMPLE_RATE, options: VoiceOptions = VoiceOptions(),
                 chunk_s: float = 8.0, margin_s: float = 1.0):
        self.sample_rate, self.options = sample_rate, options
        self._frame = max(1, int(round(options.frame_s * sample_rate)))
        # Chunks are whole loudness frames, so the frames line up with those of the whole take.
        self._chunk = max(1, int(chunk_s * sample_rate) // self._frame) * self._frame
        self._margin = int(margin_s * sample_rate)
        self._blocks: list[np.ndarray] = []  # audio from sample `_first` on
        self._first = 0
        self._samples = 0  # fed so far
        self._peak = 0.0  # loudest sample fed so far
        self._parts: list[tuple[int, int, float, Measures]] = []  # start, end, peak used, measures
        self.left_s = 0.0  # audio that was still to be measured when the answer ended, seconds

    @property
    def _done(self) -> int:
        return self._parts[-1][1] if self._parts else 0

    def feed(self, block: np.ndarray, probs: np.ndarray | None = None) -> None:
        block = _mono(block)
        self._blocks.append(block)
        self._samples += len(block)
        if len(block):
            self._peak = max(self._peak, float(np.abs(block).max()))
        if self._samples - self._done >= self._chunk + self._margin:
            self._measure_next(self._done + self._chunk)

    def _measure_next(self, end: int) -> None:
        """Measure from where the last chunk ended to `end`; keep only the audio still needed."""
        audio, first, start = np.concatenate(self._blocks), self._first, self._done
        self._parts.append((start, end, self._peak, self._measure(audio, first, start, end)))
        keep_from = max(first, end - self._margin)
        self._blocks, self._first = [audio[keep_from - first :]], keep_from

    def _measure(self, audio: np.ndarray, first: int, start: int, end: int) -> Measures:
        """Measures of samples start..end, from `audio` that begins at sample `first`."""
        rate = self.sample_rate
        lo, hi = max(first, start - self._margin), min(first + len(audio), end + self._margin)
        times, f0 = pitch_track(audio[lo - first : hi - first], rate, self.options, peak=self._peak)
        times = times + lo / rate
        keep = (times >= start / rate) & (times < end / rate)
        levels = frame_levels_db(audio[start - first : end - first], rate, self.options.frame_s)
        return Measures(times[keep], f0[keep], levels, end - start)

    def finish(self, audio: np.ndarray | None = None) -> Measures:
        """The measures of everything fed: measures what is left, and again what needs it.

        `audio` is the whole take (the recorder reads it back from its WAV); without it, chunks
        measured against a quieter peak are kept as they are.
        """
        if self._samples > self._done:
            self.left_s += (self._samples - self._done) / self.sample_rate
            self._measure_next(self._samples)
        whole = _mono(audio) if audio is not None and len(audio) == self._samples else None
        parts = []
        for start, end, peak, measures in self._parts:
            # Measured on the real clips: chunks measured against a peak within 6 dB of the final
            # one changed pitch variation by at most 0.01 st and loudness by 0.1 dB; chunks
            # further off, by up to 0.03 st and 1.8 dB. Only those are measured again.
            if whole is not None and peak < self._peak * REMEASURE_BELOW:
                measures = self._measure(whole, 0, start, end)
                self.left_s += (end - start) / self.sample_rate
            parts.append(measures)
        if not parts:
            return Measures(np.zeros(0), np.zeros(0), np.zeros(0), 0)
        return Measures(
            np.concatenate([p.times for p in parts]),
            np.concatenate([p.f0 for p in parts]),
            np.concatenate([p.levels for p in parts]),
            self._samples,
        )


def analyze_voice(
    audio: np.ndarray,
    sample_rate: int = SAMPLE_RATE,
    *,
    speech_segments: Segments | None = None,
    sentence_ends: Sequence[float] = (),
    options: VoiceOptions = VoiceOptions(),
    measures: Measures | None = None,
) -> Voice:
    """Measure the voice in one take; `sentence_ends` are seconds, from the transcript.

    Without `speech_segments` the whole take counts as speech, which makes trailing off less
    sensitive (pauses lower the sentence level) and lets background hum into the pitch.
    `measures` are the take's pitch and loudness when a `VoiceTracker` already took them.
    """
    audio = _mono(audio)
    if measures is None or measures.samples != len(audio):
        measures = measure(audio, sample_rate, options)
    times, f0, levels = measures.times, measures.f0, measures.levels
    in_speech = segment_mask(speech_segments, len(levels), options.frame_s)
    f0 = f0 * segment_mask(speech_segments, len(f0), options.pitch_step_s, times=times)
    f0 = drop_octave_errors(f0)
    voiced = f0 > 0
    median_f0 = float(np.median(f0[voiced])) if voiced.any() else None
    windows = pitch_windows(times, f0, len(audio) / sample_rate, options)
    variation = float(np.median([w.st for w in windows])) if windows else None
    loud = levels[in_speech & _voiced_frames(times, voiced, len(levels), options.frame_s)]
    share = clipped_share(audio, options)
    return Voice(
        pitch_variation_st=variation,
        pitch_windows=windows,
        monotone=None if variation is None else variation < options.monotone_below_st,
        median_f0_hz=median_f0,
        loudness_db=float(loud.mean()) if loud.size else None,
        loudness_variation_db=float(loud.std()) if loud.size else None,
        trailing_off=trailing_off(levels, in_speech, sentence_ends, options),
        clipping_share=share,
        clipping_problem=share > options.clip_problem_share,
    )


def _mono(audio: np.ndarray) -> np.ndarray:
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim != 1:
        raise ValueError(f"expected mono audio (one dimension), got shape {audio.shape}")
    return audio


def frame_levels_db(audio: np.ndarray, sample_rate: int, frame_s: float) -> np.ndarray:
    """RMS level of consecutive non-overlapping frames, dBFS; a partial last frame is dropped."""
    size = max(1, int(round(frame_s * sample_rate)))
    n = len(audio) // size
    frames = audio[: n * size].astype(np.float64).reshape(n, size)
    return 10.0 * np.log10(np.maximum((frames**2).mean(axis=1), _POWER_FLOOR))


def segment_mask(
    segments: Segments | None, n: int, step_s: float, *, times: np.ndarray | None = None
) -> np.ndarray:
    """Which of `n` frames fall inside a segment; every frame when `segments` is None.

    Frame i is centred at `times[i]`, or at (i + 0.5) * step_s when no times are given.
    """
    if segments is None:
        return np.ones(n, dtype=bool)
    centres = (np.arange(n) + 0.5) * step_s if times is None else np.asarray(times)
    mask = np.zeros(n, dtype=bool)
    for start, end in segments:
        mask |= (centres >= start) & (centres < end)
    return mask


def pitch_track(
    audio: np.ndarray, sample_rate: int, options: VoiceOptions = VoiceOptions(), *,
    peak: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Frame times (s) and pitch (Hz, 0 where unvoiced), from Praat's autocorrelation tracker.

    Praat's silence threshold is relative to the loudest sample of the sound it is given; `peak`
    makes it relative to the loudest sample of the whole take instead, when this is a piece.
    """
    # The tracker needs a few analysis windows of sound; shorter clips have no pitch to speak of.
    if len(audio) < 4 * 3 / options.pitch_floor_hz * sample_rate:
        return np.zeros(0), np.zeros(0)
    import parselmouth

    sound = parselmouth.Sound(audio.astype(np.float64), sampling_frequency=sample_rate)
    silence = options.silence_threshold
    if peak is not None:
        local = float(np.abs(audio).max())
        silence = min(1.0, silence * peak / local) if local > 0 else 1.0
    pitch = sound.to_pitch_ac(
        time_step=options.pitch_step_s,
        pitch_floor=options.pitch_floor_hz,
        pitch_ceiling=options.pitch_ceiling_hz,
        silence_threshold=silence,
    )
    return np.asarray(pitch.xs()), np.nan_to_num(pitch.selected_array["frequency"])


def drop_octave_errors(f0: np.ndarray) -> np.ndarray:
    """Unvoice frames outside 0.75 x first quartile .. 1.5 x third quartile of the pitch.

    De Looze & Hirst's two-pass method sets Praat's floor and ceiling to these values after a
    first pass, to exclude octave errors at the extremes of the F0 distribution (De Looze &
    Hirst 2008, "Detecting changes in key and range for the automatic modelling and coding of
    intonation", Speech Prosody). Filtering the first pass instead saves the second one.
    """
    voiced = f0 > 0
    if not voiced.any():
        return f0
    q1, q3 = np.percentile(f0[voiced], [25, 75])
    return np.where(voiced & (f0 >= 0.75 * q1) & (f0 <= 1.5 * q3), f0, 0.0)


def pitch_windows(
    times: np.ndarray, f0: np.ndarray, duration_s: float, options: VoiceOptions = VoiceOptions()
) -> tuple[PitchWindow, ...]:
    """Pitch standard deviation in semitones per window of `options.window_s` seconds.

    Semitones are taken relative to the take's median pitch; only windows with at least
    `options.min_voiced_s` of voiced frames are kept.
    """
    voiced = f0 > 0
    if not voiced.any():
        return ()
    semitones = 12.0 * np.log2(f0[voiced] / np.median(f0[voiced]))
    voiced_times = times[voiced]
    min_frames = options.min_voiced_s / options.pitch_step_s
    windows = []
    for k in range(math.ceil(duration_s / options.window_s)):
        start, end = k * options.window_s, min((k + 1) * options.window_s, duration_s)
        inside = semitones[(voiced_times >= start) & (voiced_times < end)]
        if inside.size >= min_frames:
            windows.append(PitchWindow(start, end, float(inside.std())))
    return tuple(windows)


def _voiced_frames(times: np.ndarray, voiced: np.ndarray, n: int, frame_s: float) -> np.ndarray:
    """Map voicing from pitch frames onto `n` loudness frames (nearest pitch frame)."""
    if times.size == 0:
        return np.zeros(n, dtype=bool)
    step = times[1] - times[0] if times.size > 1 else frame_s
    centres = (np.arange(n) + 0.5) * frame_s
    nearest = np.rint((centres - times[0]) / step).astype(int)
    covered = (nearest >= 0) & (nearest < times.size)
    return covered & voiced[np.clip(nearest, 0, times.size - 1)]


def trailing_off(
    levels: np.ndarray, in_speech: np.ndarray, ends: Sequence[float], options: VoiceOptions
) -> TrailingOff:
    """Sentences whose last `tail_s` is `trail_drop_db` quieter than the speech before it.

    A sentence runs from the previous sentence's end (or the start) to its own end. Both sides
    are compared as RMS levels, so short pauses inside the sentence barely move its level. The
    tail counts whether or not the VAD called it speech: a fading voice is what it drops first.
    """
    centres = (np.arange(len(levels)) + 0.5) * options.frame_s
    power = 10.0 ** (levels / 10.0)
    judged, times, previous = 0, [], 0.0
    for end in sorted(ends):
        cut = end - options.tail_s
        body = in_speech & (centres >= previous) & (centres < cut)
        tail = (centres >= cut) & (centres < end)
        previous = end
        if body.sum() * options.frame_s < options.min_body_s or not tail.any():
            continue
        judged += 1
        drop = 10.0 * math.log10(power[body].mean() / power[tail].mean())
        if drop >= options.trail_drop_db:
            times.append(float(end))
    return TrailingOff(len(times), len(times) / judged if judged else None, tuple(times))


def clipped_share(audio: np.ndarray, options: VoiceOptions = VoiceOptions()) -> float:
    """Share of samples at full scale, or stuck in a flat run at the take's peak."""
    if audio.size == 0:
        return 0.0
    magnitude = np.abs(audio)
    clipped = magnitude >= options.clip_level
    peak = float(magnitude.max())
    if peak >= options.clip_min_peak:
        clipped |= _in_long_runs(magnitude >= peak - _INT16_STEP, options.clip_run)
    return float(clipped.mean())


def _in_long_runs(mask: np.ndarray, min_run: int) -> np.ndarray:
    """The True entries of `mask` that belong to a run of at least `min_run` in a row."""
    edges = np.diff(np.concatenate(([0], mask.view(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    long = (ends - starts) >= min_run
    change = np.zeros(mask.size + 1, dtype=np.int32)
    change[starts[long]] += 1
    change[ends[long]] -= 1
    return np.cumsum(change[:-1]) > 0
