"""Words to sentences and clauses: the units that fillers, STAR and tips point at.

Whisper attaches punctuation to words ("result." "Um,"), so sentence and clause ends are read
from the words themselves; typed text goes through the same path.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Sequence

from rehearse.transcription.whisper import Transcript, Word

# Trailing characters that close a sentence or quote but are not part of the word.
_CLOSERS = "\"')]\u201d\u2019"
# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = frozenset({"mr.", "mrs.", "ms.", "dr.", "e.g.", "i.e.", "etc.", "vs.", "st."})
_EDGE_PUNCT = re.compile(r"^[^\w%$€£]+|[^\w%]+$")


def norm(word: str) -> str:
    """The word as a lower-case token: punctuation around it dropped, inner ' and - kept."""
    return _EDGE_PUNCT.sub("", word.replace("\u2019", "'")).lower()


def ends_sentence(word: str) -> bool:
    """True when the word closes a sentence: ends with . ? ! (or an ellipsis) before quotes."""
    bare = word.rstrip(_CLOSERS)
    return bare.endswith((".", "?", "!", "\u2026")) and bare.lower() not in _ABBREVIATIONS


def trailing_comma(word: str) -> bool:
    """True when a comma, semicolon, colon or dash follows the word."""
    return word.rstrip(_CLOSERS).endswith((",", ";", ":", "\u2014", "-"))


@dataclasses.dataclass(frozen=True)
class Span:
    first: int  # index of the first word of the span in Transcript.words
    last: int  # index of the last word (inclusive)
    text: str  # the span as written in Transcript.text
    char_start: int  # index of the span in Transcript.text
    start: float | None  # seconds: start of the first word; None for typed text
    end: float | None  # seconds: end of the last word; None for typed text

    @property
    def n_words(self) -> int:
        return self.last - self.first + 1


def span(transcript: Transcript, first: int, last: int) -> Span:
    """The words first..last as a Span with their text and times."""
    words = transcript.words
    begin = words[first].char_start
    finish = words[last].char_start + len(words[last].word)
    return Span(first, last, transcript.text[begin:finish], begin,
                words[first].start, words[last].end)


def split_sentences(transcript: Transcript) -> list[Span]:
    """Sentences by their closing punctuation; the words after the last one make a sentence too."""
    spans, first = [], 0
    for i, word in enumerate(transcript.words):
        if ends_sentence(word.word) or i == len(transcript.words) - 1:
            spans.append(span(transcript, first, i))
            first = i + 1
    return spans


# A clause boundary inside a sentence: after ";" always; after "," when the next words start a
# new clause that often carries another STAR part ("..., so I rewrote it" / "..., which cut ...").
_SUBJECTS = frozenset({"i", "we", "they", "he", "she", "my", "our"})
# Spoken answers run on ("... and I had to ... so I went ... and in the end ..."), and Whisper
# punctuates them sparsely. In a sentence this long, "and"/"but"/"so"/"then" followed by a new
# subject start a new clause too.
RUN_ON_WORDS = 25
_JOINERS = frozenset({"and", "but", "so", "then"})
_NEW_SUBJECT = frozenset({"i", "we", "they", "he", "she", "it", "my", "our", "his", "her", "their",
                          "the", "everyone", "nobody", "everything", "this", "then", "eventually",
                          "finally", "later", "in"})
_MIN_CLAUSE = 4  # words: shorter pieces stay with their neighbour


def _starts_clause(words: Sequence[Word], i: int, after: str, run_on: bool) -> bool:
    """Whether word i opens a new clause; `after` is the next word that is not a filler."""
    prev, here = words[i - 1].word.rstrip(_CLOSERS), norm(words[i].word)
    if prev.endswith(";"):
        return True
    if prev.endswith(",") and (here == "which" or (here == "so" and after in _SUBJECTS)):
        return True
    return run_on and here in _JOINERS and after in _NEW_SUBJECT


def split_clauses(transcript: Transcript, sentence: Span,
                  skip: frozenset[int] = frozenset()) -> list[Span]:
    """A sentence cut into clauses where a new one plainly starts; `skip` are filler words."""
    words, cuts = transcript.words, [sentence.first]
    kept = [i for i in range(sentence.first, sentence.last + 1) if i not in skip]
    run_on = len(kept) >= RUN_ON_WORDS
    for k, i in enumerate(kept[1:-1], start=1):
        after = norm(words[kept[k + 1]].word)
        long_enough = i - cuts[-1] >= _MIN_CLAUSE and sentence.last - i + 1 >= _MIN_CLAUSE
        if long_enough and _starts_clause(words, i, after, run_on):
            cuts.append(i)
    bounds = zip(cuts, [c - 1 for c in cuts[1:]] + [sentence.last])
    return [span(transcript, a, b) for a, b in bounds]


def count_words(text: str, vocabulary: frozenset[str]) -> int:
    """How many tokens of the text are in the vocabulary ("I", "I'd", "I've" count as "i")."""
    tokens = (norm(t).split("'")[0] for t in text.split())
    return sum(t in vocabulary for t in tokens)


# Subject pronouns only: "I built" vs "we built" is the question, not "my team" vs "our team".
I_WORDS = frozenset({"i"})
WE_WORDS = frozenset({"we"})
