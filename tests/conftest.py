"""Shared fixtures: the real course, scratch copies of it, and a small cohort graded for real."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from repairlab.course import load_course
from repairlab.nbgrader_api import open_course
from repairlab.supervisor.course_folder import register_exercises
from repairlab.supervisor.demo_cohort import make_cohort
from repairlab.supervisor.grading import grade_submissions
from repairlab.supervisor.roster import import_roster
from repairlab.supervisor.status import save_status

from helpers import REPO, copy_course


@pytest.fixture(scope="session")
def course():
    return load_course(REPO)


@pytest.fixture(scope="session")
def course_template(tmp_path_factory):
    """Every exercise registered in a fresh gradebook; built once (that costs seconds), then copied."""
    root = copy_course(tmp_path_factory.mktemp("course-template") / "course")
    register_exercises(open_course(root))
    return root


@pytest.fixture
def scratch_course(course_template, tmp_path):
    return Path(shutil.copytree(course_template, tmp_path / "course"))


@pytest.fixture(scope="session")
def graded_cohort(course_template, tmp_path_factory):
    """Eight fictional trainees, one per profile of repairlab.supervisor.demo_cohort (complete, partial, blank,
    broken, missing ...), autograded by the parallel grader. Read-only: copy it to change it."""
    base = tmp_path_factory.mktemp("cohort")
    root = Path(shutil.copytree(course_template, base / "course"))
    course = open_course(root)
    profiles = make_cohort(course, 8, base / "handed-in", base / "roster.csv")
    import_roster(course, base / "roster.csv")
    tasks = []
    for trainee in profiles:
        for exercise in course.exercises:
            handed_in = base / "handed-in" / trainee / exercise.notebook_name
            if handed_in.exists():
                target = root / "submitted" / trainee / exercise.id / exercise.notebook_name
                target.parent.mkdir(parents=True)
                shutil.copy(handed_in, target)
                tasks.append((exercise.id, trainee))
    outcomes = grade_submissions(course, tasks, progress=False)
    save_status(course, outcomes)
    return root, profiles, outcomes
