"""The filled-pause listener: its verdicts (tables), and what it hears in signals made here —
a held vowel, the same vowel closed by a hum, a pitch glide, noise and breath-like noise."""

from __future__ import annotations

import numpy as np
import pytest

from rehearse.analyze import analyze
from rehearse.analyze.dropped_fillers import heard_fillers
from scripts.evaluation.evaluate_fillers import Score, match_count, match_events
from rehearse.analyze.filled_pauses import Sounding, SoundOptions, judge, measure
from rehearse.attempt import Record
from rehearse.audio.sound import SAMPLE_RATE
from rehearse.report import _filler_cell
from rehearse.transcription.whisper import transcript_from_words

SCHWA = ((600.0, 90.0, 1.0), (1200.0, 110.0, 1.0), (2500.0, 160.0, 1.0))  # "uh": Hz, width, gain
HUM = ((250.0, 60.0, 1.0), (1200.0, 150.0, 0.05))  # an "m": one low resonance, little above 1 kHz


def _envelope(freqs: np.ndarray, formants) -> np.ndarray:
    return sum(g / (1.0 + ((freqs - f) / bw) ** 2) for f, bw, g in formants) + 1e-3


def joined(a: np.ndarray, b: np.ndarray, overlap_s: float = 0.05) -> np.ndarray:
    """a then b, cross-faded: the mouth closes over a few tens of milliseconds."""
    n = int(overlap_s * SAMPLE_RATE)
    ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
    return np.concatenate([a[:-n], a[-n:] * (1 - ramp) + b[:n] * ramp, b[n:]])


def um(f0: float = 120.0) -> np.ndarray:
    return joined(voice(0.3, f0, fade=False), voice(0.25, f0 * 0.97, formants=HUM, fade=False))


def voice(seconds: float, f0_start: float, f0_end: float | None = None, formants=SCHWA,
          seed: int = 0, fade: bool = True) -> np.ndarray:
    """A voiced sound: harmonics of a pitch that moves linearly, shaped by formants."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SAMPLE_RATE)
    f0 = np.linspace(f0_start, f0_end or f0_start, n) * (1 + 0.003 * rng.standard_normal(n))
    phase = 2 * np.pi * np.cumsum(f0) / SAMPLE_RATE
    out = np.zeros(n)
    for k in range(1, int(4000 / max(f0_start, f0_end or 0)) + 1):
        out += _envelope(k * f0, formants) / k * np.sin(k * phase)
    if fade:
        out *= np.minimum(1.0, np.minimum(np.arange(n), np.arange(n)[::-1]) / (0.02 * SAMPLE_RATE))
    return (0.3 * out / np.max(np.abs(out))).astype(np.float32)


def noise(seconds: float, breathy: bool = False, seed: int = 1) -> np.ndarray:
    """White noise, or noise swelling and fading like a breath."""
    n = int(seconds * SAMPLE_RATE)
    out = np.random.default_rng(seed).standard_normal(n)
    if breathy:
        out = np.convolve(out, np.ones(8) / 8, mode="same") * np.hanning(n)
    return (0.1 * out / np.max(np.abs(out))).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def _listen(sound: np.ndarray):
    audio = np.concatenate([silence(0.3), sound, silence(0.3)])
    found = measure(audio, 0.0, len(audio) / SAMPLE_RATE, 0.03)
    return [(s, judge(s)) for s in found]


@pytest.mark.parametrize("sound, expected", [
    (voice(0.5, 120), "uh"),  # a held schwa on a steady low pitch
    (voice(0.5, 210), "uh"),  # the same, a higher voice
    (um(), "um"),  # closed by a hum
    (voice(0.5, 110, 220), ""),  # a glide of an octave: intonation, not a held vowel
    (voice(0.08, 120), None),  # too short to be held: a syllable's vowel (none measured)
    (voice(2.0, 120), ""),  # held for two seconds: singing or a drone, not a hesitation
    (noise(0.5), None),  # no voice at all
    (noise(0.6, breathy=True), None),  # a breath
])
def test_what_a_sound_is_heard_as(sound, expected) -> None:
    verdicts = [j for s, j in _listen(sound) if s.voiced_s >= SoundOptions().min_voiced_s]
    if expected is None:
        assert verdicts == []
        return
    assert len(verdicts) == 1
    assert verdicts[0].type == expected
    if expected:
        assert verdicts[0].confidence >= SoundOptions().sure


def _sounding(voiced_s=0.4, pitch=0.8, formant=1.0, flux=2.0, nasal=0.0) -> Sounding:
    return Sounding(1.0, 1.0 + voiced_s, pitch, formant, flux, nasal, -25.0)


@pytest.mark.parametrize("sounding, kind, sure", [
    (_sounding(), "uh", True),
    (_sounding(nasal=9.0), "um", True),  # the high bands fall away at the end: a hum
    (_sounding(voiced_s=0.1), "", False),  # too short
    (_sounding(voiced_s=1.5), "", False),  # too long
    (_sounding(pitch=6.0), "", False),  # pitch moves half an octave
    (_sounding(flux=9.0), "", False),  # the spectrum keeps changing: consonants, a word
    (_sounding(pitch=2.6, formant=3.5, flux=3.5), "uh", False),  # steady-ish: counted unsure
])
def test_judge(sounding, kind, sure) -> None:
    verdict = judge(sounding)
    assert verdict.type == kind
    assert (verdict.confidence >= SoundOptions().sure) == sure


def _answer_with(middle: np.ndarray):
    """'word word [middle] word word' as audio and the transcript a recognizer would give."""
    word = voice(0.35, 140, 170, seed=3)
    gap = silence(0.15)
    audio = np.concatenate([word, gap, word, gap, middle, gap, word, gap, word])
    t, words = 0.0, []
    for piece, text in ((word, "we"), (gap, ""), (word, "shipped"), (gap, ""), (middle, ""),
                        (gap, ""), (word, "it"), (gap, ""), (word, "today.")):
        if text:
            words.append((text, t, t + len(piece) / SAMPLE_RATE, 0.9))
        t += len(piece) / SAMPLE_RATE
    return audio, transcript_from_words(words, duration_s=t)


@pytest.mark.parametrize("middle, expected", [
    (np.concatenate([silence(0.2), voice(0.45, 120), silence(0.2)]), ["uh"]),
    (np.concatenate([silence(0.2), um(), silence(0.2)]), ["um"]),
    (np.concatenate([silence(0.2), noise(0.5, breathy=True), silence(0.2)]), []),
    (silence(0.8), []),
    # trailing off in creak: the tracker finds a scrap of voice just after the held vowel
    (np.concatenate([silence(0.2), voice(0.45, 120), silence(0.06), voice(0.04, 100, fade=False),
                     silence(0.2)]), ["uh"]),
    # a syllable that close after it: running speech the recognizer left out
    (np.concatenate([silence(0.2), voice(0.45, 120), silence(0.06), voice(0.2, 150, 180),
                     silence(0.2)]), []),
])
def test_heard_between_words(middle, expected) -> None:
    audio, transcript = _answer_with(middle)
    found = heard_fillers(transcript, audio, set())
    assert [f.type for f in found] == expected
    assert all(f.kind == "possible" and f.char_start is None for f in found)


def test_a_heard_filler_is_counted_in_the_report() -> None:
    audio, transcript = _answer_with(np.concatenate([silence(0.2), voice(0.45, 120), silence(0.2)]))
    analysis = analyze(transcript, speech_segments=[(0.0, len(audio) / SAMPLE_RATE)], audio=audio)
    assert [(f.type, f.sure) for f in analysis.fillers] == [("uh", True)]
    assert analysis.metrics.possible_fillers == 0
    assert len(analysis.metrics.fillers) == 1
    assert analysis.to_json()["fillers"][0]["confidence"] >= SoundOptions().sure


@pytest.mark.parametrize("fillers, cell", [
    ([], "Fillers [bold]0[/]"),
    ([{"word": "um", "kind": "transcribed"}] * 4 + [{"word": "uh", "kind": "possible", "sure": True}] * 2
     + [{"word": "uh", "kind": "possible", "sure": False}], "Fillers [bold]7[/] (um ×4, uh ×2, 1 unsure)"),
    ([{"word": "", "kind": "possible"}], "Fillers [bold]1[/] (1 unsure)"),  # saved before `sure`
])
def test_the_count_reads_as_what_was_heard(fillers, cell) -> None:
    assert _filler_cell(Record.from_json({"fillers": fillers, "metrics": {}})) == cell


@pytest.mark.parametrize("found, refs, neutral, expected", [
    ([], [(1.0, 1.4)], [], Score(1, 0, 0)),
    ([(1.5, 1.8)], [(1.0, 1.4)], [], Score(1, 1, 0)),  # 0.1 s after the reference: a hit
    ([(2.0, 2.3)], [(1.0, 1.4)], [], Score(1, 0, 1)),  # 0.6 s after: a miss and a false alarm
    ([(1.0, 1.2), (1.2, 1.4)], [(1.0, 1.4)], [], Score(1, 1, 1)),  # one reference, found once
    ([(5.0, 5.3)], [], [(5.1, 5.4)], Score(0, 0, 0)),  # a backchannel: neither hit nor false
    ([(1.1, 1.3), (1.6, 1.8)], [(1.0, 1.3), (1.5, 1.9)], [], Score(2, 2, 0)),  # nearest first
])
def test_match_events(found, refs, neutral, expected) -> None:
    assert match_events(found, refs, neutral) == expected


@pytest.mark.parametrize("found, labeled, expected", [
    (0, 2, Score(2, 0, 0)), (2, 2, Score(2, 2, 0)), (3, 1, Score(1, 1, 2)), (1, 0, Score(0, 0, 1)),
])
def test_match_count(found, labeled, expected) -> None:
    assert match_count(found, labeled) == expected


def test_gaps_listened_to_while_recording_give_the_same_fillers() -> None:
    """The live path listens to each committed stretch on its own, offset into the answer."""
    from rehearse.analyze.dropped_fillers import listen_between

    audio, transcript = _answer_with(np.concatenate([silence(0.2), um(), silence(0.2)]))
    words = [(w.word, w.start, w.end, w.probability) for w in transcript.words]
    cut = int(0.3 * SAMPLE_RATE)  # the stretch starts 0.3 s into the answer
    memo = listen_between(words, audio[cut:], cut / SAMPLE_RATE)
    assert memo  # the gaps long enough to hold a filler
    with_memo = heard_fillers(transcript, audio, set(), memo=memo)
    assert [(f.type, f.start) for f in with_memo] == [
        (f.type, f.start) for f in heard_fillers(transcript, audio, set())] == [("um", with_memo[0].start)]


O_VOWEL = ((450.0, 80.0, 1.0), (800.0, 100.0, 1.0), (2500.0, 160.0, 0.3))  # the "o" of "so"


def _word_then(word: str, spoken: np.ndarray, after: np.ndarray):
    """'we shipped <word>' + `after` straight on, + a pause and 'today': the recognizer ends
    <word> where `after` begins."""
    lead = voice(0.35, 140, 170, seed=3)
    gap = silence(0.15)
    audio = np.concatenate([lead, gap, lead, gap, spoken, after, silence(0.4), lead, gap])
    t = 0.0
    words = []
    for piece, text in ((lead, "we"), (gap, ""), (lead, "shipped"), (gap, ""), (spoken, word),
                        (after, ""), (silence(0.4), ""), (lead, "today.")):
        if text:
            words.append((text, t, t + len(piece) / SAMPLE_RATE, 0.9))
        t += len(piece) / SAMPLE_RATE
    return audio, transcript_from_words(words, duration_s=len(audio) / SAMPLE_RATE)


@pytest.mark.parametrize("word, spoken, after, expected", [
    # "sooo": the word's own vowel held on, no break, no new sound
    ("so", voice(0.25, 130, formants=O_VOWEL, fade=False), voice(0.5, 128, formants=O_VOWEL), []),
    # "theee" after a word that never takes a filler without a break
    ("the", voice(0.2, 130, fade=False), voice(0.5, 128), []),
    # "and uh": the "n" closes, then a new vowel starts straight on
    ("and", joined(voice(0.15, 130, fade=False), voice(0.1, 128, formants=HUM, fade=False)),
     voice(0.5, 126), ["uh"]),
    # a long filled pause after a pause: a hesitation, however long
    ("and", voice(0.25, 130), np.concatenate([silence(0.3), voice(1.0, 118, 114)]), ["uh"]),
    # voice straight after a word, sooner than a silent pause: the next word, left unwritten
    ("you", voice(0.2, 130), np.concatenate([silence(0.06), voice(0.25, 128)]), []),
    # the same vowel after a silent pause: a hesitation
    ("you", voice(0.2, 130), np.concatenate([silence(0.3), voice(0.5, 118)]), ["uh"]),
])
def test_fillers_told_from_drawn_out_words(word, spoken, after, expected) -> None:
    audio, transcript = _word_then(word, spoken, after)
    assert [f.type for f in heard_fillers(transcript, audio, set())] == expected


@pytest.mark.parametrize("word, spoken, after, expected", [
    # the answer trails off in "and uh": nothing follows but silence
    ("and", joined(voice(0.15, 130, fade=False), voice(0.1, 128, formants=HUM, fade=False)),
     voice(0.5, 126), ["uh"]),
    # it ends on a drawn-out "sooo"
    ("so", voice(0.25, 130, formants=O_VOWEL, fade=False), voice(0.5, 128, formants=O_VOWEL), []),
])
def test_the_same_at_the_end_of_the_answer(word, spoken, after, expected) -> None:
    audio, transcript = _word_then(word, spoken, after)
    end = transcript.words[-1].start  # cut "today." off: the answer ends in silence
    audio = audio[: int((end - 0.1) * SAMPLE_RATE)]
    transcript = transcript_from_words([(w.word, w.start, w.end, w.probability)
                                        for w in transcript.words[:-1]], len(audio) / SAMPLE_RATE)
    assert [f.type for f in heard_fillers(transcript, audio, set())] == expected


def test_a_voice_from_across_the_room_is_not_the_speakers_filler() -> None:
    """A near-silent headset: the recognizer wrote down only the room's faint talk, while the
    person's own held vowel is loud. The faint held vowel is someone else's."""
    faint = [voice(0.3, 150 + 10 * k, 190, seed=k) * 0.003 for k in range(6)]
    audio, words, t = [silence(0.3), voice(0.5, 110), silence(0.6)], [], 1.4
    for k, piece in enumerate(faint):
        words.append((f"word{k}", t, t + 0.3, 0.5))
        audio += [piece, silence(0.15)]
        t += 0.45
    audio = np.concatenate(audio + [silence(0.35), voice(0.5, 120) * 0.003, silence(0.6)])
    transcript = transcript_from_words(words, duration_s=len(audio) / SAMPLE_RATE)
    found = heard_fillers(transcript, audio, set())
    assert [(f.type, round(f.start, 1)) for f in found] == [("uh", 0.3)]
