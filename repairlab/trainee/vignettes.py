"""Vignettes are data: YAML files in ``assets/vignettes/`` that a supervisor can edit, checked
against ``vignette.schema.json`` so a mistake is reported as file, vignette and field. Each vignette
is made by its kind (``repairlab.trainee.kinds``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from .. import quick_imports
from ..course import load_course
from ..errors import VignetteError
from .kinds import KINDS
from .schema import file_schema


def _field(path) -> str:
    """Render a jsonschema path such as ['responses', 2, 'feedback'] as 'responses[2].feedback'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(the vignette itself)"


def _describe(error) -> str:
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
    jsonschema = quick_imports.jsonschema()
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if error is not None:
        fail(_describe(error))


def load_vignettes(path: str | Path) -> dict[str, object]:
    """Load one vignette file, in file order, keyed by vignette id. Raises VignetteError. A file is
    read once per process until it changes: a reading's vignettes and its header share one load."""
    path = Path(path)
    try:
        changed = path.stat().st_mtime_ns
    except OSError:
        changed = None
    return dict(_load(path, changed))


@lru_cache(maxsize=32)
def _load(path: Path, _changed) -> dict[str, object]:
    name = path.name

    def fail(message: str, vignette: str | None = None):
        where = f"{name}, vignette {vignette!r}" if vignette else name
        raise VignetteError(f"{where}: {message}")

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        fail("file not found")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark else ""
        fail(f"not valid YAML{line}: {getattr(exc, 'problem', exc)}")

    _check(file_schema(), data, fail)
    vignettes: dict[str, object] = {}
    for index, raw in enumerate(data["vignettes"]):
        label = raw.get("id") if isinstance(raw.get("id"), str) else f"#{index + 1}"
        kind = KINDS.get(raw.get("kind"))
        if kind is None:
            fail(f"field 'kind' is {raw.get('kind')!r}; allowed: {', '.join(map(repr, KINDS))}", label)
        _check(kind.schema, raw, lambda m: fail(m, label))
        if label in vignettes:
            fail("this id is used twice in the file", label)
        vignettes[label] = kind.model.from_raw(raw, lambda m: fail(m, label))
    return vignettes


def module_vignettes(module_id: str) -> dict[str, object]:
    """The vignettes of a module registered in the course manifest."""
    return load_vignettes(load_course().module(module_id).vignettes)
