"""The sound of a filled pause, heard in the audio where the recognizer wrote no word.

Whisper leaves most "um"s and "uh"s out of its transcript (faster-whisper issues 901 and 319), so
the stretches between words, and short tokens it was unsure of, are listened to directly. A filled
pause is a held vowel, often closed by a hum: a voiced stretch of roughly 150 ms to a second whose
pitch barely moves, whose vowel quality (formants) stays put and whose spectrum hardly changes
from one moment to the next (Shriberg 2001, "To 'errrr' is human"; O'Shaughnessy 1992; the
"sustained filler vowel" check of the MIT-licensed `erm` tool). Ordinary words glide between
sounds; breaths and laughter are unvoiced or broken; a drawn-out word is caught by the recognizer
as that word. An "um" ends in a nasal: the energy above 1 kHz falls away while the voice goes on.

Praat's pitch and formant trackers come from praat-parselmouth, imported when first needed.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from rehearse.audio.sound import SAMPLE_RATE

FRAME_S = 0.01  # analysis step
_WINDOW = 400  # 25 ms spectral frames, the usual speech analysis window
_HOP = int(FRAME_S * SAMPLE_RATE)
_BANDS = np.geomspace(100.0, 5000.0, 19)  # band edges: 18 bands, log-spaced like hearing
_SPLIT_HZ = 1000.0  # nasal murmur keeps energy below this and loses it above


@dataclasses.dataclass(frozen=True)
class Sounding:
    """What was measured over the longest voiced stretch of a piece of audio."""

    start: float  # seconds: the voiced stretch
    end: float
    pitch_spread_st: float  # semitones between the 10th and 90th percentile of its pitch
    formant_spread_st: float  # its second formant's interquartile range (Burg tracks jump)
    flux_db: float  # mean change of the band spectrum from one 10 ms frame to the next
    nasal_drop_db: float  # fall of the high-to-low band balance from its first half to its end
    level_db: float  # its loudness (dB full scale)

    @property
    def voiced_s(self) -> float:
        return self.end - self.start


@dataclasses.dataclass(frozen=True)
class Judgement:
    type: str  # "um", "uh", or "" when this is no filled pause
    confidence: float  # 0..1: how much it sounds like a filled pause


@dataclasses.dataclass(frozen=True)
class SoundOptions:
    # A filled pause lasts about 0.2-1 s (Shriberg 2001; in the Switchboard corpus "um" averages
    # about 0.45 s and "uh" 0.3 s). Shorter voiced bits are a syllable's vowel.
    min_voiced_s: float = 0.15  # shortest held vowel counted
    max_voiced_s: float = 1.3  # longer is speech the recognizer did not write down
    # Steadiness. Within a held vowel pitch moves by about a semitone or two (fillers are said on
    # a flat or gently falling tone); a word's intonation and its consonants move far more.
    pitch_spread_st: float = 3.0  # at this pitch spread the stretch is half as filler-like
    formant_spread_st: float = 4.0  # the same for the second formant
    flux_db: float = 4.0  # the same for the frame-to-frame spectral change
    nasal_drop_db: float = 6.0  # an end this much less bright than the start is a hum: "um"
    # A silent pause is at least about 100 ms (Silero VAD's shortest silence; Campione & Veronis
    # 2002 put the shortest perceived pause near there): voice closer on either side is one word.
    apart_s: float = 0.1  # silence that sets a filled pause apart from running speech
    # After a joining word ("and", "so"), voice that starts within `joined_s` of its end and
    # sounds like its last 50 ms (band spectra within `same_sound_db`, about the frame-to-frame
    # change inside a held vowel) is the word held on.
    joined_s: float = 0.03
    same_sound_db: float = 6.0
    # An unsure token that is really a filler is nothing but the held vowel (and its hum).
    token_share: float = 0.75  # share of the token's time the held vowel must fill
    sure: float = 0.7  # a filler at least this likely is counted as heard; below, "unsure"
    least: float = 0.35  # below this the stretch is dropped: no filler
    veto: float = 0.2  # one cue this far off (over 1.6 times its half value) rules a filler out


def _voiced_runs(voiced: np.ndarray, bridge: int = 3) -> list[tuple[int, int]]:
    """(first, last+1) frame runs of voicing, bridging gaps of up to `bridge` frames."""
    runs: list[list[int]] = []
    for i in np.flatnonzero(voiced):
        if runs and i - runs[-1][1] <= bridge:
            runs[-1][1] = i + 1
        else:
            runs.append([int(i), int(i) + 1])
    return [(a, b) for a, b in runs]


def _spread_st(values: np.ndarray, low: float = 10, high: float = 90) -> float:
    """Semitones between two percentiles of a track (unvoiced or untracked frames left out)."""
    values = values[values > 0]
    if len(values) < 3:
        return 99.0
    st = 12 * np.log2(values / np.median(values))
    return float(np.percentile(st, high) - np.percentile(st, low))


def band_spectrum(audio: np.ndarray) -> np.ndarray:
    """Frames x bands power in dB, 25 ms frames every 10 ms."""
    if len(audio) < _WINDOW:
        audio = np.pad(audio, (0, _WINDOW - len(audio)))
    count = 1 + (len(audio) - _WINDOW) // _HOP
    frames = np.lib.stride_tricks.sliding_window_view(audio, _WINDOW)[::_HOP][:count]
    power = np.abs(np.fft.rfft(frames * np.hanning(_WINDOW), axis=1)) ** 2
    freqs = np.fft.rfftfreq(_WINDOW, 1 / SAMPLE_RATE)
    index = np.clip(np.searchsorted(_BANDS, freqs) - 1, -1, len(_BANDS) - 2)
    bands = np.stack([power[:, index == b].sum(axis=1) for b in range(len(_BANDS) - 1)], axis=1)
    return 10 * np.log10(bands + 1e-10)


def _flux(bands: np.ndarray) -> float:
    if len(bands) < 2:
        return 99.0
    return float(np.mean(np.sqrt(np.mean(np.diff(bands, axis=0) ** 2, axis=1))))


def _nasal_drop(bands: np.ndarray) -> float:
    """How much the high bands fall against the low ones from the first half to the last fifth."""
    high = _BANDS[:-1] >= _SPLIT_HZ
    tilt = (10 * np.log10(np.mean(10 ** (bands[:, high] / 10), axis=1))
            - 10 * np.log10(np.mean(10 ** (bands[:, ~high] / 10), axis=1)))
    n = len(tilt)
    if n < 5:
        return 0.0
    return float(np.median(tilt[: n // 2]) - np.median(tilt[-max(2, n // 5):]))


def measure(audio: np.ndarray, start: float, end: float, min_s: float = 0.1,
            judged_s: float = 0.0) -> list[Sounding]:
    """Every voiced stretch of audio[start:end] (seconds) at least `min_s` long, measured.

    Only stretches of at least `judged_s` get their formants tracked (the costly part); shorter
    ones are returned with no spreads measured, for their place in time.
    """
    first, last = max(0, int(start * SAMPLE_RATE)), min(len(audio), int(end * SAMPLE_RATE))
    return _measure_part(audio, first, last, min_s, judged_s)


def _measure_part(audio: np.ndarray, first: int, last: int, min_s: float,
                  judged_s: float) -> list[Sounding]:
    import parselmouth

    piece = np.asarray(audio[first:last], dtype=np.float64)
    if len(piece) < _WINDOW * 2:
        return []
    sound = parselmouth.Sound(piece, sampling_frequency=SAMPLE_RATE)
    pitch = sound.to_pitch(time_step=FRAME_S, pitch_floor=75.0, pitch_ceiling=500.0)
    f0, times = pitch.selected_array["frequency"], pitch.xs()
    runs = [r for r in _voiced_runs(f0 > 0) if (r[1] - r[0]) * FRAME_S >= min_s]
    return [_sounding(sound, piece, first / SAMPLE_RATE, f0, times, a, b,
                      (b - a) * FRAME_S >= judged_s) for a, b in runs]


def _sounding(sound, piece, offset, f0, times, a: int, b: int, judged: bool) -> Sounding:
    t0, t1 = max(0.0, times[a] - FRAME_S / 2), times[b - 1] + FRAME_S / 2
    voiced = piece[int(t0 * SAMPLE_RATE): int(t1 * SAMPLE_RATE)]
    level = 10 * float(np.log10(float(np.mean(voiced ** 2)) + 1e-10))
    if not judged:
        return Sounding(round(float(offset + t0), 3), round(float(offset + t1), 3), 99.0, 99.0, 99.0,
                    0.0, level)
    part = sound.extract_part(from_time=max(0.0, t0 - 0.025), to_time=t1 + 0.025,
                              preserve_times=True)
    formant = part.to_formant_burg(time_step=FRAME_S, max_number_of_formants=5,
                                   maximum_formant=5500.0)
    f2 = np.array([formant.get_value_at_time(2, t) for t in times[a:b]])
    bands = band_spectrum(voiced)
    return Sounding(round(float(offset + t0), 3), round(float(offset + t1), 3), _spread_st(f0[a:b]),
                    _spread_st(np.nan_to_num(f2), 25, 75), _flux(bands), _nasal_drop(bands), level)


# Words after which a hesitation often follows without a break: "and uh", "but um".
JOINING = frozenset({"and", "but", "or", "so", "because", "then"})


def held_on(audio: np.ndarray, word: str, word_end: float, s: Sounding,
            options: SoundOptions) -> bool:
    """Is this sound the word before it running on, rather than a filler after it?

    Voice that starts less than a silent pause (`apart_s`) after a word is that word: drawn
    out ("theee"), ending later than the recognizer timed it (sentence-final words especially),
    or the next word, which it left out. Only after a joining word ("and uh") may a new sound
    follow without a break, and then it must sound different from the word's last 50 ms;
    "sooo" sounds like its "o".
    """
    if word not in JOINING:
        return s.start - word_end < options.apart_s
    if s.start - word_end > options.joined_s:
        return False
    at, span = int(word_end * SAMPLE_RATE), int(0.05 * SAMPLE_RATE)
    if at - span < 0:
        return True
    before = band_spectrum(np.asarray(audio[at - span: at], dtype=np.float64)).mean(axis=0)
    first = int(s.start * SAMPLE_RATE)
    after = band_spectrum(np.asarray(audio[first: first + span], dtype=np.float64)).mean(axis=0)
    return float(np.sqrt(np.mean((before - after) ** 2))) < options.same_sound_db


def _soft(value: float, half: float) -> float:
    """1 when value is 0, 0.5 at `half`, falling towards 0 beyond: a soft upper bound."""
    return 1.0 / (1.0 + (max(0.0, value) / half) ** 3)


def judge(s: Sounding, options: SoundOptions = SoundOptions()) -> Judgement:
    """Is this voiced stretch a filled pause, and an "um" or an "uh"? (Pure: table-tested.)"""
    if not options.min_voiced_s <= s.voiced_s <= options.max_voiced_s:
        return Judgement("", 0.0)
    cues = (_soft(s.pitch_spread_st, options.pitch_spread_st),
            _soft(s.formant_spread_st, options.formant_spread_st),
            _soft(s.flux_db, options.flux_db))
    # Together the cues grade the stretch; any one far off (a pitch glide, consonants) rules it out.
    steady = float(np.prod(cues)) ** (1 / 3)
    if min(cues) < options.veto or steady < options.least:
        return Judgement("", round(steady, 3))
    return Judgement("um" if s.nasal_drop_db >= options.nasal_drop_db else "uh", round(steady, 3))
