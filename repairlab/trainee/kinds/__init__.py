"""The vignette kinds, registered the right way up: each kind's module supplies its model, practice
logic, widget and audit items in one ``Kind`` (its schema is its ``$defs`` entry in
``vignette.schema.json``), and this registry only lists them. A kind that is not here is an error
when a vignette file is loaded.

A new kind: a module here (model, practice, ``items``, ``widget``, ``KIND``), its widget in
``repairlab/trainee/widgets/``, its ``$defs`` entry in the schema, and one line below.
"""

from __future__ import annotations

from . import (
    attribution_check,
    branching_dialogue,
    choose_response,
    cultural_check,
    self_talk,
    transcript_coding,
)
from .kind import Kind

KINDS: dict[str, Kind] = {
    module.KIND.name: module.KIND
    for module in (choose_response, attribution_check, transcript_coding, branching_dialogue, cultural_check,
                   self_talk)
}


def kind_of(vignette) -> Kind:
    """The registered kind of a loaded vignette (its exact model class)."""
    for kind in KINDS.values():
        if type(vignette) is kind.model:
            return kind
    raise KeyError(type(vignette).__name__)
