"""What the coach can see in a text: plain patterns, each a family of wordings a supervisor would
look for (owning an act, a tentative guess, a commitment, an open question), and an element's own
cue words (the phone, the keys in her hand). Every feature keeps the words it matched, so a
judgement can always show the trainee which of their words it reacted to. No sentiment: warmth
of tone is not what the mark schemes score."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
WORD = re.compile(r"[A-Za-zÀ-ÿ']+")

_I_PAST = (r"\bI(?:'ve| have)? (?:just |really |completely )?(?:\w+ed|looked|glanced|said|did|was|made|got|kept|went|"
           r"gave|took|spent|put|told|thought|brought|came|forgot|ran|began|let|heard|saw|meant|read|didn't|wasn't)\b")

# name -> pattern; the order is the order of the feature vector, so never reorder (the practice
# model's weights are stored by position).
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
    "commitment": (r"\b(?:I'll|I will|I'm going to|I am going to|I won't|I will not|from now on|going forward|"
                   r"next time|in future|from here on|I've (?:put|turned|switched)|I'm (?:putting|turning|switching)|"
                   r"let me (?:put|turn|switch))\b"),
    "question": r"[^.!?\n]*\?",
    "open question": r"\b(?:what|how|which|where|tell me|say more)\b[^.!?\n]*\?",
    "closed question": r"(?:^|[.!?]\s+)(?:do|does|did|is|are|was|were|can|could|would|will|have|has)\b[^.!?\n]*\?",
    "invitation": (r"\b(?:tell me|say more|talk about|go on|hear more|I'd like to hear|help me understand|"
                   r"if you want|if you'd like|it's (?:fine|okay|ok) to)\b"),
    "validation": (r"\b(?:makes? (?:complete |total |a lot of )?sense|understandable|no wonder|of course you|"
                   r"I can see (?:why|how)|I hear|I get why|that's fair|you're right|you are right|it's fair)\b"),
    "here and now": (r"\b(?:right now|just now|in this moment|here with me|between us|in here|a moment ago|"
                     r"this moment|today|just then|as I was|in the last)\b"),
    "minimising": (r"\b(?:only a|just a|quick|don't worry|no big deal|it was nothing|not a big|anyway|"
                   r"nothing important)\b"),
    "blaming": (r"\b(?:you always|you tend|your pattern|you seem (?:very |quite |a bit )?(?:sensitive|defensive)|"
                r"you're (?:too|very|quite) sensitive|you need to|you should|you must)\b"),
    "self-reproach": (r"\b(?:unprofessional|terrible|awful|hopeless|useless|stupid|I feel (?:so |really )?"
                      r"(?:bad|awful|terrible|guilty)|forgive me|embarrass\w*|mortified|ashamed|cross with myself|"
                      r"not like me)\b"),
    "interpreting the client": (r"\b(?:you often|you tend|other people|people in your life|goes back|since moving|"
                                r"in your life|with others|your (?:father|mother|dad|mum|family|culture|"
                                r"background)|I wonder if you (?:often|always|tend))\b"),
    "handing the work back": (r"\b(?:if (?:I|it) (?:ever )?(?:do|does|happens?)(?: that| it)? again|"
                              r"tell me (?:if|when) I (?:do|ever)|call me out|let me know if it|just tell me)\b"),
    "ending or moving on": (r"\b(?:let's (?:stop|move on|get back|continue|keep going with)|another (?:counsellor|"
                            r"therapist)|we can stop|anyway)\b"),
    "jargon": (r"\b(?:rupture|alliance|marker|withdrawal|confrontation|metacommunicat\w*|\w*transference|"
               r"projection|attunement|validat\w*|intervention)\b"),
    "return to the client": (r"\b(?:where were we|go on|carry on|back to|you were (?:telling|saying|describing)|"
                             r"what you were (?:telling|saying))\b"),
}
COMPILED = {name: re.compile(p, re.I) for name, p in FAMILIES.items()}

# The words a sentence needs to be a sentence at all; a list of key words has few of them.
FUNCTION_WORDS = frozenset(
    "i you he she it we they me him her us them my your his its our their a an the this that these those is are "
    "was were be been am do does did have has had will would can could may might shall should must to of in on at "
    "for with about as by from and but or so if not no what how when where why which who just there here".split()
)
SECOND_PERSON = re.compile(r"\b(?:you|your|you're|you've|yours|yourself)\b", re.I)
THIRD_PERSON = re.compile(r"\b(?:he|she|him|his|her|hers|they|them|their|the client)\b", re.I)
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'll|I'd|my|me)\b")
# Said to someone even without "I" or "you": an apology, a request, a suggestion, a question.
ADDRESSED = re.compile(r"\b(?:sorry|please|let's|let me|thank)\b|\?", re.I)
CUE_SLOTS = ("cue", "cue said by me", "cue said to you", "cue in a question", "cue in a commitment",
             "cue offered tentatively", "cue in the last sentence")
ENDING = ("ends with a question",)
SHAPE = ("words", "second person", "third person")
FEATURES = (*FAMILIES, *CUE_SLOTS, *ENDING, *SHAPE)


@dataclass(frozen=True)
class Seen:
    """A text as the coach sees it: one number per feature, and the words behind each."""

    values: tuple[float, ...]
    words: dict[str, tuple[str, ...]]
    function_share: float
    addresses: bool  # not only about the client: no "he" or "she" without a "you"
    spoken: bool  # said by someone ("I") or to someone ("you"), not a description of a repair
    terms: frozenset[str]  # its words and word pairs, lower case, for a learner fitted on a bank


def cue_pattern(cues: list[str] | tuple[str, ...]) -> re.Pattern | None:
    """An element's cue words as one pattern; each cue is a word or a short regular expression."""
    return re.compile(r"\b(?:" + "|".join(f"(?:{c})" for c in cues) + r")\b", re.I) if cues else None


def _cap(n: int, top: int = 3) -> float:
    return float(min(n, top))


@functools.lru_cache(maxsize=64)
def families(text: str) -> tuple[tuple[float, ...], tuple[tuple[str, ...], ...]]:
    """The pattern families in ``text``: the same for every element, so read once per text."""
    found = [tuple(m.group(0).strip() for m in pattern.finditer(text)) for pattern in COMPILED.values()]
    return tuple(_cap(len(f)) for f in found), tuple(found)


def see(text: str, cues: re.Pattern | None, client: str = "") -> Seen:
    """The features of ``text`` for one element (its cue words ``cues``)."""
    counts, found = families(text)
    values, words = list(counts), dict(zip(COMPILED, found))
    sentences = [s.strip() for s in SENTENCE.findall(text) if s.strip()]
    slots = {slot: [] for slot in CUE_SLOTS}
    for n, sentence in enumerate(sentences):
        hits = [m.group(0) for m in cues.finditer(sentence)] if cues else []
        if not hits:
            continue
        slots["cue"] += hits
        context = {
            "cue said by me": FIRST_PERSON.search(sentence),
            "cue said to you": SECOND_PERSON.search(sentence),
            "cue in a question": sentence.endswith("?"),
            "cue in a commitment": COMPILED["commitment"].search(sentence),
            "cue offered tentatively": COMPILED["tentative"].search(sentence),
            "cue in the last sentence": n == len(sentences) - 1,
        }
        for slot, present in context.items():
            if present:
                slots[slot] += hits
    for slot in CUE_SLOTS:
        values.append(_cap(len(slots[slot])))
        words[slot] = tuple(slots[slot])
    last = sentences[-1] if sentences else ""
    values.append(float(last.endswith("?")))
    words["ends with a question"] = (last,) if last.endswith("?") else ()
    tokens = WORD.findall(text)
    you = len(SECOND_PERSON.findall(text))
    third = len(THIRD_PERSON.findall(text)) + (len(re.findall(rf"\b{re.escape(client)}\b", text)) if client else 0)
    values += [min(len(tokens) / 40, 3.0), _cap(you, 6) / 2, _cap(third, 6) / 2]
    share = sum(t.lower() in FUNCTION_WORDS for t in tokens) / len(tokens) if tokens else 0.0
    lower = [t.lower() for t in tokens]
    terms = frozenset(lower) | frozenset(f"{a} {b}" for a, b in zip(lower, lower[1:]))
    spoken = you > 0 or bool(FIRST_PERSON.search(text) or ADDRESSED.search(text))
    return Seen(tuple(values), words, share, addresses=you > 0 or third == 0, spoken=spoken, terms=terms)
