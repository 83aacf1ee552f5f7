"""Vignettes are data: YAML files in ``assets/vignettes/`` that a supervisor can edit, checked
against ``vignette.schema.json`` so a mistake is reported as file, vignette and field."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from .errors import VignetteError
from .labels import CULTURAL_READINGS, MARKERS, STANCES


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


def _unique_ids(options, field: str, fail) -> None:
    """Responses, choices and thoughts are picked by letter: each letter once."""
    ids = [o.id for o in options]
    if len(set(ids)) != len(ids):
        fail(f"field {field!r} repeats an id: {ids}")


def _responses(raw: dict, fail) -> tuple[Response, ...]:
    responses = tuple(Response(**r) for r in raw["responses"])
    _unique_ids(responses, "responses", fail)
    if sum(r.best for r in responses) != 1:
        fail("field 'responses' must mark exactly one response with 'best: true'")
    return responses


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
            alliance_at_rupture=raw["alliance"]["rupture"], responses=_responses(raw, fail),
            debrief=raw.get("debrief", ""),
        )

    @property
    def question(self) -> Question:
        reading = MARKERS[self.marker.kind] + (f": {self.marker.label} (3RS)" if self.marker.label else "")
        return Question("What do you notice in what the client says?", MARKERS, self.marker.kind, reading, self.marker.why)

    @property
    def best(self) -> Response:
        return next(r for r in self.responses if r.best)


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
            alliance_at_rupture=raw["alliance"]["rupture"], responses=_responses(raw, fail),
            debrief=raw.get("debrief", ""), cultural_reading=raw["cultural"]["reading"],
            cultural_why=raw["cultural"]["why"],
        )

    @property
    def question(self) -> Question:
        return Question("Did a cultural rupture happen here?", CULTURAL_READINGS, self.cultural_reading,
                        CULTURAL_READINGS[self.cultural_reading], self.cultural_why)


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
        from .checks import PASS_MARK, reaches_pass_mark

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
class Choice:
    id: str
    text: str
    category: str
    feedback: str
    next: str


@dataclass(frozen=True)
class Resolution:
    rating: int
    why: str


@dataclass(frozen=True)
class Node:
    id: str
    client: str
    alliance: float
    choices: tuple[Choice, ...] = ()
    resolution: Resolution | None = None

    @property
    def ending(self) -> bool:
        return self.resolution is not None


MIN_PATH, MAX_PATH, RECOVERABLE = 3, 5, 3


@dataclass(frozen=True)
class BranchingDialogue:
    """A rupture that unfolds over a few turns; the client's next line depends on the choice made.
    Loading checks it is a real tree: every node reachable, every path ending in 3 to 5 turns, and
    an ending rated at least 3 still reachable after any choice."""

    id: str
    title: str
    context: str
    start: str
    nodes: dict[str, Node]
    debrief: str = ""

    @classmethod
    def from_raw(cls, raw: dict, fail) -> "BranchingDialogue":
        nodes = {}
        for node_id, n in raw["nodes"].items():
            choices = tuple(Choice(**c) for c in n.get("choices", ()))
            _unique_ids(choices, f"nodes.{node_id}.choices", fail)
            for c in choices:
                if c.next not in raw["nodes"]:
                    fail(f"field 'nodes.{node_id}.choices[{c.id}].next' is {c.next!r}, which is not a node")
            resolution = Resolution(**n["resolution"]) if "resolution" in n else None
            nodes[node_id] = Node(node_id, n["client"], n["alliance"], choices, resolution)
        if raw["start"] not in nodes:
            fail(f"field 'start' is {raw['start']!r}, which is not a node")
        vignette = cls(id=raw["id"], title=raw["title"], context=raw["context"], start=raw["start"],
                       nodes=nodes, debrief=raw.get("debrief", ""))
        vignette._check_tree(fail)
        return vignette

    def _check_tree(self, fail) -> None:
        paths = list(self.paths(fail))
        visited = {node for path in paths for node in path}
        unreachable = sorted(set(self.nodes) - visited)
        if unreachable:
            fail(f"field 'nodes': {', '.join(unreachable)} cannot be reached from {self.start!r}")
        for path in paths:
            if not MIN_PATH <= len(path) <= MAX_PATH:
                fail(f"field 'nodes': the path {' > '.join(path)} has {len(path)} turns; every path needs {MIN_PATH} to {MAX_PATH}")
        ratings = {self.nodes[p[-1]].resolution.rating for p in paths}
        if len(ratings) < 2:
            fail("field 'nodes': the endings need at least two different expert ratings")
        for node_id, node in self.nodes.items():
            if not node.ending and self.best_reachable(node_id) < RECOVERABLE:
                fail(f"field 'nodes.{node_id}': no ending rated {RECOVERABLE} or more can be reached from here; "
                     "every choice must stay recoverable")

    def paths(self, fail=None):
        """Every path from the start to an ending, as node ids."""
        def walk(path):
            node = self.nodes[path[-1]]
            if node.ending:
                yield path
            for choice in node.choices:
                if choice.next in path:
                    (fail or _raise)(f"field 'nodes.{node.id}.choices[{choice.id}].next' goes back to {choice.next!r}: "
                                     "a dialogue must not loop")
                yield from walk(path + (choice.next,))
        return walk((self.start,))

    def best_reachable(self, node_id: str) -> int:
        node = self.nodes[node_id]
        if node.ending:
            return node.resolution.rating
        return max(self.best_reachable(c.next) for c in node.choices)

    @property
    def endings(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.ending]


def _raise(message: str):
    raise VignetteError(message)


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
            fail(f"field 'thoughts' must have one thought per stance ({', '.join(STANCES)}); it has {', '.join(stances)}")
        _unique_ids(thoughts, "thoughts", fail)
        return cls(id=raw["id"], title=raw["title"], context=raw["context"], thoughts=thoughts, debrief=raw["debrief"])

    @property
    def best(self) -> Thought:
        return next(t for t in self.thoughts if t.stance == "accountable")


Vignette = ChooseResponse | AttributionCheck | TranscriptCoding | BranchingDialogue | SelfTalk


@cache
def _schema() -> dict:
    return json.loads(resources.files(__package__).joinpath("vignette.schema.json").read_text("utf-8"))


def _field(path) -> str:
    """Render a jsonschema path such as ['responses', 2, 'feedback'] as 'responses[2].feedback'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(the vignette itself)"


def _describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return f"field {_field([*error.absolute_path, missing])!r} is missing"
    if error.validator == "additionalProperties":
        return f"field {_field(error.absolute_path)!r} has an unknown field: {error.message}"
    if error.validator == "oneOf" and {"choices", "resolution"} <= set(error.schema.get("properties", {})):
        return (f"field {_field(error.absolute_path)!r} must have either 'choices' (a turn) or 'resolution' "
                "(an ending), not both or neither")
    if error.validator == "not":
        schemas = error.validator_value.get("anyOf", [error.validator_value])
        extra = sorted({key for sub in schemas for key in sub.get("required", ()) if key in error.instance})
        return f"field {_field(error.absolute_path)!r} must not have {', '.join(map(repr, extra))} here"
    if error.validator == "enum":
        allowed = ", ".join(repr(v) for v in error.validator_value)
        return f"field {_field(error.absolute_path)!r} is {error.instance!r}; allowed: {allowed}"
    return f"field {_field(error.absolute_path)!r}: {error.message}"


def _check(schema: dict, data, fail) -> None:
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if error is not None:
        fail(_describe(error))


def load_vignettes(path: str | Path) -> dict[str, Vignette]:
    """Load one vignette file, in file order, keyed by vignette id. Raises VignetteError."""
    path = Path(path)
    name = path.name

    def fail(message: str, vignette: str | None = None):
        where = f"{name}, vignette {vignette!r}" if vignette else name
        raise VignetteError(f"{where}: {message}")

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail("file not found")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark else ""
        fail(f"not valid YAML{line}: {getattr(exc, 'problem', exc)}")

    from .kinds import KINDS

    schema = _schema()
    _check({k: v for k, v in schema.items() if k != "$defs"}, data, fail)
    vignettes: dict[str, Vignette] = {}
    for index, raw in enumerate(data["vignettes"]):
        label = raw.get("id") if isinstance(raw.get("id"), str) else f"#{index + 1}"
        kind = KINDS.get(raw.get("kind"))
        if kind is None:
            fail(f"field 'kind' is {raw.get('kind')!r}; allowed: {', '.join(map(repr, KINDS))}", label)
        _check({**schema["$defs"][kind.name], "$defs": schema["$defs"]}, raw, lambda m: fail(m, label))
        if label in vignettes:
            fail("this id is used twice in the file", label)
        vignettes[label] = kind.model.from_raw(raw, lambda m: fail(m, label))
    return vignettes


def module_vignettes(module_id: str) -> dict[str, Vignette]:
    """The vignettes of a module registered in the course manifest."""
    from .manifest import load_course

    return load_vignettes(load_course().module(module_id).vignettes)
