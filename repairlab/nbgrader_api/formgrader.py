"""Formgrader's manual-grading page, as the supervisor reads it: a written task's mark scheme shown
as a headed section of readable text, never between raw ``=== BEGIN MARK SCHEME ===`` markers, and each
autograded check as one plain line with its score and the lines the grader wrote for it, never its
Python (the visible check, ``### BEGIN HIDDEN TESTS`` and the key).

nbgrader_config.py gives ``ReadableMarkScheme`` to ``HTMLExporter``, the exporter Formgrader renders a
submission with, so only that page changes: the graded copy on disk keeps the markers, so nbgrader's
``ClearMarkScheme`` still finds and removes the scheme before feedback, and trainees never get
Formgrader (their Jupyter has it switched off)."""

from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_markdown_cell
from traitlets import Bool

from .cells import is_task, is_test

SCHEME = re.compile(r"^=== BEGIN MARK SCHEME ===[ \t]*\n(?P<scheme>.*?)^=== END MARK SCHEME ===[ \t]*$", re.S | re.M)
HEADING = ("\n\n---\n\n#### Mark scheme\n\n*For you as the supervisor: trainees never see it.*\n\n"
           "{scheme}\n\n---\n")


def readable_scheme(source: str) -> str:
    """A task's markdown with its mark scheme as a headed section instead of between markers."""
    return SCHEME.sub(lambda m: HEADING.format(scheme=m["scheme"].strip()), source)


def _outputs(cell) -> tuple[str, list[str]]:
    """The score (the test's result) and the printed lines the trusted grader wrote into the graded copy."""
    score, lines = "", []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            lines += [line for line in "".join(output.get("text", "")).splitlines() if line.strip()]
        elif output.get("output_type") == "execute_result":
            score = "".join(output.get("data", {}).get("text/plain", "")).strip()
    return score, lines


def plain(line: str) -> str:
    """A line shown as its characters: markdown's and HTML's punctuation escaped, so text quoted from a
    trainee's answer can never become a link, a tag or formatting."""
    return MARKUP.sub(r"\\\1", line)


MARKUP = re.compile(r"([\\`*_{}\[\]()<>#+!|~&-])")


def check_summary(cell, part: str):
    """A test cell as a markdown cell the page shows in its place: "Automatic check of Part A: 3.5 of 5
    points" and the grader's lines, escaped (they quote the trainee's answers), with the cell's grading
    metadata kept so Formgrader still shows and saves its score."""
    score, lines = _outputs(cell)
    points = cell.metadata.get("nbgrader", {}).get("points", "")
    try:
        scored = f"{float(score):g} of {float(points):g} points"
    except ValueError:
        scored = f"{points} points; no result was recorded"
    text = [f"**Automatic check of {part or 'this part'}:** {scored}."] + [plain(line) for line in lines]
    shown = new_markdown_cell("\n\n".join(text), metadata=cell.metadata)
    shown.pop("id", None)
    return shown


class ReadableMarkScheme(Preprocessor):
    """For Formgrader's page only: each written task's mark scheme as readable text, and each autograded
    check as its result in words instead of its code."""

    enabled = Bool(True)

    def preprocess(self, nb, resources):
        part = ""
        for index, cell in enumerate(nb.cells):
            heading = re.match(r"#+\s*(Part [A-Z0-9]+)", cell.source) if cell.cell_type == "markdown" else None
            part = heading[1] if heading else part
            if is_test(cell):
                nb.cells[index] = check_summary(cell, part)
            else:
                nb.cells[index], resources = self.preprocess_cell(cell, resources, index)
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and is_task(cell):
            cell.source = readable_scheme(cell.source)
        return cell, resources
