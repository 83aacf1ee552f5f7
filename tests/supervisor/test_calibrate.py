"""Agreement statistics against hand-worked examples, and `repairlab calibrate` end to end on the
course's own written tasks: the scheme rendered as text, going back, sessions kept under
.repairlab/, disagreements named by element, a clean stop, and the summary over time and between
supervisors."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from repairlab.agreement import cohen_kappa, percent_agreement
from repairlab.cli import main
from repairlab.course import load_course
from repairlab.supervisor.calibrate import CalibrationError, calibrate, load_tasks
from repairlab.supervisor.terminal import Stop, Terminal

from helpers import copy_course


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


def _terminal(replies) -> tuple[Terminal, io.StringIO]:
    out = io.StringIO()
    return Terminal(Console(file=out, width=100, highlight=False), _replies(replies)), out


def _agreed(tasks) -> list[str]:
    return [f"{s:g}" for t in tasks for sample in t.samples for s in sample.scores]


WITH_WRITTEN_TASK = ["owning-your-part", "projection-or-contribution", "reading-the-markers", "repair-strategies",
                     "cultural-ruptures"]


@pytest.fixture
def scratch(tmp_path):
    """A copy of the course, so sessions are saved in its .repairlab/, never in the repository's."""
    return load_course(copy_course(tmp_path / "c"))


def test_every_written_task_has_a_calibration_set(course):
    """A written task is graded with a mark scheme; supervisors calibrate on it before grading."""
    for exercise in course.exercises:
        source = course.root / "solutions" / exercise.id / exercise.notebook_name
        has_task = '"task": true' in source.read_text(encoding="utf-8")
        assert has_task == (exercise.id in WITH_WRITTEN_TASK), exercise.id
        assert (source.parent / "calibration.yml").is_file() == has_task, exercise.id


@pytest.mark.parametrize("exercise", WITH_WRITTEN_TASK)
def test_calibrating_with_the_agreed_scores_agrees_fully(scratch, exercise):
    tasks = load_tasks(scratch, exercise)
    assert tasks and all(6 <= len(t.samples) <= 10 for t in tasks)
    term, out = _terminal(_agreed(tasks))
    results = calibrate(scratch, exercise, term, "sam")
    for task in tasks:
        assert [r.percent for r in results[task.grade_id]] == [1.0] * len(task.elements)
    text = out.getvalue()
    # the scheme is rendered as text: no markers, no raw markdown emphasis
    assert "MARK SCHEME" not in text and "**" not in text and "*Full" not in text
    assert "Full (1):" in text and tasks[0].elements[0] in text
    assert " ".join(tasks[0].samples[0].answer.split()[:6]) in " ".join(text.split())
    assert "you gave" not in text and "every element of every sample" in text


def test_disagreements_are_named_by_element_with_the_agreed_rationale(scratch):
    tasks = load_tasks(scratch, "owning-your-part")
    replies = ["maybe", *["0"] * sum(len(t.elements) * len(t.samples) for t in tasks)]
    term, out = _terminal(replies)
    results = calibrate(scratch, "owning-your-part", term, "sam")
    text = " ".join(out.getvalue().split())
    assert "Please enter 0, 0.5 or 1" in text
    task = tasks[0]
    expected = [sum(s.scores[e] == 0 for s in task.samples) / len(task.samples) for e in range(len(task.elements))]
    assert [r.percent for r in results[task.grade_id]] == pytest.approx(expected)
    first = task.samples[0]  # agreed [1, 1, 1, 1]: every element differs, each by name
    assert all(f"- {element}: you gave 0, agreed 1" in text for element in task.elements)
    assert " ".join(first.rationale.split()) in text
    assert "[0, 0, 0, 0]" not in text and "[1, 1, 1, 1]" not in text  # never as vectors


def test_going_back_rescores_an_element_and_a_whole_sample(scratch):
    task = load_tasks(scratch, "owning-your-part")[0]
    agreed = _agreed([task])
    n = len(task.elements)
    # first sample: a wrong score, back, the right one; second sample: one element, back twice (to the
    # first sample), then everything agreed again from the first sample
    replies = ["0", "b", *agreed[:n], agreed[n], "b", "b", *agreed]
    term, out = _terminal(replies)
    results = calibrate(scratch, "owning-your-part", term, "sam")
    assert [r.percent for r in results[task.grade_id]] == [1.0] * n
    assert "Back to the previous sample." in out.getvalue()


def test_each_session_is_saved_with_who_when_and_the_scores(scratch):
    tasks = load_tasks(scratch, "repair-strategies")
    calibrate(scratch, "repair-strategies", _terminal(_agreed(tasks))[0], "Sam Okafor")
    (path,) = scratch.paths.calibrations.glob("*.json")
    assert path.parent == scratch.root / ".repairlab" / "calibration"
    saved = json.loads(path.read_text())
    assert saved["supervisor"] == "Sam Okafor" and saved["exercise"] == "repair-strategies" and saved["complete"]
    assert saved["started"][:4].isdigit()
    task = tasks[0]
    assert saved["tasks"][task.grade_id]["given"] == {s.id: list(s.scores) for s in task.samples}
    assert saved["tasks"][task.grade_id]["elements"] == list(task.elements)


def test_stopping_keeps_what_was_scored(scratch):
    task = load_tasks(scratch, "owning-your-part")[0]
    n = len(task.elements)
    term, out = _terminal(_agreed([task])[: n + 2])  # one sample and a half, then the input ends
    with pytest.raises(Stop):
        calibrate(scratch, "owning-your-part", term, "sam")
    assert "Stopped after 1 of" in out.getvalue() and ".repairlab/calibration/" in out.getvalue()
    # the agreement on the one sample scored, shown at once
    shown = " ".join(out.getvalue().split())
    assert f"Your agreement with the agreed scores, 1 of {len(task.samples)} samples" in shown
    (path,) = scratch.paths.calibrations.glob("*.json")
    saved = json.loads(path.read_text())
    assert not saved["complete"] and list(saved["tasks"][task.grade_id]["given"]) == [task.samples[0].id]


def test_ctrl_c_leaves_cleanly_through_the_command(scratch, monkeypatch, capsys):
    task = load_tasks(scratch, "owning-your-part")[0]
    replies = iter(_agreed([task])[: len(task.elements)])

    def ask(prompt):
        try:
            return next(replies)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.chdir(scratch.root)
    monkeypatch.setattr("builtins.input", ask)
    assert main(["calibrate", "owning-your-part", "--supervisor", "sam"]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err and captured.err == ""
    assert "Stopped after 1 of" in captured.out
    assert len(list(scratch.paths.calibrations.glob("*.json"))) == 1


def test_calibrate_command_reads_scores_from_standard_input(scratch, monkeypatch, capsys):
    tasks = load_tasks(scratch, "projection-or-contribution")
    monkeypatch.chdir(scratch.root)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(_agreed(tasks)) + "\n"))
    assert main(["calibrate", "projection-or-contribution", "--supervisor", "sam"]) == 0
    assert "100%" in capsys.readouterr().out


def test_summary_shows_agreement_over_time_and_between_supervisors(scratch, monkeypatch, capsys):
    task = load_tasks(scratch, "owning-your-part")[0]
    agreed = _agreed([task])
    all_zero = ["0"] * len(agreed)
    calibrate(scratch, "owning-your-part", _terminal(all_zero)[0], "sam")  # first try: often off
    calibrate(scratch, "owning-your-part", _terminal(agreed)[0], "sam")  # later: in full agreement
    calibrate(scratch, "owning-your-part", _terminal(agreed)[0], "lee")
    monkeypatch.chdir(scratch.root)
    monkeypatch.setenv("COLUMNS", "200")  # one line per table row
    assert main(["calibrate", "--summary"]) == 0
    text = capsys.readouterr().out
    assert "3 calibration session(s) by 2 supervisor(s): lee, sam." in text
    assert "Exercise 1 · Owning your part" in text and "Between supervisors" in text
    for element in task.elements:
        assert element in text
    first = [sum(s.scores[e] == 0 for s in task.samples) / len(task.samples) for e in range(len(task.elements))]
    rows = [line for line in text.splitlines() if line.startswith("│")]
    lee, sam = (row.split("│")[1:4] for row in rows[:2])  # grouped by element, then by supervisor
    assert [c.strip() for c in lee[:2]] == [task.elements[0], "lee"] and [c.strip() for c in sam[:2]] == ["", "sam"]
    # over time, oldest first: sam's first session, then the one in full agreement
    assert f"{first[0]:.0%} →" in sam[2] and sam[2].strip().endswith("100%") and "→" not in lee[2]
    pair_rows = [line for line in text.splitlines() if "lee and sam" in line]
    assert len(pair_rows) == len(task.elements) and all("100%" in row for row in pair_rows)


def test_a_bad_calibration_file_names_the_sample_and_field(scratch):
    path = scratch.paths.calibration("owning-your-part")
    path.write_text(path.read_text().replace("scores: [", "scores: [7, ", 1))
    with pytest.raises(CalibrationError, match=r"calibration.yml, task '[\w-]+', sample '[\w-]+': field 'scores'"):
        load_tasks(scratch, "owning-your-part")


def test_one_shared_sample_is_too_few_to_compare_two_supervisors(scratch, monkeypatch, capsys):
    """A reviewer read kappa 0.00 between two supervisors who had one sample in common."""
    task = load_tasks(scratch, "owning-your-part")[0]
    one = _agreed([task])[: len(task.elements)]
    for who in ("sam", "lee"):
        with pytest.raises(Stop):
            calibrate(scratch, "owning-your-part", _terminal(one)[0], who)
    monkeypatch.chdir(scratch.root)
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["calibrate", "--summary"]) == 0
    text = capsys.readouterr().out
    assert "Between lee and sam: too few shared samples to compare (1; at least 3 are needed)." in text
    assert "Kappa" not in text and "0.00" not in text
