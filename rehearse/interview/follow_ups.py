"""Follow-up questions: when an answer leaves out a STAR part or stays vague, the interviewer asks
once more, as a real one would, and the reply is read together with the answer.

`choose` picks the one follow-up an answer calls for from its STAR findings; `join` puts the answer
and the reply into one transcript, the reply's times shifted to follow the answer's audio.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

from rehearse.transcription.whisper import Transcript, transcript_from_words

# What an interviewer asks for each finding, most important first: a missing result or action
# leaves a story unfinished; "we" and a result without a number only leave it weaker.
FOLLOW_UPS = (
    ("no_result", "And what was the result?"),
    ("no_action", "What did you do, step by step?"),
    ("we_not_i", "What did you personally do?"),
    ("quantify_result", "Can you put a number on that?"),
)

# Only stories get follow-ups: the introduction and the candidate's own questions do not.
FOLLOW_UP_KINDS = ("behavioral", "situational")


@dataclasses.dataclass(frozen=True)
class FollowUp:
    finding: str  # the STAR finding code that called for it
    question: str  # what the interviewer says


def choose(finding_codes: Iterable[str], kind: str = "behavioral") -> FollowUp | None:
    """The follow-up for the most important gap in an answer, or None when it needs none."""
    if kind not in FOLLOW_UP_KINDS:
        return None
    codes = set(finding_codes)
    for code, question in FOLLOW_UPS:
        if code in codes:
            return FollowUp(code, question)
    return None


def join(answer: Transcript, reply: Transcript, offset_s: float) -> Transcript:
    """One transcript of the answer followed by the reply, which starts `offset_s` into the audio."""
    words = [(w.word, w.start, w.end, w.probability) for w in answer.words]
    words += [(w.word, w.start + offset_s, w.end + offset_s, w.probability) for w in reply.words]
    duration = None
    if reply.duration_s is not None:
        duration = offset_s + reply.duration_s
    return transcript_from_words(words, duration_s=duration)


def to_json(follow_up: FollowUp | None, reply: Transcript | None = None,
            start_s: float | None = None) -> dict:
    """The `follow_up` key of an answer's record; `asked` is false when none was asked."""
    if follow_up is None:
        return {"asked": False, "question": None, "transcript": None, "finding": None, "start_s": None}
    return {"asked": True, "question": follow_up.question,
            "transcript": reply.text if reply is not None else "",
            "finding": follow_up.finding, "start_s": round(start_s, 2) if start_s is not None else None}
