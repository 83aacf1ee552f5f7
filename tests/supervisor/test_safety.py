"""Safety as a gate: a submission that misses a graded risk item (course.yml's ``safety:``) is flagged
"safety item missed — review" in `pending`, the export's status, the report's check-in list and the
trainee's feedback, whatever its total; a submission that answers it is not. The risk items are named
in course.yml alone."""

from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

import nbformat
import pytest
import yaml

from repairlab.checks import as_answers
from repairlab.course import load_course
from repairlab.errors import ManifestError
from repairlab.nbgrader_api import open_course
from repairlab.nbgrader_api.answers import answer_value
from repairlab.nbgrader_api.cells import grade_id
from repairlab.nbgrader_api.parts import exercise_parts
from repairlab.report import build_report, check_ins, cohort_data
from repairlab.supervisor.feedback import write_feedback
from repairlab.supervisor.grades import SAFETY_REVIEW, grade_rows
from repairlab.supervisor.grading import grade_submissions
from repairlab.supervisor.pending import SAFETY, pending, pending_lines
from repairlab.supervisor.safety import SAFETY_FLAG, safety_items

from helpers import REPO, copy_course

FLAG = "safety item missed — review"


def test_the_risk_items_are_declared_once_in_the_manifest_and_are_risk_items(course):
    items = [item for exercise in course.exercises for item in safety_items(course, exercise)]
    assert SAFETY_FLAG == FLAG
    assert len(items) >= 2
    source = {ex.id: nbformat.read(REPO / "solutions" / ex.id / ex.notebook_name, as_version=4)
              for ex in course.exercises}
    for item in items:
        test = next(c for c in source[item.exercise].cells if grade_id(c) == item.grade_id and c.cell_type == "code")
        assert "suicide" in test.source or "ending his life" in test.source
        assert f'("{item.key}", ' in test.source, f"{item.exercise}/{item.grade_id}: no key {item.key!r}"
        assert item.label.startswith("Part ") and item.item_word.lower() in item.label


@pytest.mark.parametrize("safety, message", [
    ({"no-such-cell": [1]}, "not one of its graded parts"),
    ({"best-repair": [0]}, "item numbers counted from 1"),
    ({"best-repair": "3"}, "item numbers counted from 1"),
])
def test_a_wrong_safety_entry_names_the_exercise_and_field(tmp_path, safety, message):
    root = copy_course(tmp_path / "course")
    manifest = yaml.safe_load((root / "course.yml").read_text())
    manifest["modules"][0]["exercises"][0]["safety"] = safety
    (root / "course.yml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    with pytest.raises(ManifestError, match=message):
        load_course(root)


def test_a_safety_item_past_the_parts_items_is_refused(tmp_path):
    root = copy_course(tmp_path / "course")
    manifest = yaml.safe_load((root / "course.yml").read_text())
    manifest["modules"][0]["exercises"][0]["safety"] = {"best-repair": [9]}
    (root / "course.yml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    course = load_course(root)
    with pytest.raises(ManifestError, match="item 9, but the part has 4 items"):
        safety_items(course, course.exercises[0])


def _miss_risk_item(notebook: Path, variable: str, number: int, key: str) -> None:
    """The model answers, except one risk item answered otherwise (one answer per line, as trainees type)."""
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if f"{variable} = " in c.source)
    answer = as_answers(answer_value(cell.source, variable))
    answer[number - 1] = next(letter for letter in "ABCD" if letter != key)
    cell.source = f'{variable} = """\n' + "\n".join(answer) + '\n"""'
    nbformat.write(nb, notebook)


@pytest.mark.grading
def test_missing_a_risk_item_is_flagged_everywhere_and_a_full_answer_nowhere(graded_cohort, tmp_path):
    source_root, profiles, _ = graded_cohort
    root = Path(shutil.copytree(source_root, tmp_path / "course"))
    course = open_course(root)
    missed, full = [t for t, p in profiles.items() if p == "complete"][:2]  # full: answered every item
    exercise = next(ex for ex in course.exercises if ex.safety)
    item = safety_items(course, exercise)[0]
    notebook = root / "submitted" / missed / exercise.id / exercise.notebook_name
    _miss_risk_item(notebook, item.variable, item.number, item.key)
    outcomes = grade_submissions(course, [(exercise.id, missed)], progress=False)
    assert [o.graded for o in outcomes] == [True]

    # the total stays high: one point of the exercise's autograded ones
    with course.gradebook() as gradebook:
        grades = {g.name: g for g in gradebook.submission(exercise.id, missed).grades}
    part = grades[item.grade_id]
    assert part.score == part.max_score - part.max_score / 4 > 0

    # pending: a safety row for that submission, naming the item; none for a complete one; a blank
    # answer misses it too
    complete = [t for t, p in profiles.items() if p == "complete" and t != missed]
    blank = next(t for t, p in profiles.items() if p == "blank")
    rows = {(r.exercise, r.trainee): r for r in pending(course) if r.kind == SAFETY}
    assert rows[(exercise.id, missed)].what == f"{FLAG} ({item.label})"
    assert (exercise.id, blank) in rows
    assert not [key for key in rows if key[1] in complete]
    printed = "\n".join(pending_lines(course, pending(course)))
    assert f"{FLAG} ({item.label})" in printed and "missed a safety item (review first)" in printed

    # export: that row's status, never a final raw score; a complete one is not flagged
    export = {(r.assignment, r.student_id): r for r in grade_rows(course)}
    assert export[(exercise.id, missed)].status == SAFETY_REVIEW == FLAG
    assert export[(exercise.id, missed)].cells()[5] == ""  # raw_score
    assert f"{FLAG} ({item.label})" in export[(exercise.id, missed)].to_grade
    assert not [key for key, row in export.items() if row.status == FLAG and key[1] in complete]

    # report: first in the check-in list, with the exercise's title; not for the full one
    data = cohort_data(open_course(root))
    listed = {c.trainee.id: c.reasons for c in check_ins(data)}
    title = course.exercise_title(exercise.id)
    assert listed[missed][0] == f"{FLAG}: {title} ({item.label})"
    assert next(c for c in check_ins(data) if c.trainee.id == missed).line.endswith(f"{FLAG} ({title})")
    assert not any(FLAG in reason for t in complete for reason in listed.get(t, ()))
    html = build_report(open_course(root)).read_text(encoding="utf-8")
    assert f"{FLAG}: {title} ({item.label})" in html

    # feedback: the note at the top of that trainee's page, never the key; not on the full one's
    write_feedback(course, [exercise], progress=False)
    page = root / "feedback" / missed / exercise.id / exercise.notebook_name.replace(".ipynb", ".html")
    other = root / "feedback" / full / exercise.id / exercise.notebook_name.replace(".ipynb", ".html")
    text = page.read_text(encoding="utf-8")
    assert "Safety item missed — review." in text and item.label[1:] in text
    assert text.index("Safety item missed") < text.index(item.label.split(",")[0] + ":")
    assert f"'{item.key}'" not in text.split("Safety item missed")[1][:600]
    assert "Safety item missed" not in other.read_text(encoding="utf-8")
    # nor by its reason: the key's sentence names the move, so the page says only that it is a safety item
    part = next(p for p in exercise_parts(exercise.id, course.paths.source(exercise.id) / exercise.notebook_name)
                if p.grade_id == item.grade_id)
    why = part.key[item.number - 1][-1]
    assert escape(why)[:60] not in text and why[:60] not in text
    assert "This is a safety item" in text
    # told by the item's number, not by matching text: the sentence about the answer chosen is left out too
    given = next(letter for letter in "ABCD" if letter != item.key)
    said = part.feedback["chosen"][item.number - 1][given]
    assert escape(said)[:60] not in text and said[:60] not in text
    write_feedback(course, [exercise], progress=False)  # written again: still one note
    assert page.read_text(encoding="utf-8").count("Safety item missed — review.") == 1
