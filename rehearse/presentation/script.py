"""The presentation pacing drill, the pure part: targets, script sections, and where the spoken
words fall in the script.

A script is split into sections (Markdown headings, or blank-line paragraphs of plain text). The
recognized words are aligned to the script's words with difflib; a section whose words were never
matched was skipped, and a long run of unmatched speech was added. Each section gets the time
from its first spoken word to the first word of the next, against a plan in proportion to its
share of the script's words.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from pathlib import Path
from typing import Sequence

from rehearse.errors import InputFileError, UsageError

# Matches shorter than this are chance ("the", "and"), not the speaker following the script.
MIN_MATCH_WORDS = 2
# A run of this many unmatched words is speech the script does not have: an added part.
ADDED_MIN_WORDS = 8
# On time: within 10% of the target, as the timing lights of speech clubs allow, and never less
# than 10 s, so a one-minute talk is not late for a breath.
ON_TIME_SHARE = 0.10
ON_TIME_MIN_S = 10.0

_TARGET = re.compile(r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?")


def parse_target(value: str) -> float:
    """"5m", "90s", "2m30s", "1h" to seconds."""
    text = value.strip().lower().replace(" ", "")
    match = _TARGET.fullmatch(text)
    if not text or not match or not any(match.groups()):
        raise UsageError(f"target '{value}' is not a duration; write it like 5m, 90s or 2m30s")
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise UsageError(f"target '{value}' must be longer than zero")
    return total


# --- the script ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Section:
    title: str
    words: tuple[str, ...]  # normalized words of its text, what the alignment compares


def normalize(word: str) -> str:
    """Lower case, letters and digits only: "Results," and "results" are the same word."""
    return "".join(c for c in word.lower() if c.isalnum())


def words_of(text: str) -> tuple[str, ...]:
    return tuple(w for w in (normalize(t) for t in text.split()) if w)


def split_sections(text: str, markdown: bool) -> list[Section]:
    """Markdown: one section per heading (text before the first one is its own section).
    Plain text: one section per paragraph, titled by its first words."""
    return _markdown_sections(text) if markdown else _paragraph_sections(text)


def _markdown_sections(text: str) -> list[Section]:
    sections: list[Section] = []
    title, body = "Opening", []
    for line in text.splitlines():
        heading = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            if words_of(" ".join(body)):
                sections.append(Section(title, words_of(" ".join(body))))
            title, body = heading.group(1) or "Untitled", []
        else:
            body.append(line)
    if words_of(" ".join(body)):
        sections.append(Section(title, words_of(" ".join(body))))
    return sections


def _paragraph_sections(text: str) -> list[Section]:
    sections = []
    for paragraph in re.split(r"\n\s*\n", text):
        words = words_of(paragraph)
        if words:
            first = " ".join(paragraph.split()[:5])
            sections.append(Section(first + ("…" if len(paragraph.split()) > 5 else ""), words))
    return sections


def read_script(path: Path) -> list[Section]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"cannot read the script {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    sections = split_sections(text, markdown=path.suffix.lower() in (".md", ".markdown"))
    if not sections:
        raise InputFileError(f"the script {path} has no words")
    return sections


# --- aligning speech to the script --------------------------------------------------------------


def align(spoken: Sequence[str], script: Sequence[str]) -> list[int | None]:
    """For each spoken (normalized) word, the index of the script word it matches, or None."""
    matcher = difflib.SequenceMatcher(a=list(spoken), b=list(script), autojunk=False)
    out: list[int | None] = [None] * len(spoken)
    for block in matcher.get_matching_blocks():
        if block.size >= MIN_MATCH_WORDS:
            for k in range(block.size):
                out[block.a + k] = block.b + k
    return out


def section_index(sections: Sequence[Section]) -> list[int]:
    """The section of every script word, in script order."""
    return [i for i, s in enumerate(sections) for _ in s.words]


def current_section(spoken: Sequence[str], sections: Sequence[Section]) -> int | None:
    """The section of the last spoken word that matched the script (for the live display)."""
    owner = section_index(sections)
    matched = [j for j in align(spoken, [w for s in sections for w in s.words]) if j is not None]
    return owner[matched[-1]] if matched else None


def section_report(words: Sequence[tuple[str, float, float]], sections: Sequence[Section],
                   target_s: float) -> tuple[list[dict], list[dict]]:
    """`sections` [{title, planned_s, spoken_s, skipped}] and `added` [{text, start, after}]
    from timed words (word, start, end)."""
    owner = section_index(sections)
    spoken = [normalize(w) for w, _, _ in words]
    matched = align(spoken, [w for s in sections for w in s.words])
    home = _homes([owner[j] if j is not None else None for j in matched])
    spent = [0.0] * len(sections)
    for k, (_, start, end) in enumerate(words):
        if home[k] is not None:
            until = words[k + 1][1] if k + 1 < len(words) else end
            spent[home[k]] += max(0.0, until - start)
    hit = {owner[j] for j in matched if j is not None}
    total_words = sum(len(s.words) for s in sections)
    rows = [{"title": s.title, "planned_s": round(target_s * len(s.words) / total_words, 1),
             "spoken_s": round(spent[i], 1), "skipped": i not in hit}
            for i, s in enumerate(sections)]
    return rows, _added(words, matched, home, sections)


def _homes(sections_of_words: list[int | None]) -> list[int | None]:
    """Unmatched words belong to the section being spoken before them (or the first one after)."""
    out, last = [], None
    for s in sections_of_words:
        last = s if s is not None else last
        out.append(last)
    first = next((s for s in out if s is not None), None)
    return [s if s is not None else first for s in out]


def _added(words, matched, home, sections) -> list[dict]:
    runs, start = [], None
    for k, j in enumerate([*matched, 0]):
        if j is None and start is None:
            start = k
        elif j is not None and start is not None:
            if k - start >= ADDED_MIN_WORDS:
                after = home[start - 1] if start > 0 else None
                runs.append({"text": " ".join(w for w, _, _ in words[start:k]),
                             "start": words[start][1],
                             "after": sections[after].title if after is not None else None})
            start = None
    return runs


def on_time(spoken_s: float, target_s: float) -> bool:
    return bool(abs(spoken_s - target_s) <= max(ON_TIME_SHARE * target_s, ON_TIME_MIN_S))
