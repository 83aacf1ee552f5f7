"""What `repairlab feedback` tells the supervisor: per exercise, the pages written (only that
exercise's when one is asked for), how many went out with a written answer not marked yet and how
to mark them, and who got no page (could not be autograded, not handed in); `pending` says in one
line that a notebook that could not be autograded gets no feedback."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from repairlab.cli import main
from repairlab.nbgrader_api import open_course
from repairlab.nbgrader_api.marks import save_written_mark
from repairlab.supervisor.feedback import ExerciseFeedback

EXERCISE, TASK = "owning-your-part", "written-repair"


@pytest.fixture
def cohort(graded_cohort, tmp_path):
    root = Path(shutil.copytree(graded_cohort[0], tmp_path / "course"))
    return root, graded_cohort[1]


def _run(root: Path, monkeypatch, capsys, *argv: str) -> list[str]:
    monkeypatch.chdir(root)
    assert main(list(argv)) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return [" ".join(line.split()) for line in captured.out.splitlines() if line.strip()]


def test_an_exercise_nobody_handed_in_is_one_line_and_long_lists_are_cut_short():
    exercise = SimpleNamespace(id="x")
    assert ExerciseFeedback(exercise, "Exercise 6 · X", not_handed_in=["a", "b"]).lines({}) == [
        "Exercise 6 · X: nobody has handed it in yet, so there is no feedback to write."]
    lines = ExerciseFeedback(exercise, "Exercise 6 · X", pages=["a"], unmarked={"a": ["Part C"]},
                             not_handed_in=[f"t{n:02d}" for n in range(14)]).lines({"a": "Ana Lima"})
    assert lines[0] == "Exercise 6 · X: 1 feedback page written."
    assert "1 of these pages went out with a written answer not marked yet (Part C;" in lines[1]
    assert "mark it with `repairlab mark x`" in lines[1]
    assert lines[2] == "  Not handed in, so no feedback: " + ", ".join(f"t{n:02d}" for n in range(10)) + " and 4 more."


@pytest.mark.grading
def test_the_summary_counts_one_exercise_and_says_what_is_unmarked_and_who_got_no_page(cohort, monkeypatch, capsys):
    root, profiles = cohort
    by_profile = {p: [t for t, q in profiles.items() if q == p] for p in set(profiles.values())}
    handed_in = [t for t, p in profiles.items() if p not in ("broken", "missing")]
    marked = by_profile["complete"][0]
    save_written_mark(open_course(root), EXERCISE, marked, TASK, 3, "Well named.")
    earlier = root / "feedback" / marked / "projection-or-contribution" / "projection-or-contribution.html"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("<html lang=en><title>an earlier page</title></html>")

    lines = _run(root, monkeypatch, capsys, "feedback", EXERCISE)
    text = "\n".join(lines)
    assert f"Exercise 1 · Owning your part: {len(handed_in)} feedback pages written." in lines
    unmarked = len(handed_in) - 1
    assert (f"{unmarked} of these pages went out with a written answer not marked yet (Part C; the page tells the "
            f"trainee it is still to be marked): mark them with `repairlab mark {EXERCISE}`, then run "
            f"`repairlab feedback {EXERCISE}` again to update the pages.") in lines
    broken, missing = by_profile["broken"][0], by_profile["missing"][0]
    assert any(line.startswith("No feedback for 1 notebook that could not be autograded: ") and f"({broken})" in line
               for line in lines), text
    assert any(line.startswith("Not handed in, so no feedback: ") and f"({missing})" in line for line in lines), text
    # only the exercise asked for is counted, though another exercise has a page from before
    assert lines[-1] == f"In all: {len(handed_in)} feedback pages written, in feedback/<trainee>/{EXERCISE}/."
    assert "Projection" not in text and "written-repair" not in text
    assert len(list(root.glob(f"feedback/*/{EXERCISE}/*.html"))) == len(handed_in)

    pending = _run(root, monkeypatch, capsys, "pending")
    broken_count = sum(1 for line in pending if "could not be autograded (why: below)" in line)
    assert broken_count and any(line.startswith(f"For the {broken_count} notebook(s) that could not be autograded (no "
                                                "feedback page until they are): ask the trainee to hand in again")
                                for line in pending)
