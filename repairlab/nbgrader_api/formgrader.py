"""Formgrader's manual-grading page, as the supervisor reads it: a written task's mark scheme shown
as a headed section of readable text, never between raw ``=== BEGIN MARK SCHEME ===`` markers.

nbgrader_config.py gives ``ReadableMarkScheme`` to ``HTMLExporter``, the exporter Formgrader renders a
submission with, so only that page changes: the graded copy on disk keeps the markers, so nbgrader's
``ClearMarkScheme`` still finds and removes the scheme before feedback, and trainees never get
Formgrader (their Jupyter has it switched off)."""

from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .cells import is_task

SCHEME = re.compile(r"^=== BEGIN MARK SCHEME ===[ \t]*\n(?P<scheme>.*?)^=== END MARK SCHEME ===[ \t]*$", re.S | re.M)
HEADING = ("\n\n---\n\n#### Mark scheme\n\n*For you as the supervisor: trainees never see it.*\n\n"
           "{scheme}\n\n---\n")


def readable_scheme(source: str) -> str:
    """A task's markdown with its mark scheme as a headed section instead of between markers."""
    return SCHEME.sub(lambda m: HEADING.format(scheme=m["scheme"].strip()), source)


class ReadableMarkScheme(Preprocessor):
    """For Formgrader's page only: each written task's mark scheme as readable text."""

    enabled = Bool(True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and is_task(cell):
            cell.source = readable_scheme(cell.source)
        return cell, resources
