"""Tailoring to a job description: its key terms, the competencies it asks for, and which of its
terms the answers used.

The method is small on purpose, so its choices can be read and argued with: tool and technology
names (capitalized or all-caps words, "C++", "CI/CD"), competency keywords from a fixed table, and
short noun phrases from the description's bullet points once the stopwords and the usual
job-ad verbs are removed. No language model is involved.
"""

from __future__ import annotations

import collections
import dataclasses
import re
from typing import Iterable, Sequence

# Competency tags of the question bank and the words of job descriptions that ask for them.
# A keyword matches at the start of a word ("prioriti" matches "prioritize" and "prioritization").
COMPETENCY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "leadership": ("lead", "leadership", "mentor", "coach", "people manager", "manage a team"),
    "communication": ("communicat", "present", "written", "verbal", "explain", "documentation"),
    "teamwork": ("collaborat", "cross-functional", "teamwork", "team player", "partner with"),
    "conflict": ("conflict", "disagree", "negotiat"),
    "customer": ("customer", "client", "user need", "end user"),
    "deadline": ("deadline", "fast-paced", "time-sensitive", "tight timeline", "on time"),
    "prioritization": ("prioriti", "multiple projects", "competing priorit", "juggl"),
    "problem-solving": ("problem-solving", "problem solving", "troubleshoot", "debug", "analytical",
                        "root cause"),
    "ownership": ("ownership", "accountab", "end-to-end", "end to end"),
    "initiative": ("initiative", "self-starter", "proactive", "self-motivated"),
    "adaptability": ("adapt", "ambiguity", "ambiguous", "flexib", "changing"),
    "learning": ("learn", "curious", "curiosity", "growth mindset"),
    "influence": ("influence", "stakeholder", "persuad", "buy-in"),
    "feedback": ("feedback", "code review"),
    "ethics": ("integrity", "ethic", "compliance", "privacy"),
}

STOPWORDS = frozenset("""
a about above across after all also an and any are as at be been being both but by can could do
does each either etc for from has have having he her his how i if in into is it its itself may
me more most must my of on or our ours out over own per plus same she should so some such than
that the their them then there these they this those through to too under up us very was we well
were what when where which while who whom why will with within without would you your yours
ability able strong excellent good great proven solid deep experience experienced years year
skills skill knowledge understanding familiarity plus preferred required requirements including
new other various related relevant similar key high based using like least working role team
teams company work join looking candidate ideal you'll we're responsibilities qualifications
""".split())

# Verbs that open the bullets of job descriptions; they frame a duty but are not one.
JOB_VERBS = frozenset("""
design designing build building lead leading own owning drive driving develop developing manage
managing maintain maintaining ensure ensuring collaborate collaborating support supporting write
writing create creating deliver delivering improve improving help helping partner partnering
define defining implement implementing work working run running contribute contributing provide
providing participate participating communicate communicating identify identifying mentor
mentoring translate translating scale scaling monitor monitoring analyze analyzing review
reviewing use make making take taking shape shaping champion plan planning give giving
""".split())

_TOOL = re.compile(r"(?<![\w/])(?:[A-Z][A-Za-z0-9]*(?:[+#]+|\.js|\.net|/[A-Z]+)?|[A-Za-z]+[+#]+)"
                   r"(?:\s+[A-Z][A-Za-z0-9]*)*")
_WORD = re.compile(r"[a-z][a-z0-9+#/.-]*[a-z0-9+#]|[a-z]")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")


@dataclasses.dataclass(frozen=True)
class Term:
    text: str  # as it appears in the description, e.g. "Kubernetes", "data pipelines"
    kind: str  # "tool", "competency" or "phrase"
    competencies: tuple[str, ...] = ()  # bank tags it points to (competency keywords only)


def extract_terms(description: str) -> list[Term]:
    """Key terms of a job description: tools, competency keywords, bullet-point noun phrases."""
    terms: dict[str, Term] = {}
    found = [*_tools(description), *_competency_terms(description)]
    taken = {w.lower() for t in found for w in t.text.split()}
    for term in [*found, *_phrases(description, taken)]:
        terms.setdefault(term.text.lower(), term)
    return list(terms.values())


def _tools(text: str) -> list[Term]:
    out = []
    for line in text.splitlines():
        body = _BULLET.sub("", line)
        for match in _TOOL.finditer(body):
            name = match.group().strip()
            first = name.split()[0].lower()
            at_start = not body[: match.start()].strip() or body[: match.start()].rstrip()[-1:] in ".:!?"
            acronym = any(w.isupper() and len(w) > 1 for w in name.split()) or any(c in name for c in "+#/.")
            if first in STOPWORDS or first in JOB_VERBS or (at_start and not acronym):
                continue  # an ordinary word that opens a sentence, not a product name
            out.append(Term(name, "tool"))
    return out


def _competency_terms(text: str) -> list[Term]:
    lower = text.lower()
    found: dict[str, list[str]] = collections.defaultdict(list)
    for tag, keywords in COMPETENCY_KEYWORDS.items():
        for keyword in keywords:
            match = re.search(r"\b" + re.escape(keyword) + r"[\w-]*", lower)
            if match:
                found[match.group()].append(tag)
    return [Term(word, "competency", tuple(tags)) for word, tags in found.items()]


def _phrases(text: str, taken: set[str]) -> list[Term]:
    """The last two words of each run of content words in the bullet points: "data pipelines".

    Runs break at stopwords, job-ad verbs, adverbs and words already taken as tools or
    competency keywords, so that what is left is the duty's noun phrase."""
    out = []
    for line in text.splitlines():
        if not _BULLET.match(line):
            continue
        run: list[str] = []
        for token in re.findall(r"[A-Za-z][\w+#-]*|[,.;:()]", _BULLET.sub("", line)):
            word = token.lower()
            if (word in STOPWORDS or word in JOB_VERBS or word in taken or word.endswith("ly")
                    or not word[0].isalpha()):
                out.extend(_run_phrase(run))
                run = []
            else:
                run.append(word)
        out.extend(_run_phrase(run))
    return out


def _run_phrase(run: list[str]) -> list[Term]:
    if len(run) < 2:
        return []
    return [Term(" ".join(run[-2:]), "phrase")]  # the head noun comes last in English


def competencies_asked(terms: Iterable[Term], valid: Sequence[str]) -> list[str]:
    """Bank competency tags the terms point to, most asked for first."""
    counts = collections.Counter(tag for t in terms for tag in t.competencies if tag in valid)
    return [tag for tag, _ in counts.most_common()]


def terms_used(terms: Iterable[Term], answers: str) -> dict:
    """`job_terms`: which terms the answers used and which they never touched."""
    said = _stems(answers)
    used, unused = [], []
    for term in terms:
        (used if _contains(said, _stems(term.text)) else unused).append(term.text)
    return {"used": used, "unused": unused}


def _stems(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower())]


def _stem(word: str) -> str:
    """A crude stem, enough to match "pipelines" with "pipeline" and "mentoring" with "mentor"."""
    for suffix in ("ization", "ation", "ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _contains(words: list[str], phrase: list[str]) -> bool:
    if not phrase:
        return False
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))
