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
from rehearse.audio.sound import SAMPLE_RATE, from_pcm16, to_pcm16
from rehearse.audio.vad import SILENCE_PROB, SPEECH_PROB, VAD_WINDOW
from rehearse.transcription.whisper import Transcript, Word, transcript_from_words, without_faint_words

log = logging.getLogger("rehearse")


@dataclasses.dataclass(frozen=True)
class LiveOptions:
    cut_pause_s: float = 0.3  # silence that is a safe place to cut between two stretches
    tail_pause_s: float = 0.5  # silence after which the person may have finished: try the tail
    # Stretches of about 10 s decode in about a second on two cores, so the worker keeps up and
    # is never far into a long decode when the answer ends; shorter ones lose accuracy.
    commit_after_s: float = 10.0  # pending audio before a stretch is committed at the next pause
    max_stretch_s: float = 16.0  # force a cut at the quietest moment when nobody pauses


KEEP_S = 30.0  # committed audio is let go of in pieces at least this long


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
        if self._idle.is_set():
            self._forget_committed()
            job = self._next_job()
            if job is not None:
                self._start(job)

    def _next_job(self) -> _Job | None:
        o = self.options
        pending_s = (self._samples - self._committed_until) / SAMPLE_RATE
        silence_s = self._silent_windows * VAD_WINDOW / SAMPLE_RATE if self._heard_speech else 0.0
        if pending_s >= o.commit_after_s and self._speculation_is_current():
            # The tail decoded during this pause is the stretch a commit would decode now: keep
            # it rather than decode the same audio again (which could still be running when the
            # end-of-speech wait is over).
            with self._lock:
                start, end, words = self._speculation
                self._committed.extend(words)
                self._committed_until, self._speculation = end, None
            pending_s = (self._samples - end) / SAMPLE_RATE
        if pending_s >= o.max_stretch_s:
            return _Job(self._committed_until, self._best_cut(), commit=True)
        if pending_s >= o.commit_after_s and silence_s >= o.cut_pause_s:
            # Cut now, at the end of the silence so far: the last word keeps its trailing quiet.
            return _Job(self._committed_until, self._samples, commit=True)
        if silence_s < o.tail_pause_s:
            return None
        if not self._speculation_is_current():
            return _Job(self._committed_until, self._samples, commit=False)
        return None

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
        if self._committed_until - self._base >= KEEP_S * SAMPLE_RATE:
            kept = np.concatenate(self._chunks)[self._committed_until - self._base :]
            self._chunks, self._base = [kept], self._committed_until

    def _start(self, job: _Job) -> None:
        self._idle.clear()
        self._job = job
        audio = from_pcm16(np.concatenate(self._chunks)[job.start - self._base : job.end - self._base])
        threading.Thread(target=self._run, args=(job, audio), daemon=True, name="live-asr").start()

    # -- the worker ---------------------------------------------------------------------------
    def _run(self, job: _Job, audio: np.ndarray) -> None:
        try:
            transcript = self._decode(audio, job.start)
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
                self.sounds.update(listen_between(words, audio, job.start / SAMPLE_RATE))
        except Exception:  # the final pass decodes whatever is left, so nothing is lost
            log.exception("live transcription of a stretch failed")
        finally:
            self._job = None
            self._idle.set()

    def _decode(self, audio: np.ndarray, start: int) -> Transcript:
        # No prompt with the words before: measured, it made some stretches worse, none better.
        return self.transcriber.transcribe(audio, offset_s=start / SAMPLE_RATE)

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
            tail = audio[self._committed_until :]
            transcript = self._decode(tail, self._committed_until)
            self.decodes += 1
            words.extend((w.word, w.start, w.end, w.probability) for w in transcript.words)
        return without_faint_words(transcript_from_words(words, duration_s=len(audio) / SAMPLE_RATE), audio)
