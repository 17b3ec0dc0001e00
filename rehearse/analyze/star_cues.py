"""What each sentence of an answer sounds like: cue scores for situation, task, action, result.

The cues are the ones STAR coaching teaches people to use (university career-centre guides,
recruiter write-ups): the situation sets a time, place and problem; the task says what had to
happen ("I had to", "my job was"); the action is first-person past-tense doing ("I built", "so I");
the result says how it ended ("in the end", "which cut", numbers that moved, praise, lessons).
Grammar does half the work: who is the subject, and whether the verb does something or only
describes a state.
"""

from __future__ import annotations

import re

from rehearse.attempt import STAR_PARTS

# Past-tense verbs that describe a state, a thought or a mishap rather than something done.
STATIVE = frozenset("""
was were had knew thought felt needed wanted liked loved hated hoped wished believed assumed
realized realised noticed saw heard understood meant seemed appeared got became remained lived
owned held found discovered learned learnt did didn't wasn't hadn't couldn't wouldn't enjoyed
""".split())
# Mishaps and disagreements: they set the scene of a story about a failure or a conflict.
MISHAP = frozenset("""
underestimated overlooked forgot missed misjudged disagreed failed struggled clashed neglected
overcommitted misread misunderstood
""".split())
# Verbs that name an outcome rather than an activity ("I delivered", "we won").
OUTCOME = frozenset("""
achieved completed finished delivered launched shipped won passed exceeded produced
managed succeeded saved reduced increased improved earned secured closed resolved solved fixed
restored recovered regained averted
""".split())
IRREGULAR_PAST = frozenset("""
built wrote made took gave led ran met sent set put began brought bought caught chose drew drove
fought kept left lost paid read rode said sat sold spoke spent stood taught told threw went won
dove dug fed flew grew hid hung laid lent let lit overcame oversaw rebuilt rewrote shut split
struck swept took tore undertook withdrew cut hit quit sought stepped broke
rang sang swam woke froze bent bled blew dealt fled flung forgave knelt leapt rose shook shone
shrank slid spun sprang stole stung strove swore swung wept upheld
""".split())
# Adverbs that may sit between the subject and the verb ("I also built", "I then guided").
# Spoken answers hedge there too ("I sort of tried", "I just kind of ended up").
_BETWEEN = r"(?:(?:also|then|first|even|just|still|once|quickly|immediately|personally|actually|" \
           r"really|finally|eventually|always|never|sort of|kind of|\w+ly)\s+){0,3}"
SUBJECT_VERB = re.compile(r"\b(i|we)\s+" + _BETWEEN + r"([a-z']+)(\s+\w+)?")

# Bare verbs that open a goal written in note form ("Finish the project on time, ...").
_GOAL_VERBS = frozenset("""
finish build deliver get make reduce fix find help improve create ensure keep cut launch organize
organise lead increase turn handle resolve manage complete raise bring win convince
stop prevent avoid protect catch cover meet hit grow save restore recover calm support train
clear close ship secure retain persuade balance hire settle stabilize stabilise speed lower
""".split())


def _cues(*pairs: tuple[str, float]) -> tuple[tuple[re.Pattern[str], float], ...]:
    return tuple((re.compile(p), w) for p, w in pairs)


_NUM = r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|a few|several)"
_TIME_UNIT = r"(?:years?|months?|weeks?|summers?|semesters?|terms?|quarters?|days?|nights?|" \
             r"weekends?|shifts?)"

SITUATION = _cues(
    (rf"\b(?:(?:last|this|that|one|the) {_TIME_UNIT}\b|{_NUM} {_TIME_UNIT} ago\b)", 1.5),
    (r"\bago\b|\bback in\b|\bat the time\b|\bearlier this year\b", 1.0),
    (r"^(?:during|when|while|at|in|on|for|back|once|all through|throughout|as an?|"
     r"my (?:first|last|freshman)|for (?:example|instance))\b", 1.0),
    (r"\b(?:when|while) (?:i|we) (?:was|were)\b|\bi once\b|\bfor (?:example|instance)\b", 1.5),
    (r"\b(?:at|in) my (?:last|previous|current|old|first|former) (?:job|role|company|"
     r"internship|position|workplace|team)\b", 2.0),
    (r"\bin my (?:role|position|job|time|capacity) as\b|\bmy time as\b|"
     r"\bas an? [\w-]+(?: [\w-]+)? (?:at|in|for|on|with)\b", 2.0),
    (r"\b(?:i|we) (?:worked|volunteered|interned|served) (?:as|at|for)\b|"
     r"\b(?:held|had) (?:a|an|the) [\w-]+(?: [\w-]+)? (?:position|role|job)\b|"
     r"\bhad a [\w-]*\s?job\b|\bthrough(?:out)? (?:university|college|school|my degree)\b", 2.0),
    (r"\b(?:problem|issue|deadline|conflict|disagree\w*|tension|short-staffed|short-handed|"
     r"short of|unhappy|angry|upset|complain\w*|struggl\w*|missing|late|behind|slipped|"
     r"clash\w*|no prior|never used|underestimat\w*|challeng\w*|difficult|busy|hectic|"
     r"broke\w*|crash\w*|delay\w*|mistake|no clear|unclear|overwhelm\w*|tight|was due)\b", 1.0),
    (r"\b(?:was|were) (?!\w+ing to\b)\w+ing\b|\bthere (?:was|were)\b", 1.0),
    (r"\b(?:found out|discovered|noticed|realized|realised) that\b", 0.5),
)
TASK = _cues(
    (r"\b(?:i|we) (?:had|needed|have|need) to\b", 2.0),
    (r"(?<!\bi )(?<!\bwe )(?<!would )\b(?:had|needed) to\b", 1.5),
    (r"\bi needed\b", 1.0),
    (r"\b(?:my|our|the) (?:job|task|goal|role|responsibility|challenge|objective|aim|mission|"
     r"assignment)(?: i was given| for me)? (?:was|is)\b", 2.5),
    (r"\b(?:i|we) (?:was|were|had been) (?:responsible|tasked|asked|given|assigned|expected|"
     r"supposed|charged|required|chosen|selected|appointed|brought in|hired|put in charge)\b|"
     r"\bin charge of\b|\bit (?:was|fell) (?:up )?to me\b|\bit was my (?:job|responsibility)\b",
     2.5),
    (r"\b(?:role|job|position|work|project) "
     r"(?:required|involved|meant|demanded|called for)\b", 1.5),
    (r"\b(?:was|were|had been) (?:asked|tasked|assigned|charged) (?:to|with)\b|"
     r"\b(?:made|put|left|named) (?:me|us) (?:the )?(?:owner|lead|responsible|in charge|point)\b|"
     r"\bgave (?:me|us) (?:the )?(?:job|task|responsibility|assignment)\b", 2.0),
    (r"\b(?:i|we) (?:wanted|aimed|set out|hoped|were trying|was trying) to\b", 1.5),
    (r"\b(?:manager|boss|supervisor|client|customer|lead|director|professor|teacher|company) "
     r"(?:wanted|needed|asked for|expected|required)\b", 2.0),
    (r"\b(?:asked|tasked|assigned|charged|needed|wanted|expected) (?:me|us) to\b", 2.0),
    (r"\b(?:make sure|ensure)\b", 1.0),
    (r"\brequire[sd]? \w+ing\b|\brequired (?:me|us) to\b", 1.5),
    (r"^(?:i|we) (?:knew|realized|realised|saw|understood|figured|recognized|could see)\b", 1.5),
    (r"\bmeant\b|\bin order to\b", 0.5),
)
# Sequencing words ("then", "next") mark steps only in sentences that already tell a deed.
_SEQUENCE = re.compile(r"^(?:so|then|next|first|firstly|second|secondly|lastly|after that|"
                       r"to begin with|to start|from there)\b")
ACTION = _cues(
    (r"\b(?:the action i took|what i did|my approach|i decided to|i started|i began|i chose to|"
     r"(?:my )?(?:first|next) step|the first thing i did)\b", 1.5),
)
RESULT = _cues(
    (r"\bas a result\b|\bthe (?:result|outcome) (?:was|is)\b|\bthe outcome\b|\bin the end\b|"
     r"\bended up\b|\bultimately\b|\beventually\b|\bby the end\b|\bin the long run\b", 2.5),
    (r"\b(?:which|this|that|it) (?:led|leads) to\b|\bresult(?:ed|ing) in\b|"
     r"\bbecause of (?:this|that|it)\b|\bthanks to\b|\bthis (?:helped|allowed|settled|saved|made)\b",
     2.0),
    (r"\d+ ?%|\bpercent\b", 1.0),
    (r"\b(?:successfully|successful|success|shipped|launched|won|praised|commended|promoted|"
     r"thanked|recogni[sz]ed|rewarded|awarded|passed|achieved|completed|finished|delivered|"
     r"exceeded|satisfied|satisfaction|pleased|happy|delighted|loyal|a regular|grateful|"
     r"impressed|approved|on time|on schedule|ahead of schedule|as planned|early|in time|settled|"
     r"resolved|solved|managed to|(?:was|were) able to|got an? [a-f]\b|renewed|retained|"
     r"signed|received (?:positive |great |good )?feedback|"
     r"(?:met|hit) (?:the|our|their|every|all))\b",
     1.5),
    (r"\b(?:learned|learnt|taught me|showed me|understanding|lesson|since then|from then on|"
     r"going forward|deepened|expanded my|later)\b", 1.5),
)
OTHER = _cues(
    (r"^(?:i|we) (?:am|excel|always|usually|often|tend|believe|think|love|enjoy|consider|"
     r"pride)\b|\bi'm (?:a|an|good|great|very)\b", 1.5),
    (r"\b(?:this|which|that) (?:shows|demonstrates|proves|illustrates)\b|\bin my view\b", 2.0),
)


_OBJECTS = frozenset("the a an my our everyone everybody them him her us people every all each "
                     "two three".split())


def is_past_action(verb: str, following: str) -> bool:
    """'built', 'organized', 'sat down': past tense and doing something."""
    after = following.strip()
    if verb == "got":  # "I got the team using it" acts; "I got taken off", "I got promoted" do not
        return after in _OBJECTS
    if verb in STATIVE or verb in MISHAP or after in {"as", "at", "for"}:
        return False
    return verb in IRREGULAR_PAST or (verb.endswith("ed") and len(verb) > 3)


def _grammar(text: str) -> dict[str, float]:
    """Scores from the first-person clauses: who acts, and whether the verb is an action."""
    scores = dict.fromkeys(STAR_PARTS + ("other",), 0.0)
    pairs = [(m.group(1), m.group(2), m.group(3) or "") for m in SUBJECT_VERB.finditer(text)]
    if pairs:
        subject, verb, following = pairs[0]
        if verb in MISHAP:
            scores["situation"] += 1.0
        elif verb in OUTCOME:
            scores["action"] += 1.0
            scores["result"] += 1.5
        elif is_past_action(verb, following):
            scores["action"] += 2.5 if subject == "i" else 1.5
    later = sum(is_past_action(v, f) for _, v, f in pairs[1:])
    scores["action"] += min(later, 2) * (1.0 if scores["action"] == 0 else 0.5)
    # Verbs joined to the first one: "I worked ..., experimented ..., and asked ..."
    joined = re.findall(r"(?:,|\band)\s+(?:then\s+)?([a-z]+ed|" + "|".join(IRREGULAR_PAST) + r")\b",
                        text)
    if scores["action"] > 0:
        scores["action"] += 0.5 * min(len(joined), 3)
    if any(verb in OUTCOME for verb in joined):  # "..., and then delivered the right version"
        scores["result"] += 1.0
    return scores


# Something that changed. Said of the thing ("costs dropped") it is an outcome; said of what we
# did ("I cut two deliverables") it is an action, unless a number moved ("cut costs by 20%").
_CHANGE = re.compile(
    r"\b(?:dropped|fell|rose|increased|decreased|reduced|cut|saved|improved|grew|doubled|tripled|"
    r"halved|lifted|boosted|climbed|raised|jumped|shrank|went (?:up|down)|gone (?:up|down)|"
    r"went from)\b")
# A past-tense verb anywhere: with nobody in the first person acting, someone else's response.
_PAST = re.compile(r"\b(?:[a-z]+ed|" + "|".join(sorted(IRREGULAR_PAST)) + r")\b")


def _number_change(text: str) -> float:
    """A number that moved: '15%', 'from 8 minutes to 2', 'cut ... by 40%'."""
    has_number = re.search(r"\d", text) is not None
    moved = re.search(r"\bby \d|\bfrom \S+ (?:\w+ )?(?:down |up )?to \d|\d+ ?%", text)
    return 1.5 if has_number and moved else 0.0


def cue_scores(text: str, raw: str) -> dict[str, float]:
    """Scores for each label of one sentence or clause (lower-case text, fillers removed)."""
    scores = _grammar(text)
    for label, table in (("situation", SITUATION), ("task", TASK), ("action", ACTION),
                         ("result", RESULT), ("other", OTHER)):
        scores[label] += sum(weight for pattern, weight in table if pattern.search(text))
    scores["result"] += _number_change(text)
    if text.split(" ", 1)[0] in _GOAL_VERBS:
        scores["task"] += 2.0
    if re.search(r"\s(?:at|with|for|from|in) [A-Z][a-z]+", raw):  # "at Company X", a real place
        scores["situation"] += 0.5
    acted = scores["action"] > 0
    if acted and _SEQUENCE.search(text):
        scores["action"] += 1.0
    if not acted and _CHANGE.search(text):
        scores["result"] += 1.0
    if not acted and not SUBJECT_VERB.search(text) and _PAST.search(text):
        scores["result"] += 1.0  # "He left smiling and came back": how others responded
    if not acted and scores["task"] == 0 and re.search(r"\b(?:was|were|had)\b", text):
        scores["situation"] += 0.8  # a state described, no deed and no duty: context
    if not acted and hypothetical_count(text):  # "I would talk to them": no deed, no outcome
        scores["action"] -= 1.5
        scores["result"] -= 1.5
        scores["other"] += 1.0
    return scores


def hypothetical_count(text: str) -> int:
    """How often the speaker says what they would do instead of what they did."""
    # "I'd" is also "I had": "I'd never used one" is a past event, not a hypothetical.
    return len(re.findall(r"\b(?:i|we) (?:would|will)\b|\b(?:i|we)'ll\b|"
                          r"\b(?:i|we)'d\b(?! (?:like|love|never|already|just|been|had|\w+ed)\b)",
                          text))


_NUMBERS = re.compile(
    r"[$€£]?\d[\d,.]*(?: ?%| percent)?|\b(?:half|double|twice|triple|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|"
    r"million|dozens?)\b(?: percent)?|\ban? (?:hour|day|week|month|year|quarter)\b")


# Outcomes a listener can check without a number: an award, a launch, a deadline met.
_CONCRETE = re.compile(
    r"\b(?:won|award\w*|promot\w+|signed|launched|shipped|released|passed|got an? [a-f]|renewed|"
    r"hired|adopted|approved|rolled out|on time|on schedule|ahead of schedule|early|as planned|"
    r"deadlines?|"
    r"a regular|came back|contract|record|first place|finished|completed|delivered|graduated)\b")


def concrete_outcome(text: str) -> bool:
    return _CONCRETE.search(text) is not None


def numbers_in(text: str) -> list[str]:
    """The figures a sentence gives: '15%', '8 minutes' counts as '8', 'twice', 'two'."""
    return [m.group().rstrip(",.") for m in _NUMBERS.finditer(text)]
