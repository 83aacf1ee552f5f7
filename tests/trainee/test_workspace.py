"""Trainees work in their own copy of the exercises; updating the course never overwrites it."""

import re
import shutil

from repairlab.course import load_course
from repairlab.trainee.workspace import ensure_workspace

from helpers import REPO


def test_workspace_is_created_once_and_never_overwritten(tmp_path):
    for name in ("course.yml", "modules", "assets", "exercises"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, tmp_path / name)
    course = load_course(tmp_path)
    copied, kept = ensure_workspace(course)
    assert len(copied) == len(course.exercises) and kept == []
    mine = tmp_path / "workspace" / "owning-your-part" / "owning-your-part.ipynb"
    mine.write_text("my answers")
    # the course is updated: a new release of the exercise arrives
    (tmp_path / "exercises" / "owning-your-part" / "owning-your-part.ipynb").write_text("new release")
    copied, kept = ensure_workspace(course)
    assert copied == [] and mine in kept
    assert mine.read_text() == "my answers"
    # an exercise the trainee has not started yet is copied in
    (tmp_path / "workspace" / "projection-or-contribution" / "projection-or-contribution.ipynb").unlink()
    copied, _ = ensure_workspace(course)
    assert [p.name for p in copied] == ["projection-or-contribution.ipynb"]


def test_open_command_creates_the_workspace_then_starts_jupyterlab(tmp_path):
    """The README's main command ends in `repairlab open`; `--version` makes JupyterLab exit at once."""
    import subprocess
    import sys

    for name in ("course.yml", "modules", "assets", "exercises"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, tmp_path / name)
    run = subprocess.run(
        [sys.executable, "-m", "repairlab", "open", "--version"], cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    copy = tmp_path / "workspace" / "owning-your-part" / "owning-your-part.ipynb"
    assert copy.is_file() and "workspace" not in run.stdout  # quiet: the course home shows the exercises
    assert re.match(r"4\.\d+\.\d+", run.stdout.strip().splitlines()[-1])
    copy.write_text(copy.read_text() + " ")
    again = subprocess.run(
        [sys.executable, "-m", "repairlab", "open", "--version"], cwd=tmp_path, capture_output=True, text=True
    )
    assert again.returncode == 0 and copy.read_text().endswith(" "), "the trainee's copy was kept as it is"
