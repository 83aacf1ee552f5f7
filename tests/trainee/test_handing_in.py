"""Handing in and starting again on a laptop, from the course home: a hand-in makes a dated copy with the
exercise's own name and the home says "handed in" while the notebook is unchanged since; starting again
asks first, keeps the old copy dated in the workspace and puts a fresh one in its place; nothing is lost."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import pytest

from repairlab.course import load_course
from repairlab.trainee import handing_in
from repairlab.trainee.progress import exercise_status
from repairlab.trainee.workspace import ensure_workspace

from helpers import copy_course

EXERCISE = "owning-your-part"


@pytest.fixture
def course(tmp_path, monkeypatch):
    root = copy_course(tmp_path / "course")
    monkeypatch.chdir(root / "modules")  # where the home's kernel runs
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    course = load_course(root)
    ensure_workspace(course)
    return course


def answer(course, text="holding"):
    notebook = handing_in.notebook_of(course, EXERCISE)
    nb = json.loads(notebook.read_text())
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "statement-labels")
    cell["source"] = f'statement_labels = """\n{text}\n"""'
    notebook.write_text(json.dumps(nb))
    return notebook


def answer_all(course, written="I looked at my phone while you were telling me about the train. I am sorry."):
    """Every part answered: the solutions' answers, and words in Part C."""
    notebook = handing_in.notebook_of(course, EXERCISE)
    nb = json.loads(notebook.read_text())
    solved = json.loads((course.root / "solutions" / EXERCISE / f"{EXERCISE}.ipynb").read_text())
    by_id = {c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in solved["cells"]
             if c["metadata"].get("nbgrader", {}).get("solution")}
    for n, cell in enumerate(nb["cells"]):
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in by_id:
            cell["source"] = by_id[grade_id]
        if cell["metadata"].get("nbgrader", {}).get("task"):
            nb["cells"][n + 1]["source"] = written
    notebook.write_text(json.dumps(nb))
    return notebook


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def row(home, title="Owning your part"):
    section = home.children[-1]
    return next(r for r in section.children[1:] if title in r.children[0].children[0].value)


def test_a_hand_in_is_a_dated_copy_with_the_exercises_name_and_the_home_follows_it(course):
    notebook = answer(course)
    copy = handing_in.hand_in(course, EXERCISE, when=datetime(2026, 12, 7, 14, 2, 10))
    assert copy.name == f"{EXERCISE}.ipynb" and copy.parent.name == "2026-12-07-140210"
    assert copy.parent.parent == course.paths.workspace / "handed-in" and digest(copy) == digest(notebook)
    status = exercise_status(course, EXERCISE, hub=False)
    assert (status.state, status.when, status.copy) == ("handed in", "07 Dec 2026, 14:02", copy)
    answer(course, "owning")  # changed after handing in: said so, until handed in again
    changed = exercise_status(course, EXERCISE, hub=False)
    assert (changed.state, changed.when, changed.copy) == ("changed", "07 Dec 2026, 14:02", copy)
    handing_in.hand_in(course, EXERCISE, when=datetime(2026, 12, 8, 9, 0, 0))
    assert exercise_status(course, EXERCISE, hub=False).when == "08 Dec 2026, 09:00"
    assert copy.is_file(), "an earlier hand-in copy is kept"


def test_the_home_hands_in_and_offers_the_copy_to_download(course):
    from repairlab.widgets import course_home

    home = course_home()
    exercise = row(home)
    exercise.hand.click()
    assert "no answers saved yet" in exercise.said.value, "a blank exercise is not handed in"
    assert not (course.paths.workspace / "handed-in").exists()
    answer_all(course)
    exercise.hand.click()
    copy = handing_in.latest_hand_in(course, EXERCISE)
    assert copy is not None and "Download the copy to send" in exercise.said.value
    assert f"/files/workspace/handed-in/{copy.parent.name}/{EXERCISE}.ipynb?download=1" in exercise.said.value
    assert "role='status'" in exercise.said.value
    assert "handed in" in home.page.value, "the page shows the new state at once"


def test_an_unfinished_exercise_says_what_is_missing_and_hands_in_only_when_asked_again(course):
    from repairlab.widgets import course_home

    home = course_home()
    exercise = row(home)
    answer(course, "holding\nowning")  # Part A: 2 of 10; Part B and Part C untouched
    exercise.hand.click()
    assert exercise.unfinished.layout.display is None
    assert "Part A has 2 of 10 answers; Part B is blank; Part C is blank." in exercise.gaps.value
    assert handing_in.latest_hand_in(course, EXERCISE) is None, "nothing is handed in before the second word"
    exercise.back.click()
    assert exercise.unfinished.layout.display == "none" and handing_in.latest_hand_in(course, EXERCISE) is None
    exercise.hand.click()
    exercise.anyway.click()
    assert handing_in.latest_hand_in(course, EXERCISE) is not None
    assert "Download the copy to send" in exercise.said.value


def test_the_reader_counts_answers_as_data_and_never_runs_them(course, tmp_path):
    from repairlab.trainee.completeness import missing

    release = course.paths.release(EXERCISE) / f"{EXERCISE}.ipynb"
    notebook = answer_all(course)
    assert missing(notebook, release) == []
    marker = tmp_path / "ran"
    answer(course, f'""" + open({str(marker)!r}, "w").write("x") + """')
    assert missing(notebook, release)[0].startswith("Part A's answers cannot be read") and not marker.exists()


def test_the_home_keeps_the_download_and_says_when_the_copy_has_changed(course):
    from repairlab.widgets import course_home

    answer_all(course)
    row(course_home()).hand.click()
    copy = handing_in.latest_hand_in(course, EXERCISE)
    page = course_home().page.value  # a reload
    assert f"/files/workspace/handed-in/{copy.parent.name}/{EXERCISE}.ipynb?download=1" in page
    assert "Download the copy to send" in page
    answer(course, "owning")
    page = course_home().page.value
    when = handing_in.handed_in_when(copy)
    assert (f"changed since you handed it in on {when:%d %b %Y, %H:%M}</b>: hand in again to send the new version"
            in page)
    assert "?download=1" not in page, "no link to a copy that is no longer what the trainee has"


def test_starting_again_is_refused_while_the_exercise_is_open_in_a_tab(course, monkeypatch):
    from repairlab.trainee import open_tabs
    from repairlab.widgets import course_home

    notebook = answer(course)
    worked = digest(notebook)
    server = {"root_dir": str(course.root), "url": "http://x/", "token": ""}
    monkeypatch.setattr(open_tabs, "_servers", lambda: [server])
    session = {"path": f"workspace/{EXERCISE}/{EXERCISE}.ipynb", "kernel": {"connections": 1}}
    monkeypatch.setattr(open_tabs, "_sessions", lambda url, token: [session])
    exercise = row(course_home())
    exercise.again.click()
    assert "without saving" in exercise.question.children[0].value
    exercise.confirm.click()
    assert digest(notebook) == worked and "still open in JupyterLab" in exercise.said.value
    session["kernel"]["connections"] = 0  # its browser tab was closed: the session lingers, unconnected
    exercise.confirm.click()
    assert digest(notebook) != worked and "close that tab without saving" in exercise.said.value


def test_starting_again_asks_first_then_keeps_the_old_copy_and_puts_a_fresh_one(course):
    from repairlab.widgets import course_home

    notebook = answer(course)
    worked = digest(notebook)
    fresh = digest(course.paths.release(EXERCISE) / f"{EXERCISE}.ipynb")
    exercise = row(course_home())
    exercise.again.click()
    assert exercise.question.layout.display is None and digest(notebook) == worked, "nothing happens before the yes"
    exercise.cancel.click()
    assert exercise.question.layout.display == "none" and digest(notebook) == worked
    exercise.again.click()
    exercise.confirm.click()
    assert digest(notebook) == fresh
    kept = list((course.paths.workspace / "earlier-copies").glob(f"{EXERCISE}-*.ipynb"))
    assert len(kept) == 1 and digest(kept[0]) == worked
    assert kept[0].name in exercise.said.value and "open the fresh copy" in exercise.said.value
    assert exercise_status(course, EXERCISE, hub=False).state == "not started"


def test_on_a_hub_the_home_has_no_laptop_hand_in(course, monkeypatch):
    from repairlab.widgets import course_home

    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    home = course_home()
    assert not any("Hand in or start again" in getattr(c, "value", "") for c in home.children)
    assert "Assignment List" in home.page.value
