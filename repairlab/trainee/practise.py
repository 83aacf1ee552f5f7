"""``practise(module, vignette)``: what a reading's code cell calls to show a vignette (notebooks
import it as ``from repairlab.widgets import practise``)."""

from __future__ import annotations

from ..errors import CourseError
from .kinds import kind_of
from .vignettes import module_vignettes


def practise(module_id: str, vignette_id: str):
    """The interactive vignette ``vignette_id`` of a module, ready to display."""
    vignettes = module_vignettes(module_id)
    if vignette_id not in vignettes:
        raise CourseError(f"module {module_id!r} has no vignette {vignette_id!r}; it has: {', '.join(vignettes)}")
    vignette = vignettes[vignette_id]
    return kind_of(vignette).make_widget(vignette)
