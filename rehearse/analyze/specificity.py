"""How concrete the answer is: who acted, what figures it gives, and how much it hedges.

Interview coaching asks for "I" in the action (the interviewer is hiring you, not your team),
numbers in the result, and plain statements: hedges ("I think", "maybe") and vague words
("stuff", "things", "a lot") make a true story sound unsure or made up.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Sequence

from rehearse.analyze.fillers import Filler
from rehearse.analyze.sentences import I_WORDS, WE_WORDS, count_words
from rehearse.analyze.star import Star
from rehearse.analyze.star_cues import numbers_in
from rehearse.transcription.whisper import Transcript

HEDGES = re.compile(
    r"\b(?:i think|i guess|i suppose|i feel like|maybe|probably|perhaps|possibly|somewhat|"
    r"more or less|i'm not sure|might have|sort of|kind of)\b")
VAGUE = re.compile(
    r"\b(?:stuff|things|a lot|lots of|various|etc|and so on|and so forth|some people|somehow|"
    r"something like that|whatever|a bunch of|and everything)\b")
# "kind of"/"sort of" are hedges only where the filler rules say so ("kind of underlined"),
# not in "a new kind of report".
_FILLER_HEDGES = frozenset({"kind of", "sort of"})


@dataclasses.dataclass(frozen=True)
class Phrase:
    phrase: str  # the words as written, lower case
    char_start: int  # index in Transcript.text
    start: float | None  # seconds; None for typed text

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Specificity:
    i_action: int  # "I" as subject in the action part
    we_action: int  # "we" as subject in the action part
    i_overall: int  # "I" in the whole answer
    we_overall: int  # "we" in the whole answer
    numbers: tuple[str, ...]  # figures given in the result part
    hedges: tuple[Phrase, ...]  # "I think", "maybe", hedging "kind of" ...
    vague: tuple[Phrase, ...]  # "stuff", "things", "a lot" ...

    def to_json(self) -> dict:
        return {
            "i_count": {"action": self.i_action, "overall": self.i_overall},
            "we_count": {"action": self.we_action, "overall": self.we_overall},
            "numbers": list(self.numbers),
            "hedges": [h.to_json() for h in self.hedges],
            "vague": [v.to_json() for v in self.vague],
        }


def _time_at(transcript: Transcript, char_index: int) -> float | None:
    """Start of the word that holds the character at char_index."""
    holder = None
    for word in transcript.words:
        if word.char_start > char_index:
            break
        holder = word
    return holder.start if holder else None


def find_phrases(transcript: Transcript, pattern: re.Pattern[str]) -> list[Phrase]:
    """Every match of the pattern in the transcript, with its place and time."""
    text = transcript.text.lower().replace("\u2019", "'")
    return [Phrase(m.group(), m.start(), _time_at(transcript, m.start()))
            for m in pattern.finditer(text)]


def find_hedges(transcript: Transcript, fillers: Sequence[Filler]) -> list[Phrase]:
    """Hedging phrases; "kind of"/"sort of" only where they hedge rather than classify."""
    hedging = {f.char_start for f in fillers if f.type in _FILLER_HEDGES}
    return [p for p in find_phrases(transcript, HEDGES)
            if p.phrase not in _FILLER_HEDGES or p.char_start in hedging]


def measure_specificity(transcript: Transcript, star: Star,
                        fillers: Sequence[Filler]) -> Specificity:
    actions = " ".join(u.text for u in star.units_of("action"))
    results = star.units_of("result")
    return Specificity(
        i_action=count_words(actions, I_WORDS),
        we_action=count_words(actions, WE_WORDS),
        i_overall=count_words(transcript.text, I_WORDS),
        we_overall=count_words(transcript.text, WE_WORDS),
        numbers=tuple(n for u in results for n in numbers_in(u.text)),
        hedges=tuple(find_hedges(transcript, fillers)),
        vague=tuple(find_phrases(transcript, VAGUE)),
    )
