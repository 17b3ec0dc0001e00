"""Properties every analyzer keeps for any text and any word timings a recognizer could produce:
nothing crashes, counts are not negative, shares lie between 0 and 1, times are in order."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehearse.analyze import analyze
from rehearse.analyze.quality import check_quality
from rehearse.analyze.voice import analyze_voice
from rehearse.transcription.whisper import transcript_from_text, transcript_from_words

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words an answer is made of, with the punctuation, fillers and numbers the analyzers look for.
VOCABULARY = ["I", "we", "um", "uh", "like", "you", "know", "so", "well", "right", "okay", "led",
              "the", "team", "result", "40%", "$3", "two", "because", "then", "finally,", "shipped.",
              "customer?", "basically", "sort", "of", "kind", "mean", "Situation:", "—", "...", "'"]
word = st.one_of(st.sampled_from(VOCABULARY), st.text(min_size=1, max_size=12))
words = st.lists(word, max_size=80)


@st.composite
def timed_words(draw):
    """(word, start, end, probability) as faster-whisper gives them: starts never go back,
    but zero-length, overlapping and tiny words all happen."""
    chosen = draw(words)
    t, timed = 0.0, []
    for w in chosen:
        t += draw(st.floats(0, 5, allow_nan=False))
        length = draw(st.floats(0, 1.5, allow_nan=False))
        timed.append((w, t, t + length, draw(st.floats(0, 1))))
    return timed


def check(analysis, duration_s: float | None = None) -> None:
    out = analysis.to_json()
    m = out["metrics"]
    for key in ("words", "possible_fillers", "pause_count"):
        assert m[key] >= 0, (key, m)
    for key in ("wpm", "articulation_wpm", "fillers_per_min", "think_time_s", "speaking_s"):
        assert m[key] is None or (m[key] >= 0 and math.isfinite(m[key])), (key, m)
    assert 0.0 <= m["filler_share"] <= 1.0
    assert all(n > 0 for n in m["filler_counts"].values())
    shares = [part["share"] for name, part in out["star"].items() if isinstance(part, dict) and "share" in part]
    assert all(0.0 <= s <= 1.0 for s in shares), out["star"]
    assert sum(shares) <= 1.0 + 1e-6, out["star"]
    for p in out["pauses"]:
        assert p["start"] <= p["end"] and p["duration_s"] >= 0
    starts = [f["start"] for f in out["fillers"] if f["start"] is not None]
    assert starts == sorted(starts)
    for f in out["fillers"]:
        assert f["start"] is None or f["start"] <= f["end"]
    for w in m["wpm_windows"]:
        assert w["start"] <= w["end"] and w["wpm"] >= 0
    assert len(out["tips"]) <= 3
    assert all(t["text"] for t in out["tips"])
    length = out["length"]
    assert all(v is None or not isinstance(v, float) or v >= 0 for v in length.values()), length


@SETTINGS
@given(st.text(max_size=600))
def test_any_typed_text(text):
    check(analyze(transcript_from_text(text)))


@SETTINGS
@given(words)
def test_any_words_typed(chosen):
    check(analyze(transcript_from_text(" ".join(chosen))))


@SETTINGS
@given(timed_words(), st.floats(0, 30), st.lists(st.tuples(st.floats(0, 400), st.floats(0, 5)), max_size=8))
def test_any_word_timings(timed, extra_s, raw_segments):
    duration = (timed[-1][2] if timed else 0.0) + extra_s
    transcript = transcript_from_words(timed, duration_s=duration)
    segments = sorted((a, a + d) for a, d in raw_segments)
    check(analyze(transcript, speech_segments=segments), duration)
    check(analyze(transcript, speech_segments=None, target_s=(1.0, 2.0)), duration)


audio = st.builds(
    lambda kind, n, scale, seed: _signal(kind, n, scale, seed),
    st.sampled_from(["noise", "tone", "silence", "square", "impulse"]),
    st.integers(0, 16000 * 4), st.floats(0, 2), st.integers(0, 2**16),
)


def _signal(kind: str, n: int, scale: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n) / 16000
    signal = {
        "noise": lambda: rng.standard_normal(n),
        "tone": lambda: np.sin(2 * np.pi * rng.uniform(60, 400) * t),
        "silence": lambda: np.zeros(n),
        "square": lambda: np.sign(np.sin(2 * np.pi * 150 * t)),
        "impulse": lambda: (rng.random(n) > 0.999).astype(float),
    }[kind]()
    return np.clip(signal * scale, -1, 1).astype(np.float32)


@SETTINGS
@given(audio, st.lists(st.tuples(st.floats(0, 5), st.floats(0, 2)), max_size=5),
       st.lists(st.floats(0, 5), max_size=5))
def test_voice_and_quality_on_any_short_audio(samples, raw_segments, ends):
    segments = sorted((a, a + d) for a, d in raw_segments)
    voice = analyze_voice(samples, speech_segments=segments or None, sentence_ends=sorted(ends)).to_json()
    assert 0.0 <= voice["clipping_share"] <= 1.0
    for key in ("pitch_variation_st", "loudness_variation_db", "median_f0_hz"):
        assert voice[key] is None or (voice[key] >= 0 and math.isfinite(voice[key])), (key, voice)
    for w in voice["pitch_windows"]:
        assert w["start"] <= w["end"]
    trailing = voice["trailing_off"]
    assert trailing["count"] >= 0 and (trailing["share"] is None or 0.0 <= trailing["share"] <= 1.0)
    assert trailing["times"] == sorted(trailing["times"])
    quality = check_quality(samples, speech_segments=segments).to_json()
    assert quality["ok"] == (not quality["problems"])
    measured = quality["measured"]
    assert measured["speech_s"] >= 0 and 0.0 <= measured["clipping_share"] <= 1.0
    assert all(p["message"] for p in quality["problems"])
