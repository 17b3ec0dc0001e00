"""Knowing when an answer is over: a short wait after a finished answer, patience mid-thought.

A fixed silence rule has to choose between keeping someone waiting after their last word and
cutting off someone who pauses to think. An interviewer does neither: they wait through a pause
after "so what I did was", and answer quickly after "...and they renewed for two more years".
Three things are combined for each pause:

- the turn-end model (`turn_model`), which hears from the voice whether the speaker sounds done;
- the live transcript's last words: a sentence left hanging on "so", "and", "because", "the",
  "was" ... is not finished, whatever the voice sounds like;
- the story so far: before it comes to a result, there is more to come.

`required_silence` is the rule, a pure function of those; `TurnJudge` gathers its inputs while
the answer is recorded.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Callable, Sequence

import numpy as np

from rehearse.turn.model import WINDOW, TurnModel

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
    pending_s: float = 3.0  # the last words are not transcribed yet: the old fixed rule meanwhile
    no_model_s: float = 1.2  # without the model: finished words and story end the answer after this
    complete_prob: float = 0.5  # Smart Turn's own threshold for "complete"
    first_look_s: float = 0.2  # when the model first hears a pause (pipecat's VAD stop time)
    look_every_s: float = 0.3  # the model hears the pause again this often ...
    # ... up to this much silence. It was trained on turns with a short silence after them; heard
    # later into a pause it drifts to "complete" (measured on "So what I did was": 0.02 at 0.2 s,
    # 0.13 at 1 s, 0.76 at 2 s), so its verdict on a pause is the highest of its first looks.
    look_until_s: float = 1.0


def required_silence(p_complete: float | None, cue: str, story_told: bool | None,
                     o: TurnOptions = TurnOptions()) -> float:
    """Seconds of silence after which the answer is over, given what is known about this pause.

    p_complete: the model's probability that the turn is complete (None: no model).
    cue: UNFINISHED, OPEN, CLEAR, PENDING or NO_TRANSCRIPT, from the last words.
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
        wait = max(wait, o.pending_s)
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


def transcript_cue(words: Sequence[str]) -> str:
    """UNFINISHED or OPEN when the last words leave a clause hanging or likely to go on, else CLEAR."""
    if not words:
        return UNFINISHED  # nothing said yet that could be an answer
    last = words[-1].strip()
    if last.endswith(("...", "\u2026", ",", "-", ":")):
        return UNFINISHED  # the recognizer heard the sentence trail on
    tokens = _WORD.findall(last.lower().replace("\u2019", "'"))
    if not tokens:
        return CLEAR
    return UNFINISHED if tokens[-1] in _HANGING else OPEN if tokens[-1] in _OPEN else CLEAR


# (word, start, end, probability) of everything transcribed so far, and whether that covers the
# last speech heard.
WordsSoFar = Callable[[], tuple[Sequence[tuple], bool]]


class TurnJudge:
    """Decides, block by block while a pause lasts, whether the answer is over.

    `feed` is a recorder listener (it keeps the last 8 s of audio for the model); `should_end`
    is asked once a block with the current silence.
    """

    def __init__(self, options: TurnOptions = TurnOptions(), model: TurnModel | None = None,
                 words: WordsSoFar | None = None, on_warning: Callable[[str], None] = log.warning):
        self.options = options
        self.model = model
        self.words = words
        self.on_warning = on_warning
        self._audio = np.zeros(WINDOW, np.float32)
        self._p: float | None = None
        self._p_at = -1.0  # silence when the model last heard this pause, -1: not yet
        self._story: tuple[int, bool | None] = (-1, None)  # (words read, told) cached
        self.last: dict = {}  # the inputs of the last decision, for the record

    def feed(self, block: np.ndarray, probs: np.ndarray) -> None:
        n = min(len(block), WINDOW)
        if n:
            self._audio = np.concatenate([self._audio[n:], block[-n:]])

    def should_end(self, silence_s: float) -> bool:
        o = self.options
        if silence_s < o.first_look_s:
            self._p, self._p_at = None, -1.0  # speech again: the next pause is judged afresh
            return False
        self._listen(silence_s)
        cue, story = self._read()
        need = required_silence(self._p if self.model else None, cue, story, o)
        self.last = {"silence_s": round(silence_s, 2), "p_complete": None if self._p is None
                     else round(self._p, 3), "cue": cue, "story_told": story, "required_s": need}
        return silence_s >= need

    def _listen(self, silence_s: float) -> None:
        o = self.options
        if self.model is None or silence_s > o.look_until_s + 1e-6 or (
                self._p_at >= 0 and silence_s - self._p_at < o.look_every_s - 1e-6):
            return
        try:
            p = self.model.probability(self._audio)
            self._p, self._p_at = max(p, self._p or 0.0), silence_s
        except Exception as exc:  # a model that cannot run is no reason to lose an answer
            self.model = None
            self.on_warning(f"the turn-end model cannot run ({type(exc).__name__}: {exc}); "
                            "answers end after a silence, judged by their last words")

    def _read(self) -> tuple[str, bool | None]:
        if self.words is None:
            return NO_TRANSCRIPT, None
        words, current = self.words()
        texts = [w[0] for w in words]
        return (transcript_cue(texts) if current else PENDING), self._story_told(words)

    def _story_told(self, words: Sequence[tuple]) -> bool | None:
        if self._story[0] != len(words):
            self._story = (len(words), story_told(words))
        return self._story[1]


def story_told(words: Sequence[tuple]) -> bool:
    """The story so far has come to a result (rehearse.analyze.star on the words heard).

    A result is what the STAR labels call one, or, after the opening sentence, anything with an
    outcome word or a number in it. Live transcripts garble stories ("and I renewed for two more
    years", "pages at I dropped I half"), and the labels then miss the result or the action
    before it; a missed result costs a finished answer a 4 s wait. Results come after actions in
    the telling, so a result stands for both.
    """
    from rehearse.analyze.star import OTHER, analyze_star
    from rehearse.analyze.star_cues import cue_scores, numbers_in
    from rehearse.transcription.whisper import transcript_from_words

    star = analyze_star(transcript_from_words(words))
    if star.parts["result"].present:
        return True
    if all(u.labels == (OTHER,) for u in star.units):
        return False  # too short to tell a story yet
    return any(cue_scores(u.text, u.span.text)["result"] > 0 or numbers_in(u.text)
               for u in star.units[1:])
