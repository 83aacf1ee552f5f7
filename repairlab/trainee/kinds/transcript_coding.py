"""``transcript-coding``: a session transcript whose client turns the trainee codes (and names the
3RS marker of), before seeing the expert key, agreement and Cohen's kappa."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ...agreement import cohen_kappa, percent_agreement
from ...checks import PASS_MARK, reaches_pass_mark
from ...errors import CourseError
from ...items import Item
from ...labels import MARKERS, THREE_RS
from .kind import Kind


@dataclass(frozen=True)
class Turn:
    speaker: str  # therapist | client
    text: str
    code: str = ""  # client turns: a key of labels.MARKERS
    marker: str = ""  # a key of labels.THREE_RS_MARKERS when code is a rupture
    why: str = ""


@dataclass(frozen=True)
class TranscriptCoding:
    """A session transcript whose client turns the trainee codes before seeing the expert key."""

    id: str
    title: str
    context: str
    turns: tuple[Turn, ...]
    debrief: str

    @classmethod
    def from_raw(cls, raw: dict, fail) -> "TranscriptCoding":
        vignette = cls(id=raw["id"], title=raw["title"], context=raw["context"],
                       turns=tuple(Turn(**t) for t in raw["turns"]), debrief=raw["debrief"])
        codes = vignette.key
        missing = {"withdrawal", "confrontation"} - set(codes)
        if missing:
            fail(f"field 'turns' has no client turn coded {' or '.join(sorted(missing))}; a transcript needs both")
        for code in MARKERS:
            if reaches_pass_mark(codes.count(code) / len(codes)):
                fail(f"field 'turns': coding every client turn {code!r} would reach the {PASS_MARK:.0%} pass mark; "
                     f"{codes.count(code)} of {len(codes)} client turns are {code!r}")
        return vignette

    @property
    def client_turns(self) -> list[tuple[int, Turn]]:
        """(number in the transcript, turn) for each turn the trainee codes."""
        return [(n, t) for n, t in enumerate(self.turns, start=1) if t.speaker == "client"]

    @property
    def key(self) -> list[str]:
        return [t.code for _, t in self.client_turns]


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


def items(where: str, vignette: TranscriptCoding) -> list[Item]:
    """One labelling item per client turn."""
    return [
        Item(f"{where}, turn {n}", "labelling", t.code, text=t.text, labels=tuple(MARKERS))
        for n, t in vignette.client_turns
    ]


def widget(practice: TranscriptPractice):
    from ..widgets.transcript_coding import TranscriptCodingWidget

    return TranscriptCodingWidget(practice)


KIND = Kind("transcript-coding", TranscriptCoding, TranscriptPractice, widget, items)
