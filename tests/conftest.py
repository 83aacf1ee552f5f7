"""Shared fixtures: the real course, and a scratch nbgrader course built from it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from repairlab.manifest import load_course
from repairlab.nbgrader_cli import run_nbgrader

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def course():
    return load_course(REPO)


def make_course_dir(course, folder: Path, students: list[str]) -> Path:
    """A scratch course with the project's own nbgrader_config.py, its solutions, every exercise
    generated (which registers it in a fresh gradebook) and ``students`` on the roster."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", folder)
    shutil.copytree(REPO / "solutions", folder / "solutions")
    for exercise in course.exercises:
        run_nbgrader(folder, "generate_assignment", exercise.id, "--force")
    if students:
        with open(folder / "roster.csv", "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "first_name", "last_name", "email"])
            writer.writerows([s, s, "Trainee", f"{s}@example.org"] for s in students)
        run_nbgrader(folder, "db", "student", "import", "roster.csv")
    return folder


@pytest.fixture(scope="session")
def course_template(course, tmp_path_factory):
    """Built once per session (gradebook creation costs seconds); tests copy it."""
    return make_course_dir(course, tmp_path_factory.mktemp("course-template") / "course", [])


@pytest.fixture
def scratch_course(course_template, tmp_path):
    target = tmp_path / "course"
    shutil.copytree(course_template, target)
    return target
