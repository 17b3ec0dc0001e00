"""The candidate's own questions at the end of an interview: which were asked, and how they land.

Interviewers read the closing questions as a sign of preparation and interest (the advice of
career services and recruiters alike): questions about the team's work, how success is measured,
the first months, growth and collaboration come across as thoughtful; pay, holidays and benefits
asked first, or what the company's website already says, come across as weak at this stage; and
no question at all reads as little interest.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from rehearse.errors import BankError
from rehearse.questions import PROMPTS_DIR

SUGGESTIONS_FILE = PROMPTS_DIR / "candidate" / "questions.toml"
MAX_SUGGESTIONS = 3

# Sentences that are questions even when Whisper ends them with a full stop.
_INTERROGATIVE = re.compile(
    r"^(?:so,?\s+|and,?\s+|also,?\s+|um,?\s+|uh,?\s+)*"
    r"(?:what|how|who|whom|whose|when|where|why|which|is|are|was|were|do|does|did|can|could|"
    r"would|will|should|have|has|may|i'd like to know|i would like to know|i was wondering|"
    r"i'm curious|i am curious|tell me)\b", re.I)
_SENTENCE = re.compile(r"[^.?!]+[.?!]*")
# Where the recognizer runs two questions into one sentence: ", and how do you ...?"
_RUN_ON = re.compile(r",\s+(?=(?:and|or|also)\s+(?:what|how|who|when|where|why|which|do|does|did|can|"
                     r"could|would|will|is|are)\b)", re.I)

# (topic, pattern, reason) for questions that show interest in the work itself.
THOUGHTFUL = (
    ("challenges", r"challeng|problem|difficult|hardest|obstacle",
     "asks about the team's real problems: shows you are thinking about the work"),
    ("success", r"success|measure|metric|\bkpi|expectation|good job|great job|perform",
     "asks how success is judged: shows you want to do well by their standards"),
    ("first-90-days", r"90 days|ninety days|first (?:few |three |six )?(?:months|weeks)|onboard|"
     r"ramp up|first year",
     "asks about the first months: shows you picture yourself in the role"),
    ("development", r"grow|growth|develop|learn|mentor|career|training|progress",
     "asks about growth: shows you plan to stay and get better"),
    ("collaboration", r"collaborat|work(?:s)? (?:with|together)|cross.functional|other teams|"
     r"stakeholder|day to day|day-to-day|team culture|the team work",
     "asks how people work together: shows you care about the team"),
)

# (pattern, reason) for questions that are weak for this stage.
WEAK = (
    (r"salar|\bpay\b|\bpaid\b|compensation|bonus|\braise\b|equity|stock option|money",
     "pay is for the offer stage; asked first it says the money matters most"),
    (r"holiday|vacation|time off|\bpto\b|days off|parental leave|leave policy|sick days",
     "time off is for the offer stage; asked first it says you are thinking of being away"),
    (r"benefit|perks|insurance|pension|gym|free lunch|remote|work from home|hours",
     "benefits and hours are for the offer stage, once they want you"),
    (r"what does (?:the|your) company do|what do you (?:do|make|sell)|what (?:products|services) do|"
     r"how (?:big|old|large) is (?:the|your) company|how many (?:employees|people work)|"
     r"when was (?:the|your) company|who (?:are|is) your (?:ceo|founder|competitor)",
     "the company's website answers this; asking it shows you did not prepare"),
)


@dataclasses.dataclass(frozen=True)
class Judged:
    text: str
    verdict: str  # "thoughtful", "weak" or "ok"
    reason: str
    topic: str | None  # the thoughtful topic it covers

    def to_json(self) -> dict:
        return {"text": self.text, "verdict": self.verdict, "reason": self.reason}


def find_questions(text: str) -> list[str]:
    """The questions in a transcript: sentences ending in '?' or opening like a question."""
    found = []
    for match in _SENTENCE.finditer(" ".join(text.split())):
        sentence = match.group().strip()
        asked = sentence.endswith("?")
        for part in _RUN_ON.split(sentence):
            if len(part.split()) < 3:
                continue  # "Yes." "Okay?" are not questions worth judging
            if asked or _INTERROGATIVE.match(part):
                found.append(part)
    return found


def judge(question: str) -> Judged:
    """Thoughtful, weak for this stage, or ok, with the reason."""
    lower = question.lower()
    for pattern, reason in WEAK:
        if re.search(pattern, lower):
            return Judged(question, "weak", reason, None)
    for topic, pattern, reason in THOUGHTFUL:
        if re.search(pattern, lower):
            return Judged(question, "thoughtful", reason, topic)
    return Judged(question, "ok", "a fair question; one about the team's work or how success is "
                  "measured would tell them more about you", None)


def topics(question: str) -> set[str]:
    """Every thoughtful topic a question touches ("success in the first 90 days": two)."""
    return {topic for topic, pattern, _ in THOUGHTFUL if re.search(pattern, question.lower())}


def assess(text: str, suggestions_file: Path = SUGGESTIONS_FILE) -> dict:
    """`candidate_questions`, `suggestions` and an overall `questions_verdict` for a transcript."""
    judged = [judge(q) for q in find_questions(text)]
    covered = {topic for j in judged if j.verdict == "thoughtful" for topic in topics(j.text)}
    thoughtful = sum(j.verdict == "thoughtful" for j in judged)
    if not judged:
        overall = "none: having no questions reads as little interest; bring two or three"
    elif thoughtful == 0:
        overall = "weak: none of your questions is about the work itself"
    else:
        overall = f"good: {thoughtful} thoughtful question{'s' if thoughtful > 1 else ''}"
    wanted = MAX_SUGGESTIONS if thoughtful < 2 else 1
    return {"candidate_questions": [j.to_json() for j in judged],
            "questions_verdict": overall,
            "suggestions": suggest(covered, wanted, suggestions_file)}


def suggest(covered: set[str], count: int, path: Path = SUGGESTIONS_FILE) -> list[str]:
    """Suggested questions on topics not yet covered, one per topic, in the file's order."""
    out, topics = [], set(covered)
    for topic, text in load_suggestions(path):
        if topic not in topics and len(out) < count:
            out.append(text)
            topics.add(topic)
    return out


def load_suggestions(path: Path = SUGGESTIONS_FILE) -> list[tuple[str, str]]:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BankError(f"suggested questions {path}: cannot be read ({exc})") from exc
    rows = doc.get("suggestion")
    if not isinstance(rows, list) or not all(
            isinstance(r, dict) and isinstance(r.get("topic"), str) and isinstance(r.get("text"), str)
            for r in rows):
        raise BankError(f"suggested questions {path}: expected [[suggestion]] tables with topic and text")
    return [(r["topic"], r["text"]) for r in rows]
