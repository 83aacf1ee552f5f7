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


def test_each_autograded_check_reads_as_its_result_never_its_code(course):
    """A reviewer saw `### BEGIN HIDDEN TESTS`, `In [ ]:` and the checks' Python on the marking page."""
    exercise = course.exercise("owning-your-part")
    nb = nbformat.read(course.paths.source(exercise.id) / exercise.notebook_name, as_version=4)
    tests = [c for c in nb.cells if cells.is_test(c)]
    assert tests and any("BEGIN HIDDEN TESTS" in c.source for c in tests)
    for cell in tests:  # what the trusted grader writes into the graded copy, one line quoting an answer
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Line 2 ([x](javascript:alert(1))).\n"),
                        nbformat.v4.new_output("execute_result", data={"text/plain": "3.5"})]
    shown, _ = ReadableMarkScheme().preprocess(nbformat.from_dict(nb), {})
    text = "\n".join(c.source for c in shown.cells)
    assert "BEGIN HIDDEN TESTS" not in text and "check_list(" not in text and "import" not in text
    checks = [c for c in shown.cells if c.metadata.get("nbgrader", {}).get("grade") and not cells.is_answer(c)]
    assert [c.cell_type for c in checks] == ["markdown", "markdown"]
    assert checks[0].source.startswith("**Automatic check of Part A:** 3.5 of 5 points.")
    assert checks[1].source.startswith("**Automatic check of Part B:** 3.5 of 4 points.")
    assert "\\[x\\]\\(javascript:alert\\(1\\)\\)" in checks[0].source  # a quoted answer stays plain text
    assert [c.metadata.nbgrader.grade_id for c in checks] == [cells.grade_id(c) for c in tests]  # scores still saved
