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

KINDS = ("choose-response", "attribution-check")

@dataclass(frozen=True)
class Response:
    id: str
    text: str
    category: str
    alliance_after: float
    feedback: str
    best: bool = False


@dataclass(frozen=True)
class Marker:
    """The expert reading of the client's words, shown only after the trainee has given their own."""

    kind: str  # a key of labels.MARKERS
    why: str
    label: str = ""  # the 3RS marker(s), empty when kind is "none"


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

    @property
    def best(self) -> Response:
        return next(r for r in self.responses if r.best)

    def response(self, response_id: str) -> Response:
        for r in self.responses:
            if r.id == response_id:
                return r
        raise KeyError(response_id)


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


Vignette = ChooseResponse | AttributionCheck


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

    schema = _schema()
    _check({k: v for k, v in schema.items() if k != "$defs"}, data, fail)
    vignettes: dict[str, Vignette] = {}
    for index, raw in enumerate(data["vignettes"]):
        label = raw.get("id") if isinstance(raw.get("id"), str) else f"#{index + 1}"
        kind = raw.get("kind")
        if kind not in KINDS:
            fail(f"field 'kind' is {kind!r}; allowed: {', '.join(map(repr, KINDS))}", label)
        _check({**schema["$defs"][kind], "$defs": schema["$defs"]}, raw, lambda m: fail(m, label))
        if label in vignettes:
            fail("this id is used twice in the file", label)
        vignettes[label] = _build(raw, lambda m: fail(m, label))
    return vignettes


def _build(raw: dict, fail) -> Vignette:
    if raw["kind"] == "choose-response":
        responses = tuple(Response(**r) for r in raw["responses"])
        ids = [r.id for r in responses]
        if len(set(ids)) != len(ids):
            fail(f"field 'responses' repeats an id: {ids}")
        if sum(r.best for r in responses) != 1:
            fail("field 'responses' must mark exactly one response with 'best: true'")
        return ChooseResponse(
            id=raw["id"], title=raw["title"], context=raw["context"], client_says=raw["client_says"],
            marker=Marker(**raw["marker"]), alliance_before=raw["alliance"]["before"],
            alliance_at_rupture=raw["alliance"]["rupture"], responses=responses, debrief=raw.get("debrief", ""),
        )
    return AttributionCheck(
        id=raw["id"], title=raw["title"], context=raw["context"], hypothesis=raw["hypothesis"],
        moments=tuple(Moment(**m) for m in raw["moments"]), debrief=raw["debrief"],
    )


def module_vignettes(module_id: str) -> dict[str, Vignette]:
    """The vignettes of a module registered in the course manifest."""
    from .manifest import load_course

    return load_vignettes(load_course().module(module_id).vignettes)
