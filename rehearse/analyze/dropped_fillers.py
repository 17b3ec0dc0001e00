"""Fillers the recognizer dropped: heard in the audio between words, or guessed from timing.

Whisper tends to leave hesitations out of its transcript (faster-whisper issues 901, 319). With
the audio at hand, every stretch between words and every short, unsure token alone inside a pause
is listened to (`filled_pauses`): a held vowel there is an "um" or "uh" with a confidence,
anything else is dropped. Without audio, two timing signs mark a "possible" filler of unknown
type: the voice-activity detector heard speech in a gap with no words, or the recognizer put a
short, unsure token alone inside a pause.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

import numpy as np

from rehearse.analyze.filled_pauses import SoundOptions, held_on, judge, measure
from rehearse.analyze.fillers import Filler
from rehearse.analyze.options import AnalysisOptions
from rehearse.analyze.sentences import norm
from rehearse.audio.sound import SAMPLE_RATE
from rehearse.transcription.whisper import FAINT_DB, Transcript, word_levels

def possible_fillers(
    transcript: Transcript,
    speech_segments: Sequence[tuple[float, float]] | None,
    transcribed: Sequence[Filler],
    options: AnalysisOptions,
    audio: np.ndarray | None = None,
    memo: dict | None = None,
) -> list[Filler]:
    """Places where a filler was probably said but not transcribed, in time order."""
    if not transcript.timed:
        return []
    taken = {i for f in transcribed for i in range(f.first, f.last + 1)}
    if audio is not None:
        return heard_fillers(transcript, audio, taken, speech_segments, options, memo=memo)
    found = _unsure_tokens(transcript, taken, options)
    if speech_segments:
        found += _voiced_gaps(transcript, speech_segments, taken, options)
    return sorted(found, key=lambda f: f.start or 0.0)


_EDGE_SLACK_S = 0.1  # Whisper's word edges are off by up to ~0.1 s: trimmed from each gap side
_TOKEN_MAX_S = 0.4  # an unsure token longer than this is a word, not a hesitation


def _voiced_gaps(transcript: Transcript, segments: Sequence[tuple[float, float]],
                 taken: set[int], options: AnalysisOptions) -> list[Filler]:
    """Gaps between words where the voice-activity detector heard a short stretch of speech.

    Gaps next to a transcribed filler are left out: the voice there is that filler running
    longer than its timestamps. A voiced stretch longer than `possible_max_s` is untranscribed
    speech or background talk, not a hesitation.
    """
    words = transcript.words
    gaps = [(0.0, words[0].start, -1, 0)] + [
        (a.end, b.start, i, i + 1) for i, (a, b) in enumerate(zip(words, words[1:]))]
    found = []
    for gap_start, gap_end, left, right in gaps:
        if left in taken or right in taken:
            continue
        # Voice that runs on from the word before and stops inside the gap is that word's end,
        # which Whisper often times too early (sentence-final words especially), not a filler.
        pieces = [(max(gap_start + _EDGE_SLACK_S, s), min(gap_end - _EDGE_SLACK_S, e))
                  for s, e in segments if s >= gap_start - _EDGE_SLACK_S or e >= gap_end]
        if not pieces:
            continue
        start, end = max(pieces, key=lambda o: o[1] - o[0])
        if options.possible_gap_s <= end - start <= options.possible_max_s:
            found.append(Filler("", "unknown", "possible", -1, -1, None,
                                round(start, 3), round(end, 3), None, False))
    return found


def _unsure_tokens(transcript: Transcript, taken: set[int],
                   options: AnalysisOptions) -> list[Filler]:
    """Short tokens the recognizer was unsure of, alone between two pauses."""
    words, found = transcript.words, []
    for i, w in enumerate(words):
        before = w.start - words[i - 1].end if i > 0 else w.start
        after = words[i + 1].start - w.end if i + 1 < len(words) else options.pause_min_s
        isolated = min(before, after) >= options.pause_min_s
        if (i not in taken and isolated and w.end - w.start <= _TOKEN_MAX_S
                and (w.probability or 0.0) < options.possible_max_prob):
            found.append(Filler(norm(w.word), "unknown", "possible", i, i, w.char_start,
                                w.start, w.end, None, False))
    return found


def _spans(transcript: Transcript, taken: set[int], options: AnalysisOptions, min_s: float):
    """(start, end, word index or -1) of the stretches to listen to: the gaps between words
    (and before the first, after the last), and short unsure tokens the recognizer put alone."""
    words = transcript.words
    ends = [0.0] + [w.end for w in words]
    starts = [w.start for w in words] + [transcript.duration_s or words[-1].end]
    spans = [(a, b, -1) for a, b in zip(ends, starts) if b - a >= min_s]
    return spans + [(t.start, t.end, t.first) for t in _unsure_tokens(transcript, taken, options)]


@dataclasses.dataclass(frozen=True)
class _Listening:
    """What every sound in one answer is checked against."""

    transcript: Transcript
    audio: np.ndarray
    floor_db: float  # quieter than this is someone else's voice (FAINT_DB below the speaker)
    busy: tuple[tuple[float, float], ...]  # transcribed fillers: a sound there is already counted
    options: SoundOptions


def heard_fillers(transcript: Transcript, audio: np.ndarray, taken: set[int],
                  segments: Sequence[tuple[float, float]] | None = None,
                  analysis: AnalysisOptions = AnalysisOptions(),
                  options: SoundOptions = SoundOptions(), memo: dict | None = None) -> list[Filler]:
    """Filled pauses heard where no word (or only an unsure one) was recognized.

    One the voice-activity detector did not take for speech is never sure: Silero tells voice
    from breath, laughter and noise better than a vowel's steadiness does. `memo` holds gaps
    already listened to while the person spoke (`listen_between`).
    """
    ctx = _Listening(transcript, audio, near_level(transcript, audio) - FAINT_DB,
                     tuple((transcript.words[i].start, transcript.words[i].end) for i in taken),
                     options)
    found = []
    for start, end, index in _spans(transcript, taken, analysis, options.min_voiced_s):
        sounds = (memo or {}).get(_key(start, end))
        if sounds is None:
            sounds = _listen(audio, start, end, options)
        for k, sound in enumerate(sounds):
            verdict = judge(sound, options)
            if not verdict.type or not _stands_alone(ctx, sounds, k, start, end, index):
                continue
            word = transcript.words[index] if index >= 0 else None
            sure = verdict.confidence >= options.sure and _in_speech(sound, segments)
            found.append(Filler(verdict.type, verdict.type, "possible", index, index,
                                word.char_start if word else None, sound.start, sound.end,
                                verdict.confidence, sure))
    return found


# The loudest 50 ms of a recording are the person at the microphone; their words run a few dB
# below that (2-10 dB, measured on headset, close and far-field microphones). When the recognizer
# wrote down mostly someone else's words (a near-silent headset picking up the room), those
# peaks, not the words, tell how loud the person is.
_PEAK_FRAME_S = 0.05
_PEAK_TO_WORDS_DB = 10.0


def near_level(transcript: Transcript, audio: np.ndarray) -> float:
    """How loud the person at the microphone speaks (dB full scale)."""
    levels = word_levels(transcript, audio)
    words = float(np.percentile(levels, 90)) if len(levels) else -30.0
    n = int(_PEAK_FRAME_S * SAMPLE_RATE)
    if len(audio) < n:
        return words
    frames = np.asarray(audio[: len(audio) // n * n], dtype=np.float64).reshape(-1, n)
    peak = float(np.percentile(10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-10), 99))
    return max(words, peak - _PEAK_TO_WORDS_DB)


def _stands_alone(ctx: _Listening, sounds: Sequence, k: int, start: float, end: float,
                  index: int) -> bool:
    """A held vowel that is a hesitation of its own: the speaker's, apart from other voice, not
    a word running on, not cut off by the recording's ends, not a filler already transcribed,
    and (inside an unsure token) filling the token."""
    sound, o = sounds[k], ctx.options
    if sound.level_db < ctx.floor_db or not _apart(sounds, k, o.apart_s):
        return False
    if index < 0 and start > 0 and held_on(ctx.audio, _word_before(ctx.transcript, start),
                                           start, sound, o):
        return False
    if sound.start < _EDGE_S or sound.end > len(ctx.audio) / SAMPLE_RATE - _EDGE_S:
        return False
    if any(a - 0.1 < sound.end and sound.start < b + 0.1 for a, b in ctx.busy):
        return False
    # A word the recognizer was unsure of has consonants that take up room.
    return index < 0 or sound.voiced_s >= o.token_share * (end - start)


def _word_before(transcript: Transcript, t: float) -> str:
    before = [w for w in transcript.words if w.end <= t + 1e-6]
    return norm(before[-1].word) if before else ""


def _in_speech(sound, segments: Sequence[tuple[float, float]] | None) -> bool:
    """At least half of the sound lies in speech the voice-activity detector found."""
    if segments is None:
        return True
    inside = sum(max(0.0, min(b, sound.end) - max(a, sound.start)) for a, b in segments)
    return inside >= 0.5 * sound.voiced_s


_VOICED_BIT_S = 0.03  # voicing this short still tells running speech from a pause


def _key(start: float, end: float) -> tuple[float, float]:
    return round(start, 3), round(end, 3)


def _listen(audio: np.ndarray, start: float, end: float, options: SoundOptions,
            offset_s: float = 0.0) -> list:
    """The voiced sounds of a stretch; `audio` starts `offset_s` into the answer."""
    found = measure(audio, start - offset_s, end - offset_s, _VOICED_BIT_S, options.min_voiced_s)
    if not offset_s:
        return found
    return [dataclasses.replace(s, start=round(s.start + offset_s, 3), end=round(s.end + offset_s, 3))
            for s in found]


def listen_between(words: Sequence[tuple], audio: np.ndarray, offset_s: float,
                   options: SoundOptions = SoundOptions()) -> dict:
    """The gaps between consecutive (word, start, end, probability), listened to ahead of time:
    the live path calls this for every committed stretch, so that only the last gaps are left
    to listen to when the answer ends."""
    return {_key(a[2], b[1]): _listen(audio, a[2], b[1], options, offset_s)
            for a, b in zip(words, words[1:]) if b[1] - a[2] >= options.min_voiced_s}


_EDGE_S = 0.05  # a sound cut off by the start or end of the recording cannot be judged


def _apart(sounds: Sequence, k: int, quiet_s: float) -> bool:
    """A filled pause stands apart: a word edge or at least `quiet_s` of no voice on each side.

    Voiced sounds packed closer than that are running speech the recognizer did not write
    down (another speaker, a stretch it skipped), whose vowels are steady too.
    """
    s = sounds[k]
    before = sounds[k - 1].end if k > 0 else None
    later = [o for o in sounds[k + 1:] if not _trailing_off(s, o)]
    after = later[0].start if later else None
    return ((before is None or s.start - before >= quiet_s)
            and (after is None or after - s.end >= quiet_s))


_CREAK_S = 0.05  # voicing this short, just after a held vowel, is the vowel trailing off


def _trailing_off(held, bit) -> bool:
    """A filled pause often ends in creaky voice, which the pitch tracker loses and finds again
    in scraps: a scrap of voice under 50 ms within 100 ms of its end is still the filler."""
    return bit.voiced_s < _CREAK_S and bit.start - held.end < 0.1
