"""What happens in a practice vignette, as plain Python the widgets drive and the tests call."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .agreement import cohen_kappa, percent_agreement
from .checks import reaches_pass_mark
from .errors import CourseError
from .labels import ATTRIBUTIONS, MARKERS, THREE_RS, RESOLUTION_ANCHORS
from .vignettes import (AttributionCheck, BranchingDialogue, ChooseResponse, Choice, Moment, Node, Question,
                        Resolution, Response, SelfTalk, Thought, TranscriptCoding)


def pick(options, option_id: str, what: str):
    """The option with this letter, or an error that lists the letters there are."""
    for option in options:
        if option.id == option_id:
            return option
    ids = ", ".join(o.id for o in options)
    raise CourseError(f"there is no {what} {option_id!r} here; choose one of {ids}")


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


@dataclass(frozen=True)
class CodedTurn:
    number: int  # the turn's number in the transcript
    text: str
    mine: str
    key: str
    my_marker: str
    key_marker: str
    why: str

    @property
    def agrees(self) -> bool:
        return self.mine == self.key


@dataclass(frozen=True)
class CodingResult:
    """The trainee's coding against the expert key, turn by turn."""

    turns: tuple[CodedTurn, ...]
    agreement: float
    kappa: float | None

    @property
    def passed(self) -> bool:
        return reaches_pass_mark(self.agreement)

    def confusion(self) -> dict[tuple[str, str], int]:
        """(key code, trainee's code) -> number of turns."""
        counts = Counter((t.key, t.mine) for t in self.turns)
        return {(k, m): counts[(k, m)] for k in MARKERS for m in MARKERS}

    @property
    def markers_named(self) -> tuple[int, int]:
        """Of the rupture turns both coded alike, how many got the expert's 3RS marker, and how many there were."""
        alike = [t for t in self.turns if t.agrees and t.key != "none"]
        return sum(t.my_marker == t.key_marker for t in alike), len(alike)


class TranscriptPractice:
    """Code every client turn (and, for a rupture, its 3RS marker); the key is revealed only once the
    whole coding is submitted."""

    def __init__(self, vignette: TranscriptCoding):
        self.vignette = vignette
        self.codes: dict[int, str] = {}
        self.markers: dict[int, str] = {}
        self.result: CodingResult | None = None

    def code(self, index: int, code: str, marker: str = "") -> None:
        """Code the ``index``-th client turn (from 0)."""
        if self.result is not None:
            raise CourseError("this coding is submitted; start again to code the transcript anew")
        if code not in MARKERS:
            raise CourseError(f"{code!r} is not a code here; choose one of {', '.join(MARKERS)}")
        if marker and marker not in THREE_RS.get(code, {}):
            raise CourseError(f"{marker!r} is not a {code} marker of the 3RS")
        self.codes[index] = code
        self.markers[index] = marker

    @property
    def remaining(self) -> int:
        return len(self.vignette.client_turns) - len(self.codes)

    def submit(self) -> CodingResult:
        if self.remaining:
            raise CourseError(f"code every client turn before you submit: {self.remaining} still to code")
        turns = tuple(
            CodedTurn(number, turn.text, self.codes[i], turn.code, self.markers.get(i, ""), turn.marker, turn.why)
            for i, (number, turn) in enumerate(self.vignette.client_turns)
        )
        mine, key = [t.mine for t in turns], [t.key for t in turns]
        self.result = CodingResult(turns, percent_agreement(mine, key), cohen_kappa(mine, key))
        return self.result

    def reset(self) -> None:
        self.codes.clear()
        self.markers.clear()
        self.result = None


class BranchPractice:
    """Walk one path through a branching dialogue, then rate how far the rupture was resolved."""

    def __init__(self, vignette: BranchingDialogue):
        self.vignette = vignette
        self.replay()

    def replay(self) -> None:
        self.path: list[str] = [self.vignette.start]
        self.taken: list[Choice] = []
        self.rating: int | None = None

    @property
    def node(self) -> Node:
        return self.vignette.nodes[self.path[-1]]

    @property
    def finished(self) -> bool:
        return self.node.ending

    def choose(self, choice_id: str) -> Choice:
        if self.finished:
            raise CourseError("the dialogue has ended: rate how far the rupture was resolved, or replay")
        choice = pick(self.node.choices, choice_id, "choice")
        self.taken.append(choice)
        self.path.append(choice.next)
        return choice

    def rate(self, rating: int) -> Resolution:
        """The trainee's 1-5 rating; returns the expert's to reveal."""
        if not self.finished:
            raise CourseError("finish the dialogue before you rate how far the rupture was resolved")
        if rating not in RESOLUTION_ANCHORS:
            raise CourseError(f"{rating!r} is not a rating; choose a whole number from 1 to 5")
        self.rating = rating
        return self.node.resolution

    @property
    def alliance(self) -> list[float]:
        return [self.vignette.nodes[n].alliance for n in self.path]


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
