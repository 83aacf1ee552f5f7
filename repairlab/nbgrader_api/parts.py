"""An exercise's autograded parts as data, read from its source notebook where the hidden tests are.

An exercise's autograded part is three cells in a row: the markdown cell that holds its items, the
answer cell (one plain literal), and the grade cell whose visible check names the allowed labels and
whose hidden test holds the key. Nothing here runs notebook code: keys are read from the source
notebook with ``ast.literal_eval``, so the item audit and the trusted grader see the same key the
hidden test does, and no copy of it can drift.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .. import labels
from ..checks import RATING_SCALE
from ..errors import CourseError
from ..items import Item
from . import cells

SCORERS = ("score_items", "score_selection", "score_agreement", "score_ratings")
CHECKS = ("check_list", "check_selection", "check_ratings")
OPTION = re.compile(r"^\s*[-*] \*\*([A-Z])\.\*\*\s*(.*)$")
STEM = re.compile(r"^\*\*[A-Z][\w ]*? \d+\.\*\*")
NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")
THERAPIST = re.compile(r"\*Therapist:\*")
CLIENT_TURN = re.compile(r"^\*\*C(\d+)\.\*\*\s*\*Client:\*\s*(.*)$")
ATTEMPT = re.compile(r"^\*\*Attempt (\d+)\.\*\*\s*(.*)$")
FEEDBACK = ("chosen", "label_checks", "look_again")  # a scorer's sentences about the answers it did not expect
ITEM_WORDS = {"score_agreement": "Turn", "score_ratings": "Attempt"}  # the scorers' own defaults


class ItemError(CourseError):
    """An exercise's items or key cannot be read; names the notebook and the cell."""


@dataclass(frozen=True)
class Part:
    """An autograded part of an exercise, with its key as the hidden test states it."""

    exercise: str
    grade_id: str
    answer_id: str  # grade id of the answer cell
    variable: str
    scorer: str  # one of SCORERS
    allowed: tuple[str, ...]
    count: int | None
    points: float
    item_word: str
    key: tuple  # score_items: ((label, why), ...); score_selection: ((option, belongs, why), ...)
    items: tuple[Item, ...]
    feedback: dict = field(default_factory=dict)  # what the scorer says about a missed item (FEEDBACK)

    @property
    def label_set(self) -> tuple:
        return (True, False) if self.scorer == "score_selection" else self.allowed


def _calls(source: str, where: str) -> dict[str, ast.Call]:
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ItemError(f"{where}: the test cell is not valid Python ({exc.msg})") from None
    return {
        node.func.id: node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SCORERS + CHECKS
    }


def _kwarg(call: ast.Call, name: str, where: str, default=...):
    for kw in call.keywords:
        if kw.arg == name:
            if isinstance(kw.value, ast.Call) and getattr(kw.value.func, "id", "") == "list" and kw.value.args:
                target = kw.value.args[0]  # list(NAME) of a label dict in repairlab.labels
                if isinstance(target, ast.Name) and hasattr(labels, target.id):
                    return tuple(getattr(labels, target.id))
            try:
                return ast.literal_eval(kw.value)
            except ValueError:
                raise ItemError(f"{where}: {name}= must be a plain value") from None
    if default is ...:
        raise ItemError(f"{where}: the call has no {name}=")
    return default


def _variable(call: ast.Call, where: str) -> str:
    if not call.args or not isinstance(call.args[0], ast.Name):
        raise ItemError(f"{where}: the first argument must be the answer variable")
    return call.args[0].id


def _option_groups(text: str) -> list[list[str]]:
    """Lettered options, grouped by the stem (``**Situation 1.**``) they follow."""
    groups: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        option = OPTION.match(line)
        if STEM.match(line.strip()):
            current = None
        elif option:
            if current is None:
                current = []
                groups.append(current)
            current.append(option.group(2).strip())
        elif current and line.startswith("  ") and line.strip():
            current[-1] += " " + line.strip()
        elif line.strip():
            current = None
    return groups


def _numbered(text: str) -> list[str]:
    """Items of a numbered list; the statement after ``*Therapist:*`` when there is one."""
    items: list[str] = []
    for line in text.splitlines():
        match = NUMBERED.match(line)
        if match:
            items.append(match.group(2))
        elif items and line.startswith("   ") and line.strip():
            items[-1] += " " + line.strip()
        elif items and not line.strip():
            continue
        elif items:
            break
    return [THERAPIST.split(item, 1)[-1].strip().strip('"“”') for item in items]


def exercise_parts(exercise_id: str, notebook: Path) -> list[Part]:
    """Every autograded part of a source (solutions) notebook."""
    nb = nbformat.read(notebook, as_version=4)
    name = Path(notebook).name
    parts = []
    for index, cell in enumerate(nb.cells):
        meta = cells.nbgrader(cell)
        if not cells.is_test(cell):
            continue
        where = f"{name}, cell {meta['grade_id']!r}"
        if "BEGIN HIDDEN TESTS" not in cell.source:
            continue
        calls = _calls(cell.source, where)
        scorer = next((c for c in SCORERS if c in calls), None)
        check = next((c for c in CHECKS if c in calls), None)
        if scorer is None or check is None:
            raise ItemError(f"{where}: a graded part needs a visible {' or '.join(CHECKS)} and a hidden "
                            f"{' or '.join(SCORERS)}")
        if index < 2 or not cells.is_answer(nb.cells[index - 1]) or nb.cells[index - 2].cell_type != "markdown":
            raise ItemError(f"{where}: expected the items (markdown) and the answer cell directly above it")
        answer, items_cell = nb.cells[index - 1], nb.cells[index - 2]
        call = calls[scorer]
        variable = _variable(call, where)
        raw_key = _kwarg(call, "key", where)
        if scorer == "score_selection":
            key = tuple((option, belongs, why) for option, (belongs, why) in raw_key.items())
        else:
            key = tuple((label, why) for label, why in raw_key)
        allowed = (tuple(_kwarg(calls[check], "allowed", where)) if check != "check_ratings"
                   else RATING_SCALE)
        part = Part(
            exercise=exercise_id,
            grade_id=meta["grade_id"],
            answer_id=cells.grade_id(answer),
            variable=variable,
            scorer=scorer,
            allowed=allowed,
            count=_kwarg(calls[check], "count", where, None),
            points=float(_kwarg(call, "points", where)),
            item_word=_kwarg(call, "item", where, ITEM_WORDS.get(scorer, "Item")),
            key=key,
            items=(),
            feedback={name: value for name in FEEDBACK
                      if (value := _kwarg(call, name, where, None)) is not None},
        )
        parts.append(_with_items(part, items_cell.source, f"{name}, part {meta['grade_id']!r}"))
    return parts


def _paragraph_items(pattern: re.Pattern, text: str) -> list[str]:
    """Items that each start a paragraph with a bold number (``**C3.** *Client:* ...``,
    ``**Attempt 1.** ...``), with the lines that continue them."""
    found: dict[int, str] = {}
    current = None
    for line in text.splitlines():
        match = pattern.match(line.strip())
        if match:
            current = int(match.group(1))
            found[current] = match.group(2).strip()
        elif current is not None and line.strip() and not line.lstrip().startswith("**"):
            found[current] += " " + line.strip()
        else:
            current = None
    return [found[n].strip().strip('"“”') for n in sorted(found)]


def _with_items(part: Part, text: str, where: str) -> Part:
    groups = _option_groups(text)
    if part.scorer in ("score_agreement", "score_ratings"):
        agreement = part.scorer == "score_agreement"
        texts = _paragraph_items(CLIENT_TURN if agreement else ATTEMPT, text)
        shape = "client turns '**C1.** *Client:* ...'" if agreement else "attempts '**Attempt 1.** ...'"
        if len(texts) != len(part.key):
            raise ItemError(f"{where}: {len(texts)} {shape} but the key has {len(part.key)} answers")
        items = tuple(
            Item(f"{where}, {part.item_word.lower()} {n}", "labelling" if agreement else "rating", label, text=t,
                 labels=part.allowed)
            for n, ((label, _), t) in enumerate(zip(part.key, texts), start=1)
        )
    elif part.scorer == "score_selection":
        if len(groups) != 1 or len(groups[0]) != len(part.key):
            raise ItemError(f"{where}: expected one list of {len(part.key)} options '- **A.** ...'")
        items = tuple(
            Item(f"{where}, option {option}", "labelling", belongs, text=text, labels=(True, False))
            for (option, belongs, _), text in zip(part.key, groups[0])
        )
    elif groups:
        if len(groups) != len(part.key):
            raise ItemError(f"{where}: {len(groups)} groups of options but the key has {len(part.key)} answers")
        items = tuple(
            Item(f"{where}, {part.item_word.lower()} {n}", "single-best", label, options=tuple(options))
            for n, ((label, _), options) in enumerate(zip(part.key, groups), start=1)
        )
    else:
        statements = _numbered(text)
        if len(statements) != len(part.key):
            raise ItemError(f"{where}: {len(statements)} numbered items but the key has {len(part.key)} answers")
        items = tuple(
            Item(f"{where}, {part.item_word.lower()} {n}", "labelling", label, text=statement, labels=part.allowed)
            for n, ((label, _), statement) in enumerate(zip(part.key, statements), start=1)
        )
    return Part(**{**part.__dict__, "items": items})


def journal_cells(notebook: Path) -> dict[str, float]:
    """Grade id -> points of each private journal cell (tagged ``journal`` in the source notebook).
    Journals are graded on completion only and their text never leaves the trainee's notebook."""
    nb = nbformat.read(notebook, as_version=4)
    found = {}
    for cell in nb.cells:
        meta = cells.nbgrader(cell)
        if cells.is_journal(cell):
            if not (cell.cell_type == "markdown" and meta.get("grade") and cells.is_answer(cell)):
                raise ItemError(f"{Path(notebook).name}: a journal cell must be a manually graded markdown answer")
            found[meta["grade_id"]] = float(meta["points"])
    return found
