"""``attribution-check``: moments of a session the trainee weighs as evidence for the client's pattern,
their own contribution, or both."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ...errors import CourseError
from ...items import Item
from ...labels import ATTRIBUTIONS
from .kind import Kind


@dataclass(frozen=True)
class Moment:
    text: str
    points_to: str
    feedback: str


@dataclass(frozen=True)
class AttributionCheck:
    """Moments of a session the trainee weighs as evidence for a client pattern or their own part."""

    id: str
    title: str
    context: str
    hypothesis: str
    moments: tuple[Moment, ...]
    debrief: str

    @classmethod
    def from_raw(cls, raw: dict, fail) -> "AttributionCheck":
        return cls(id=raw["id"], title=raw["title"], context=raw["context"], hypothesis=raw["hypothesis"],
                   moments=tuple(Moment(**m) for m in raw["moments"]), debrief=raw["debrief"])


class AttributionPractice:
    """A trainee weighs each moment of a session as evidence; the latest judgement per moment counts."""

    def __init__(self, vignette: AttributionCheck):
        self.vignette = vignette
        self.answers: dict[int, str] = {}

    def weigh(self, index: int, attribution: str) -> Moment:
        if attribution not in ATTRIBUTIONS:
            raise CourseError(f"{attribution!r} is not a choice here; choose one of {', '.join(ATTRIBUTIONS)}")
        moment = self.vignette.moments[index]
        self.answers[index] = attribution
        return moment

    def agrees(self, index: int) -> bool:
        return self.answers.get(index) == self.vignette.moments[index].points_to

    @property
    def complete(self) -> bool:
        return len(self.answers) == len(self.vignette.moments)

    @property
    def agreement(self) -> int:
        return sum(self.agrees(i) for i in self.answers)

    def tallies(self) -> tuple[Counter, Counter]:
        """How many moments the trainee and the supervisor's key put under each attribution."""
        mine = Counter(self.answers.values())
        key = Counter(m.points_to for m in self.vignette.moments)
        return mine, key

    def reset(self) -> None:
        self.answers.clear()


def items(where: str, vignette: AttributionCheck) -> list[Item]:
    """One labelling item per moment."""
    return [
        Item(f"{where}, moment {n}", "labelling", m.points_to, text=m.text, labels=tuple(ATTRIBUTIONS))
        for n, m in enumerate(vignette.moments, start=1)
    ]


def widget(practice: AttributionPractice):
    from ..widgets.attribution_check import AttributionCheckWidget

    return AttributionCheckWidget(practice)


KIND = Kind("attribution-check", AttributionCheck, AttributionPractice, widget, items)
