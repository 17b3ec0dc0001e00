"""A short thank-you email after an interview, mentioning something that was actually discussed.

The topic is a noun phrase from the session's answers: phrases that follow "the", "our", "a" …
("the reporting pipeline", "our biggest customer"), scored by how often their words come up in
the session and whether they sit in the action or result of a story, where the substance is.
"""

from __future__ import annotations

import collections
import dataclasses
import re
from typing import Sequence

from rehearse.attempt import Record

_DETERMINERS = frozenset("the our a an my their this that its his her your".split())
# Words that end a noun phrase or cannot be its topic.
_STOP = frozenset("""
a an and or but so because then than that which who whom when while where as at by for from in
into of on onto to with without about after before over under up down out off i we you he she
they it me us them is are was were be been being have has had do did does will would could
should can may might must not no yes very really just also too um uh like you know kind sort
lot lots thing things stuff time way one two three this these those there here what how why
all any some each every more most much many such own same other another
""".split())
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*|[0-9][0-9.,%]*|[.,;:!?]")
STORY_PARTS = ("action", "result")


@dataclasses.dataclass(frozen=True)
class Email:
    subject: str
    body: str
    topic: str | None  # the phrase from the answers that the body mentions

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


def noun_phrases(text: str) -> list[str]:
    """Up to three content words after a determiner: "our biggest customer" -> "biggest customer"."""
    tokens = _TOKEN.findall(text.lower())
    out = []
    for k, token in enumerate(tokens):
        if token not in _DETERMINERS:
            continue
        run = []
        for word in tokens[k + 1 : k + 4]:
            if word in _STOP or not word[0].isalpha():
                break
            if run and word.endswith(("ed", "ing")):
                break  # "the migration finished": a verb after the noun ends the phrase
            run.append(word)
        if run and (len(run) > 1 or len(run[0]) > 4):
            out.append(" ".join(run))
    return out


def choose_topic(records: Sequence[Record]) -> str | None:
    """The most salient phrase of a session's story answers."""
    stories = [r for r in records if (r.question_kind or "behavioral") not in ("opening", "closing")]
    stories = stories or list(records)
    texts = [r.transcript.text for r in stories]
    counts = collections.Counter(w for t in texts for w in _TOKEN.findall(t.lower()) if w not in _STOP)
    key_sentences = " ".join(e for r in stories for p in STORY_PARTS for e in r.star.part(p).evidence)
    key = set(noun_phrases(key_sentences))
    scored = collections.Counter()
    for phrase in (p for t in texts for p in noun_phrases(t)):
        words = phrase.split()
        scored[phrase] = (sum(counts[w] for w in words) + 3 * (phrase in key) + len(words))
    return scored.most_common(1)[0][0] if scored else None


def draft(records: Sequence[Record], *, name: str, company: str, role: str,
          interviewer: str | None = None) -> Email:
    topic = choose_topic(records)
    greeting = f"Dear {interviewer}," if interviewer else "Dear hiring team,"
    discussed = (f" I especially enjoyed our conversation about the {topic}, and it left me even "
                 f"more interested in the work your team is doing." if topic else
                 " I enjoyed our conversation, and it left me even more interested in the work "
                 "your team is doing.")
    body = (f"{greeting}\n\n"
            f"Thank you for taking the time to talk with me about the {role} role at {company}."
            f"{discussed}\n\n"
            f"Please let me know if there is anything else I can share. I look forward to hearing "
            f"from you.\n\n"
            f"Best regards,\n{name}\n")
    return Email(f"Thank you – {role} interview", body, topic)
