"""Transcribing while the person speaks, so the report is ready a moment after they stop.

The recorder hands every block (with its VAD probabilities) to `LiveTranscriber.feed`. A worker
thread decodes the answer in stretches that end in pauses: once enough speech is pending, the
stretch up to a pause is decoded and committed for good. At every other pause the unfinished tail
is decoded speculatively: if the person has in fact finished, the end-of-speech silence wait covers
that decode and the transcript is complete when the wait ends; if they speak again, it is thrown
away. Whisper's encoder always sees a 30 s window, so even a short tail costs most of a second on
two cores: it has to happen during the wait, not after it.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Callable

import numpy as np

from rehearse.analyze.dropped_fillers import listen_between
from rehearse.analyze.fillers import sound_type
from rehearse.analyze.sentences import norm
from rehearse.audio.sound import SAMPLE_RATE, from_pcm16, to_pcm16
from rehearse.audio.vad import SILENCE_PROB, SPEECH_PROB, VAD_WINDOW
from rehearse.transcription.whisper import Transcript, Word, transcript_from_words, without_faint_words

log = logging.getLogger("rehearse")


@dataclasses.dataclass(frozen=True)
class LiveOptions:
    cut_pause_s: float = 0.3  # silence that is a safe place to cut between two stretches
    tail_pause_s: float = 0.5  # silence after which the person may have finished: try the tail
    # Stretches of about 10 s decode in about a second on two cores, so the worker keeps up and
    # is never far into a long decode when the answer ends.
    commit_after_s: float = 10.0  # pending audio before a stretch is committed at the next gap
    max_stretch_s: float = 16.0  # force a cut at the quietest moment when nobody pauses
    # A tail decoded in a pause, after which the person spoke again, is kept as a stretch when at
    # least this long, instead of being decoded again with what followed (inf: never).
    keep_tail_s: float = float("inf")
    # A stretch shorter than this is decoded with the audio before it, and the words of that
    # audio are dropped (0: every stretch alone).
    context_s: float = 0.0


# For the end-of-turn rule, which reads the last words within a second of the last pause: the
# tail decoded from 0.2 s into a pause, and stretches of 5 s or more cut at the next gap between
# words, so that little is left to decode when the answer ends. Measured against 10 s stretches
# (two synthesized answers of 60 and 150 s and four real clips, every stretch decoded at once):
# the same pooled word error rate (0.090-0.099 against 0.092-0.094, the spread of two runs each),
# more of the spoken "um"s kept (16-17 of 22 against 10); stretches of 3 s lost accuracy (0.111).
# Alone, a short stretch ("and", "the release shipped on time") was heard as "in", or looped on
# "um, um, um" for seconds (Piper's voice, thinking pauses): under 4 s it is heard with what came
# before. The other modes keep the defaults: they wait a fixed silence, which covers a longer
# last decode, and fewer, longer decodes cost less on busy cores.
TURN_OPTIONS = LiveOptions(cut_pause_s=0.2, tail_pause_s=0.2, commit_after_s=5.0, keep_tail_s=2.0, context_s=4.0)


KEEP_S = 30.0  # committed audio is let go of in pieces at least this long
# Words the recognizer puts in the silence after the last speech of a stretch are not the
# person's: Whisper fills a trailing pause with "I'm sorry." or loops "uh uh uh uh" there (Piper's
# voice, thinking pauses), which read as a finished sentence or a hanging one. Word times are
# good to about a tenth of a second.
HEARD_SLACK_S = 0.2
LOOP_MIN = 3  # the same hesitation sound this many times over at the end of a stretch: a loop


def _trailing_loop(words) -> int:
    """How many of the last words are a repetition loop of one hesitation sound ("uh uh uh uh"),
    which Whisper falls into at the end of audio: none of them is counted or read."""
    if not words:
        return 0
    last = norm(words[-1].word)
    if sound_type(last) is None:
        return 0
    n = 0
    while n < len(words) and norm(words[-1 - n].word) == last:
        n += 1
    return n if n >= LOOP_MIN else 0


@dataclasses.dataclass(frozen=True)
class _Job:
    start: int  # sample index
    end: int
    commit: bool  # False: a speculative decode of the tail


class LiveTranscriber:
    def __init__(self, transcriber, options: LiveOptions = LiveOptions(),
                 on_words: Callable[[list[Word]], None] | None = None):
        self.transcriber = transcriber
        self.options = options
        self.on_words = on_words  # called with newly committed or speculated words
        self._chunks: list[np.ndarray] = []  # 16-bit audio from sample `_base` on
        self._base = 0  # audio before this was committed and is no longer kept
        self._samples = 0
        self._probs: list[float] = []
        self._silent_windows = 0
        self._gap_at = 0  # sample index in the latest gap between words at least cut_pause_s long
        self._heard_speech = False
        self._committed: list[tuple] = []  # (word, start, end, probability)
        self._committed_until = 0  # samples
        self._speculation: tuple[int, int, list[tuple]] | None = None
        self._job: _Job | None = None
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self.sounds: dict = {}  # gaps between committed words, listened to for dropped fillers
        self.decodes = 0  # how many stretches were decoded (for the benchmark)
        self.speech_left_s = 0.0  # speech that still had to be decoded when the answer ended

    # -- called from the recording thread: must stay cheap ------------------------------------
    def feed(self, block: np.ndarray, probs: np.ndarray) -> None:
        self._chunks.append(to_pcm16(block))
        self._samples += len(block)
        for p in probs:
            self._probs.append(float(p))
            speech = p >= SPEECH_PROB or (self._silent_windows == 0 and p >= SILENCE_PROB)
            self._silent_windows = 0 if speech else self._silent_windows + 1
            self._heard_speech |= bool(speech)
            if self._heard_speech and self._silent_windows * VAD_WINDOW >= self.options.cut_pause_s * SAMPLE_RATE:
                self._gap_at = len(self._probs) * VAD_WINDOW  # a gap that may be over by the block's end
        if self._idle.is_set():
            self._forget_committed()
            job = self._next_job()
            if job is not None:
                self._start(job)

    def _next_job(self) -> _Job | None:
        o = self.options
        pending_s = (self._samples - self._committed_until) / SAMPLE_RATE
        silence_s = self._silent_windows * VAD_WINDOW / SAMPLE_RATE if self._heard_speech else 0.0
        if self._speculation is not None and self._keep_speculation(pending_s):
            with self._lock:
                _, end, words = self._speculation
                self._committed.extend(words)
                self._committed_until, self._speculation = end, None
            pending_s = (self._samples - end) / SAMPLE_RATE
        if pending_s >= o.max_stretch_s:
            return _Job(self._committed_until, self._best_cut(), commit=True)
        if self._gap_at - self._committed_until >= o.commit_after_s * SAMPLE_RATE:
            # Cut in the latest gap between words (checked window by window: a block can hold a
            # whole gap); the last word keeps its trailing quiet.
            return _Job(self._committed_until, min(self._gap_at, self._samples), commit=True)
        if silence_s < o.tail_pause_s:
            return None
        if not self._speculation_is_current():
            return _Job(self._committed_until, self._samples, commit=False)
        return None

    def _keep_speculation(self, pending_s: float) -> bool:
        """Whether the tail decoded in a pause becomes a committed stretch, rather than being
        decoded again: when a commit would decode the same audio now (a decode that could still be
        running when the end-of-speech wait is over), or when the person spoke again after the
        pause and the tail is long enough to stand as a stretch of its own."""
        start, end, _ = self._speculation
        if start != self._committed_until:
            return False
        if self._speculation_is_current():
            return pending_s >= self.options.commit_after_s
        return end - start >= self.options.keep_tail_s * SAMPLE_RATE

    def words_so_far(self) -> tuple[list[tuple], bool]:
        """(word, start, end, probability) transcribed so far, and whether they reach the last speech.

        Called from the recording thread while a pause lasts: what the end-of-turn rule reads.
        """
        with self._lock:
            words = list(self._committed)
            if self._speculation_is_current():
                return words + list(self._speculation[2]), True
            return words, self._committed_until >= self._speech_end()

    def _speculation_is_current(self) -> bool:
        """A speculative decode covers everything from the committed words to the last speech."""
        spec = self._speculation
        return spec is not None and spec[0] == self._committed_until and spec[1] >= self._speech_end()

    def _speech_end(self) -> int:
        """Sample index just after the last speech window."""
        return self._samples - self._silent_windows * VAD_WINDOW

    def _best_cut(self) -> int:
        """The quietest moment of the last few seconds, when nobody paused long enough."""
        look = int(6 * SAMPLE_RATE / VAD_WINDOW)
        probs = np.asarray(self._probs[-look:])
        first = len(self._probs) - len(probs)
        quiet = int(np.argmin(np.convolve(probs, np.ones(5) / 5, mode="same")))
        return max(self._committed_until + SAMPLE_RATE, (first + quiet) * VAD_WINDOW)

    def _forget_committed(self) -> None:
        """Drop audio that is committed for good, so a long answer keeps memory flat."""
        keep_from = self._committed_until - int(self.options.context_s * SAMPLE_RATE)
        if keep_from - self._base >= KEEP_S * SAMPLE_RATE:
            kept = np.concatenate(self._chunks)[keep_from - self._base :]
            self._chunks, self._base = [kept], keep_from

    def _start(self, job: _Job) -> None:
        self._idle.clear()
        self._job = job
        first = self._context_start(job.start, job.end, self._base)
        audio = from_pcm16(np.concatenate(self._chunks)[first - self._base : job.end - self._base])
        threading.Thread(target=self._run, args=(job, audio, first), daemon=True, name="live-asr").start()

    def _context_start(self, start: int, end: int, floor: int) -> int:
        """Where the audio handed to the recognizer for the stretch start..end begins: a stretch
        without speech needs no context (the recognizer's own VAD makes it cost nothing)."""
        if not self._speech_within(start, end):
            return start
        return max(floor, min(start, end - int(self.options.context_s * SAMPLE_RATE)))

    def _speech_within(self, start: int, end: int) -> bool:
        windows = self._probs[start // VAD_WINDOW : -(-end // VAD_WINDOW)]
        return bool(windows) and max(windows) >= SPEECH_PROB

    # -- the worker ---------------------------------------------------------------------------
    def _run(self, job: _Job, audio: np.ndarray, first: int) -> None:
        try:
            transcript = self._decode(audio, first, job.start)
            words = [(w.word, w.start, w.end, w.probability) for w in transcript.words]
            self.decodes += 1
            with self._lock:
                if job.commit:
                    self._committed.extend(words)
                    self._committed_until = job.end
                    self._speculation = None
                else:
                    self._speculation = (job.start, job.end, words)
            if self.on_words:
                self.on_words(transcript.words)
            if job.commit:
                # Listened to now, while the person speaks, not after the answer (the report
                # is due within a second of its end).
                self.sounds.update(listen_between(words, audio, first / SAMPLE_RATE))
        except Exception:  # the final pass decodes whatever is left, so nothing is lost
            log.exception("live transcription of a stretch failed")
        finally:
            self._job = None
            self._idle.set()

    def _decode(self, audio: np.ndarray, first: int, start: int) -> Transcript:
        """The words of the stretch from sample `start` on; `audio` begins at sample `first`, with
        what came before the stretch as context. A word is the stretch's when most of it is.
        (No prompt with the words before: measured, it made some stretches worse, none better.)"""
        transcript = self.transcriber.transcribe(audio, offset_s=first / SAMPLE_RATE)
        since, heard_until = start / SAMPLE_RATE, self._last_speech(first, first + len(audio)) / SAMPLE_RATE
        words = transcript.words[: len(transcript.words) - _trailing_loop(transcript.words)]
        kept = [(w.word, w.start, w.end, w.probability) for w in words
                if (w.start + w.end) / 2 >= since and w.start < heard_until + HEARD_SLACK_S]
        if len(kept) == len(transcript.words):
            return transcript
        return transcript_from_words(kept, duration_s=transcript.duration_s)

    def _last_speech(self, start: int, end: int) -> int:
        """Sample index just after the last window of speech between start and end (start: none)."""
        first = start // VAD_WINDOW
        windows = self._probs[first : -(-end // VAD_WINDOW)]
        spoken = [i for i, p in enumerate(windows) if p >= SPEECH_PROB]
        return (first + spoken[-1] + 1) * VAD_WINDOW if spoken else start

    # -- at the end of the answer -------------------------------------------------------------
    def finish(self, audio: np.ndarray) -> Transcript:
        """The whole answer's transcript; decodes only what no earlier pass covered.

        `audio` is the whole recording (the recorder reads it back from its WAV).
        """
        self._idle.wait()
        words = list(self._committed)
        speech_end = self._speech_end()
        if self._speculation_is_current():
            words.extend(self._speculation[2])
        elif self._committed_until < len(audio) and (self._heard_speech or not words):
            self.speech_left_s = max(0.0, (speech_end - self._committed_until) / SAMPLE_RATE)
            first = self._context_start(self._committed_until, len(audio), 0)
            transcript = self._decode(audio[first:], first, self._committed_until)
            self.decodes += 1
            words.extend((w.word, w.start, w.end, w.probability) for w in transcript.words)
        return without_faint_words(transcript_from_words(words, duration_s=len(audio) / SAMPLE_RATE), audio)
