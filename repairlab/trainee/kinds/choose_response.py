"""``choose-response``: a client's moment; the trainee says what they notice (no rupture, withdrawal,
confrontation), then tries the responses a therapist could give."""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import CourseError
from ...items import Item
from ...labels import MARKERS
from .kind import Kind
from .shared import pick, unique_ids


@dataclass(frozen=True)
class Response:
    id: str
    text: str
    category: str
    alliance_after: float
    feedback: str
    best: bool = False


@dataclass(frozen=True)
class Question:
    """What a trainee is asked before any response is shown, and the expert answer revealed after."""

    prompt: str
    options: dict[str, str]
    key: str
    reading: str  # the expert answer, in words
    why: str


@dataclass(frozen=True)
class Marker:
    """The expert reading of the client's words, shown only after the trainee has given their own."""

    kind: str  # a key of labels.MARKERS
    why: str
    label: str = ""  # the 3RS marker(s), empty when kind is "none"


def responses(raw: dict, fail) -> tuple[Response, ...]:
    found = tuple(Response(**r) for r in raw["responses"])
    unique_ids(found, "responses", fail)
    if sum(r.best for r in found) != 1:
        fail("field 'responses' must mark exactly one response with 'best: true'")
    return found


@dataclass(frozen=True)
class ChooseResponse:
    """A client's moment and the therapist responses a trainee can choose between."""

    id: str
    title: str
    context: str
    client_says: str
    marker: Marker
    alliance_before: float
    alliance_at_rupture: float
    responses: tuple[Response, ...]
    debrief: str = ""

    @classmethod
    def from_raw(cls, raw: dict, fail) -> "ChooseResponse":
        return cls(
            id=raw["id"], title=raw["title"], context=raw["context"], client_says=raw["client_says"],
            marker=Marker(**raw["marker"]), alliance_before=raw["alliance"]["before"],
            alliance_at_rupture=raw["alliance"]["rupture"], responses=responses(raw, fail),
            debrief=raw.get("debrief", ""),
        )

    @property
    def question(self) -> Question:
        reading = MARKERS[self.marker.kind] + (f": {self.marker.label} (3RS)" if self.marker.label else "")
        return Question("What do you notice in what the client says?", MARKERS, self.marker.kind, reading,
                        self.marker.why)

    @property
    def best(self) -> Response:
        return next(r for r in self.responses if r.best)


class ResponsePractice:
    """A trainee first answers the vignette's question (what do you notice? was it cultural?), then
    tries responses; every try is kept for the plot. The expert reading is revealed only after the
    trainee's own."""

    def __init__(self, vignette: ChooseResponse):
        self.vignette = vignette
        self.noticed: str | None = None
        self.attempts: list[Response] = []

    def notice(self, kind: str) -> Question:
        """Record the trainee's answer to the first question; returns the question, with the expert
        reading to reveal."""
        question = self.vignette.question
        if kind not in question.options:
            raise CourseError(f"{kind!r} is not a choice here; choose one of {', '.join(question.options)}")
        self.noticed = kind
        return question

    @property
    def noticed_as_expert(self) -> bool:
        return self.noticed == self.vignette.question.key

    def choose(self, response_id: str) -> Response:
        if self.noticed is None:
            raise CourseError("say what you notice in the client's words first; then choose a response")
        response = pick(self.vignette.responses, response_id, "response")
        self.attempts.append(response)
        return response

    def path(self, response: Response) -> list[float]:
        """The illustrative alliance before the rupture, at it, and after this response."""
        return [self.vignette.alliance_before, self.vignette.alliance_at_rupture, response.alliance_after]

    def reset(self) -> None:
        self.noticed = None
        self.attempts.clear()


def items(where: str, vignette: ChooseResponse) -> list[Item]:
    """One single-best item: choose the response."""
    return [Item(where, "single-best", vignette.best.id, options=tuple(r.text for r in vignette.responses))]


def widget(practice: ResponsePractice):
    from ..widgets.choose_response import ResponsePracticeWidget

    return ResponsePracticeWidget(practice)


KIND = Kind("choose-response", ChooseResponse, ResponsePractice, widget, items)
