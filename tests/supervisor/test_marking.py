"""`repairlab mark`: the mark scheme read as elements, and marking through the command with scripted
input on a graded cohort, asserting what nbgrader's own gradebook then holds (the manual score and
the comment on the task cell), what the supervisor saw, and what the grade export reads."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from repairlab.cli import main
from repairlab.nbgrader_api import open_course
from repairlab.supervisor.mark_scheme import parse_score, written_tasks
from repairlab.supervisor.marking import element_comment, html_text, load_answers, read_comment

from helpers import demo_answer, formgrader_gradebook

EXERCISE, TASK = "owning-your-part", "written-repair"


def test_every_written_task_reads_as_four_elements_without_markers(course):
    found = 0
    for exercise in course.exercises:
        for task in written_tasks(course, exercise.id).values():
            found += 1
            assert len(task.elements) == 4, (exercise.id, task.grade_id)
            assert task.title.startswith("Part") and "(4 points)" in task.title
            assert "=== " not in task.scheme and "=== " not in task.prompt
            assert "Score each element" in task.guidance and "MARK SCHEME" not in task.prompt
            for element in task.elements:
                assert "**" not in element.name and "Full (1)" in element.text and "None (0)" in element.text
                assert "Model answer" not in element.text
    assert found == 5


def test_scores_and_the_stored_comment_round_trip(course):
    task = written_tasks(course, EXERCISE)[TASK]
    assert [parse_score(r) for r in ("0", "0.5", ".5", "½", "1", "2", "yes", "")] == [0, .5, .5, .5, 1, None, None,
                                                                                     None]
    comment = element_comment(task, [1, 0.5, 0, 1], "You named the act clearly.")
    assert comment.splitlines()[1:5] == ["- The specific act: 1", "- Its impact on Tomás: ½",
                                         "- What will change: 0", "- Back to Tomás: 1"]
    assert read_comment(task, comment) == ([1, 0.5, 0, 1], "You named the act clearly.")
    assert read_comment(task, "Formgrader's own comment") == ([None] * 4, "Formgrader's own comment")


def test_a_sanitised_answer_reads_as_plain_paragraphs():
    html = ("<p>I looked at my <em>phone</em>.</p>\n<ul>\n<li>It&#39;s off now.</li>\n</ul>\n"
            "<p>How was that&#91;?&#93;</p>")
    assert html_text(html) == "I looked at my phone.\n\n- It's off now.\n\nHow was that[?]"


@pytest.fixture
def cohort(graded_cohort, tmp_path):
    """A private copy of the graded cohort (8 trainees; t05's kernel dies, t08 hands nothing in), in a
    folder beside a link to the cohort's handed-in notebooks (for tests/helpers' demo_answer)."""
    root = Path(shutil.copytree(graded_cohort[0], tmp_path / "course"))
    (tmp_path / "handed-in").symlink_to(graded_cohort[0].parent / "handed-in")
    return root, graded_cohort[1]


def _mark(root: Path, monkeypatch, capsys, replies: list[str], *argv: str) -> str:
    monkeypatch.chdir(root)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(replies) + "\n"))
    assert main(["mark", *argv]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "Traceback" not in captured.out
    return captured.out


def _grades(root: Path) -> dict[str, tuple[float | None, bool, str]]:
    with formgrader_gradebook(root) as gb:
        result = {}
        for submission in gb.find_assignment(EXERCISE).submissions:
            grade = gb.find_grade(TASK, EXERCISE, EXERCISE, submission.student.id)
            comment = gb.find_comment(TASK, EXERCISE, EXERCISE, submission.student.id)
            result[submission.student.id] = (grade.manual_score, grade.needs_manual_grade, comment.manual_comment or "")
        return result


@pytest.mark.grading
def test_marking_every_answer_puts_totals_and_element_comments_in_the_gradebook(cohort, monkeypatch, capsys):
    root, profiles = cohort
    course = open_course(root)
    order = [a.mark.trainee for a in load_answers(course, EXERCISE, written_tasks(course, EXERCISE))[0]]
    broken = next(t for t, p in profiles.items() if p == "broken")
    assert len(order) == sum(p not in ("broken", "missing") for p in profiles.values()) and broken not in order
    plans = [["1", "0.5", "1", "1"], ["0", "0", "0.5", "0"], ["1", "1", "1", "1"], ["½", "0", "0", "1"],
             ["0", "0", "0", "0"], ["1", "1", "0", "0.5"]]
    replies = []
    for n, plan in enumerate(plans[:len(order)]):
        blank = [""] if profiles[order[n]] == "blank" else []  # Enter: score the blank answer element by element
        replies += blank + plan + [f"Comment number {n}."]
    # the first answer: a score that is not one, then a wrong score taken back with b
    replies[0:1] = ["2", "0", "b", "1"]
    out = _mark(root, monkeypatch, capsys, replies, EXERCISE)
    grades = _grades(root)
    for n, trainee in enumerate(order):
        score, waiting, comment = grades[trainee]
        assert score == pytest.approx(sum(parse_score(r) for r in plans[n])), trainee
        assert not waiting
        assert comment.startswith("By element (0, ½ or 1 each):\n- The specific act: ")
        assert comment.endswith(f"Comment number {n}.")
    assert grades[broken][0] is None and grades[broken][1]  # not marked: no graded copy to read
    text = " ".join(out.split())
    assert "Please enter 0, 0.5 or 1" in text and "MARK SCHEME" not in out and "**" not in out
    assert "Full (1):" in text and "Model answer" not in text
    assert "could not be autograded" in text
    assert "Saved 3.5 of 4 for" in text and "(The specific act 1, Its impact on Tomás ½," in text
    assert f"{len(order) - 1} written answers left to mark in Exercise 1 · Owning your part, and 1 in a" in text
    assert "no written answers left to mark in Exercise 1 · Owning your part, and 1 in a notebook" in text
    # the supervisor sees the handed-in answers only: never a journal, never another exercise's answers
    assert "Private reflection" not in out
    answers = " ".join(" ".join(line.split("│")[1] for line in out.splitlines() if line.count("│") >= 3).split())
    handed_in = [demo_answer(root, t, EXERCISE) for t in order if profiles[t] != "blank"]
    assert handed_in and all(opening in answers for opening in handed_in)  # the answer column, read down
    assert "(left blank" in text
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        assert main(["export", "--to", "grades.csv"]) == 0
    with open(root / "grades.csv", newline="", encoding="utf-8-sig") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh) if r["assignment"] == EXERCISE}
    assert all("written-repair" not in rows[t]["to_grade"] for t in order)
    complete = next(t for t in order if profiles[t] == "complete")
    assert rows[complete]["status"] == "graded"


@pytest.mark.grading
def test_stopping_keeps_what_was_marked_and_says_what_is_left(cohort, monkeypatch, capsys):
    root, _ = cohort
    course = open_course(root)
    waiting = [a.mark.trainee for a in load_answers(course, EXERCISE, written_tasks(course, EXERCISE))[0]]
    out = _mark(root, monkeypatch, capsys, ["1", "1", "1", "1", "", "1", "0.5", "q"], EXERCISE)
    grades = _grades(root)
    assert grades[waiting[0]][:2] == (4, False) and grades[waiting[1]][:2] == (None, True)
    text = " ".join(out.split())
    left = len(waiting) - 1
    assert f"Stopped. 1 answer(s) marked and saved; {left} written answers left to mark in Exercise 1" in text
    # Ctrl+C in the middle of an answer: a sentence, no traceback, the unfinished answer not saved
    typed = iter(["1", "1"])

    def ctrl_c_after_two(prompt):
        try:
            return next(typed)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr("builtins.input", ctrl_c_after_two)
    monkeypatch.chdir(root)
    assert main(["mark", EXERCISE]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err and "Stopped. 0 answer(s) marked and saved" in " ".join(
        captured.out.split())
    assert _grades(root)[waiting[1]][:2] == (None, True)
    monkeypatch.undo()
    summary = _mark(root, monkeypatch, capsys, [])
    expected = f"Exercise 1 · Owning your part: {left} written answers left to mark (repairlab mark {EXERCISE})"
    assert expected in " ".join(summary.split())


@pytest.mark.grading
def test_marking_one_trainee_again_shows_the_earlier_marks_and_keeps_the_comment(cohort, monkeypatch, capsys):
    root, profiles = cohort
    trainee = next(t for t, p in profiles.items() if p == "complete")
    _mark(root, monkeypatch, capsys, ["1", "0", "1", "0", "Name the impact."], EXERCISE, "--trainee", trainee)
    out = _mark(root, monkeypatch, capsys, ["", "0.5", "", "", ""], EXERCISE, "--trainee", trainee,
                "--task", TASK)  # Enter keeps each earlier score
    text = " ".join(out.split())
    assert "Marked before: 2 of 4." in text and "(marked 0 before)" in text
    assert "[Enter keeps 1; 0, 0.5 or 1" in text and "[Enter keeps 0; 0, 0.5 or 1" in text
    score, waiting, comment = _grades(root)[trainee]
    assert (score, waiting) == (2.5, False) and comment.endswith("Name the impact.")


@pytest.mark.grading
def test_what_is_left_reads_the_same_in_the_summary_and_after_marking_one_trainee(cohort, monkeypatch, capsys):
    """A supervisor found `mark --trainee` saying "31 left" where `mark` said 26 + 5: the answers in
    notebooks that could not be autograded were counted as left to mark after each answer."""
    root, profiles = cohort
    course = open_course(root)
    broken = next(t for t, p in profiles.items() if p == "broken")
    tasks = written_tasks(course, EXERCISE)
    from repairlab.nbgrader_api.marks import written_marks

    assert broken in {m.trainee for m in written_marks(course, EXERCISE, tasks)}  # the gradebook has its task
    waiting = len(load_answers(course, EXERCISE, tasks)[0])
    before = " ".join(_mark(root, monkeypatch, capsys, []).split())
    assert (f"Exercise 1 · Owning your part: {waiting} written answers left to mark (repairlab mark {EXERCISE}), "
            "and 1 in a notebook that could not be autograded") in before
    trainee = next(t for t, p in profiles.items() if p == "complete")
    out = " ".join(_mark(root, monkeypatch, capsys, ["1", "1", "1", "1", ""], EXERCISE, "--trainee", trainee).split())
    left = (f"{waiting - 1} written answers left to mark in Exercise 1 · Owning your part, and 1 in a notebook that "
            "could not be autograded")
    assert "Saved 4 of 4 for" in out and left in out
    after = " ".join(_mark(root, monkeypatch, capsys, []).split())
    assert f"Exercise 1 · Owning your part: {waiting - 1} written answers left to mark" in after


@pytest.mark.grading
def test_q_at_the_comment_saves_the_scores_and_a_blank_answer_takes_one_key(cohort, monkeypatch, capsys):
    root, profiles = cohort
    course = open_course(root)
    waiting = [a.mark.trainee for a in load_answers(course, EXERCISE, written_tasks(course, EXERCISE))[0]]
    out = " ".join(_mark(root, monkeypatch, capsys, ["1", "1", "0.5", "1", "q"], EXERCISE).split())
    assert "q saves the scores and stops" in out and "Stopped. 1 answer(s) marked and saved" in out
    assert _grades(root)[waiting[0]][:2] == (3.5, False)
    blank = next(t for t, p in profiles.items() if p == "blank")
    out = " ".join(_mark(root, monkeypatch, capsys, ["0", ""], EXERCISE, "--trainee", blank).split())
    assert "The answer is blank. Press 0 to give 0 on every element" in out and "Saved 0 of 4" in out
    assert _grades(root)[blank][:2] == (0, False)


def test_a_trainee_without_an_exercise_is_one_sentence(monkeypatch, capsys):
    assert main(["mark", "--trainee", "t01"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("repairlab: name the exercise too, e.g. `repairlab mark owning-your-part --trainee t01`")
