"""What is still missing from a trainee's saved exercise, said per part before it is handed in ("Part B
has 2 of 4 answers; Part C is blank"), so an unfinished exercise is not sent without a word.

The saved notebook is read as data and never run: answers with ``checks.answer_value`` (the reader the
grader uses), the number each part asks for from the ``count=`` of its visible check, and a written answer
or journal entry is blank when it is empty or still the release's placeholder. It only counts; whether an
answer is right is the grader's business.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..checks import AnswerError, answer_value, as_answers

PART = re.compile(r"^#{2}\s*(Part [A-Z])\b")
VARIABLE = re.compile(r"^([A-Za-z_]\w*)\s*=", re.MULTILINE)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _nbgrader(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _asked(check: str) -> int | None:
    """The ``count=`` a visible check asks for (None: any number, e.g. a selection)."""
    try:
        tree = ast.parse(check)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "count" and isinstance(keyword.value, ast.Constant):
                    return keyword.value.value
    return None


@dataclass
class _Part:
    name: str
    answers: int = 0
    asked: int = 0  # answers asked for by counted checks
    open_ended: bool = False  # a selection: any number of answers, at least one
    written: int = 0  # written answers and journal entries with words in them
    to_write: int = 0
    unreadable: bool = False

    def missing(self) -> str | None:
        empty = not self.answers and not self.written and not self.unreadable
        if self.unreadable:
            return f"{self.name}'s answers cannot be read (run its check in the exercise to see what to fix)"
        if empty and (self.asked or self.open_ended or self.to_write):
            return f"{self.name} is blank"
        if self.asked and self.answers < self.asked:
            return f"{self.name} has {self.answers} of {self.asked} answers"
        if self.open_ended and not self.answers:
            return f"{self.name} has no answer yet"
        if self.to_write > 1 and self.written < self.to_write:
            return f"{self.name} has {self.written} of {self.to_write} entries written"
        if self.to_write and not self.written:
            return f"{self.name}'s written answer is blank"
        return None


def _placeholders(release: Path) -> set[str]:
    """The release's text of every cell a trainee writes in (unchanged, it is not an answer)."""
    return {_text(c).strip() for c in _cells(release) if c["cell_type"] == "markdown"
            and (not _nbgrader(c) or _nbgrader(c).get("solution"))}


def _written(cell: dict, placeholders: set[str]) -> bool:
    return bool(_text(cell).strip()) and _text(cell).strip() not in placeholders


def missing(notebook: Path, release: Path) -> list[str]:
    """One phrase per unfinished part of the saved ``notebook``, in order; [] when every part is answered."""
    cells, placeholders, parts = _cells(notebook), _placeholders(release), []
    for n, cell in enumerate(cells):
        meta, text = _nbgrader(cell), _text(cell)
        if cell["cell_type"] == "markdown" and (heading := PART.match(text.strip())):
            parts.append(_Part(heading.group(1)))
        if not parts:
            continue
        part, after = parts[-1], cells[n + 1] if n + 1 < len(cells) else None
        if meta.get("task") and after is not None and after["cell_type"] == "markdown" and not _nbgrader(after):
            part.to_write += 1
            part.written += _written(after, placeholders)
        elif meta.get("solution") and cell["cell_type"] == "markdown":
            part.to_write += 1
            part.written += _written(cell, placeholders)
        elif meta.get("solution") and cell["cell_type"] == "code" and (variable := VARIABLE.search(text)):
            asked = _asked(_text(after)) if after is not None and _nbgrader(after).get("grade") else None
            part.asked += asked or 0
            part.open_ended |= asked is None
            try:
                part.answers += len(as_answers(answer_value(text, variable.group(1))))
            except (AnswerError, TypeError):
                part.unreadable = True
    return [said for part in parts if (said := part.missing())]


def in_words(gaps: list[str]) -> str:
    """"Part B has 2 of 4 answers; Part C is blank." """
    return "; ".join(gaps) + "."
