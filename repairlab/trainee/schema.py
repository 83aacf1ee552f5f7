"""The vignette schema (``vignette.schema.json``): the file's own shape, and one ``$defs`` entry per
kind that ``repairlab.trainee.kinds.Kind.schema`` hands to the loader."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def vignette_schema() -> dict:
    return json.loads(resources.files(__package__).joinpath("vignette.schema.json").read_text("utf-8"))


def file_schema() -> dict:
    """What a vignette file must look like, without the kinds' definitions."""
    return {k: v for k, v in vignette_schema().items() if k != "$defs"}


def kind_schema(name: str) -> dict:
    """The schema of one vignette of kind ``name``, with the shared definitions it refers to."""
    defs = vignette_schema()["$defs"]
    return {**defs[name], "$defs": defs}
