"""Fillers the recognizer may have dropped, found from timing alone.

Whisper tends to leave hesitations out of its transcript (faster-whisper issue 901), so two
timing signs mark a "possible" filler: the voice-activity detector heard speech in a gap with no
words, or the recognizer put a short, unsure token alone inside a pause. Counts that include them
are reported as "at least N".
"""

from __future__ import annotations

from typing import Sequence

from rehearse.analyze.fillers import Filler
from rehearse.analyze.options import AnalysisOptions
from rehearse.analyze.sentences import norm
from rehearse.transcribe import Transcript

def possible_fillers(
    transcript: Transcript,
    speech_segments: Sequence[tuple[float, float]] | None,
    transcribed: Sequence[Filler],
    options: AnalysisOptions,
) -> list[Filler]:
    """Places where a filler was probably said but not transcribed, in time order."""
    if not transcript.timed:
        return []
    taken = {i for f in transcribed for i in range(f.first, f.last + 1)}
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
                                round(start, 3), round(end, 3)))
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
                                w.start, w.end))
    return found
