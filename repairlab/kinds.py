"""The one place vignette kinds are registered: each kind's schema (a ``$defs`` entry of
``vignette.schema.json`` of the same name), its model, its practice logic and its widget. A kind
that is not here is an error when a vignette file is loaded."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from . import practice, vignettes


@dataclass(frozen=True)
class Kind:
    name: str
    model: type
    practice: type
    widget: str  # a class in repairlab.widgets, imported only when a widget is wanted (ipywidgets)

    def make_widget(self, vignette):
        return getattr(import_module(".widgets", __package__), self.widget)(vignette)


KINDS = {
    kind.name: kind
    for kind in (
        Kind("choose-response", vignettes.ChooseResponse, practice.ResponsePractice, "ResponsePracticeWidget"),
        Kind("attribution-check", vignettes.AttributionCheck, practice.AttributionPractice, "AttributionCheckWidget"),
        Kind("transcript-coding", vignettes.TranscriptCoding, practice.TranscriptPractice, "TranscriptCodingWidget"),
        Kind("branching-dialogue", vignettes.BranchingDialogue, practice.BranchPractice, "BranchingDialogueWidget"),
        Kind("cultural-check", vignettes.CulturalCheck, practice.ResponsePractice, "ResponsePracticeWidget"),
        Kind("self-talk", vignettes.SelfTalk, practice.SelfTalkPractice, "SelfTalkWidget"),
    )
}


def kind_of(vignette) -> Kind:
    """The registered kind of a loaded vignette (its exact model class)."""
    for kind in KINDS.values():
        if type(vignette) is kind.model:
            return kind
    raise KeyError(type(vignette).__name__)
