"""``self-talk``: after a mistake of one's own, four ways of thinking about it, and where each leads."""

from __future__ import annotations

from dataclasses import dataclass

from ...items import Item
from ...labels import STANCES
from .kind import Kind
from .shared import pick, unique_ids


@dataclass(frozen=True)
class Thought:
    id: str
    text: str
    stance: str  # a key of labels.STANCES
    next_session: str
    feedback: str


@dataclass(frozen=True)
class SelfTalk:
    """After a mistake of one's own: four ways of thinking about it, and where each leads."""

    id: str
    title: str
    context: str
    thoughts: tuple[Thought, ...]
    debrief: str

    @classmethod
    def from_raw(cls, raw: dict, fail) -> "SelfTalk":
        thoughts = tuple(Thought(**t) for t in raw["thoughts"])
        stances = sorted(t.stance for t in thoughts)
        if stances != sorted(STANCES):
            fail(f"field 'thoughts' must have one thought per stance ({', '.join(STANCES)}); "
                 f"it has {', '.join(stances)}")
        unique_ids(thoughts, "thoughts", fail)
        return cls(id=raw["id"], title=raw["title"], context=raw["context"], thoughts=thoughts,
                   debrief=raw["debrief"])

    @property
    def best(self) -> Thought:
        return next(t for t in self.thoughts if t.stance == "accountable")


class SelfTalkPractice:
    """Try ways of thinking about a mistake and see where each leads; every try is kept."""

    def __init__(self, vignette: SelfTalk):
        self.vignette = vignette
        self.tried: list[Thought] = []

    def choose(self, thought_id: str) -> Thought:
        thought = pick(self.vignette.thoughts, thought_id, "thought")
        self.tried.append(thought)
        return thought

    def reset(self) -> None:
        self.tried.clear()


def items(where: str, vignette: SelfTalk) -> list[Item]:
    """One single-best item: choose the thought."""
    return [Item(where, "single-best", vignette.best.id, options=tuple(t.text for t in vignette.thoughts))]


def widget(practice: SelfTalkPractice):
    from ..widgets.self_talk import SelfTalkWidget

    return SelfTalkWidget(practice)


KIND = Kind("self-talk", SelfTalk, SelfTalkPractice, widget, items)
