"""Knowing when an answer is over: a short wait after a finished answer, patience mid-thought.

A fixed silence rule has to choose between keeping someone waiting after their last word and
cutting off someone who pauses to think. An interviewer does neither: they wait through a pause
after "so what I did was", and answer quickly after "...and they renewed for two more years".
Three things are combined for each pause:

- the turn-end model (`turn_model`), which hears from the voice whether the speaker sounds done;
- the live transcript's last words: a sentence left hanging on "so", "and", "because", "the",
  "was" ... is not finished, whatever the voice sounds like;
- the story so far (`story`): before it comes to a result, there is more to come.

`required_silence` is the rule, a pure function of those; `TurnJudge` gathers its inputs while
the answer is recorded, the slow ones on a worker thread.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import re
from typing import Callable, Sequence

import numpy as np

from rehearse.turn.model import WINDOW, TurnModel
from rehearse.turn.story import story_told

log = logging.getLogger("rehearse")

UNFINISHED = "unfinished"  # the last words leave a clause hanging: "so", "and", "because", "the"
OPEN = "open"  # the last words often go on ("was", "we", "with"), but a sentence can end so
CLEAR = "clear"  # nothing in the last words says more is coming
PENDING = "pending"  # the last words heard are not transcribed yet
NO_TRANSCRIPT = "none"  # nothing is transcribed while the person speaks (--no-live)


@dataclasses.dataclass(frozen=True)
class TurnOptions:
    max_pause_s: float = 20.0  # the longest thinking pause waited through (--think-time)
    finished_s: float = 0.6  # silence that ends a finished answer: sounds done, words done, story told
    doubt_s: float = 2.5  # the voice sounds unfinished but the words do not: wait this long
    story_s: float = 4.0  # the story has no result yet: wait this long (above a 3.5 s thinking pause)
    pending_s: float = 3.0  # the last words are not transcribed yet: the old fixed rule meanwhile ...
    # ... unless the voice sounds surely finished and the words so far told the story: then the
    # last words are waited for this long and no longer. On idle cores they come about a second
    # into the pause, so the words still decide; on busy ones the transcript lags by seconds.
    pending_sure_s: float = 2.0
    no_model_s: float = 1.2  # without the model: finished words and story end the answer after this
    complete_prob: float = 0.5  # Smart Turn's own threshold for "complete"
    # "Surely finished": Smart Turn heard the ends of the bench's answers at 0.95-0.99 (one at
    # 0.64), but three of its eight mid-sentence pauses at 0.77-0.98 too: on its own it ends
    # nothing early, only where the words so far have told the story.
    sure_prob: float = 0.8
    first_look_s: float = 0.2  # when the model first hears a pause (pipecat's VAD stop time)
    look_every_s: float = 0.3  # the model hears the pause again this often ...
    # ... up to this much silence. It was trained on turns with a short silence after them; heard
    # later into a pause it drifts to "complete" (measured on "So what I did was": 0.02 at 0.2 s,
    # 0.13 at 1 s, 0.76 at 2 s), so its verdict on a pause is the highest of its first looks.
    look_until_s: float = 1.0
    story_wait_s: float = 0.05  # the longest the recording waits for the story of the last words


def required_silence(p_complete: float | None, cue: str, story_told: bool | None,
                     o: TurnOptions = TurnOptions()) -> float:
    """Seconds of silence after which the answer is over, given what is known about this pause.

    p_complete: the model's probability that the turn is complete (None: no model, or no verdict
    yet). cue: UNFINISHED, OPEN, CLEAR, PENDING or NO_TRANSCRIPT, from the last words.
    story_told: the story so far has come to a result (None: not known).
    """
    if cue == UNFINISHED:
        return o.max_pause_s
    sounds_done = None if p_complete is None else p_complete >= o.complete_prob
    if cue == OPEN:  # the voice decides; without it, patience
        wait = o.max_pause_s if sounds_done is False else o.story_s
    elif sounds_done is None:
        wait = o.no_model_s
    else:
        wait = o.finished_s if sounds_done else o.doubt_s
    if story_told is False:
        wait = max(wait, o.story_s)
    if cue == PENDING:
        sure = p_complete is not None and p_complete >= o.sure_prob
        wait = max(wait, o.pending_sure_s if sure else o.pending_s)
    return min(wait, o.max_pause_s)


# Words after which a clause cannot end: conjunctions and subordinators, "to" and "of", articles
# and possessives, hesitation sounds.
_HANGING = frozenset("""
and but or so because since although though while whereas unless if when whenever until
which whose whom to of the a an my our their his her its your every each um uh er erm ah like
""".split())
# Words after which a clause rarely ends, though it can ("... and we did", "that's who I am").
_OPEN = frozenset("""
was were is are am be been being had have has did do does will would could should can may might
must i we they he she for with from by into onto than at as then that what who where how why
""".split())
_WORD = re.compile(r"[a-z']+")
# After these, "since" is an adverb that closes the clause: "ever since", "four years since".
_BEFORE_ADVERB_SINCE = frozenset("ever long years months weeks days".split())


def transcript_cue(words: Sequence[str]) -> str:
    """UNFINISHED or OPEN when the last words leave a clause hanging or likely to go on, else CLEAR."""
    if not words:
        return UNFINISHED  # nothing said yet that could be an answer
    last = words[-1].strip()
    if last.endswith(("...", "\u2026", ",", "-", ":")):
        return UNFINISHED  # the recognizer heard the sentence trail on
    tokens = _WORD.findall(" ".join(words[-2:]).lower().replace("\u2019", "'"))
    if not tokens or not _WORD.search(last.lower()):
        return CLEAR
    if tokens[-2:-1] and tokens[-1] == "since" and tokens[-2] in _BEFORE_ADVERB_SINCE:
        return CLEAR
    return UNFINISHED if tokens[-1] in _HANGING else OPEN if tokens[-1] in _OPEN else CLEAR


# (word, start, end, probability) of everything transcribed so far, and whether that covers the
# last speech heard.
WordsSoFar = Callable[[], tuple[Sequence[tuple], bool]]


class TurnJudge:
    """Decides, block by block while a pause lasts, whether the answer is over.

    `feed` is a recorder listener (it keeps the last 8 s of audio for the model); `should_end`
    is asked once a block with the current silence. Both run in the recording loop and stay
    cheap: the model (tens of milliseconds a call, hundreds on busy cores) and the story check
    (a parse) run on a worker thread, and each decision uses what they have said so far.
    `close` stops the worker.
    """

    def __init__(self, options: TurnOptions = TurnOptions(), model: TurnModel | None = None,
                 words: WordsSoFar | None = None, on_warning: Callable[[str], None] = log.warning):
        self.options = options
        self.model = model
        self.words = words
        self.on_warning = on_warning
        self._audio = np.zeros(WINDOW, np.float32)  # replaced, never changed: a snapshot to hand on
        self._pause = 0  # which pause this is: a verdict on an earlier one is not used
        self._p: float | None = None  # the highest the model heard in this pause
        self._p_at = -1.0  # silence when the model was last asked about this pause, -1: not yet
        self._story: tuple[int, bool] | None = None  # (words read, told), the last story check
        self._worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="turn")
        self._job: concurrent.futures.Future | None = None
        self.last: dict = {}  # the inputs of the last decision, for the record

    def feed(self, block: np.ndarray, probs: np.ndarray) -> None:
        n = min(len(block), WINDOW)
        if n:
            self._audio = np.concatenate([self._audio[n:], block[-n:]])

    def should_end(self, silence_s: float) -> bool:
        o = self.options
        if silence_s < o.first_look_s:
            if self._p_at >= 0:  # speech again: the next pause is judged afresh
                self._pause, self._p, self._p_at = self._pause + 1, None, -1.0
            return False
        words, current = self.words() if self.words is not None else ((), True)
        self._ask(silence_s, words, current)
        cue = NO_TRANSCRIPT if self.words is None else transcript_cue(
            [w[0] for w in words]) if current else PENDING
        story = self._story_so_far(words)
        p = self._p if self.model is not None else None
        need = required_silence(p, cue, story, o)
        self.last = {"silence_s": round(silence_s, 2), "p_complete": None if p is None
                     else round(p, 3), "cue": cue, "story_told": story, "required_s": need}
        return silence_s >= need

    def settle(self) -> None:
        """Wait for what the worker is doing (for callers that run faster than real time)."""
        job = self._job
        if job is not None:
            concurrent.futures.wait([job])

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)

    def _ask(self, silence_s: float, words: Sequence[tuple], current: bool) -> None:
        """Hands the worker one thing to do, if it is free: the model, or the story.

        Once the last words are in, the story is read first and waited for a moment: it is
        what the decision waits on now (a parse takes milliseconds on idle cores).
        """
        if self._job is not None and not self._job.done():
            return
        o = self.options
        story_due = self.words is not None and (self._story is None or self._story[0] != len(words))
        if story_due and current:
            self._job = self._worker.submit(self._check_story, list(words))
            concurrent.futures.wait([self._job], timeout=o.story_wait_s)
        elif self.model is not None and silence_s <= o.look_until_s + 1e-6 and (
                self._p_at < 0 or silence_s - self._p_at >= o.look_every_s - 1e-6):
            self._p_at = silence_s
            self._job = self._worker.submit(self._listen, self._audio, self._pause)
        elif story_due:
            self._job = self._worker.submit(self._check_story, list(words))

    def _listen(self, audio: np.ndarray, pause: int) -> None:
        model = self.model
        if model is None:
            return
        try:
            p = model.probability(audio)
        except Exception as exc:  # a model that cannot run is no reason to lose an answer
            self.model = None
            self.on_warning(f"the turn-end model cannot run ({type(exc).__name__}: {exc}); "
                            "answers end after a silence, judged by their last words")
            return
        if pause == self._pause:
            self._p = max(p, self._p or 0.0)

    def _check_story(self, words: list[tuple]) -> None:
        try:
            self._story = (len(words), bool(words) and story_told(words))
        except Exception:  # judged on the voice and the words rather than not at all
            log.debug("the story so far could not be read", exc_info=True)
            self._story = (len(words), True)

    def _story_so_far(self, words: Sequence[tuple]) -> bool | None:
        """Whether the story has come to a result, from the last check of the words heard.

        A check of fewer words than there are now stands until the worker gets to them (none
        yet: not told). When the last words are not transcribed yet, a story the words so far
        do not finish keeps its patience: the voice alone is no sure sign that a thinker is done
        (on synthesized speech Smart Turn heard 0.84 after "Our release was slipping because").
        """
        if self.words is None:
            return None
        return self._story[1] if self._story is not None else False
