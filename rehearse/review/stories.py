"""`rehearse stories`: which competencies have a strong answer, and which stories are told for
several of them. Pure.

A strong answer has all four STAR parts and a result with a figure in it. Two answers tell the same
story when their content words are alike: TF-IDF weighted cosine similarity over the words left
after dropping function words and fillers, so shared names and project nouns count and "the team"
does not.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from rich.console import Group
from rich.table import Table
from rich.text import Text

from rehearse.history.database import Attempt

# Measured: the story retold in other words in tests/test_review.py scores 0.38 as written and 0.30 to
# 0.36 as transcribed from synthesized speech (25 takes; recognition slips cost shared words);
# different stories score at most 0.16 among the 33 labeled STAR answers of the evaluation set,
# where rewordings of one answer score 0.56 or more. The threshold sits between the two.
SAME_STORY = 0.23
MIN_STORIES = 3  # interview coaches: prepare at least three stories that can be bent to most questions

_WORD = re.compile(r"[a-z][a-z'-]+")
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further get
got had has have having he her here hers him his how i i'd i'll i'm i've if in into is it it's its
just let me more most my no nor not now of off on once only or other our ours out over own really
same she should so some such than that that's the their them then there these they this those
through to too under until up very was we we'd we're were what when where which while who whom
why will with would you your yours um uh er erm ah hmm mm like basically actually literally kind
sort know mean well okay right yeah went go going one two also thing things lot stuff made make
""".split())


def content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def similarities(texts: list[str]) -> list[list[float]]:
    """Pairwise TF-IDF cosine similarity of the texts' content words."""
    bags = [Counter(content_words(t)) for t in texts]
    df = Counter(word for bag in bags for word in bag)
    n = len(texts)
    vectors = []
    for bag in bags:
        v = {w: c * (math.log((1 + n) / (1 + df[w])) + 1) for w, c in bag.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({w: x / norm for w, x in v.items()})
    return [[round(sum(x * b.get(w, 0.0) for w, x in a.items()), 3) for b in vectors] for a in vectors]


def group_stories(texts: list[str], threshold: float = SAME_STORY) -> list[list[int]]:
    """Indexes of texts grouped by story: linked when similar enough (single linkage)."""
    sims = similarities(texts)
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if sims[i][j] >= threshold:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def is_strong(attempt: Attempt) -> bool:
    return attempt.star_parts == 4 and attempt.result_quantified


def stories(attempts: list[Attempt], bank_competencies: list[str]) -> dict:
    attempts = sorted(attempts, key=lambda a: (a.created_at, a.id))
    told = [a for a in attempts if len(content_words(a.transcript_text)) >= 5]
    groups = [[told[i] for i in g] for g in group_stories([a.transcript_text for a in told])]
    competencies = sorted(set(bank_competencies) | {c for a in attempts for c in a.competencies})
    by_competency = {c: [a for a in attempts if c in a.competencies] for c in competencies}
    strong = {c: [a.id for a in got if is_strong(a)] for c, got in by_competency.items()}
    return {
        "competencies": [{"competency": c, "attempts": [a.id for a in by_competency[c]],
                          "strong": strong[c]} for c in competencies],
        "strong": [c for c in competencies if strong[c]],
        "without_strong": [c for c in competencies if not strong[c]],
        "stories": [_story(g) for g in groups],
        "reused": [_story(g) for g in groups if len({a.question_id for a in g}) > 1
                   and len({a.competencies for a in g}) > 1],
        "distinct_stories": len(groups),
        "advice": _advice(len(groups)),
    }


def _story(group: list[Attempt]) -> dict:
    words = Counter(w for a in group for w in content_words(a.transcript_text))
    return {"attempts": sorted(a.id for a in group), "questions": sorted({a.question_id or "" for a in group}),
            "competencies": sorted({c for a in group for c in a.competencies}),
            "keywords": [w for w, _ in words.most_common(5)]}


def _advice(distinct: int) -> str | None:
    if distinct >= MIN_STORIES:
        return None
    return (f"You have told {distinct} distinct {'story' if distinct == 1 else 'stories'}; prepare at least "
            f"{MIN_STORIES}, so that no single story has to answer every question.")


def render_stories(result: dict) -> Group:
    table = Table("competency", "attempts", "strong answer", box=None)
    for row in result["competencies"]:
        if not row["attempts"] and not row["strong"]:
            continue
        strong = ", ".join(f"#{i}" for i in row["strong"]) or "none"
        table.add_row(row["competency"], str(len(row["attempts"])),
                      Text(strong, style="green" if row["strong"] else "red"))
    parts = [table]
    never = [r["competency"] for r in result["competencies"] if not r["attempts"]]
    if never:
        parts.append(Text(f"Not practised yet: {', '.join(never)}", style="yellow"))
    for story in result["reused"]:
        ids = ", ".join(f"#{i}" for i in story["attempts"])
        parts.append(Text(f"One story ({', '.join(story['keywords'])}) is told for "
                          f"{', '.join(story['competencies'])}: attempts {ids}.", style="yellow"))
    parts.append(Text(f"Distinct stories: {result['distinct_stories']}"))
    if result["advice"]:
        parts.append(Text(result["advice"], style="bold"))
    return Group(*parts)
