"""Whether the story so far has come to a result: a pause before the result is not the end.

The STAR detector (rehearse.analyze.star) is asked first. Live transcripts garble stories ("and I
renewed for two more years", "pages at I dropped I half"), and a result told without the words
coaches teach ("as a result", "in the end") is easy for it to miss; a missed result costs a
finished answer a longer wait. So a clause also counts as a result when it reports how things
turned out, in one of the ways people say so:

- a consequence: "which meant", "led to", "since then", "it worked", "paid off";
- something completed: "shipped", "went live", "delivered", "renewed", "moved every customer";
- a deadline or a budget kept: "on time", "a week early", "within budget";
- a failure that did not happen: "without a single failed invoice", "no major bugs", "zero";
- a measure that moved: "dropped by half", "from nine hundred to under a hundred", "ten percent";
- how others took it: "thanked", "promoted", "happy with", "came back".

It must be told as something that happened, not aimed at ("my job was to ship it on time") or
imagined ("I would make sure it ships"), and after the opening and a deed of the speaker's:
results come after actions in the telling.
"""

from __future__ import annotations

import re
from typing import Sequence

_NUM = (r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
        r"fifteen|twenty|thirty|forty|fifty|a few|a couple of|half|a third|a quarter|a hundred|"
        r"hundreds?|thousands?)")
_COMPLETED = (r"shipped|launched|released|delivered|finished|completed|went live|rolled out|"
              r"renewed|won|passed|succeeded|approved|accepted|adopted|signed (?:off|on|up)?|"
              r"closed the deal|got it done|pulled it off|(?:was|were|got) (?:fixed|resolved|solved)")
_ALL = r"(?:all|every|each|the whole|the entire|everyone|everybody|all of)"
# How it turned out, said as a consequence of what came before.
CONSEQUENCE = tuple(re.compile(p) for p in (
    r"\b(?:as a result|in the end|ended up|eventually|ultimately|by the end|since then|from then on|"
    r"ever since|to this day|(?:which|that|this|it) (?:meant|means)|led to|leads to|resulted in|"
    r"thanks to|paid off|(?:it|that|this|the \w+) worked)\b",
    r"\bnow\b(?! that)(?<!right now)(?<!until now)(?<!just now)(?<!by now)",
))
# What turned out, told as a fact.
OUTCOME = tuple(re.compile(p) for p in (
    # something completed, a whole job done
    rf"\b(?:{_COMPLETED})\b",
    rf"\b(?:moved|migrated|converted|switched|trained|onboarded|upgraded|replaced|cleared|answered|"
    rf"reached|contacted|covered) {_ALL}\b",
    rf"\b(?:met|hit|reached|beat|exceeded|made) (?:the|our|their|its|my|every|each|all) "
    rf"(?:\w+ )?(?:deadlines?|targets?|goals?|quotas?|dates?|budgets?|numbers)\b",
    # a deadline or a budget kept, or missed by so much
    rf"\b(?:on time|on schedule|on budget|within budget|under budget|ahead of schedule|as planned|"
    rf"in time|before the deadline|by the deadline|(?:a|an|{_NUM}) (?:days?|weeks?|months?|hours?) "
    rf"(?:early|late|ahead|behind))\b",
    # a failure that did not happen
    r"\bwithout (?:a single|any|one|a|an|anyone|anybody|losing|missing|breaking)\b|"
    r"\bnot (?:a single|one)\b|\bnever (?:again|missed|lost)\b|\bzero \w+|"
    r"\bno (?:more |major |further |new |serious |other )?(?:bugs?|complaints?|errors?|incidents?|"
    r"outages?|failures?|issues|problems|escalations?|downtime|defects?|delays?|tickets?|"
    r"findings?|mistakes?|one complained|one noticed)\b",
    # a measure that moved
    r"\b(?:dropped|fell|rose|doubled|tripled|halved|grew|shrank|climbed|jumped|plummeted|"
    r"went (?:up|down|from)|came down|gone (?:up|down))\b",
    rf"\b(?:by|from) {_NUM}\b.*\bto\b|\bby {_NUM}\b|\d+ ?%|\bpercent\b|"
    rf"\b(?:under|below|less than|fewer than|within|down to) {_NUM}\b(?! (?:years?|months?) ago)",
    r"\b(?:twice|three times) as\b|\b(?:faster|fewer|cheaper|shorter|quicker|lower|higher) than\b|"
    r"\bthan (?:ever|before|the year before|last (?:year|month|week|quarter))\b",
    r"\b(?:under|less than|within) (?:a|an) (?:second|minute|hour|day|week)\b",
    # how others took it
    r"\b(?:thanked|praised|promoted|congratulated|commended|rewarded|recommended|impressed|"
    r"(?:happy|pleased|satisfied|delighted) with|came back|stayed with|kept (?:using|coming))\b",
))
# Imagined, not what happened: "I would make sure", "if we missed the date".
_IMAGINED = re.compile(r"\b(?:would|will|'ll|if|unless|going to)\b")
# Told as aimed at or expected (or imagined), not as what happened.
_NOT_HAPPENED = re.compile(
    r"\b(?:had to|have to|needed to|need to|wanted|want to|trying to|tried to|supposed to|meant to|"
    r"in order to|to make sure|to ensure|goal|aim|task|job was|would|will|'ll|could|should|must|"
    r"going to|if|unless|hoped|hope|plan was|planned to|asked (?:me|us) to)\b")
# A deed of the speaker's (or their team's): first person, past tense, doing something.
_DEED = re.compile(r"\b(?:i|we)\s+(?:(?:\w+ly|also|then|just|first|finally|quickly)\s+){0,2}([a-z']+ed|"
                   r"built|wrote|made|took|gave|led|ran|met|sent|set|put|began|brought|bought|"
                   r"chose|drew|drove|fought|kept|left|paid|sold|spoke|spent|taught|told|went|"
                   r"split|cut|rewrote|rebuilt|oversaw|sat|stepped|sought|dug|moved|got)\b")
_NOT_DEEDS = frozenset("""
needed wanted liked loved hated hoped wished believed assumed realized realised noticed seemed
appeared learned underestimated overlooked missed misjudged disagreed failed struggled used
""".split())


def tells_outcome(text: str) -> bool:
    """The clause (lower case) reports how something turned out, as having happened."""
    if _IMAGINED.search(text):
        return False
    return (any(pattern.search(text) for pattern in CONSEQUENCE)
            or (_NOT_HAPPENED.search(text) is None and any(p.search(text) for p in OUTCOME)))


def tells_deed(text: str) -> bool:
    """The clause (lower case) tells something the speaker or their team did."""
    return any(m.group(1) not in _NOT_DEEDS for m in _DEED.finditer(text))


def opening_deed(clauses: Sequence[str]) -> bool:
    """The opening clause goes on, after a comma, to a deed: "During the rollout, I sat with ..."."""
    _, comma, rest = clauses[0].lower().partition(",") if clauses else ("", "", "")
    return bool(comma) and tells_deed(rest)


def outcome_after_deed(clauses: Sequence[str]) -> bool:
    """After the opening (or a deed it goes on to), a deed, then (in it or later) an outcome told
    as happened."""
    acted = opening_deed(clauses)
    for text in clauses[1:]:
        acted = acted or tells_deed(text)
        if acted and tells_outcome(text):
            return True
    return False


def story_told(words: Sequence[tuple]) -> bool:
    """The story so far has come to a result: (word, start, end, probability) of what was heard."""
    from rehearse.analyze.options import AnalysisOptions
    from rehearse.analyze.star import analyze_star
    from rehearse.transcription.whisper import transcript_from_words

    options = AnalysisOptions()
    if len(words) < options.min_story_words:
        return False  # too short to tell a story yet
    star = analyze_star(transcript_from_words(words), options=options)
    # The clauses are read whatever the detector labeled them: on a garbled transcript it may
    # see no part at all ("I'll release one slipping bit on ... release ship on time").
    clauses = [u.text for u in star.units]
    # A result counts once something was done: a goal said last ("my task was to make sure it
    # shipped on time") may read as the result while the story has no action yet.
    if star.parts["result"].present and (star.parts["action"].present or opening_deed(clauses)
                                         or any(tells_deed(c.lower()) for c in clauses[1:])):
        return True
    return outcome_after_deed(clauses)
