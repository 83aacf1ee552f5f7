"""The trainee's private practice record: what a person chose is kept (never what the widget did
itself), under their own .repairlab/ with private modes, survives a broken line, can be cleared, and
shows as "where you were" on a reopened vignette, the module's header and the course home."""

from __future__ import annotations

import json
import os
import stat

import pytest

from repairlab.course import load_course
from repairlab.paths import STATE
from repairlab.trainee import pages
from repairlab.trainee.practice_log import Attempt, PracticeLog, now
from repairlab.trainee.progress import exercise_status, module_progress, skill_progress

from helpers import copy_course


@pytest.fixture
def course(tmp_path, monkeypatch):
    root = copy_course(tmp_path / "course")
    monkeypatch.chdir(root / "modules")  # where a reading's kernel runs
    return load_course(root)


def attempt(vignette="late-start", step="choice", choice="B", module="owning-your-part"):
    return Attempt(module, vignette, "choose-response", step, choice, now())


def test_attempts_are_appended_privately_and_read_back_in_order(tmp_path):
    log = PracticeLog(tmp_path / STATE / "practice.jsonl")
    assert log.attempts() == []
    first, second = attempt(step="notice", choice="withdrawal"), attempt()
    log.record(first)
    log.record(second)
    assert log.attempts() == [first, second]
    assert stat.S_IMODE(os.stat(log.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(log.path.parent).st_mode) == 0o700
    assert list(log.by_vignette("owning-your-part")) == ["late-start"]
    assert log.by_vignette("another-module") == {}


def test_a_broken_line_loses_only_itself_and_clearing_forgets_everything(tmp_path):
    log = PracticeLog(tmp_path / "practice.jsonl")
    log.record(attempt(choice="A"))
    with open(log.path, "a", encoding="utf-8") as fh:
        fh.write('{"module": "owning-your-part", "vign')  # a write cut off half-way
        fh.write("\n[1, 2]\n")
    log.record(attempt(choice="C"))
    assert [a.choice for a in log.attempts()] == ["A", "C"]
    log.clear()
    assert log.attempts() == [] and not log.path.exists()
    log.clear()  # clearing twice is fine


def test_a_persons_choices_are_recorded_and_the_widgets_own_changes_are_not(course):
    from repairlab.widgets import practise

    response = practise("owning-your-part", "late-start")
    response.notice.value = "withdrawal"
    response.choice.value = "B"
    dialogue = practise("repair-strategies", "being-processed")
    dialogue.choice.value = dialogue.choice.options[-1]  # the widget then sets the next turn's options itself
    recorded = PracticeLog(course.paths.practice).attempts()
    assert [(a.vignette, a.kind, a.step, a.choice) for a in recorded] == [
        ("late-start", "choose-response", "notice", "withdrawal"),
        ("late-start", "choose-response", "choice", "B"),
        ("being-processed", "branching-dialogue", "choice", dialogue.practice.taken[0].id),
    ]
    lines = course.paths.practice.read_text().splitlines()
    assert set(json.loads(lines[0])) == {"module", "vignette", "kind", "step", "choice", "time"}  # nothing else


def test_a_moment_or_turn_is_recorded_with_its_number(course):
    from repairlab.widgets import practise

    weigh = practise("projection-or-contribution", next(iter(_vignettes(course, "projection-or-contribution"))))
    weigh.choices[1].value = weigh.choices[1].options[-1][1]
    assert [a.step for a in PracticeLog(course.paths.practice).attempts()] == ["weigh 2"]


def _vignettes(course, module_id):
    from repairlab.trainee.vignettes import load_vignettes

    return load_vignettes(course.module(module_id).vignettes)


def test_a_reopened_vignette_and_its_module_show_where_the_trainee_was(course):
    from repairlab.widgets import module_header, practise

    fresh = practise("owning-your-part", "late-start")
    assert "practised this vignette before" not in fresh.children[0].value
    assert "not practised this module" in module_header("owning-your-part").data
    fresh.notice.value = "confrontation"
    fresh.choice.value = "C"
    again = practise("owning-your-part", "late-start")
    note = again.children[0].value
    assert "You practised this vignette before" in note and "2 choices" in note and "your choice, C" in note
    header = module_header("owning-your-part").data
    assert "practised 1 of 8 vignettes" in header and "Course home" in header
    assert "Next: <i>The question you didn&#x27;t ask</i>" in header
    other = practise("owning-your-part", "the-experiment")
    assert "practised this vignette before" not in other.children[0].value


def test_the_course_home_shows_progress_per_module_and_skill_and_can_clear_it(course):
    from repairlab.widgets import course_home, practise

    home = course_home()
    assert home.page.value.count("Not practised yet.") == len(course.modules)
    widget = practise("owning-your-part", "late-start")
    widget.notice.value = "withdrawal"
    widget.choice.value = "A"
    page = course_home().page.value
    assert page.count("Not practised yet.") == len(course.modules) - 1
    assert "You have practised 1 of 8 vignettes" in page
    assert "<b>Own your part</b>: 1 of" in page  # module 1's exercise is graded on owning your part
    progress = module_progress(course, PracticeLog(course.paths.practice))
    skills = {s.label: s for s in skill_progress(course, progress)}
    assert skills["Own your part"].practised == 1 and skills["Reflect on one's own mistakes"].practised == 0
    home = course_home()
    home.ask.click()
    assert home.question.layout.display is None
    home.confirm.click()
    assert not course.paths.practice.exists()
    assert home.page.value.count("Not practised yet.") == len(course.modules)
    assert "cleared" in home.said.value


def test_an_exercise_is_not_started_then_saved_then_has_feedback(course, tmp_path):
    from repairlab.trainee.workspace import ensure_workspace

    ensure_workspace(course)
    status = exercise_status(course, "owning-your-part", hub=False)
    assert status.state == "not started" and status.exists
    status.notebook.write_text(status.notebook.read_text() + " ")
    assert exercise_status(course, "owning-your-part", hub=False).state == "saved"
    (status.notebook.parent / "feedback" / "2026-12-07 10:00:00").mkdir(parents=True)
    assert exercise_status(course, "owning-your-part", hub=False).state == "feedback"


def test_on_a_hub_an_exercise_is_fetched_then_handed_in(course, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert exercise_status(course, "owning-your-part", hub=True).state == "not fetched"
    (tmp_path / "home" / "owning-your-part").mkdir(parents=True)
    (tmp_path / "home" / "owning-your-part" / "owning-your-part.ipynb").write_text("{}")
    assert exercise_status(course, "owning-your-part", hub=True, data_dir=tmp_path / "data").state == "saved"
    (tmp_path / "data" / "nbgrader_cache" / "repairlab" / "t01+owning-your-part+2026-12-07 10:00:00 UTC").mkdir(
        parents=True)
    assert exercise_status(course, "owning-your-part", hub=True, data_dir=tmp_path / "data").state == "handed in"


def test_links_follow_the_page_address_on_a_machine_and_on_a_hub(course, tmp_path, monkeypatch):
    local = pages.Links.from_request(course, {"SCRIPT_NAME": "/voila/render/modules/home.ipynb"})
    assert local.base == "/" and local.root == course.root
    assert local.lab(course.paths.workspace / "x" / "x.ipynb") == "/lab/tree/workspace/x/x.ipynb"
    assert local.page(course.modules[0].reading) == "/voila/render/modules/01-owning-your-part.ipynb"
    hub = pages.Links.from_request(course, {"SCRIPT_NAME": "/user/t01/voila/render/course/modules/home.ipynb"})
    assert hub.base == "/user/t01/" and hub.root == course.root.parent
    assert hub.page(course.modules[0].reading) == "/user/t01/voila/render/course/modules/01-owning-your-part.ipynb"
    assert "Submit" in pages.hand_in_section(hub=True)
    assert "Download the copy to send" in pages.hand_in_section(hub=False)
