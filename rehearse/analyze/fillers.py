"""Filler words: which words are fillers here, and the ones the recognizer may have dropped.

"um", "uh" and kin are always fillers. "like", "you know", "so", "well" ... are fillers only in
some places: "I'd like to", "tools like Jira", "so that", "went well" are ordinary words. Each
context word has one small rule below; when a rule is unsure it says "not a filler", because
telling someone they said a filler they did not is worse than missing one.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Callable, Sequence

from rehearse.analyze.options import AnalysisOptions
from rehearse.analyze.sentences import ends_sentence, norm, trailing_comma
from rehearse.transcription.whisper import Transcript, Word

# Hesitation sounds and their spellings, to the type they are counted under.
SOUNDS = {
    "um": "um", "umm": "um", "ummm": "um", "uhm": "um", "uhmm": "um",
    "uh": "uh", "uhh": "uh", "uhhh": "uh",
    "er": "er", "erm": "er", "err": "er",
    "ah": "ah", "ahh": "ah", "ahhh": "ah",
    "hmm": "hmm", "hm": "hmm", "hmmm": "hmm",
    "mm": "mm", "mmm": "mm", "mhm": "mm", "mm-hmm": "mm", "mm-hm": "mm", "mmhmm": "mm",
}

# Spellings drawn out to any length ("uhhhh", "ummmm", "hmmmm"), as the recognizer writes a long one.
_DRAWN_OUT = ((re.compile(r"^u+h+$"), "uh"), (re.compile(r"^u+h*m+$"), "um"), (re.compile(r"^e+r+m*$"), "er"),
              (re.compile(r"^a+h+$"), "ah"), (re.compile(r"^h+m+$"), "hmm"), (re.compile(r"^m{2,}$"), "mm"))


def sound_type(word: str) -> str | None:
    """The hesitation a (normalized) word spells, or None: "ummmm" is "um"."""
    if word in SOUNDS:
        return SOUNDS[word]
    return next((kind for pattern, kind in _DRAWN_OUT if pattern.match(word)), None)


_BE = frozenset({"is", "was", "were", "are", "been", "be", "it's", "that's", "there's", "he's",
                 "she's", "they're", "we're", "i'm", "am"})
_NUMBER = re.compile(r"^[$€£]?\d|^(one|two|three|four|five|six|seven|eight|nine|ten|twenty|"
                     r"thirty|forty|fifty|hundred|a hundred|half|a few|several)$")


@dataclasses.dataclass(frozen=True)
class Filler:
    word: str  # the filler as said, lower case: "um", "you know"
    type: str  # what it is counted under: "um" for "umm", "mm" for "mm-hmm"
    kind: str  # "transcribed"; "possible": not in the transcript, heard in the audio or timing
    first: int  # index of its first word in Transcript.words (-1 for a gap with no word)
    last: int  # index of its last word
    char_start: int | None  # index in Transcript.text; None for a gap with no word
    start: float | None  # seconds; None for typed text
    end: float | None
    confidence: float | None = None  # for a filler heard in the audio: how filler-like it sounds
    sure: bool = True  # False: counted apart, as "unsure"

    def to_json(self) -> dict:
        return {"word": self.word, "type": self.type, "kind": self.kind,
                "start": self.start, "end": self.end, "char_start": self.char_start,
                "confidence": self.confidence, "sure": self.sure}


@dataclasses.dataclass(frozen=True)
class _Context:
    """The words around position i, as the rules need them."""

    raw: Sequence[str]  # words as recognized, with punctuation
    low: Sequence[str]  # the same words through norm()
    i: int  # the word being judged

    def prev(self, k: int = 1) -> str:
        return self.low[self.i - k] if self.i - k >= 0 else ""

    def bound(self) -> str:
        """The word before, if nothing separates it: "to" in "to like" but not in "to, like"."""
        return "" if self.comma_before() else self.prev()

    def next(self, k: int = 1) -> str:
        return self.low[self.i + k] if self.i + k < len(self.low) else ""

    def comma_before(self) -> bool:
        return self.i > 0 and trailing_comma(self.raw[self.i - 1])

    def comma_after(self, k: int = 0) -> bool:
        j = self.i + k
        return j < len(self.raw) and (trailing_comma(self.raw[j]) or ends_sentence(self.raw[j]))

    def opens_sentence(self, at: int | None = None) -> bool:
        """First word of a sentence, or preceded only by hesitation sounds ("Um, so, ...")."""
        j = self.i if at is None else at
        if j == 0 or ends_sentence(self.raw[j - 1]):
            return True
        return self.low[j - 1] in SOUNDS and self.opens_sentence(j - 1)


# --- one rule per context word: True when it is a filler here ---------------------------------

_LIKE_VERB = frozenset({
    "would", "i'd", "we'd", "you'd", "they'd", "to", "i", "we", "you", "they", "people", "don't",
    "didn't", "doesn't", "look", "looks", "looked", "looking", "seem", "seems", "seemed", "sound",
    "sounds", "sounded", "feel", "feels", "felt", "something", "anything", "nothing",
    "everything", "more", "much", "just", "exactly", "not", "really", "also", "would've",
})
_DETERMINER = frozenset({"a", "an", "the", "this", "that", "these", "those", "it", "them", "him",
                         "her", "me", "us", "you"})


def _asks_what(c: _Context) -> bool:
    """'what it was like': "what" or "how" earlier in the same clause, 'like' closing it."""
    for k in range(1, 7):
        if c.i - k < 0 or ends_sentence(c.raw[c.i - k]) or trailing_comma(c.raw[c.i - k]):
            return False
        if c.low[c.i - k] in {"what", "how"}:
            return True
    return False


def _like(c: _Context) -> bool:
    if c.bound() in _LIKE_VERB:  # "I'd like to", "looks like", "something like that"
        return False
    if ends_sentence(c.raw[c.i]) or _asks_what(c):  # "I knew what it was like, so ..."
        return False
    if c.comma_after():  # "drove, like, a 15% increase"
        return True
    nxt = c.next()
    if _NUMBER.match(nxt) or nxt in SOUNDS:  # "like 20 people": an approximation, not a comparison
        return True
    if nxt in {"a", "an"} and _NUMBER.match(c.next(2)):  # "like a 15% rise", "like a hundred"
        return True
    if c.prev() in _BE and nxt not in _DETERMINER:  # "was like closing in" but "was like a maze"
        return True
    # "the professor like praised our work": 'like' before a past-tense verb
    return len(nxt) > 4 and nxt.endswith("ed") and not nxt.endswith("eed")


_KNOW_OBJECT = frozenset({"what", "how", "that", "why", "where", "who", "when", "whether", "if",
                          "him", "her", "them", "it", "this", "these", "those", "about", "the",
                          "a", "an", "my", "your", "our", "their", "his", "me", "us", "exactly",
                          "everyone", "everybody", "someone", "somebody", "each"})
_KNOW_ASKED = frozenset({"do", "did", "does", "don't", "didn't", "doesn't", "if", "as", "let",
                         "would", "will", "could", "should", "might", "to", "what", "how",
                         "whether", "you'd", "cannot", "can", "can't", "now"})


def _you_know(c: _Context) -> bool:
    if c.bound() in _KNOW_ASKED:  # "do you know", "let you know", "as you know"
        return False
    if c.comma_after(1):  # "you know," is always set off
        return True
    return c.next(2) not in _KNOW_OBJECT  # "but you know on a phone ..." vs "you know the drill"


def _i_mean(c: _Context) -> bool:
    if c.bound() in {"what", "do", "did", "don't", "didn't"}:  # "what I mean is"
        return False
    if trailing_comma(c.raw[c.i + 1]):  # "but, I mean, something can always go wrong"
        return True
    starts = c.opens_sentence() or c.comma_before()
    return starts and c.next(2) not in {"it", "that", "to", "what", "by", "this", "the", ""}


_LITERAL_BEFORE = frozenset({
    "a", "an", "what", "which", "this", "that", "these", "those", "any", "some", "every", "each",
    "one", "same", "no", "another", "whatever", "certain", "particular", "similar", "different",
    "new", "right", "wrong", "best", "worst", "only", "other", "specific", "all", "many", "two",
})
_DESCRIBING = re.compile(r"(ly|ed|ing|ward|ful|ive|less|ous|able|ible)$|^(good|bad|big|small|hard|"
                         r"easy|quick|slow|clear|open|simple|obvious)$")


def _kind_of(c: _Context) -> bool:
    """'kind of'/'sort of' as a hedge ("kind of underlined") rather than 'a new kind of report'."""
    if c.prev() in _LITERAL_BEFORE or c.prev(2) in _LITERAL_BEFORE - {"that", "all"}:
        return False
    if c.prev() == "the":  # "the kind of person who" vs "the sort of forward planning"
        return bool(_DESCRIBING.search(c.next(2)))
    return c.next(2) != ""


def _so(c: _Context) -> bool:
    if c.prev() in {"think", "hope", "guess", "said", "even", "not", "do", "did", "say"}:
        return False
    if c.next() in SOUNDS or c.next() in {"yeah", "anyway", "basically"}:  # "so um", "so yeah"
        return True
    # "So, the situation was": set off by a comma it joins nothing. "so that", "so I decided" join.
    return trailing_comma(c.raw[c.i]) and c.next() != "on"


def _well(c: _Context) -> bool:
    # "Well, I think": opens and is set off. "went well", "as well" never open a sentence.
    return trailing_comma(c.raw[c.i]) and (c.opens_sentence() or c.comma_before())


def _right(c: _Context) -> bool:
    if c.prev() in {"that", "that's", "it", "it's", "is", "was", "all", "am", "the", "you're"}:
        return False
    tag = c.raw[c.i].rstrip("\"')").endswith("?")  # "we had to ship, right?"
    return tag or (c.opens_sentence() and trailing_comma(c.raw[c.i]) and c.next() == "so")


def _okay(c: _Context) -> bool:
    if not c.opens_sentence():  # "the result was okay" describes something
        return False
    return c.comma_after() or c.next() in {"so", "um", "uh"} or c.next() in SOUNDS


def _parenthetical(c: _Context) -> bool:
    """'actually' as a filler only when set off by commas: "it was, actually, fine"."""
    return c.comma_before() and trailing_comma(c.raw[c.i])


_TAKEN = frozenset({"take", "took", "taken", "translate", "translated", "meant", "mean", "read"})


def _literally(c: _Context) -> bool:
    return c.prev() not in _TAKEN and c.prev(2) not in _TAKEN  # "don't take it literally"


# Context words: (type, first word, second word or "", rule).
_RULES: tuple[tuple[str, str, str, Callable[[_Context], bool]], ...] = (
    ("like", "like", "", _like), ("you know", "you", "know", _you_know),
    ("i mean", "i", "mean", _i_mean), ("kind of", "kind", "of", _kind_of),
    ("sort of", "sort", "of", _kind_of), ("so", "so", "", _so), ("well", "well", "", _well),
    ("right", "right", "", _right), ("okay", "okay", "", _okay), ("okay", "ok", "", _okay),
    ("actually", "actually", "", _parenthetical), ("basically", "basically", "", lambda c: True),
    ("literally", "literally", "", _literally),
)


def _match(c: _Context) -> tuple[str, int] | None:
    """The filler type starting at c.i and how many words it spans, or None."""
    word = c.low[c.i]
    if sound_type(word):
        return sound_type(word), 1
    for kind, first, second, rule in _RULES:
        if word == first and (not second or c.next() == second) and rule(c):
            return kind, 2 if second else 1
    return None


def _artifact(word: Word) -> bool:
    """A zero-length token: Whisper's repetition loops at the end of audio ("uh uh uh ...")."""
    return word.start is not None and word.end - word.start < 0.02


def _in_loop(words: Sequence[Word], i: int) -> bool:
    """A token that starts where a zero-length copy of it stands is inside the loop too: the
    loop is under way before it ("uh(0 s) uh uh(0 s) uh(0 s)" over a word cut off at the end)."""
    if _artifact(words[i]) or i == 0:
        return _artifact(words[i])
    before = words[i - 1]
    return (_artifact(before) and norm(before.word) == norm(words[i].word)
            and abs(before.end - words[i].start) < 0.02)


def find_fillers(transcript: Transcript) -> list[Filler]:
    """Every filler the transcript contains, in order."""
    words = transcript.words
    raw = [w.word for w in words]
    low = [norm(w) for w in raw]
    found, i = [], 0
    while i < len(words):
        hit = None if _in_loop(words, i) else _match(_Context(raw, low, i))
        if hit is None:
            i += 1
            continue
        kind, n = hit
        first, last = words[i], words[i + n - 1]
        said = " ".join(low[i:i + n])
        found.append(Filler(said, kind, "transcribed", i, i + n - 1, first.char_start,
                            first.start, last.end))
        i += n
    return found


@dataclasses.dataclass(frozen=True)
class Burst:
    start: float  # seconds: start of the first filler in the burst
    end: float  # seconds: end of the last one
    count: int  # how many fillers fell inside it

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "count": self.count}


def find_bursts(fillers: Sequence[Filler], options: AnalysisOptions) -> list[Burst]:
    """Runs of at least `burst_count` fillers within `burst_window_s`, overlapping runs merged."""
    timed = [f for f in fillers if f.start is not None]
    runs: list[list[int]] = []  # [first, last] indices into timed
    for i, f in enumerate(timed):
        j = i
        while j + 1 < len(timed) and timed[j + 1].start - f.start <= options.burst_window_s:
            j += 1
        if j - i + 1 < options.burst_count:
            continue
        if runs and i <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], j)
        else:
            runs.append([i, j])
    return [Burst(timed[a].start, timed[b].end, b - a + 1) for a, b in runs]


def count_by_type(fillers: Sequence[Filler]) -> dict[str, int]:
    """{type: occurrences}, most frequent first."""
    counts: dict[str, int] = {}
    for f in fillers:
        counts[f.type] = counts.get(f.type, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
