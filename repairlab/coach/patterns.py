"""What the coach can see in a text: plain patterns, each a family of wordings a supervisor would
look for (owning an act, a tentative guess, a commitment, an open question), and an element's own
cue words (the phone, the keys in her hand). Every feature keeps the words it matched, so a
judgement can always show the trainee which of their words it reacted to. No sentiment: warmth
of tone is not what the mark schemes score."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .normalise import Normalised, expand, normalise

SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
WORD = re.compile(r"[A-Za-z\u00c0-\u00ff']+")

_I_PAST = (r"(?<!\bhave )(?<!\bdid )(?<!\bhad )\bI(?: have)? (?:just |really |completely )?"
           r"(?:\w+ed|looked|glanced|said|did|was|made|got|kept|went|"
           r"gave|took|spent|put|told|thought|brought|came|forgot|ran|began|let|heard|saw|meant|read)\b(?! not| never)")

# name -> pattern, written as a supervisor would read it (contractions included: ``normalise.expand``
# rewrites them for the normalised text); the order is the order of the feature vector, so never
# reorder (the practice model's weights are stored by position).
FAMILIES: dict[str, str] = {
    "first-person act": _I_PAST,
    "owning": (r"\b(?:my (?:part|mistake|fault|doing|error|assumption|guess)|that was (?:me|mine|on me|my)|on me|"
               r"I got (?:that|it|this) wrong|I was wrong|I shouldn't have|I should not have|I should have|"
               r"I missed|I take|I assumed|I guessed)\b"),
    "apology": r"\b(?:sorry|apologi[sz]e|apologies)\b",
    "impact offered": (r"\b(?:you (?:may|might|must|could) have (?:felt|thought|seen|wondered|heard|taken|been)|"
                       r"(?:felt|feel|seemed|sounded|came across) (?:like|as if|as though)|left you|made you|"
                       r"for you|to you|on you)\b"),
    "tentative": (r"\b(?:I wonder|wondering|perhaps|maybe|might|may|I could be wrong|I might be wrong|"
                  r"I may be wrong|correct me|tell me if|if I'm (?:wrong|off)|does that (?:fit|sound)|"
                  r"am I (?:right|close)|is that (?:right|close)|I'm not sure|I imagine|possibly)\b"),
    "commitment": (r"\b(?:I will(?! not)|I'm going to|I am going to|I won't(?! (?:ask|apologi|say|talk|go into))|"
                   r"I will not(?! (?:ask|apologi|say|talk|go into))|from now on|going forward|"
                   r"next time|in future|from here on|from now|from today|from next|"
                   r"now I (?:will )?(?:put|turn|switch|keep)|"
                   r"I've (?:put|turned|switched)|I'm (?:putting|turning|switching)|"
                   r"let me (?:just )?(?:put|turn|switch)|it(?:'s| is| will stay| stays) (?:off|away|on silent))\b"),
    "question": r"[^.!?\n:;'\"]*\?",
    "open question": r"\b(?:what|how|which|where|tell me|say more)\b[^.!?\n]*\?",
    "closed question": r"(?:^|[.!?]\s+)(?:do|does|did|is|are|was|were|can|could|would|will|have|has)\b[^.!?\n]*\?",
    "invitation": (r"\b(?:(?<!you )(?<!actually )tell me|say more|talk about|hear more|"
                   r"I'd (?:really )?like to (?:hear|know|understand)|I want to (?:hear|know|understand)|"
                   r"help me understand|"
                   r"if you want|if you'd like|it's (?:fine|okay|ok) to)\b"),
    "validation": (r"\b(?:makes? (?:complete |total |a lot of )?sense|understandable|no wonder|of course you|"
                   r"I can see (?:why|how)|I hear|I get why|that's fair|you're right|you are right|it's fair)\b"),
    "here and now": (r"\b(?:right now|just now|in this moment|here with me|between us|in here|a moment ago|"
                     r"this moment|today|just then|as I was|in the last)\b"),
    "minimising": (r"\b(?:only a|just a|quick|I only \w+|only (?:glanced|looked|checked|asked|meant|said)|"
                   r"don't worry|no big deal|it was nothing|not a big|anyway|"
                   r"nothing important)\b"),
    "blaming": (r"\b(?:you always|you tend|your pattern|you seem (?:very |quite |a bit )?(?:sensitive|defensive)|"
                r"you're (?:too|very|quite) sensitive|you need to|you should|you must)\b"),
    "self-reproach": (r"\b(?:unprofessional|terrible|awful|hopeless|useless|stupid|I feel (?:so |really )?"
                      r"(?:bad|awful|terrible|guilty)|forgive me|embarrass\w*|mortified|ashamed|cross with myself|"
                      r"not like me)\b"),
    "interpreting the client": (r"\b(?:projecting|treating me like|you often|you tend|other people|"
                                r"people in your life|goes back|since moving|"
                                r"in your life|with others|your (?:father|mother|dad|mum|family|culture|"
                                r"background)|I wonder if you (?:often|always|tend))\b"),
    "handing the work back": (r"\b(?:if (?:I|it) (?:ever )?(?:do|does|happens?)(?: that| it)? again|"
                              r"tell me (?:if|when) I (?:do|ever)|call me out|let me know if it|just tell me)\b"),
    "ending or moving on": (r"\b(?:let's (?:stop|move on|get back|continue|keep going with|carry on|go on|start|"
                            r"begin|look at|get going|get on)|shall we (?:start|begin|go on|carry on|continue|get)|"
                            r"please (?:go on|continue|carry on)|go on about|let's not|move on|"
                            r"another (?:counsellor|therapist)|we can stop|anyway)\b"),
    "jargon": (r"\b(?:rupture|alliance|marker|withdrawal|confrontation|metacommunicat\w*|\w*transference|"
               r"projection|attunement|validat\w*|intervention)\b"),
    "return to the client": (r"\b(?:where were we|go on|carry on|back to|you were (?:telling|saying|describing)|"
                             r"what you were (?:telling|saying))\b"),
}
COMPILED = {name: re.compile(expand(p), re.I) for name, p in FAMILIES.items()}
# Families that say what a supervisor looks for; negated ("I did not look at my phone", "I am not going
# to ask"), they no longer count. The others (minimising, blaming, a question ...) count as they stand.
AFFIRMED = frozenset({"first-person act", "owning", "apology", "impact offered", "tentative", "commitment",
                      "invitation", "validation", "here and now", "return to the client"})

# The words a sentence needs to be a sentence at all; a list of key words has few of them.
FUNCTION_WORDS = frozenset(
    "i you he she it we they me him her us them my your his its our their a an the this that these those is are "
    "was were be been am do does did have has had will would can could may might shall should must to of in on at "
    "for with about as by from and but or so if not no what how when where why which who just there here".split()
)
SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.I)
THIRD_PERSON = re.compile(r"\b(?:he|she|him|his|her|hers|they|them|their|the client)\b", re.I)
FIRST_PERSON = re.compile(r"\b(?:I|my|me)\b")
# Said to someone even without "I" or "you": an apology, a request, a suggestion, a question.
ADDRESSED = re.compile(r"\b(?:sorry|please|let us|let me|thank)\b|\?", re.I)
# Negation: a negating word earlier in the same clause. Fixed phrases that hedge rather than deny
# ("no wonder", "I am not sure") are not negations.
CLAUSE = re.compile(r"[,;:.!?\n\"()\u201c\u201d]|\b(?:but|though|although|because|so)\b", re.I)
NEGATOR = re.compile(r"\b(?:not|never|no|nothing|none|nobody|neither|nor)\b", re.I)
HEDGES = re.compile(r"\b(?:no wonder|not sure|not certain|no matter|not only|do not know (?:if|whether)|"
                    r"if not|or not|no longer than)\b", re.I)
# An impact is often said through a negation ("as if what you said did not matter"): for an impact,
# a negation inside such a frame is the point.
IMPACT_FRAME = re.compile(r"\b(?:as if|as though|like|felt|feel|feeling|seem\w*|may|might|must|probably|perhaps|"
                          r"maybe|wonder\w*|made you|not too)\b", re.I)
# An explanation set aside ("culture is not relevant", "nothing to do with my comment").
DISMISSED = re.compile(r"\b(?:not relevant|irrelevant|nothing to do with|not (?:the|a) (?:reason|factor|cause)|"
                       r"I do not think)\b", re.I)
# An impact waved away ("it does not mean you do not matter").
SET_ASIDE = re.compile(r"\b(?:does not mean|did not mean|I do not think|should not|no need|nothing to)\b", re.I)
# A question that hands the client the floor about their experience of what happened or their view of it
# ("What was that like?", "How did that land for you?", "What do you make of it?"), not "Shall we go on?"
# or "How is your study plan going?".
# "What would you like to talk about now?" moves on: it does not ask about what happened.
EXPERIENCE = re.compile(r"\b(?:like(?! to)|mind|sit\w* right|match\w*|feel\w*|felt|land\w*|for you|to you|"
                        r"leave you|left you|think|make of|hear\w*|sound\w*|right|fit|fair|wrong|okay|"
                        r"from your)\b", re.I)
# An answer that defends, explains or denies rather than owns (read in the normalised text): it earns
# nothing on any element, and the coach says so rather than judging parts of it.
DEFENCE = re.compile(r"\b(?:I (?:did not|never|was not|am not going to|do not) (?:\w+ ){0,2}?(?:look\w*|glanc\w*|"
                     r"check\w*|mean|meant|start\w*|stereotype\w*|apologi[sz]e|saying|busy|on purpose)|"
                     r"not going to apologi[sz]e|anyone would|I had to|could not just|can not just|not fair to say|"
                     r"nothing serious|you are imagining|reading too much|I am not busy|"
                     r"if (?:anything|something) I (?:said|did)|that is my job|"
                     r"it was (?:just|only) a(?: quick)?(?: \w+)?)\b", re.I)
# Explaining why it had to happen, or why it is right: a justification, which no check-in or promise
# beside it makes a repair ("I had to look. I hope you understand. How are you feeling now?").
JUSTIFY = re.compile(r"\b(?:so I had to|I had to (?:\w+ ){0,2}?(?:look|check|answer|take|ask)|I hope you understand|"
                     r"I am only (?:asking|saying|doing) (?:that|this|it) because|that is how (?:this|the|our) "
                     r"(?:\w+ )?works|it was meant as a compliment|I was (?:just |only )?expecting an? (?:\w+ )?call|"
                     r"I was (?:just |only )?trying to help)\b", re.I)
# Apologising for the client's feeling, not for the act ("I'm sorry you felt ...", "sorry if you were
# offended"): a non-apology; disowning the intent ("that wasn't my intention") is quoted beside it, but
# alone it is not one (a repair can say it after owning the act).
NON_APOLOGY = re.compile(r"\bsorry (?:that |if )?you (?:felt|feel|were|are|got|took|thought)\b", re.I)
DISOWNED = re.compile(r"\b(?:(?:that )?(?:was|is) not my intention|I did not (?:intend|mean) (?:it|that|to))\b",
                      re.I)
# A fresh generalisation about a group said to the client, in place of owning the last one.
STEREOTYPE = re.compile(r"\bI know (?:that )?(?:\w+ ){0,2}(?:culture|cultures|people|families|students|parents)\b"
                        r"[^.!?\n]*|\b(?:Asian|Chinese|Vietnamese|Latino|Black|African|Muslim|Indian|immigrant) "
                        r"(?:culture|cultures|people|families|parents|students) (?:always |all |usually |really )?"
                        r"(?:puts?|are|is|have|has|tend|value|care)\b[^.!?\n]*", re.I)
# Apologising without owning anything in proportion: self-reproach and apology piled up.
OVER_APOLOGY = re.compile(r"\b(?:so sorry|really sorry|terrible|awful|forgive me|everything I (?:have )?done|"
                          r"made (?:this|it|things) (?:all )?worse|what is wrong with me|do not deserve|"
                          r"deserve (?:so much )?better)\b", re.I)
RIGHT_TO = re.compile(r"\byou (?:are|were) (?:quite |completely )?right to\b", re.I)
CUE_SLOTS = ("cue", "cue said by me", "cue said to you", "cue in a question", "cue in a commitment",
             "cue offered tentatively", "cue in the last sentence")
ENDING = ("ends with a question",)
SHAPE = ("words", "second person", "third person")
FEATURES = (*FAMILIES, *CUE_SLOTS, *ENDING, *SHAPE)
# The words the coach looks for, to which a misspelling is corrected (``normalise``).
_LITERAL = re.compile(r"(?<![\\\w])[a-z]{5,}(?![a-z\[\\(?])")
PATTERN_WORDS = frozenset(w for p in FAMILIES.values() for w in _LITERAL.findall(p.lower()))


@dataclass(frozen=True)
class Seen:
    """A text as the coach sees it, for one element: one number per feature, the trainee's words
    behind each, and the words that matched but were negated (which count for nothing)."""

    values: tuple[float, ...]
    words: dict[str, tuple[str, ...]]
    negated: dict[str, tuple[str, ...]]
    function_share: float
    addresses: bool  # not only about the client: no "he" or "she" without a "you"
    spoken: bool  # said by someone ("I") or to someone ("you"), not a description of a repair
    terms: frozenset[str]  # its words and word pairs, lower case, for a learner fitted on a bank
    person: bool  # any "I" or "you" at all


def cue_pattern(cues: list[str] | tuple[str, ...]) -> re.Pattern | None:
    """An element's cue words as one pattern; each cue is a word or a short regular expression."""
    return re.compile(r"\b(?:" + "|".join(f"(?:{expand(c)})" for c in cues) + r")\b", re.I) if cues else None


def cue_words(cues) -> frozenset[str]:
    return frozenset(w for c in cues for w in _LITERAL.findall(c.lower()))


def _cap(n: int, top: int = 3) -> float:
    return float(min(n, top))


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    before = [m.end() for m in CLAUSE.finditer(text, 0, start)]
    after = CLAUSE.search(text, end)
    return (before[-1] if before else 0), (after.start() if after else len(text))


def negated(text: str, start: int, end: int, kind: str = "", cue: bool = False) -> bool:
    """Whether the words at ``text[start:end]`` are negated: a negating word earlier in their clause
    (hedges aside), or, for an explanation, the clause setting it aside."""
    left, right = _clause(text, start, end)
    clause = text[left:right]
    if kind in ("evidence", "context"):
        return bool(DISMISSED.search(clause))
    if kind == "impact" and cue:  # "you are not in the way", "I am not too busy for this": his words taken up
        return bool(SET_ASIDE.search(clause))
    prefix = HEDGES.sub(" ", text[left:start])
    if not NEGATOR.search(prefix):
        return False
    return not (kind == "impact" and IMPACT_FRAME.search(clause))


@functools.lru_cache(maxsize=64)
def read(text: str, known: frozenset[str] = frozenset(), targets: frozenset[str] = PATTERN_WORDS) -> Normalised:
    return normalise(text, targets, known)


@functools.lru_cache(maxsize=64)
def families(norm: Normalised) -> tuple[tuple[tuple[str, int, int, bool], ...], ...]:
    """The pattern families in a normalised text, each match as (words, start, end, negated): the same
    for every element, so read once per text."""
    out = []
    for name, pattern in COMPILED.items():
        found = []
        for m in pattern.finditer(norm.text):
            if not m.group(0).strip():
                continue
            neg = name in AFFIRMED and negated(norm.text, m.start(), m.end())
            found.append((norm.quote(m.start(), m.end()), m.start(), m.end(), neg))
        out.append(tuple(found))
    return tuple(out)


def see(text: str, cues: re.Pattern | None, client: str = "", kind: str = "",
        known: frozenset[str] = frozenset(), targets: frozenset[str] = PATTERN_WORDS) -> Seen:
    """The features of ``text`` for one element (its cue words ``cues``, its kind ``kind``)."""
    norm = read(text, known, targets)
    body = norm.text
    slots = {slot: [] for slot in CUE_SLOTS}
    beside_no_act = []  # cue words not in a sentence that tells what the trainee did
    in_act = []  # cue words said by the trainee, not in a promise or a question: what they did
    refused_cues, refused_clauses = [], []
    sentences = [(m.start(), m.group(0)) for m in SENTENCE.finditer(body) if m.group(0).strip()]
    for n, (offset, sentence) in enumerate(sentences):
        hits = []
        for m in (cues.finditer(sentence) if cues else ()):
            start, end = offset + m.start(), offset + m.end()
            if kind == "impact" and RIGHT_TO.search(body[slice(*_clause(body, start, end))]):
                continue  # "you are right to stop me": agreeing with the client, not an impact
            if negated(body, start, end, kind, cue=True):
                refused_cues.append(norm.quote(start, end))
                refused_clauses.append(_clause(body, start, end))
            else:
                hits.append(norm.quote(start, end))
        if not hits:
            continue
        slots["cue"] += hits
        stripped = sentence.strip()
        context = {
            "cue said by me": FIRST_PERSON.search(sentence),
            "cue said to you": SECOND_PERSON.search(sentence),
            "cue in a question": stripped.endswith("?"),
            "cue in a commitment": COMPILED["commitment"].search(sentence),
            "cue offered tentatively": COMPILED["tentative"].search(sentence),
            "cue in the last sentence": n == len(sentences) - 1,
        }
        for slot, present in context.items():
            if present:
                slots[slot] += hits
        if context["cue in a commitment"] or not COMPILED["first-person act"].search(sentence):
            beside_no_act += hits
        if context["cue said by me"] and not context["cue in a commitment"] and not context["cue in a question"]:
            in_act += hits
    values, words, negs = [], {}, {"cue": tuple(refused_cues)}
    promised = [(m.start(), _sentence_end(body, m.start())) for m in COMPILED["commitment"].finditer(body)]
    for name, matches in zip(COMPILED, families(norm)):
        # a match in a clause that refuses this element's words ("I will not ask how it was") is refused too
        refused = [neg or any(a <= start and end <= b for a, b in refused_clauses) for _, start, end, neg in matches]
        if name == "first-person act":  # "next time I put it outside": the change, not the act
            keep = [not any(a < m[1] < b for a, b in promised) for m in matches]
            matches = [m for m, k in zip(matches, keep) if k]
            refused = [r for r, k in zip(refused, keep) if k]
        kept = [w for (w, _, _, _), r in zip(matches, refused) if not r]
        values.append(_cap(len(kept)))
        words[name] = tuple(kept)
        negs[name] = tuple(w for (w, _, _, _), r in zip(matches, refused) if r)
    for slot in CUE_SLOTS:
        values.append(_cap(len(slots[slot])))
        words[slot] = tuple(slots[slot])
    words["cue beside no act"] = tuple(beside_no_act)
    words["cue in the act"] = tuple(in_act)
    last = sentences[-1][1].strip() if sentences else ""
    values.append(float(last.endswith("?")))
    words["ends with a question"] = (last,) if last.endswith("?") else ()
    tokens = WORD.findall(body)
    you = len(SECOND_PERSON.findall(body))
    third = len(THIRD_PERSON.findall(body)) + (len(_named(client).findall(body)) if client else 0)
    values += [min(len(tokens) / 40, 3.0), _cap(you, 6) / 2, _cap(third, 6) / 2]
    share = sum(t.lower() in FUNCTION_WORDS for t in tokens) / len(tokens) if tokens else 0.0
    lower = [t.lower() for t in tokens]
    terms = frozenset(lower) | frozenset(f"{a} {b}" for a, b in zip(lower, lower[1:]))
    person = you > 0 or bool(FIRST_PERSON.search(body))
    spoken = person or bool(ADDRESSED.search(body))
    return Seen(tuple(values), words, negs, share, addresses=you > 0 or third == 0, spoken=spoken, terms=terms,
                person=person)


def _sentence_end(text: str, start: int) -> int:
    end = re.search(r"[.!?\n]", text[start:])
    return start + end.start() if end else len(text)


@functools.lru_cache(maxsize=32)
def _named(client: str) -> re.Pattern:
    """The client's name used about them ("Tomás felt"), not to them ("Tomás, I'm sorry", "sorry, Tomás.")."""
    name = re.escape(client)
    return re.compile(rf"(?<![,]\s)(?<!^)\b{name}\b(?!\s*[,.!?])|^{name}\b(?!\s*[,.!?])", re.M)


def forget() -> None:
    """Empty the caches of texts already read (a benchmark times new answers, not cached ones)."""
    from .normalise import _corrected

    read.cache_clear()
    families.cache_clear()
    _corrected.cache_clear()
