"""Words to sentences and clauses: the units that fillers, STAR and tips point at.

Whisper attaches punctuation to words ("result." "Um,"), so sentence and clause ends are read
from the words themselves; typed text goes through the same path.
"""

from __future__ import annotations

import dataclasses
import re

from rehearse.transcribe import Transcript, Word

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


def _starts_clause(words: tuple[Word, ...], i: int) -> bool:
    prev, here = words[i - 1].word, norm(words[i].word)
    if prev.rstrip(_CLOSERS).endswith(";"):
        return True
    if not prev.rstrip(_CLOSERS).endswith(","):
        return False
    after = norm(words[i + 1].word) if i + 1 < len(words) else ""
    return here == "which" or (here == "so" and after in _SUBJECTS)


def split_clauses(transcript: Transcript, sentence: Span) -> list[Span]:
    """A sentence cut before "; ", ", so I/we ..." and ", which ...", else the sentence whole."""
    words, cuts = transcript.words, [sentence.first]
    for i in range(sentence.first + 2, sentence.last):
        if _starts_clause(words, i) and i - cuts[-1] >= 3:
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
