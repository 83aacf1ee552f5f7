"""Formgrader's manual-grading page shows a written task's mark scheme as readable text, never
between raw ``=== BEGIN MARK SCHEME ===`` markers, and only there: the graded copy keeps the
markers, so feedback still loses the scheme (found by a supervisor-seat reviewer, 2026-12-07)."""

from __future__ import annotations

import nbformat
from traitlets.config import Config

from repairlab.nbgrader_api import cells
from repairlab.nbgrader_api.formgrader import ReadableMarkScheme, readable_scheme

from helpers import REPO


def test_every_written_tasks_scheme_reads_as_a_headed_section(course):
    found = 0
    for exercise in course.exercises:
        nb = nbformat.read(course.paths.source(exercise.id) / exercise.notebook_name, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "markdown" or "BEGIN MARK SCHEME" not in cell.source:
                continue
            found += 1
            shown, _ = ReadableMarkScheme().preprocess_cell(nbformat.from_dict(dict(cell)), {}, 0)
            assert cells.is_task(cell)
            assert "MARK SCHEME ===" not in shown.source and "#### Mark scheme" in shown.source
            scheme = cell.source.split("=== BEGIN MARK SCHEME ===\n", 1)[1].split("=== END MARK SCHEME ===")[0]
            assert scheme.strip() in shown.source  # every word of it, nothing else changed
            assert shown.source.startswith(cell.source.split("=== BEGIN")[0].rstrip())
    assert found == 5


def test_only_formgraders_exporter_gets_it_and_feedback_still_clears_the_scheme():
    config = Config()
    source = (REPO / "nbgrader_config.py").read_text()
    exec(compile(source, "nbgrader_config.py", "exec"), {"get_config": lambda: config})
    assert list(config.HTMLExporter.preprocessors) == ["repairlab.nbgrader_api.ReadableMarkScheme"]
    assert "nbgrader.preprocessors.ClearMarkScheme" in config.GenerateFeedback.preprocessors
    assert not any("ReadableMarkScheme" in p for p in config.GenerateFeedback.preprocessors)
    assert readable_scheme("no scheme here") == "no scheme here"
