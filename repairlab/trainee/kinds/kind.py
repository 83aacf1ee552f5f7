"""What a vignette kind is made of. Each kind module supplies all of it in one ``Kind``, so a kind
cannot be registered with a part missing: the item audit, for one, asks the kind for its items."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...items import Item
from ..schema import kind_schema


@dataclass(frozen=True)
class Kind:
    name: str  # the ``kind:`` of a vignette in YAML, and its ``$defs`` entry in vignette.schema.json
    model: type  # the vignette as data, made by ``model.from_raw(raw, fail)``
    practice: type  # what happens in practice, as plain Python the widget drives and tests call
    widget: Callable  # practice -> widget (imports ipywidgets only when a widget is wanted)
    items: Callable[[str, object], list[Item]]  # (where, vignette) -> the items the audit checks

    @property
    def schema(self) -> dict:
        return kind_schema(self.name)

    def make_widget(self, vignette):
        """The vignette's widget, with its kind as a CSS class (``repairlab-transcript-coding``):
        the browser test and any course stylesheet find it by that."""
        widget = self.widget(self.practice(vignette))
        widget.add_class(f"repairlab-{self.name}")
        return widget
