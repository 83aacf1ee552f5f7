"""The supervisor's cohort report, built for real from the graded fictional cohort: figures embedded in
the HTML, every trainee and exercise named, who has not submitted, who may benefit from a check-in,
exact percentages, and nothing a trainee wrote ever reaching the report."""

from __future__ import annotations

import html
import json
import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from repairlab.course import load_course
from repairlab.nbgrader_api import open_course
from repairlab.nbgrader_api.config import Nbgrader, read_config
from repairlab.report import (
    NOTEBOOK,
    REFLECT,
    TraineeFilesForbidden,
    build_report,
    check_ins,
    cohort_data,
    not_submitted,
    trainee_files_forbidden,
)
from repairlab.supervisor.progress import Progress

from helpers import formgrader_gradebook
from helpers.browser_lab import CHROMIUM, CHROMIUM_ARGS, require_chromium
from helpers.report_tables import row_of, table_rows

SECRET = "PRIVATE-REFLECTION-7781"


def copy_cohort(graded_cohort, folder: Path) -> Path:
    """The graded cohort is shared and read-only: every test works on its own copy."""
    root, _, _ = graded_cohort
    return Path(shutil.copytree(root, folder / "course"))


def trainees_with(profiles: dict[str, str], profile: str) -> list[str]:
    found = [trainee for trainee, p in profiles.items() if p == profile]
    assert found, f"the cohort has no {profile!r} trainee"
    return found


def gradebook_names(root: Path) -> dict[str, str]:
    with formgrader_gradebook(root) as gb:
        return {s.id: f"{s.first_name} {s.last_name}" for s in gb.students}


@pytest.fixture(scope="module")
def built(graded_cohort, tmp_path_factory):
    """The report built once into a copy of the graded cohort."""
    root = copy_cohort(graded_cohort, tmp_path_factory.mktemp("report"))
    start = time.perf_counter()
    path = build_report(open_course(root), progress=RecordingBar())
    seconds = time.perf_counter() - start
    return root, path, path.read_text(encoding="utf-8"), seconds


class RecordingBar(Progress):
    """The report's bar, silent, keeping every step it said (a reviewer saw it frozen 6-7 s on one)."""

    said: list[str] = []

    def __init__(self):
        super().__init__(1, "Building the report", "step", disable=True)

    def doing(self, text: str, refresh: bool = True) -> None:
        RecordingBar.said.append(text)


@pytest.mark.grading
def test_the_bar_names_each_step_and_each_part_of_the_report_as_it_starts(built):
    said = RecordingBar.said
    assert said[:3] == ["loading the notebook tools", "reading the safety items", "starting a kernel"]
    parts = [s for s in said if s.startswith("running the report, part ")]
    assert parts[0] == f"running the report, part 1 of {len(parts)}" and len(parts) > 5
    assert said[-1] == "writing the HTML"


@pytest.mark.grading
def test_report_is_html_with_embedded_figures_made_in_well_under_a_minute(built):
    root, path, text, seconds = built
    assert path == root / "reports" / "cohort-report.html" and path.is_file()
    assert (root / "reports" / "cohort-report.ipynb").is_file()
    assert text.count("data:image/png;base64") >= 2
    assert seconds < 45, f"building the report took {seconds:.1f} s"


@pytest.mark.grading
def test_executed_report_has_no_errors_warnings_or_code(built):
    root, _, text, _ = built
    nb = nbformat.read(root / "reports" / "cohort-report.ipynb", as_version=4)
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert outputs and not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    assert "report.load(" not in text  # input cells are hidden in the HTML


@pytest.mark.grading
def test_report_names_every_exercise_and_every_trainee(built):
    root, _, text, _ = built
    course = load_course(root)
    for exercise in course.exercises:
        assert html.escape(course.exercise_title(exercise.id)) in text
    names = gradebook_names(root)
    assert len(names) == 8
    for trainee, name in names.items():
        assert html.escape(name) in text and trainee in text


@pytest.mark.grading
def test_not_submitted_table_names_the_missing_trainee_for_every_exercise(built, graded_cohort):
    root, _, text, _ = built
    _, profiles, _ = graded_cohort
    course = load_course(root)
    exercises = [html.escape(course.exercise_title(ex.id)) for ex in course.exercises]
    rows = table_rows(text, "not-submitted")
    for trainee in trainees_with(profiles, "missing"):
        row = row_of(rows, trainee)
        assert html.escape(gradebook_names(root)[trainee]) in row
        assert all(exercise in row for exercise in exercises)
    # and only trainees who really left something out are listed
    listed = {t.id for t, _ in not_submitted(cohort_data(open_course(root)))}
    assert listed == set(trainees_with(profiles, "missing"))


@pytest.mark.grading
def test_broken_trainee_may_benefit_from_a_check_in_with_the_reason(built, graded_cohort):
    root, _, text, _ = built
    _, profiles, outcomes = graded_cohort
    rows = table_rows(text, "check-in")
    for trainee in trainees_with(profiles, "broken"):
        reasons = {o.reason for o in outcomes if o.trainee == trainee and not o.graded}
        assert reasons, "the broken profile should fail autograding"
        row = row_of(rows, trainee)
        assert "could not be graded automatically" in row
        # the reason is said once, on the first screen, without the exception nbgrader met
        first = re.search(r'<section [^>]*id="not-graded".*?</section>', text, re.S).group(0)
        assert trainee in first
        shown = html.unescape(first)  # an apostrophe ("Part A's answer cell ...") may be escaped either way
        assert all(reason.split(": ")[0] in shown and "Error" not in first for reason in reasons)
        assert not any(html.escape(reason.split(": ")[0]) in cell for reason in reasons for cell in rows)
    assert "may benefit from a check-in" in text.lower()


@pytest.mark.grading
def test_skill_percentages_are_exact_for_complete_and_blank_trainees(built, graded_cohort):
    root, _, _, _ = built
    _, profiles, _ = graded_cohort
    course = load_course(root)
    data = cohort_data(open_course(root))
    full = {"complete": 100.0, "blank": 0.0}
    with formgrader_gradebook(root) as gb:
        for profile, share in full.items():
            for trainee in trainees_with(profiles, profile):
                for skill in data.skills:
                    graded = [gb.find_grade(grade_id, ex.id, ex.id, trainee) for ex in course.exercises
                              for grade_id, s in ex.skills.items() if s == skill]
                    graded = [g for g in graded if not g.needs_manual_grade]
                    if not graded:  # e.g. only written answers, still waiting for a manual grade
                        assert data.skill_percent[trainee][skill] is None, (trainee, skill)
                        continue
                    expected = 100.0 * sum(g.score for g in graded) / sum(g.max_score for g in graded)
                    assert expected == share, f"the {profile} profile should score {share}% on {skill}"
                    assert data.skill_percent[trainee][skill] == expected, (trainee, skill)
    # every autograded skill of the course is covered by the checks above
    assert any(v is not None for t in trainees_with(profiles, "complete") for v in data.skill_percent[t].values())


@pytest.mark.grading
def test_missing_and_broken_trainees_have_no_percentages(built, graded_cohort):
    root, _, _, _ = built
    _, profiles, _ = graded_cohort
    data = cohort_data(open_course(root))
    for trainee in trainees_with(profiles, "missing") + trainees_with(profiles, "broken"):
        assert all(v is None for v in data.skill_percent[trainee].values())
    for trainee in trainees_with(profiles, "missing"):
        assert any(c.trainee.id == trainee for c in check_ins(data)), "two exercises missing"


@pytest.mark.grading
def test_a_flagged_score_needs_grading_and_never_counts_as_final(graded_cohort, tmp_path):
    """nbgrader flags an answer it autogrades again over an earlier manual score (a resubmission, a
    changed answer) and keeps that score: the report must say the exercise needs grading and leave
    the old score out of totals, skill percentages and check-ins."""
    root = copy_cohort(graded_cohort, tmp_path)
    _, profiles, _ = graded_cohort
    trainee = trainees_with(profiles, "complete")[0]
    course = load_course(root)
    exercise = course.exercises[0]
    with formgrader_gradebook(root) as gb:
        grades = gb.find_submission_notebook(exercise.id, exercise.id, trainee).grades
        for grade in grades:  # the grader has marked the written answers: nothing else is pending
            if grade.needs_manual_grade:
                grade.manual_score, grade.needs_manual_grade = grade.max_score, False
        flagged = next(g for g in grades
                       if g.auto_score is not None and exercise.skills.get(g.name) not in (None, REFLECT))
        flagged.manual_score, flagged.needs_manual_grade = 0.0, True  # the old 0 kept by nbgrader, flagged
        gb.db.commit()
        skill = exercise.skills[flagged.name]

        def share(graded) -> float | None:
            maximum = sum(g.max_score for g in graded)
            return 100.0 * sum(g.score for g in graded) / maximum if maximum else None

        final = [g for g in grades if not g.needs_manual_grade and exercise.skills.get(g.name) != REFLECT]
        expected_total = share(final)
        assert expected_total != share([*final, flagged]), "the flagged score must make a difference"
        expected_skill = share([g for ex in course.exercises for gid, s in ex.skills.items() if s == skill
                                if not (g := gb.find_grade(gid, ex.id, ex.id, trainee)).needs_manual_grade])

    data = cohort_data(open_course(root))
    result = data.result(trainee, exercise.id)
    assert result.status == "needs grading"
    assert [item.grade_id for item in result.ungraded] == [flagged.name]
    assert result.total == expected_total
    assert data.skill_percent[trainee][skill] == expected_skill
    assert trainee not in {c.trainee.id for c in check_ins(data)}, "an old score is no reason for a check-in"

    text = build_report(open_course(root)).read_text(encoding="utf-8")
    cells = re.findall(r"<td>(.*?)</td>", row_of(table_rows(text, "overview"), trainee), re.S)
    status = cells[2 + data.exercises.index(exercise.id)]
    assert status == (f"{round(expected_total, 1):g}% so far; needs grading" if expected_total is not None
                      else "needs grading")


def _add_secret(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("task"):
            cell.source += f"\n\n{SECRET}: something I have never told anyone."
    nbformat.write(nb, path)


@pytest.mark.grading
def test_nothing_a_trainee_wrote_reaches_the_report_and_reflection_is_completion_only(graded_cohort, tmp_path):
    root = copy_cohort(graded_cohort, tmp_path)
    _, profiles, _ = graded_cohort
    trainee = trainees_with(profiles, "complete")[0]
    course = load_course(root)
    # the course's own reflection items (module 6's journals, which a complete trainee wrote in) ...
    journals = [(ex.id, gid) for ex in course.exercises for gid, skill in ex.skills.items() if skill == REFLECT]
    # ... and, in this copy, every written answer is a reflection on one's own mistakes too
    manifest = yaml.safe_load((root / "course.yml").read_text())
    written = {}
    with formgrader_gradebook(root) as gb:
        for module in manifest["modules"]:
            for ex in module["exercises"]:
                tasks = [c.name for nb in gb.find_assignment(ex["id"]).notebooks for c in nb.task_cells]
                ex["skills"].update({name: REFLECT for name in tasks})
                written[ex["id"]] = tasks
    (root / "course.yml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    first = course.exercises[0].id
    # the trainee's reflection, in the submitted and the autograded notebook, and a grader's comment
    for exercise in course.exercises:
        for folder in ("submitted", "autograded"):
            _add_secret(root / folder / trainee / exercise.id / exercise.notebook_name)
    with formgrader_gradebook(root) as gb:
        for exercise in course.exercises:
            for name in written[exercise.id]:
                gb.find_comment(name, exercise.id, exercise.id, trainee).manual_comment = f"{SECRET} (grader's note)"
        grade = gb.find_grade(written[first][0], first, first, trainee)
        grade.manual_score, grade.needs_manual_grade = grade.max_score, False  # one reflection marked complete
        gb.db.commit()

    path = build_report(open_course(root))
    for output in (path, root / "reports" / "cohort-report.ipynb"):
        assert SECRET not in output.read_text(encoding="utf-8"), output.name

    data = cohort_data(open_course(root))
    assert REFLECT not in data.skills and all(REFLECT not in skills for skills in data.skill_percent.values())
    tasks = sum(len(names) for names in written.values())
    total = tasks + len(journals)
    reflection = data.reflection[trainee]
    assert (reflection.complete, reflection.awaiting, reflection.total) == (1 + len(journals), tasks - 1, total)
    row = row_of(table_rows(path.read_text(encoding="utf-8"), "reflection"), trainee)
    assert f"{1 + len(journals)} of {total} complete" in row and "%" not in row
    for missing in trainees_with(profiles, "missing"):
        assert data.reflection[missing].complete == 0


def test_trainee_files_cannot_be_opened_while_the_gradebook_is_read(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    secret = tmp_path / "submitted" / "t01" / "owning-your-part" / "owning-your-part.ipynb"
    secret.parent.mkdir(parents=True)
    secret.write_text("{}")
    (tmp_path / "course.yml").write_text("title: x\n")
    with trainee_files_forbidden(Nbgrader(read_config(tmp_path)).paths()):
        with pytest.raises(TraineeFilesForbidden):
            secret.read_text()
        with pytest.raises(TraineeFilesForbidden):
            open(tmp_path / "autograded" / "t01" / "anything.ipynb", "w")
        assert (tmp_path / "course.yml").read_text() == "title: x\n"
    assert secret.read_text() == "{}"


def test_report_notebook_is_committed_clean_and_thin():
    nb = json.loads(NOTEBOOK.read_text())
    assert nb["metadata"] == {"kernelspec": nb["metadata"]["kernelspec"], "language_info": {"name": "python"}}
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for cell in nb["cells"]:
        assert not cell.get("outputs") and cell.get("execution_count") is None
        assert set(cell["metadata"]) <= {"tags"}
    assert all(len("".join(c["source"]).splitlines()) <= 6 for c in code)
    assert "from repairlab import report" in "".join(code[1]["source"])


@pytest.mark.grading
def test_the_report_opens_on_what_to_do_with_real_alt_text(built):
    _, _, text, _ = built
    order = [text.index(f'id="{s}"') for s in ("first-check-in", "to-mark", "not-graded",
                                                       "first-not-submitted")]
    assert order == sorted(order) and order[-1] < text.index("<h2", order[-1]) < text.index("<img")
    assert text.count("Private to the course team") == 1
    assert "No description has been provided" not in text
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', text)
    assert len(alts) == 3 and all(len(alt) > 60 for alt in alts)
    assert '<html lang="en">' in text


@pytest.mark.grading
@pytest.mark.browser
def test_the_report_has_no_serious_or_critical_accessibility_violation(built, tmp_path):
    require_chromium()
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    _, path, _, _ = built
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(path.as_uri())
        violations = Axe().run(page).response["violations"]
        page.screenshot(path=tmp_path / "report.png")
        align = page.eval_on_selector("#overview td", "cell => getComputedStyle(cell).textAlign")
        browser.close()
    serious = [(v["id"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert align in ("left", "start")
