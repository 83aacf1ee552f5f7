"""What happens in a practice vignette, as plain Python the widgets drive and the tests call."""

from __future__ import annotations

from collections import Counter

from .errors import CourseError
from .labels import ATTRIBUTIONS, MARKERS
from .vignettes import AttributionCheck, ChooseResponse, Marker, Moment, Response


class ResponsePractice:
    """A trainee first says what they notice in the client's words, then tries responses; every
    try is kept for the plot. The expert reading is revealed only after the trainee's own."""

    def __init__(self, vignette: ChooseResponse):
        self.vignette = vignette
        self.noticed: str | None = None
        self.attempts: list[Response] = []

    def notice(self, kind: str) -> Marker:
        """Record what the trainee noticed; returns the expert reading to reveal."""
        if kind not in MARKERS:
            raise CourseError(f"{kind!r} is not a choice here; choose one of {', '.join(MARKERS)}")
        self.noticed = kind
        return self.vignette.marker

    @property
    def noticed_as_expert(self) -> bool:
        return self.noticed == self.vignette.marker.kind

    def choose(self, response_id: str) -> Response:
        if self.noticed is None:
            raise CourseError("say what you notice in the client's words first; then choose a response")
        try:
            response = self.vignette.response(response_id)
        except KeyError:
            ids = ", ".join(r.id for r in self.vignette.responses)
            raise CourseError(f"there is no response {response_id!r} in this vignette; choose one of {ids}") from None
        self.attempts.append(response)
        return response

    def path(self, response: Response) -> list[float]:
        """The illustrative alliance before the rupture, at it, and after this response."""
        return [self.vignette.alliance_before, self.vignette.alliance_at_rupture, response.alliance_after]

    def reset(self) -> None:
        self.noticed = None
        self.attempts.clear()


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
