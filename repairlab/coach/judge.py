"""A coach for one written task or practice prompt: per element, a score (1 met, 0.5 partly, 0 not
met) or an explicit "not judged", the trainee's words it reacted to, and one sentence of why.

It prefers saying "not judged" to guessing. An element is not judged when the text is out of the
range of what the coach learned from (a few words, a list of key words), when the trainee's words
for it are negated ("I did not look at my phone", "I am not going to ask"), when the learner's
score has nothing in the element's own patterns behind it, when the score sits on the edge
between two levels, or when the element's learner did not reach the kappa bar. "Not met" is said
only where the coach is fairly sure (the learner agrees and no broad wording for the element is
there), and to every spoken element of an answer that defends, denies or piles up apology instead of
owning (the mark schemes give that nothing). Words about the client are not words to them: one
level lower, as the bank's adjudicator ruled for the raters."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field

from . import voice
from .model import KAPPA_BAR, Linear, rounded
from .normalise import MIN_TYPO_LENGTH
from .patterns import (
    CUE_SLOTS,
    DEFENCE,
    DISOWNED,
    EXPERIENCE,
    FUNCTION_WORDS,
    JUSTIFY,
    NON_APOLOGY,
    OVER_APOLOGY,
    PATTERN_WORDS,
    STEREOTYPE,
    WORD,
    Seen,
    cue_pattern,
    cue_words,
    read,
    see,
)

MIN_WORDS = 6
MIN_FUNCTION_SHARE = 0.2
# A list of key words: most of its pieces between punctuation are one or two words long.
SHORT_PIECE, MOST = 2, 0.6
PIECES = re.compile(r"[^,.;:!?\n]+")
MAX_EVIDENCE = 4
# A misspelling the coach cannot correct: this similar to a word it looks for (difflib's ratio).
NEAR = 0.82
LOWER_I = re.compile(r"(?<![\w'])i(?![\w'])")
# A learner's score this close to the edge between two levels (0.25 or 0.75) is not given.
EDGE = 0.05
# A "not met" needs the learner to agree that the element is absent: a raw score at most this.
SURE_ABSENT = 0.1
# The element's own patterns: the families that speak for it (besides its cue words), and those
# that speak against it. Evidence and the sentence of why come only from these.
SUPPORT: dict[str, tuple[str, ...]] = {
    "act": ("owning", "first-person act"),
    "impact": ("impact offered",),
    "change": ("commitment",),
    "checkin": ("open question", "question", "invitation"),
    "tentative": ("tentative", "question"),
    "correctable": ("tentative", "question"),
    "validate": ("validation", "impact offered"),
    "invite": ("invitation", "open question"),
    "specific": (),
    "here-now": ("here and now", "first-person act"),
    "evidence": ("owning",),
    "context": (),
}
AGAINST: dict[str, tuple[str, ...]] = {
    "act": ("minimising",),
    "impact": ("blaming", "self-reproach", "minimising"),
    "change": ("handing the work back",),
    "checkin": ("ending or moving on",),
    "invite": ("interpreting the client", "ending or moving on"),
    "tentative": ("blaming",),
    "validate": ("blaming", "minimising"),
    "here-now": ("interpreting the client",),
    "evidence": ("interpreting the client",),
}
# "I will not ask how it was for you": a refusal to hand the floor over, quoted as a denial.
REFUSE_TO_ASK = re.compile(r"\bI (?:will|am) not (?:going to )?ask\b[^.!?\n]*", re.I)
# Kinds that hand the client the floor: their question has to be about the client's experience or view.
ASKING = frozenset({"checkin", "invite", "correctable"})
QUESTIONS = ("question", "open question")
MOVING_ON = re.compile(r"\b(?:like to talk|talk about now|study plan|carry on|go on|move on)\b", re.I)
# A closed question that asks the client to confirm or correct: "Does that match how it felt to you?"
CHECKS = re.compile(r"(?:\w+, )?(?:does|did|is|was|have I|am I|do I)\b[^?]*\b(?:sit\w* right|match\w*|fits?|fair|"
                    r"right|understood|understand|correct\w*|close)\b", re.I)
# "Not met" only where the coach is confident: nothing for the element in its own patterns, and none
# of the broad wordings it could take (a future for a change, a question for a check-in ...). Where
# such wordings are there, the part may be said in words the coach does not know: not judged.
BROAD: dict[str, re.Pattern] = {kind: re.compile(p, re.I) for kind, p in {
    "act": r"\b(?:I|my|me)\b",
    "impact": r"\b(?:you|your|must|might|may|felt|feel|like|as if|hurt|matter\w*|left|made)\b[^?]*(?:[.!]|$)",
    "change": r"\b(?:will|going to|from|next|every|before|always|no more|stays?|goes|keep|promise|make sure|"
              r"never again|today|now on)\b",
    "checkin": r"\?|\b(?:tell me|hear|know|wonder|say more|talk)\b",
    "invite": r"\?|\b(?:tell me|hear|know|wonder|say more|talk)\b",
    "correctable": r"\?|\b(?:tell me|wonder|correct|wrong|right)\b",
    "validate": r"\b(?:sense|right|fair|understand\w*|of course|hear|see|no wonder|angry|frustrat\w*|anyone|reason)\b",
}.items()}


@dataclass(frozen=True)
class Client:
    name: str
    them: str = "them"
    their: str = "their"

    def say(self, sentence: str) -> str:
        return sentence.format(client=self.name, them=self.them, their=self.their)


@dataclass(frozen=True)
class Element:
    name: str
    kind: str
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Judgement:
    name: str
    score: float | None  # None: not judged
    evidence: tuple[str, ...]
    why: str

    def as_data(self) -> dict:
        return {"name": self.name, "score": self.score, "evidence": list(self.evidence), "why": self.why}


@dataclass
class Coach:
    """``models[i]`` is element i's learner, or None where it did not reach the kappa bar.
    ``known``: words the course uses itself, never taken for misspellings."""

    client: Client
    elements: tuple[Element, ...]
    models: tuple[Linear | None, ...]
    kappas: tuple[float | None, ...] = ()
    known: frozenset[str] = field(default=frozenset(), repr=False)
    _cues: list = field(default_factory=list, repr=False)
    _targets: frozenset[str] = field(default=frozenset(), repr=False)

    def __post_init__(self):
        self._cues = [cue_pattern(e.cues) for e in self.elements]
        self._targets = PATTERN_WORDS | frozenset().union(*(cue_words(e.cues) for e in self.elements))

    def see(self, text: str, index: int) -> Seen:
        return see(text, self._cues[index], self.client.name, self.elements[index].kind, self.known, self._targets)

    def judge(self, text: str) -> list[Judgement]:
        return [self.judge_element(text, i) for i in range(len(self.elements))]

    def defends(self, text: str) -> tuple[str, tuple[str, ...]]:
        """What an answer does instead of owning, and its words: a fresh stereotype, a non-apology ("I'm
        sorry you felt ..."), a justification ("I had to look"), a defence or denial, or apology piled up
        (("", ()) if it owns something plainly). Such an answer earns nothing, and no part of it is judged."""
        seen = self.see(text, 0)
        if seen.words["owning"]:
            return "", ()
        norm = read(text, self.known, self._targets)

        def grab(pattern) -> list[str]:
            return [norm.quote(m.start(), m.end()) for m in pattern.finditer(norm.text)]

        for kind, pattern in (("stereotype", STEREOTYPE), ("non-apology", NON_APOLOGY), ("justification", JUSTIFY)):
            found = grab(pattern)
            if found:  # no question or promise beside it makes it a repair
                return kind, tuple(found + (grab(DISOWNED) if kind == "non-apology" else []))
        found = grab(DEFENCE)
        if found and (seen.words["commitment"] or asks_how_it_was(text)):
            return "", ()  # a denial inside an answer that also commits or hands the floor back is not the whole
        if found:
            return "defence", tuple(found)
        if not seen.words["open question"]:
            piled = grab(OVER_APOLOGY)
            if len(piled) + len(seen.words["apology"]) >= 3 and len(piled) >= 1:
                return "over-apology", tuple(piled)
        return "", ()

    def judge_element(self, text: str, index: int, model: Linear | None = None) -> Judgement:
        element, seen = self.elements[index], self.see(text, index)
        model = model or self.models[index]
        say = self.client.say
        if len(text.split()) < MIN_WORDS:
            return Judgement(element.name, None, (), say(voice.TOO_SHORT))
        if seen.function_share < MIN_FUNCTION_SHARE or listed(text):
            return Judgement(element.name, None, (), say(voice.LIST_OF_WORDS))
        instead, defence = self.defends(text) if element.kind in voice.SPOKEN else ("", ())
        if defence:  # sure enough to say "not met": the mark schemes give a defence nothing
            needs = say(voice.KIND_NOTES[element.kind][1])
            note = say(voice.INSTEAD_OF_OWNING[instead])
            return Judgement(element.name, 0.0, defence[:MAX_EVIDENCE],
                             note.format(words=voice.quoted(defence), needs=needs))
        if model is None:
            return Judgement(element.name, None, (), voice.NOT_JUDGED)
        found, refused, against = own_words(seen, element.kind)
        if refused and not found:
            denial = voice.DENIAL.format(words=voice.quoted(refused))
            return Judgement(element.name, None, refused[:MAX_EVIDENCE], denial)
        raw = model.raw(seen.values, seen.terms)
        score = rounded(raw)
        if element.kind in ASKING and not handing_over(seen, element.kind):
            # the client's own words ("the train") are not a question to them: with no question and
            # no invitation at all, not met; with one the coach does not take for this, not judged
            norm = read(text, self.known, self._targets)
            refusal = REFUSE_TO_ASK.search(norm.text)
            if refusal:  # "I will not ask how it was for you": a denial, quoted, not judged
                words = (norm.quote(refusal.start(), refusal.end()),)
                return Judgement(element.name, None, words, voice.DENIAL.format(words=voice.quoted(words)))
            if "?" in text or seen.words["invitation"]:
                return Judgement(element.name, None, (), voice.MAYBE_MISSED)
            score, raw, found = 0.0, 0.0, ()
        if found and not against and ending_question(text, element.kind):
            score, raw = 1.0, 1.0  # it ends by handing the floor back about the client's experience or view
        # the learner's score needs the element's own words behind it; on the edge between two
        # levels it is not given, unless nothing at all speaks for the element (then it is not met)
        if (score > 0 and (not found or against)) or (on_edge(raw) and (found or score > 0)):
            return Judgement(element.name, None, (), voice.UNSURE)
        if score == 0 and not against and raw > SURE_ABSENT and (found or self._may_be_there(text, element.kind)):
            return Judgement(element.name, None, (), voice.MAYBE_MISSED)
        if score == 0 and not against and self.unsure_english(text):
            # misspelt words near the ones it looks for, or non-native grammar: never a confident "not met"
            return Judgement(element.name, None, (), voice.MAYBE_MISSED)
        why = voice.why(element.kind, score, found, against, say)
        plan = self._not_said_to_them(seen, element)
        if plan:  # a plan or words about the client: one level lower, as a supervisor would score it
            score, plan = max(0.0, score - 0.5), say(plan)
            why = f"{voice.quoted(found)} is there, but {plan[0].lower()}{plan[1:]}" if found else plan
        evidence = found if score > 0 or not against else against
        return Judgement(element.name, score, evidence[:MAX_EVIDENCE], why)

    def unsure_english(self, text: str) -> bool:
        """Whether the coach may be misreading the text: a lower-case "i", or a word it does not know that
        is close to one it looks for ("stereotip"), which its one-letter correction did not catch."""
        if LOWER_I.search(text):
            return True
        norm = read(text, self.known, self._targets).text  # variants and one-letter slips already corrected
        words = {w.lower() for w in WORD.findall(norm) if len(w) >= MIN_TYPO_LENGTH}
        unknown = words - self.known - self._targets
        return any(_near(w, self._targets) for w in unknown)

    def _may_be_there(self, text: str, kind: str) -> bool:
        broad = BROAD.get(kind)
        return bool(broad and broad.search(read(text, self.known, self._targets).text))

    @staticmethod
    def _not_said_to_them(seen: Seen, element: Element) -> str | None:
        if element.kind not in voice.SPOKEN:
            return None
        if not seen.addresses:
            return voice.ABOUT_NOT_TO
        return None if seen.spoken else voice.DESCRIBED


def own_words(seen: Seen, kind: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The trainee's words matched by the element's own patterns: those that speak for it, those
    negated, and those that speak against it; each without repeats or lone function words."""
    def collect(names) -> tuple[str, ...]:
        out: list[str] = []
        for name in names:
            for words in source.get(name, ()):
                low = words.lower()
                repeated = any(low in o.lower() or o.lower() in low for o in out)
                if not repeated and not set(low.split()) <= FUNCTION_WORDS:
                    out.append(words)
        return tuple(out)

    source = dict(seen.words)
    if kind in ASKING:  # a question counts only if it asks about the client's experience or view
        for name in QUESTIONS:
            source[name] = tuple(q for q in source[name] if EXPERIENCE.search(q))
    # evidence only from the sentences that do the element's work: an act's cue words where the trainee
    # says what they did (not "notifications" in the promise), a change's where they commit ("away" in
    # "I looked away" is the act; "back to" in "I want to go back to something" is no promise), a
    # check-in's in its question ("the train" in the act's sentence is not a question to the client)
    slots = {"act": ("cue in the act",), "change": ("cue beside no act",)}.get(
        kind, ("cue in a question",) if kind in ASKING else CUE_SLOTS)
    found = collect((*SUPPORT[kind], *slots))
    against = collect(AGAINST.get(kind, ()))
    source = seen.negated
    refused = collect((*SUPPORT[kind], "cue"))
    return found, refused, against


def handing_over(seen: Seen, kind: str) -> bool:
    """Whether a question or invitation the element takes (about the client's experience) is there."""
    return any(not (name in QUESTIONS and not EXPERIENCE.search(w)) for name in SUPPORT[kind]
               for w in seen.words.get(name, ()))


def asks_how_it_was(text: str) -> bool:
    """Whether the text ends with an open question about the client's experience ("What was that like?")."""
    last = _last_sentence(text)
    return last.endswith("?") and bool(re.match(r"(?:\w+, )?(?:what|how|where)\b", last, re.I)) and bool(
        EXPERIENCE.search(last))


def checks_it(text: str) -> bool:
    """Whether the text ends by asking the client to confirm or correct ("Does that sit right with you?")."""
    last = _last_sentence(text)
    return last.endswith("?") and bool(CHECKS.match(last))


def ending_question(text: str, kind: str) -> bool:
    """A question that does the element's whole work: a check-in about the client's experience (for a
    check-in, anywhere in the text), or a last question that lets the client correct the trainee's reading."""
    if kind == "checkin":
        asked = [s for s in _sentences(text) if s.endswith("?") and not MOVING_ON.search(s)]
        return asks_how_it_was(text) or checks_it(text) or any(asks_how_it_was(s) for s in asked)
    return kind == "correctable" and checks_it(text)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]


def _last_sentence(text: str) -> str:
    sentences = _sentences(text)
    return sentences[-1] if sentences else ""


@functools.lru_cache(maxsize=1024)
def _near(word: str, targets: frozenset[str]) -> bool:
    """Close to a word the coach looks for, and not just another form of it ("stereotyping")."""
    return any(_stem(m) != _stem(word) for m in difflib.get_close_matches(word, targets, n=3, cutoff=NEAR))


def _stem(word: str) -> str:
    return re.sub(r"(?:ing|ed|es|s|ly|e)$", "", word)


def on_edge(raw: float) -> bool:
    return any(abs(raw - edge) < EDGE for edge in (0.25, 0.75))


def listed(text: str) -> bool:
    pieces = [p.split() for p in PIECES.findall(text) if p.strip()]
    return len(pieces) >= 5 and sum(len(p) <= SHORT_PIECE for p in pieces) / len(pieces) >= MOST


def judged(kappa: float | None) -> bool:
    return kappa is not None and kappa >= KAPPA_BAR
