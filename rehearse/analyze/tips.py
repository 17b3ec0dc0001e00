"""The three things that would help this answer most, each pointing at its own words.

Order of impact, as interview coaches rank them: an answer with no result (or no story) fails the
question; "we" instead of "I" hides the candidate; then length, fillers, pace, mid-sentence
silences and hedging, which change how the story lands but not whether it is told.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Sequence

from rehearse.analyze.length import Length
from rehearse.analyze.metrics import Metrics
from rehearse.analyze.options import AnalysisOptions
from rehearse.analyze.specificity import Specificity
from rehearse.analyze.star import Finding, Star
from rehearse.transcription.whisper import Transcript

MAX_TIPS = 3


@dataclasses.dataclass(frozen=True)
class Tip:
    text: str  # what to do, with this answer's figures
    quote: str  # the words of the answer it is about
    start: float | None  # seconds where those words start; None for typed text
    # "missing": a STAR part is surely missing; "ask": it may be, so the tip asks; else "advice"
    kind: str = "advice"

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Evidence:
    """Everything the tips may draw on."""

    transcript: Transcript  # the answer
    star: Star  # its structure and findings
    specificity: Specificity  # I/we, numbers, hedges
    metrics: Metrics  # rate, fillers, pauses
    length: Length  # against the target
    options: AnalysisOptions  # thresholds


def quote_words(transcript: Transcript, first: int, last: int,
                pad: int = 3) -> tuple[str, float | None]:
    """The words first..last with a few either side, and the time of the first quoted word."""
    words = transcript.words
    a, b = max(first - pad, 0), min(last + pad, len(words) - 1)
    return " ".join(w.word for w in words[a:b + 1]), words[a].start


def _word_after(transcript: Transcript, t: float | None) -> int:
    """The first word starting after time t (a filler heard between words has no word)."""
    return next((i for i, w in enumerate(transcript.words) if (w.start or 0.0) >= (t or 0.0)),
                max(len(transcript.words) - 1, 0))


def _from_finding(*codes: str) -> Callable[[Evidence], Tip | None]:
    def tip(ev: Evidence) -> Tip | None:
        by_code = {f.code: f for f in ev.star.findings}
        found: Finding | None = next((by_code[c] for c in codes if c in by_code), None)
        return Tip(found.message, found.quote, found.start, found.kind) if found else None
    return tip


def _length(ev: Evidence) -> Tip | None:
    length = ev.length
    about = "about " if length.estimated else ""
    if length.verdict == "long" and length.longest_part:
        part = ev.star.parts[length.longest_part]
        text = (f"At {about}{length.duration_s:.0f} s the answer runs {length.over_s:.0f} s over "
                f"the {length.target_s[1]:.0f} s mark; the {length.longest_part} took "
                f"{length.longest_part_s:.0f} s of it. Trim it to the one or two details that "
                f"matter.")
        return Tip(text, part.evidence[0].text, part.evidence[0].start)
    if length.verdict == "short" and ev.star.units:
        last = ev.star.units[-1].span
        text = (f"At {about}{length.duration_s:.0f} s the answer is {length.under_s:.0f} s short "
                f"of the {length.target_s[0]:.0f} s a full story needs. Add what you did step by "
                f"step and what changed because of it.")
        return Tip(text, last.text, last.start)
    return None


def _fillers(ev: Evidence) -> Tip | None:
    fillers, options = ev.metrics.fillers, ev.options
    rate = ev.metrics.fillers_per_min
    if rate is None:  # typed text: judge by share of words at a conversational rate
        rate = ev.metrics.filler_share * options.typed_wpm
    if not fillers or rate <= options.noisy_fillers_per_min:
        return None
    counts: dict[str, int] = {}
    for f in fillers:
        counts[f.type] = counts.get(f.type, 0) + 1
    common = sorted(counts.items(), key=lambda kv: -kv[1])[:3]
    top = ", ".join(f'"{k}" \u00d7{n}' for k, n in common)
    unsure = ev.metrics.possible_fillers
    more = f" and {unsure} unsure" if unsure else ""
    text = (f"{len(fillers)} fillers{more}, {rate:.1f} a minute ({top}). Above about "
            f"{options.noisy_fillers_per_min:.0f} a minute listeners notice them; under "
            f"{options.fluent_fillers_per_min:.0f} sounds fluent. Pause silently instead.")
    where = ev.metrics.bursts[0].start if ev.metrics.bursts else None
    first = next((f for f in fillers if f.start == where), fillers[0])
    at = first.first if first.first >= 0 else _word_after(ev.transcript, first.start)
    quote, start = quote_words(ev.transcript, at, max(at, first.last))
    return Tip(text[0].upper() + text[1:], quote, start)


def _pace(ev: Evidence) -> Tip | None:
    pace, options = ev.metrics.pace, ev.options
    if pace is None or not pace.windows or pace.verdict(options) == "ok":
        return None  # no windows: the words take no time at all, so there is no rate to judge
    fast = pace.verdict(options) == "fast"
    if _pause_driven(ev):
        return _slowed_by_pauses(ev)
    window = (pace.fastest if fast else pace.slowest) or pace.windows[0]
    words = ev.transcript.words
    # The words the window touches; a window of pure silence quotes the word before it.
    inside = [i for i, w in enumerate(words) if w.start < window.end and w.end > window.start]
    inside = inside or [max(i for i, w in enumerate(words) if w.start < window.end)]
    quote, start = quote_words(ev.transcript, inside[0], min(inside[0] + 8, inside[-1]), pad=0)
    aim = f"{options.slow_wpm:.0f}-{options.fast_wpm:.0f}"
    text = (f"You spoke at {pace.wpm:.0f} words a minute ({'fastest' if fast else 'slowest'} "
            f"stretch {window.wpm:.0f} at {window.start:.0f} s); aim for {aim}. "
            + ("Slow down and let each step land." if fast else "Keep the story moving."))
    return Tip(text, quote, start)


def _pause_driven(ev: Evidence) -> bool:
    """Slow on average only because of long silences: the words themselves come at a good rate."""
    pace, options = ev.metrics.pace, ev.options
    return (pace is not None and pace.verdict(options) == "slow" and bool(ev.metrics.long_pauses)
            and pace.articulation_wpm >= options.slow_wpm)


def _slowed_by_pauses(ev: Evidence) -> Tip:
    pace, longest = ev.metrics.pace, max(ev.metrics.long_pauses, key=lambda p: p.duration_s)
    quote, _ = quote_words(ev.transcript, longest.after, longest.after + 1)
    where = " in the middle of a sentence" if longest.kind == "clause" else ""
    text = (f"Between pauses you speak at a good {pace.articulation_wpm:.0f} words a minute, but "
            f"{len(ev.metrics.long_pauses)} long silence(s) bring the average down to "
            f"{pace.wpm:.0f}; the longest is {longest.duration_s:.1f} s{where}. Keep the story "
            "moving: pause at the end of a sentence, and briefly.")
    return Tip(text, quote, longest.start)


def _mid_clause_pauses(ev: Evidence) -> Tip | None:
    stuck = [p for p in ev.metrics.long_pauses if p.kind == "clause"]
    if not stuck or _pause_driven(ev):  # the pace tip already points at the silences
        return None
    worst = max(stuck, key=lambda p: p.duration_s)
    quote, _ = quote_words(ev.transcript, worst.after, worst.after + 1)
    more = f" ({len(stuck)} such pauses)" if len(stuck) > 1 else ""
    text = (f"You stopped for {worst.duration_s:.1f} s in the middle of a sentence{more}. "
            "Pauses land better at the end of a sentence: finish the thought, then breathe.")
    return Tip(text, quote, worst.start)


def _hedges(ev: Evidence) -> Tip | None:
    hedges = ev.specificity.hedges
    if len(hedges) < 2:
        return None
    said = ", ".join(dict.fromkeys(f'"{h.phrase}"' for h in hedges))
    text = (f"You hedged {len(hedges)} times ({said}). You were there: say what happened "
            "plainly.")
    first = hedges[0]
    return Tip(text, first.phrase, first.start)


def _missing_story(ev: Evidence) -> Tip | None:
    """No story, no action or no result; the last two together in one tip."""
    kinds = {f.code: f.kind for f in ev.star.findings}
    if "no_action" in kinds and "no_result" in kinds:
        first = ev.star.units[0].span
        if kinds["no_action"] == kinds["no_result"] == "missing":
            return Tip("You describe the background but never say what you did or how it turned "
                       "out. Tell one specific time: the steps you took, then what changed.",
                       first.text, first.start, "missing")
        return Tip("Did you say what you did and how it turned out? If not, tell one specific "
                   "time: the steps you took, then what changed.", first.text, first.start, "ask")
    return _from_finding("no_story", "no_action", "no_result", "hypothetical")(ev)


RANKED: Sequence[Callable[[Evidence], Tip | None]] = (
    _missing_story,
    _from_finding("we_not_i"),
    _from_finding("quantify_result"),
    _length,
    _from_finding("long_situation"),
    _fillers,
    _pace,
    _mid_clause_pauses,
    _hedges,
)


def choose_tips(evidence: Evidence, limit: int = MAX_TIPS) -> list[Tip]:
    """At most `limit` tips, most useful first, each quoting this answer."""
    tips = []
    for rule in RANKED:
        tip = rule(evidence)
        if tip is not None and all(tip.quote != t.quote or tip.text != t.text for t in tips):
            tips.append(tip)
        if len(tips) == limit:
            break
    return tips
