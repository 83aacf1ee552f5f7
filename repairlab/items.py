"""Assessment items as data: the one shape the item audit reads, whether an item comes from a
vignette (each kind lists its own) or from an exercise's autograded part (read from the source
notebook by ``repairlab.nbgrader_api.parts``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """One judgement a trainee makes: pick the key among ``options`` (single-best), or give
    ``text`` one of ``labels`` (labelling; a choose-all option is labelled True or False)."""

    where: str
    kind: str  # "single-best" | "labelling" | "rating"
    key: str | bool | int
    options: tuple[str, ...] = ()
    text: str = ""
    labels: tuple = ()

    @property
    def key_index(self) -> int:
        return ord(str(self.key)) - ord("A")
