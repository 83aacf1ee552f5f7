"""Agreement statistics against hand-worked examples, and `repairlab calibrate` end to end on the
course's own written tasks."""

from __future__ import annotations

import io

import pytest

from repairlab.agreement import cohen_kappa, percent_agreement
from repairlab.authoring.calibrate import CalibrationError, calibrate, load_tasks
from repairlab.cli import main


def test_kappa_matches_a_hand_worked_two_by_two_table():
    # both yes 20, rater A yes / B no 5, A no / B yes 10, both no 15: p_o = .70, p_e = .5*.6 + .5*.4 = .50
    a = ["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert percent_agreement(a, b) == pytest.approx(0.70)
    assert cohen_kappa(a, b) == pytest.approx(0.40)


def test_kappa_in_the_degenerate_and_chance_cases():
    assert cohen_kappa([1, 1, 1], [1, 1, 1]) is None  # one category for both raters: undefined
    assert cohen_kappa(["x"] * 4, ["x", "x", "y", "y"]) == pytest.approx(0.0)  # no better than chance
    assert cohen_kappa([0, 0.5, 1, 1], [0, 0.5, 1, 1]) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        percent_agreement([1], [1, 2])


def _replies(values):
    it = iter(values)

    def ask(prompt):
        try:
            return next(it)
        except StopIteration:
            raise EOFError from None

    return ask


WITH_WRITTEN_TASK = ["owning-your-part", "projection-or-contribution", "reading-the-markers", "repair-strategies",
                     "cultural-ruptures"]


def test_every_written_task_has_a_calibration_set(course):
    """A written task is graded with a mark scheme; supervisors calibrate on it before grading."""
    for exercise in course.exercises:
        source = course.root / "solutions" / exercise.id / exercise.notebook_name
        has_task = '"task": true' in source.read_text(encoding="utf-8")
        assert has_task == (exercise.id in WITH_WRITTEN_TASK), exercise.id
        assert (source.parent / "calibration.yml").is_file() == has_task, exercise.id


@pytest.mark.parametrize("exercise", WITH_WRITTEN_TASK)
def test_calibrating_with_the_agreed_scores_agrees_fully(course, exercise):
    tasks = load_tasks(course, exercise)
    assert tasks and all(6 <= len(t.samples) <= 10 for t in tasks)
    replies = [f"{s:g}" for t in tasks for sample in t.samples for s in sample.scores]
    out = []
    results = calibrate(course, exercise, ask=_replies(replies), say=out.append)
    for task in tasks:
        assert [r.percent for r in results[task.grade_id]] == [1.0] * len(task.elements)
    text = "\n".join(out)
    assert "BEGIN MARK SCHEME" not in text and tasks[0].samples[0].answer[:40] in text
    assert "you gave" not in text


def test_disagreements_are_shown_with_the_agreed_rationale(course):
    tasks = load_tasks(course, "owning-your-part")
    replies = ["maybe", *["0"] * sum(len(t.elements) * len(t.samples) for t in tasks)]
    out = []
    results = calibrate(course, "owning-your-part", ask=_replies(replies), say=out.append)
    text = "\n".join(out)
    assert "Please enter 0, 0.5 or 1." in text
    task = tasks[0]
    expected = [sum(s.scores[e] == 0 for s in task.samples) / len(task.samples) for e in range(len(task.elements))]
    assert [r.percent for r in results[task.grade_id]] == pytest.approx(expected)
    disagreeing = next(s for s in task.samples if any(task.samples[0].scores))
    assert disagreeing.rationale in text


def test_calibrate_command_reads_scores_from_standard_input(course, monkeypatch, capsys):
    tasks = load_tasks(course, "projection-or-contribution")
    replies = "\n".join(f"{s:g}" for t in tasks for sample in t.samples for s in sample.scores) + "\n"
    monkeypatch.chdir(course.root)
    monkeypatch.setattr("sys.stdin", io.StringIO(replies))
    assert main(["calibrate", "projection-or-contribution"]) == 0
    assert "100%" in capsys.readouterr().out


def test_stopping_early_is_one_clear_error(course, monkeypatch, capsys):
    monkeypatch.chdir(course.root)
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n"))
    assert main(["calibrate", "owning-your-part"]) == 2
    assert "calibration stopped before every sample was scored" in capsys.readouterr().err


def test_a_bad_calibration_file_names_the_sample_and_field(course, tmp_path):
    from repairlab.course import load_course
    from repairlab.supervisor.course_folder import copy_course

    root = copy_course(course.root, tmp_path / "c")
    path = root / "solutions" / "owning-your-part" / "calibration.yml"
    path.write_text(path.read_text().replace("scores: [", "scores: [7, ", 1))
    with pytest.raises(CalibrationError, match=r"calibration.yml, task '[\w-]+', sample '[\w-]+': field 'scores'"):
        load_tasks(load_course(root), "owning-your-part")
