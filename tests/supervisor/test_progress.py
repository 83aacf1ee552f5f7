"""Nothing silent for more than two seconds: a progress bar says what it is doing before its first
item is done and redraws every second (a reviewer saw roster import and grade sit at 0% for 7-16 s)."""

from __future__ import annotations

import re
import time

from repairlab.supervisor import course_folder
from repairlab.supervisor.progress import Progress


def _frames(err: str) -> list[str]:
    return [frame.strip() for frame in re.split(r"[\r\n]+", err) if frame.strip()]


def test_a_bar_says_what_it_does_and_its_clock_moves_before_the_first_item(capsys):
    with Progress(3, "Autograding", "submission") as bar:
        bar.doing("starting 2 grading workers (each loads nbgrader first)")
        time.sleep(2.6)
        bar.update()
    frames = _frames(capsys.readouterr().err)
    waiting = [f for f in frames if "0/3" in f and "starting 2 grading workers" in f]
    assert {"00:01", "00:02"} <= {re.search(r"\[(\d\d:\d\d)", f).group(1) for f in waiting}, frames


def test_registering_exercises_moves_at_each_step_nbgrader_logs(scratch_course, monkeypatch, capsys):
    """A new gradebook: the first exercise says it is creating the gradebook, and the bar moves
    before the first exercise is done."""
    (scratch_course / "gradebook.db").unlink()
    steps = ["[GenerateAssignmentApp | INFO] Updating/creating assignment 'x': {}",
             "[GenerateAssignmentApp | INFO] Converting notebook solutions/x/x.ipynb",
             "[GenerateAssignmentApp | INFO] Writing 16545 bytes to x.ipynb"]

    def fake_nbgrader(folder, *args, on_line=None, **kw):
        for line in steps:
            on_line(line + "\n")

    monkeypatch.setattr(course_folder, "run_nbgrader", fake_nbgrader)
    from repairlab.nbgrader_api import open_course

    course = open_course(scratch_course)
    added = course_folder.register_exercises(course)
    assert added == [ex.id for ex in course.exercises]
    frames = _frames(capsys.readouterr().err)
    first = course.exercise_title(course.exercises[0].id)
    assert any(f"{first}: starting nbgrader" in f and " 0%" in f for f in frames), frames
    assert any(f"{first}: creating the gradebook" in f and " 3%" in f for f in frames), frames
    assert any(f"{first}: recording its points" in f and "10%" in f for f in frames), frames
    second = course.exercise_title(course.exercises[1].id)
    assert any(f"{second}: reading its graded cells" in f for f in frames), frames
    assert not any("creating the gradebook" in f and second in f for f in frames)
    assert "100%" in frames[-1]
