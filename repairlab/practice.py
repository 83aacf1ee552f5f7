"""What happens in a practice vignette, as plain Python the widgets drive and the tests call."""

from __future__ import annotations

from collections import Counter

from .errors import CourseError
from .labels import ATTRIBUTIONS
from .vignettes import AttributionCheck, ChooseResponse, Moment, Response


class ResponsePractice:
    """A trainee tries responses to one rupture moment; every try is kept for the plot."""

    def __init__(self, vignette: ChooseResponse):
        self.vignette = vignette
        self.attempts: list[Response] = []

    def choose(self, response_id: str) -> Response:
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
