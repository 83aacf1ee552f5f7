"""``branching-dialogue``: a rupture that unfolds over a few turns; the client's next line depends on
the trainee's choice, and at the end the trainee rates how far the rupture was resolved."""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import CourseError, VignetteError
from ...items import Item
from ...labels import RESOLUTION_ANCHORS
from .kind import Kind
from .shared import pick, unique_ids

MIN_PATH, MAX_PATH, RECOVERABLE = 3, 5, 3
# A turn with exactly one of these moves among its choices is a single-best item for the audit.
GOOD_MOVES = {"owning", "holding", "immediate", "safety-check", "exploring", "cultural-humility"}


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
            unique_ids(choices, f"nodes.{node_id}.choices", fail)
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
                fail(f"field 'nodes': the path {' > '.join(path)} has {len(path)} turns; "
                     f"every path needs {MIN_PATH} to {MAX_PATH}")
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
                    (fail or _raise)(f"field 'nodes.{node.id}.choices[{choice.id}].next' goes back to "
                                     f"{choice.next!r}: a dialogue must not loop")
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


class BranchPractice:
    """Walk one path through a branching dialogue, then rate how far the rupture was resolved."""

    def __init__(self, vignette: BranchingDialogue):
        self.vignette = vignette
        self.replay()

    def replay(self) -> None:
        self.path: list[str] = [self.vignette.start]
        self.taken: list[Choice] = []
        self.rating: int | None = None

    @property
    def node(self) -> Node:
        return self.vignette.nodes[self.path[-1]]

    @property
    def finished(self) -> bool:
        return self.node.ending

    def choose(self, choice_id: str) -> Choice:
        if self.finished:
            raise CourseError("the dialogue has ended: rate how far the rupture was resolved, or replay")
        choice = pick(self.node.choices, choice_id, "choice")
        self.taken.append(choice)
        self.path.append(choice.next)
        return choice

    def rate(self, rating: int) -> Resolution:
        """The trainee's 1-5 rating; returns the expert's to reveal."""
        if not self.finished:
            raise CourseError("finish the dialogue before you rate how far the rupture was resolved")
        if rating not in RESOLUTION_ANCHORS:
            raise CourseError(f"{rating!r} is not a rating; choose a whole number from 1 to 5")
        self.rating = rating
        return self.node.resolution

    @property
    def alliance(self) -> list[float]:
        return [self.vignette.nodes[n].alliance for n in self.path]


def items(where: str, vignette: BranchingDialogue) -> list[Item]:
    """A single-best item for each turn with one sound move among its choices."""
    found = []
    for node in vignette.nodes.values():
        good = [c for c in node.choices if c.category in GOOD_MOVES]
        if len(good) == 1:
            found.append(Item(f"{where}, turn {node.id!r}", "single-best", good[0].id,
                              options=tuple(c.text for c in node.choices)))
    return found


def widget(practice: BranchPractice):
    from ..widgets.branching_dialogue import BranchingDialogueWidget

    return BranchingDialogueWidget(practice)


KIND = Kind("branching-dialogue", BranchingDialogue, BranchPractice, widget, items)
