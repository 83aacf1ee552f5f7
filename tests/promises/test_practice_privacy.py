"""A trainee's practice record is never collected, graded, published or committed: even when a
trainee hands in their record along with the exercise, `collect` places only the exercise notebook and
nothing of the record reaches the supervisor's course; a trainee edition built from a folder with a record
leaves it out; git ignores it (tests/test_project.py). Tested with a planted record."""

from __future__ import annotations

import os
import shutil

import nbformat

from repairlab.authoring.edition import build_edition
from repairlab.course import load_course
from repairlab.nbgrader_api import open_course
from repairlab.supervisor.collect import collect
from repairlab.supervisor.demo_cohort import build_submission
from repairlab.trainee.practice_log import Attempt, PracticeLog, now

from helpers import REPO, copy_course

PLANTED = "PLANTED-PRACTICE-5c1e"
EXERCISE = "owning-your-part"


def planted_record(course_root) -> PracticeLog:
    log = PracticeLog(load_course(course_root).paths.practice)
    log.record(Attempt(EXERCISE, "late-start", "choose-response", "choice", f"B {PLANTED}", now()))
    return log


def everything_under(folder) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file())


def test_a_record_handed_in_with_the_exercise_is_not_collected(tmp_path):
    supervisor = copy_course(tmp_path / "supervisor")
    trainee = copy_course(tmp_path / "trainee")
    log = planted_record(trainee)
    inbox = tmp_path / "inbox" / "ana"  # ana sent her exercise and, by mistake, her .repairlab folder
    (inbox / ".repairlab").mkdir(parents=True)
    (inbox / ".repairlab" / "practice.jsonl").write_bytes(log.path.read_bytes())
    (inbox / "practice.jsonl").write_bytes(log.path.read_bytes())
    nbformat.write(build_submission(load_course(trainee), load_course(trainee).exercise(EXERCISE),
                                    {"start": "solution"}), inbox / f"{EXERCISE}.ipynb")
    summary = collect(open_course(supervisor), tmp_path / "inbox", ["ana"], exercise_id=EXERCISE)
    assert {(p.trainee, p.exercise) for p in summary.placed} == {("ana", EXERCISE)}
    assert PLANTED not in summary.render()
    assert PLANTED not in everything_under(supervisor)
    assert PLANTED in log.path.read_text()  # the trainee's own record is untouched


def test_an_edition_built_from_a_practised_folder_leaves_the_record_out(tmp_path):
    course = copy_course(tmp_path / "course")
    for rel in ("bin/start", "bin/_env.sh", "pyproject.toml", "environment.yml", ".gitignore"):
        (course / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, course / rel)
    shutil.copytree(REPO / "repairlab", course / "repairlab", ignore=shutil.ignore_patterns("__pycache__"))
    log = planted_record(course)
    assert oct(os.stat(log.path).st_mode & 0o777) == "0o600"
    edition = build_edition(load_course(course), tmp_path / "edition")
    assert not (edition.dest / ".repairlab").exists()
    assert PLANTED not in everything_under(edition.dest)
