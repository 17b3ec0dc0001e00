"""Voice analysis on real signals: voiced tones, noise, silence, espeak-ng and recorded speech."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from conftest import AUDIO, load_16k
from rehearse.analyze.voice import (
    Measures,
    Voice,
    VoiceTracker,
    analyze_voice,
    clipped_share,
    drop_octave_errors,
    measure,
)

SR = 16000
RNG = np.random.default_rng(7)


def voiced(seconds: float, f0, amplitude: float = 0.3) -> np.ndarray:
    """A vowel-like harmonic tone (5 harmonics falling 6 dB each) following pitch `f0(t)` in Hz."""
    t = np.arange(int(seconds * SR)) / SR
    phase = 2 * np.pi * np.cumsum(f0(t)) / SR
    wave = sum(0.5**k * np.sin((k + 1) * phase) for k in range(5))
    return (amplitude * wave / np.abs(wave).max()).astype(np.float32)


def flat(hz: float):
    return lambda t: np.full_like(t, hz)


def glide(hz: float, semitones: float, rate_hz: float = 0.25):
    """Pitch swinging +-`semitones` around `hz`; its standard deviation is semitones / sqrt(2)."""
    return lambda t: hz * 2 ** (semitones * np.sin(2 * np.pi * rate_hz * t) / 12)


def rms_db(x: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(x.astype(np.float64) ** 2)))


# --- pitch -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "f0, expect_st, expect_f0, monotone",
    [
        (flat(150), (0.0, 0.3), 150, True),
        (flat(220), (0.0, 0.3), 220, True),
        (glide(150, 1.0), (0.5, 0.9), 150, True),  # +-1 st: std 0.71 st, still flat
        (glide(120, 4.0), (2.5, 3.2), 120, False),  # +-4 st: std 2.83 st, lively
        (glide(200, 6.0), (3.8, 4.7), 200, False),  # +-6 st: std 4.24 st
    ],
)
def test_pitch_variation_of_tones(f0, expect_st, expect_f0, monotone):
    voice = analyze_voice(voiced(20, f0))
    assert expect_st[0] <= voice.pitch_variation_st <= expect_st[1]
    assert voice.monotone is monotone
    assert voice.median_f0_hz == pytest.approx(expect_f0, rel=0.03)
    assert [(w.start, w.end) for w in voice.pitch_windows] == [(0, 8), (8, 16), (16, 20)]


@pytest.mark.parametrize(
    "audio",
    [
        np.zeros(10 * SR, dtype=np.float32),  # digital silence
        (0.1 * RNG.standard_normal(20 * SR)).astype(np.float32),  # white noise has no pitch
        voiced(0.05, flat(150)),  # too short for the tracker
        np.zeros(0, dtype=np.float32),
    ],
    ids=["silence", "white-noise", "50ms", "empty"],
)
def test_nothing_voiced_gives_nulls(audio):
    out = analyze_voice(audio).to_json()
    assert out["pitch_variation_st"] is None
    assert out["monotone"] is None
    assert out["median_f0_hz"] is None
    assert out["pitch_windows"] == []
    assert out["loudness_db"] is None and out["loudness_variation_db"] is None


def test_pitch_outside_speech_segments_is_ignored():
    # Lively "speech" for 10 s, then a flat hum the VAD did not call speech.
    audio = np.concatenate([voiced(10, glide(150, 4.0, 0.5)), voiced(10, flat(300))])
    only_speech = analyze_voice(audio, speech_segments=[(0.0, 10.0)])
    everything = analyze_voice(audio)
    assert only_speech.median_f0_hz == pytest.approx(150, rel=0.05)
    assert [w.start for w in only_speech.pitch_windows] == [0, 8]
    assert everything.median_f0_hz != pytest.approx(150, rel=0.05)


@pytest.mark.parametrize(
    "f0, kept",
    [
        ([150, 0, 155, 148, 152, 150, 300], [150, 0, 155, 148, 152, 150, 0]),  # octave up
        ([150, 75, 155, 148, 152, 150, 151], [150, 0, 155, 148, 152, 150, 151]),  # octave down
        ([0, 0, 0], [0, 0, 0]),  # nothing voiced
        ([150, 160, 170, 180], [150, 160, 170, 180]),  # a genuine rise stays
    ],
)
def test_drop_octave_errors(f0, kept):
    assert drop_octave_errors(np.array(f0, dtype=float)).tolist() == kept


# --- loudness ----------------------------------------------------------------------------------

@pytest.mark.parametrize("amplitude", [0.5, 0.1, 0.01])
def test_loudness_level_of_a_steady_tone(amplitude):
    audio = voiced(6, flat(150), amplitude)
    voice = analyze_voice(audio)
    assert voice.loudness_db == pytest.approx(rms_db(audio), abs=0.5)
    assert voice.loudness_variation_db < 0.5


def test_loudness_variation_of_alternating_levels():
    # Alternate 1 s loud and 1 s 12 dB quieter: frame levels spread +-6 dB around their mean.
    blocks = [voiced(1, flat(150), 0.4 if k % 2 == 0 else 0.1) for k in range(8)]
    voice = analyze_voice(np.concatenate(blocks))
    assert voice.loudness_variation_db == pytest.approx(6.0, abs=0.5)


# --- trailing off ------------------------------------------------------------------------------

def sentences(tail_gains_db: list[float]) -> tuple[np.ndarray, list, list[float]]:
    """3 s "sentences" with 0.5 s pauses between; each one's last 0.5 s scaled by a gain."""
    parts, segments, ends, t = [], [], [], 0.0
    for gain in tail_gains_db:
        sentence = voiced(3, glide(150, 2.0))
        sentence[-SR // 2 :] *= 10 ** (gain / 20)
        parts += [sentence, np.zeros(SR // 2, dtype=np.float32)]
        segments.append((t, t + 3))
        ends.append(t + 3)
        t += 3.5
    return np.concatenate(parts), segments, ends


@pytest.mark.parametrize(
    "tail_gains_db, count, share",
    [
        ([0, 0, 0], 0, 0.0),
        ([-3, 0, -4], 0, 0.0),  # the usual gentle fall is not trailing off
        ([0, -12, 0], 1, 1 / 3),
        ([-8, -20, -12], 3, 1.0),
    ],
)
def test_trailing_off(tail_gains_db, count, share):
    audio, segments, ends = sentences(tail_gains_db)
    voice = analyze_voice(audio, speech_segments=segments, sentence_ends=ends)
    assert voice.trailing_off.count == count
    assert voice.trailing_off.share == pytest.approx(share)
    expected_times = [e for e, g in zip(ends, tail_gains_db) if g <= -6]
    assert list(voice.trailing_off.times) == pytest.approx(expected_times)


def test_sentence_too_short_to_judge():
    audio = voiced(0.7, flat(150))
    voice = analyze_voice(audio, speech_segments=[(0, 0.7)], sentence_ends=[0.7])
    assert voice.trailing_off.count == 0
    assert voice.trailing_off.share is None


# --- clipping ----------------------------------------------------------------------------------

def sine(amplitude: float, seconds: float = 5.0) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (amplitude * np.sin(2 * np.pi * 150 * t)).astype(np.float32)


def with_click(audio: np.ndarray) -> np.ndarray:
    audio = audio.copy()
    audio[len(audio) // 2] = 1.0
    return audio


@pytest.mark.parametrize(
    "audio, share, problem",
    [
        (sine(0.5), (0.0, 0.0), False),
        (np.zeros(SR, dtype=np.float32), (0.0, 0.0), False),
        (with_click(sine(0.3)), (1 / 80000, 1 / 80000), False),  # one full-scale sample in 5 s
        (np.clip(sine(3.0), -1, 1), (0.5, 0.9), True),  # driven into digital full scale
        (np.clip(sine(3.0), -0.8, 0.8), (0.5, 0.9), True),  # flat tops below full scale
        (np.clip(sine(1.02), -1, 1), (0.01, 0.2), True),  # just over the top
    ],
    ids=["clean", "silence", "one-click", "hard", "flat-top", "slight"],
)
def test_clipping(audio, share, problem):
    assert share[0] <= clipped_share(audio) <= share[1]
    voice = analyze_voice(audio)
    assert voice.clipping_problem is problem


# --- real speech -------------------------------------------------------------------------------

ESPEAK_TEXT = (
    "Tell me about a time you disagreed with your manager. I explained my reasoning, listened "
    "to their concerns, and we agreed on a small experiment to test both ideas."
)


def espeak(tmp_path: Path, pitch_range: str) -> np.ndarray:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    out = tmp_path / f"{pitch_range}.wav"
    ssml = f'<speak><prosody range="{pitch_range}">{ESPEAK_TEXT}</prosody></speak>'
    subprocess.run(["espeak-ng", "-m", "-w", str(out), ssml], check=True)
    return load_16k(out)


def test_espeak_flat_and_lively_pitch(tmp_path):
    from rehearse.audio.vad import speech_segments

    voices = {}
    for pitch_range in ["x-low", "x-high"]:
        audio = espeak(tmp_path, pitch_range)
        voices[pitch_range] = analyze_voice(audio, speech_segments=speech_segments(audio))
    assert voices["x-low"].monotone is True
    assert voices["x-high"].monotone is False
    assert voices["x-high"].pitch_variation_st > 3 * voices["x-low"].pitch_variation_st


def test_recorded_speech():
    from rehearse.audio.vad import speech_segments

    audio = load_16k(AUDIO / "jfk.flac")
    voice = analyze_voice(audio, speech_segments=speech_segments(audio), sentence_ends=[10.4])
    assert 2.0 < voice.pitch_variation_st < 4.0  # an orator, not a drone
    assert voice.monotone is False
    assert 100 < voice.median_f0_hz < 300
    assert -30 < voice.loudness_db < -10
    assert 3 < voice.loudness_variation_db < 12
    assert voice.trailing_off.count == 0 and voice.trailing_off.share == 0.0
    assert voice.clipping_share == 0.0 and voice.clipping_problem is False


def test_json_shape():
    out = analyze_voice(voiced(10, glide(150, 3.0)), sentence_ends=[5.0, 10.0]).to_json()
    assert json.loads(json.dumps(out)) == out
    assert set(out) >= {
        "pitch_variation_st", "pitch_windows", "monotone", "median_f0_hz", "loudness_db",
        "loudness_variation_db", "trailing_off", "clipping_share",
    }
    assert set(out["trailing_off"]) == {"count", "share", "times"}
    assert set(out["pitch_windows"][0]) == {"start", "end", "st"}
    assert isinstance(analyze_voice(voiced(1, flat(150))), Voice)


def test_rejects_multichannel_audio():
    with pytest.raises(ValueError, match="mono"):
        analyze_voice(np.zeros((SR, 2), dtype=np.float32))


# --- measured while recording ------------------------------------------------------------------

def tracked(audio: np.ndarray, block: int = 1600, **options) -> Measures:
    tracker = VoiceTracker(**options)
    for i in range(0, len(audio), block):
        tracker.feed(audio[i : i + block], None)
    return tracker.finish(audio)


@pytest.mark.parametrize("clip", ["jfk.flac", "ami_FEE013_headset_60s.flac", "uberi_short_interview.flac",
                                  "ami_FEE016_headset_60s.flac"])
def test_tracked_as_recorded_matches_the_whole_take(clip):
    from rehearse.audio.vad import speech_segments

    audio = load_16k(AUDIO / clip)
    segments = speech_segments(audio)
    whole = analyze_voice(audio, speech_segments=segments, sentence_ends=[5.0, 10.0])
    measures = tracked(audio)
    assert measures.samples == len(audio)
    np.testing.assert_array_equal(measures.levels, measure(audio).levels)
    live = analyze_voice(audio, speech_segments=segments, sentence_ends=[5.0, 10.0], measures=measures)
    assert live.pitch_variation_st == pytest.approx(whole.pitch_variation_st, abs=0.05)
    assert live.median_f0_hz == pytest.approx(whole.median_f0_hz, rel=0.02)
    assert live.loudness_db == pytest.approx(whole.loudness_db, abs=0.3)
    assert live.monotone == whole.monotone
    assert live.trailing_off == whole.trailing_off


def test_tracker_keeps_only_the_seconds_it_still_needs():
    tracker = VoiceTracker(chunk_s=8.0, margin_s=1.0)
    audio = voiced(60, glide(150, 3.0))
    for i in range(0, len(audio), 1600):
        tracker.feed(audio[i : i + 1600])
        assert sum(len(b) for b in tracker._blocks) <= (8.0 + 2 * 1.0) * SR + 1600
    assert tracker.finish().samples == len(audio)


@pytest.mark.parametrize("seconds", [0.0, 0.05, 0.5, 8.5])
def test_tracker_on_short_takes(seconds):
    audio = voiced(seconds, flat(150)) if seconds else np.zeros(0, np.float32)
    measures = tracked(audio)
    assert measures.samples == len(audio)
    whole, live = analyze_voice(audio), analyze_voice(audio, measures=measures)
    if whole.median_f0_hz is None:
        assert live.median_f0_hz is None and seconds < 0.2  # too short for the pitch tracker
    else:
        assert live.median_f0_hz == pytest.approx(whole.median_f0_hz, rel=0.01)


def test_measures_of_a_take_and_its_follow_up_join_in_time():
    first, second = voiced(10, flat(150)), voiced(6, flat(220))
    joined = measure(first).then(measure(second))
    whole = measure(np.concatenate([first, second]))
    assert joined.samples == whole.samples
    assert len(joined.levels) == len(whole.levels)
    voiced_times = joined.times[joined.f0 > 200]
    assert voiced_times.min() == pytest.approx(10.0, abs=0.1) and voiced_times.max() <= 16.0


def test_measures_of_other_audio_are_not_used():
    audio = voiced(10, glide(150, 3.0))
    wrong = measure(voiced(5, flat(220)))
    assert analyze_voice(audio, measures=wrong) == analyze_voice(audio)
