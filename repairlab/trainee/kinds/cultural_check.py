"""``cultural-check``: a choose-response moment whose first question is whether a cultural rupture
happened; practised, shown and audited as a choose-response vignette."""

from __future__ import annotations

from dataclasses import dataclass

from ...labels import CULTURAL_READINGS
from . import choose_response
from .choose_response import ChooseResponse, Marker, Question
from .kind import Kind


@dataclass(frozen=True)
class CulturalCheck(ChooseResponse):
    """A choose-response moment whose first question is whether a cultural rupture happened."""

    cultural_reading: str = ""
    cultural_why: str = ""

    @classmethod
    def from_raw(cls, raw: dict, fail) -> "CulturalCheck":
        return cls(
            id=raw["id"], title=raw["title"], context=raw["context"], client_says=raw["client_says"],
            marker=Marker("none", ""), alliance_before=raw["alliance"]["before"],
            alliance_at_rupture=raw["alliance"]["rupture"], responses=choose_response.responses(raw, fail),
            debrief=raw.get("debrief", ""), cultural_reading=raw["cultural"]["reading"],
            cultural_why=raw["cultural"]["why"],
        )

    @property
    def question(self) -> Question:
        return Question("Did a cultural rupture happen here?", CULTURAL_READINGS, self.cultural_reading,
                        CULTURAL_READINGS[self.cultural_reading], self.cultural_why)


KIND = Kind("cultural-check", CulturalCheck, choose_response.ResponsePractice, choose_response.widget,
            choose_response.items)
