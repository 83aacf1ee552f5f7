"""A coach for one written task or practice prompt: per element, a score (1 met, 0.5 partly, 0 not
met) or an explicit "not judged", the trainee's words it reacted to, and one sentence of why.

A few rules hold whatever the element and whatever was learned: a few words are not enough to
judge and a list of key words is not a repair (both: not met); a plan or words about the client
are not words to them (one level lower, as the bank's adjudicator ruled for the raters)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import voice
from .model import KAPPA_BAR, Linear
from .patterns import CUE_SLOTS, ENDING, FAMILIES, FEATURES, FUNCTION_WORDS, Seen, cue_pattern, see

MIN_WORDS = 4
MIN_FUNCTION_SHARE = 0.2
# A list of key words: most of its pieces between punctuation are one or two words long.
SHORT_PIECE, MOST = 2, 0.6
PIECES = re.compile(r"[^,.;:!?\n]+")
MAX_EVIDENCE = 4
# Features with words behind them, which a judgement may show as evidence.
WORDED = frozenset(FAMILIES) | frozenset(CUE_SLOTS) | frozenset(ENDING)


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
    """``models[i]`` is element i's learner, or None where it did not reach the kappa bar."""

    client: Client
    elements: tuple[Element, ...]
    models: tuple[Linear | None, ...]
    kappas: tuple[float | None, ...] = ()
    _cues: list = field(default_factory=list, repr=False)

    def __post_init__(self):
        self._cues = [cue_pattern(e.cues) for e in self.elements]

    def see(self, text: str, index: int) -> Seen:
        return see(text, self._cues[index], self.client.name)

    def judge(self, text: str) -> list[Judgement]:
        return [self.judge_element(text, i) for i in range(len(self.elements))]

    def judge_element(self, text: str, index: int, model: Linear | None = None) -> Judgement:
        element, seen = self.elements[index], self.see(text, index)
        model = model or self.models[index]
        if len(text.split()) < MIN_WORDS:
            return Judgement(element.name, 0.0, (), self.client.say(voice.TOO_SHORT))
        if seen.function_share < MIN_FUNCTION_SHARE or listed(text):
            return Judgement(element.name, 0.0, (), self.client.say(voice.LIST_OF_WORDS))
        if model is None:
            return Judgement(element.name, None, (), voice.NOT_JUDGED)
        score = model.score(seen.values, seen.terms)
        why = voice.why(element.kind, score)
        plan = self._not_said_to_them(seen, element)
        if plan:  # a plan or words about the client: one level lower, as a supervisor would score it
            score, why = max(0.0, score - 0.5), plan
        return Judgement(element.name, score, evidence(seen, model, score), self.client.say(why))

    @staticmethod
    def _not_said_to_them(seen: Seen, element: Element) -> str | None:
        if element.kind not in voice.SPOKEN:
            return None
        if not seen.addresses:
            return voice.ABOUT_NOT_TO
        return None if seen.spoken else voice.DESCRIBED


def listed(text: str) -> bool:
    pieces = [p.split() for p in PIECES.findall(text) if p.strip()]
    return len(pieces) >= 5 and sum(len(p) <= SHORT_PIECE for p in pieces) / len(pieces) >= MOST


def evidence(seen: Seen, model: Linear, score: float) -> tuple[str, ...]:
    """The trainee's words behind the features that moved the score most towards it: those that
    raised it for a met or partly met element, those that lowered it for one not met. A feature
    that moved it by less than a fifth of the strongest one is left out: it did not decide."""
    sign = 1 if score > 0 else -1
    pushes = sorted(
        [(sign * w * v, seen.words[name]) for name, w, v in zip(FEATURES, model.weights, seen.values)
         if name in WORDED and v]
        + [(sign * w, (term,)) for term, w in model.words.items()
           if term in seen.terms and not set(term.split()) <= FUNCTION_WORDS],
        reverse=True,
    )
    found: list[str] = []
    for push, matched in pushes:
        if push <= 0 or push < pushes[0][0] / 5:
            break
        for words in matched:
            if words.lower() not in (f.lower() for f in found):
                found.append(words)
    return tuple(found[:MAX_EVIDENCE])


def judged(kappa: float | None) -> bool:
    return kappa is not None and kappa >= KAPPA_BAR
