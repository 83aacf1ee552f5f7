"""The released exercises are nbgrader's output, never hand-edited: solutions pass their tests,
releases fail every test, the committed release equals a fresh build, and nothing secret leaks."""

from __future__ import annotations

import ast
import json
import re

import nbformat
import pytest

from repairlab.authoring.release import build_release
from repairlab.checks import answer_lines
from repairlab.nbgrader_api.runner import run_nbgrader

from helpers import REPO

JOURNAL_STUB = ("*Write here. It is graded on completion only: your supervisor's graded copy and feedback show only "
                "whether it is complete.*")
SECRET_REGIONS = {
    "hidden test": ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"),
    "mark scheme": ("BEGIN MARK SCHEME", "END MARK SCHEME"),
}


def notebooks(folder: str, course):
    return [REPO / folder / ex.id / ex.notebook_name for ex in course.exercises]


def test_every_exercise_is_released(course):
    for path in notebooks("exercises", course) + notebooks("solutions", course):
        assert path.is_file(), path


def test_solutions_pass_nbgrader_validate(course):
    for path in notebooks("solutions", course):
        out = run_nbgrader(REPO, "validate", str(path)).stdout
        assert "Success! Your notebook passes all the tests." in out, out


def test_releases_fail_every_test_under_validate_invert(course):
    for path in notebooks("exercises", course):
        out = run_nbgrader(REPO, "validate", "--invert", str(path)).stdout
        assert "Success! The notebook does not pass any tests." in out, out


def test_committed_release_equals_a_fresh_build(course, tmp_path):
    made = build_release(course, tmp_path)
    assert len(made) == len(course.exercises)
    committed = sorted(p.relative_to(REPO / "exercises") for p in (REPO / "exercises").rglob("*") if p.is_file())
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert committed == built, "exercises/ holds files nbgrader does not make: run `repairlab release`"
    for rel in built:
        fresh = json.loads((tmp_path / rel).read_text())
        assert json.loads((REPO / "exercises" / rel).read_text()) == fresh, (
            f"exercises/{rel} differs from what nbgrader makes from solutions/: run `repairlab release`"
        )


@pytest.mark.parametrize("kind", SECRET_REGIONS)
def test_no_secret_text_reaches_the_release(course, kind):
    begin, end = SECRET_REGIONS[kind]
    for ex in course.exercises:
        source = nbformat.read(REPO / "solutions" / ex.id / ex.notebook_name, as_version=4)
        released = (REPO / "exercises" / ex.id / ex.notebook_name).read_text()
        released_text = "\n".join(c.source for c in nbformat.reads(released, as_version=4).cells)
        secrets = []
        for cell in source.cells:
            for block in re.findall(rf"{begin}.*?\n(.*?){end}", cell.source, flags=re.S):
                secrets += [line.strip() for line in block.splitlines() if len(line.strip()) >= 12]
        has_task = any(c.metadata.get("nbgrader", {}).get("task") for c in source.cells)
        assert secrets or (kind == "mark scheme" and not has_task), f"{ex.id} has no {kind} region"
        leaked = [line for line in secrets if line in released_text]
        assert not leaked, f"{kind} text found in exercises/{ex.id}: {leaked[:3]}"
        assert begin not in released


def test_exercises_say_hidden_tests_exist(course):
    for path in notebooks("exercises", course):
        intro = nbformat.read(path, as_version=4).cells[0].source
        assert "hidden tests" in intro.lower()


def test_answer_cells_are_empty_in_the_release(course):
    """Short answers ("B", "owning") are too short for the line check above: the released answer
    cells must hold no value at all, only the stub."""
    for ex in course.exercises:
        source = nbformat.read(REPO / "solutions" / ex.id / ex.notebook_name, as_version=4)
        released = {c.id: c for c in nbformat.read(REPO / "exercises" / ex.id / ex.notebook_name, as_version=4).cells}
        answers = [c for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")]
        assert answers
        for cell in answers:
            stub = released[cell.id].source
            if cell.cell_type == "markdown":  # a private journal: the prompt line, nothing of the source
                assert stub == JOURNAL_STUB, f"{ex.id}/{cell.id}: {stub!r}"
                continue
            assert "YOUR ANSWER HERE" in stub
            value = ast.literal_eval(ast.parse(stub).body[-1].value)  # a text block, one answer per line
            assert isinstance(value, str) and answer_lines(value) == [], f"{ex.id}/{cell.id} keeps a value: {stub}"
