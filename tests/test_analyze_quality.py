"""Take quality on real signals: tones with known segments, and the real VAD on recordings."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import AUDIO, load_16k
from rehearse.analyze.quality import Quality, check_quality
from rehearse.audio.vad import speech_segments

SR = 16000
RNG = np.random.default_rng(11)


def voiced(seconds: float, amplitude: float = 0.3, hz: float = 150.0) -> np.ndarray:
    """A vowel-like harmonic tone with a slow pitch swing, peak `amplitude`."""
    t = np.arange(int(seconds * SR)) / SR
    phase = 2 * np.pi * np.cumsum(hz * 2 ** (2 * np.sin(2 * np.pi * 0.3 * t) / 12)) / SR
    wave = sum(0.5**k * np.sin((k + 1) * phase) for k in range(5))
    return (amplitude * wave / np.abs(wave).max()).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SR), dtype=np.float32)


def noise(seconds: float, rms: float) -> np.ndarray:
    return (rms * RNG.standard_normal(int(seconds * SR))).astype(np.float32)


def take(speech_s: float = 10.0, amplitude: float = 0.3) -> np.ndarray:
    """1 s of silence, `speech_s` of voiced tone, 1 s of silence."""
    return np.concatenate([silence(1), voiced(speech_s, amplitude), silence(1)])


def codes(quality: Quality) -> list[str]:
    return [p.code for p in quality.problems]


# Synthetic takes with the speech segments given, so each case isolates one check.
CASES = [
    # name, audio, segments, expected problem codes
    ("clean", take(10), [(1, 11)], []),
    ("no-speech-found", take(10), [], ["no_speech"]),
    ("one-word", take(10), [(1, 1.8)], ["no_speech"]),
    ("short", take(3), [(1, 4)], ["too_short"]),
    ("quiet-speech", take(10, 0.008), [(1, 11)], ["too_quiet"]),  # about -47 dBFS
    ("digital-silence", silence(10), [], ["no_speech", "too_quiet"]),
    ("hard-clipped", np.clip(take(10, 3.0), -1, 1), [(1, 11)], ["clipping"]),
    ("flat-topped", np.clip(take(10, 3.0), -0.7, 0.7), [(1, 11)], ["clipping"]),
    # Hiss at -22 dBFS under a voice at -15 dBFS: about 7 dB SNR.
    ("noisy", take(10) + noise(12, 10 ** (-22 / 20)), [(1, 11)], ["noisy"]),
    # Hiss at -40 dBFS is fine.
    ("some-hiss", take(10) + noise(12, 10 ** (-40 / 20)), [(1, 11)], []),
    # All speech, no pause to measure the room in: the noise check is skipped, not failed.
    ("wall-to-wall", voiced(10), [(0, 10)], []),
]


@pytest.mark.parametrize(
    "audio, segments, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_problems(audio, segments, expected):
    quality = check_quality(audio, speech_segments=segments)
    assert codes(quality) == expected
    assert quality.ok is (not expected)


@pytest.mark.parametrize(
    "audio, segments, code, advice",
    [
        (take(10, 0.008), [(1, 11)], "too_quiet", "move closer to the microphone"),
        (np.clip(take(10, 3.0), -1, 1), [(1, 11)], "clipping", "turn the input gain down"),
        (take(10) + noise(12, 0.1), [(1, 11)], "noisy", "quieter room"),
        (silence(5), [], "no_speech", "microphone"),
        (take(3), [(1, 4)], "too_short", "fuller answer"),
    ],
)
def test_messages_say_why_and_what_to_do(audio, segments, code, advice):
    problem = next(p for p in check_quality(audio, speech_segments=segments).problems)
    assert problem.code == code
    assert "can't be scored" in problem.message
    assert advice in problem.message.lower()


@pytest.mark.parametrize(
    "audio, segments, snr_db",
    [
        (take(10) + noise(12, 10 ** (-35 / 20)), [(1, 11)], (18, 22)),
        (take(10) + noise(12, 10 ** (-20 / 20)), [(1, 11)], (3, 7)),
        (voiced(10), [(0, 10)], None),  # no pause to measure the room in
        (silence(5), [], None),  # no speech
    ],
)
def test_snr_estimate(audio, segments, snr_db):
    measured = check_quality(audio, speech_segments=segments).snr_db
    if snr_db is None:
        assert measured is None
    else:
        assert snr_db[0] <= measured <= snr_db[1]


def test_json_shape():
    out = check_quality(np.clip(take(3, 3.0), -1, 1), speech_segments=[(1, 4)]).to_json()
    assert json.loads(json.dumps(out)) == out
    assert out["ok"] is False
    assert [p["code"] for p in out["problems"]] == ["too_short", "clipping"]
    assert all(set(p) == {"code", "message"} for p in out["problems"])


# --- the real VAD ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "audio, expected",
    [
        (silence(5), []),
        (noise(10, 0.1), []),  # white noise is not speech
        (np.zeros(0, dtype=np.float32), []),
    ],
    ids=["silence", "white-noise", "empty"],
)
def test_vad_finds_no_speech_in(audio, expected):
    assert speech_segments(audio) == expected


def test_vad_needs_16k():
    with pytest.raises(ValueError, match="16000"):
        speech_segments(silence(1), 44100)


@pytest.mark.parametrize(
    "file, speech_s, expected",
    [
        ("jfk.flac", (6, 10), []),  # 44.1 kHz stereo, resampled
        ("ami_FEE013_headset_60s.flac", (15, 30), []),
        ("uberi_short_interview.flac", (15, 25), []),
        # A headset whose wearer only says "Mm. Yeah.": other people's voices leak in, but
        # there is no answer to score.
        ("ami_MEE014_headset_60s.flac", (0, 2), ["no_speech"]),
    ],
)
def test_recordings(file, speech_s, expected):
    audio = load_16k(AUDIO / file)
    segments = speech_segments(audio)
    assert all(0 <= a < b <= len(audio) / SR for a, b in segments)
    quality = check_quality(audio, speech_segments=segments)
    assert speech_s[0] <= quality.speech_s <= speech_s[1]
    assert codes(quality) == expected
    # The same from the levels and clipping the voice analysis measured while recording.
    from rehearse.analyze.voice import VoiceTracker, clipped_share

    tracker = VoiceTracker()
    for i in range(0, len(audio), 1600):
        tracker.feed(audio[i : i + 1600])
    reused = check_quality(audio, speech_segments=segments, levels=tracker.finish(audio).levels,
                           clipping_share=clipped_share(audio))
    assert reused == quality


@pytest.mark.parametrize(
    "transform, expected",
    [
        (lambda x: x * 0.004, "too_quiet"),  # speech around -63 dBFS
        (lambda x: np.clip(x * 4, -1, 1), "clipping"),
        (lambda x: x + noise(len(x) / SR, 0.1), "noisy"),  # hiss at -20 dBFS
    ],
    ids=["quiet", "overdriven", "noisy-room"],
)
def test_degraded_recording(transform, expected):
    audio = transform(load_16k(AUDIO / "jfk.flac")).astype(np.float32)
    quality = check_quality(audio, speech_segments=speech_segments(audio))
    assert expected in codes(quality)
    assert quality.ok is False
