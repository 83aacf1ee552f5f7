"""The feedback page a trainee reads (repairlab.nbgrader_api.feedback_page), written by nbgrader's own
generate_feedback: a summary first, then each answer under its task; no code, cell id, prompt
number or exception name; accessible (axe in Chromium) and printable."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from repairlab.checks import DIFFERS, MATCHES
from repairlab.cli import main
from repairlab.nbgrader_api import open_course
from repairlab.nbgrader_api.feedback_page import (
    HELD_REASON,
    SAFETY_REASON,
    answer_lines,
    read_comment,
    task_text,
    unreadable,
)
from repairlab.nbgrader_api.parts import exercise_parts
from repairlab.nbgrader_api.runner import run_nbgrader
from repairlab.supervisor.feedback import write_feedback
from repairlab.supervisor.grading import grade_submissions

from helpers import demo_answer, formgrader_gradebook

EXERCISE = "owning-your-part"
CODE_TRACES = ("In&nbsp;[", "In [", "Out[", "Error", "Traceback", "Test cell", "Grade cell", "statement_labels",
               "best_repair", "classify-statements", "best-repair", "check_list", '"""', "<pre", "<code")


def test_an_answer_is_shown_as_the_lines_the_trainee_wrote():
    assert answer_lines('# One answer per line\nlabels = """\nowning\n holding\n\n"""') == ["owning", "holding"]
    assert answer_lines('labels = ["owning", "holding"]') == ["owning", "holding"]


def test_an_unreadable_answer_is_explained_without_code():
    text = unreadable('statement_labels: the answer must be a plain value, not code; keep `statement_labels = """` '
                      'and the closing `"""`, with one answer per line between them')
    assert text.startswith("The answer must be a plain value") and "`" not in text and "statement_labels" not in text
    assert unreadable('labels, line 3 ("x, y") holds more than one answer').startswith('Line 3 ("x, y") holds')


def test_element_marks_and_note_are_read_from_the_comment():
    comment = "By element (0, ½ or 1 each):\n- Names the act: 1\n- Owns it: ½\n\nWell put."
    assert read_comment(comment) == ([("Names the act", "1"), ("Owns it", "½")], "Well put.")
    assert read_comment("Just a note.") == ([], "Just a note.")


def test_a_task_keeps_its_words_but_not_how_to_type_in_the_notebook():
    """A feedback page has no box to type in: the notebook's typing instructions go, the task stays."""
    html = ("<h2>The vignette</h2><p>Daniel, 41.</p><h2>Part A: weigh it (4 points)</h2>"
            "<p>Choose one. Type one letter per situation in the box below, in order, one per line.</p>"
            "<p>Type your ten codes in the box below, in order, C1 to C10, one per line. (In the feedback, "
            "C1 to C10 are called Turn 1 to Turn 10.)</p>"
            "<p>Double-click the box below and write what you would say to Tomás next.</p>")
    text = task_text(html)
    assert "box below" not in text and "Type " not in text and "Double-click" not in text
    assert "Choose one." in text and "(In the feedback, C1 to C10 are called Turn 1 to Turn 10.)" in text
    assert "<p>Write what you would say to Tomás next.</p>" in text
    # the part's own heading is its title (removed here); a scene-setting heading above it stays, one level down
    assert "Part A" not in text and "<h4>The vignette</h4>" in text


@pytest.fixture(scope="module")
def feedback(graded_cohort, tmp_path_factory):
    """A copy of the graded cohort with t01's written answer marked by element, then feedback."""
    root = Path(shutil.copytree(graded_cohort[0], tmp_path_factory.mktemp("feedback") / "course"))
    with formgrader_gradebook(root) as gb:
        comment = gb.find_comment("written-repair", EXERCISE, EXERCISE, "t01")
        comment.manual_comment = ("By element (0, ½ or 1 each):\n- Names the act: 1\n- Owns it: ½\n\n"
                                  "SUPERVISOR-NOTE: you named the act clearly.")
        gb.find_grade("written-repair", EXERCISE, EXERCISE, "t01").manual_score = 1.5
        gb.db.commit()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        assert main(["feedback", EXERCISE]) == 0
    return root, graded_cohort[1]


def _page(root: Path, trainee: str) -> str:
    return (root / "feedback" / trainee / EXERCISE / f"{EXERCISE}.html").read_text(encoding="utf-8")


@pytest.mark.grading
def test_the_page_opens_on_a_summary_then_each_answer_under_its_task(feedback, graded_cohort):
    root, _ = feedback
    text = _page(root, "t01")
    assert '<html lang="en">' in text and "@media print" in text
    order = [text.index(s) for s in ("Your score:", "By part", "By skill", "What went well", "What to practise next",
                                     "From your supervisor", "Your answers")]
    assert order == sorted(order)
    summary = text[:text.index("Your answers")]
    assert "Own your part" in summary and "Choose a repair strategy" in summary  # skills from course.yml
    # each element's mark, then the comment, once: in the summary, which the answer points to
    assert summary.index("Names the act: 1 of 1") < summary.index("Owns it: ½ of 1") < summary.index("SUPERVISOR-NOTE")
    assert text.count("SUPERVISOR-NOTE") == 1 and text.count("Names the act") == 1
    answers = text[text.index("Your answers"):]
    assert answers.index("Part A") < answers.index("Part B") < answers.index("Part C")
    opening = demo_answer(graded_cohort[0], "t01", EXERCISE)
    assert answers.index("Part C") < answers.index(opening) < answers.index('href="#marks-1"')
    assert 'id="marks-1"' in summary
    # an answer the supervisor has not marked yet says so, instead of a score of 0
    waiting = _page(root, "t02")
    assert "Still to be marked by your supervisor: Part C" in waiting and "Still to be marked" not in text
    assert "not marked yet (4 points)" in waiting and "not marked yet of" not in waiting
    # the safety note comes right under the page's title, before the summary
    assert waiting.index("<h1") < waiting.index("Safety item missed") < waiting.index("Summary")
    assert waiting.index("Summary") < waiting.index("Your answers")


@pytest.mark.grading
def test_a_blank_answer_reads_as_no_answer_given(feedback):
    """A reviewer found an untouched notebook's page saying "Your answer has 0 lines ... between the two
    lines of three quotes" and showing the template's line as the trainee's written answer."""
    root, profiles = feedback
    blank = next(t for t, p in profiles.items() if p == "blank")
    text = _page(root, blank)
    answers = text[text.index("Your answers"):]
    assert answers.count("No answer given.") == 3  # Parts A, B and C
    assert "Write your answer here" not in text and "0 lines" not in text and "three quotes" not in text
    assert "Why it scored nothing" not in text
    # a blank written answer waits for nothing: the page says there is nothing to mark, not that the score will rise
    assert "No answer was given in Part C, so there is nothing there for your supervisor to mark." in text
    assert "Your score will rise" not in text and "Still to be marked" not in text
    # an answer written under the template's line shows the trainee's words only
    complete = _page(root, "t01")
    assert "No answer given" not in complete and "Write your answer here" not in complete


@pytest.mark.grading
def test_no_page_shows_code_cell_ids_prompts_or_exception_names(feedback):
    root, profiles = feedback
    pages = sorted(root.glob(f"feedback/*/{EXERCISE}/*.html"))
    assert len(pages) >= 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not [t for t in CODE_TRACES if t in text], (page, [t for t in CODE_TRACES if t in text])
        assert not re.search(r"<script\b", text)


@pytest.mark.grading
def test_formgraders_generate_feedback_writes_the_same_page(feedback, tmp_path):
    """nbgrader's own generate_feedback (what Formgrader's button runs) uses the same exporter. (The
    safety note is added by ``repairlab feedback``: t01 missed no safety item.)"""
    root, _ = feedback
    before = _page(root, "t01")
    run_nbgrader(root, "generate_feedback", EXERCISE, "--force", "--student", "t01")
    assert _page(root, "t01") == before and "What went well" in before


def _answer_otherwise(notebook: Path, part, wrong: dict[int, str]) -> None:
    """The model answers of one part, except the items in ``wrong`` (one answer per line, as trainees type)."""
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if f"{part.variable} = " in c.source)
    answers = [str(key) for key, _ in part.key]
    for number, answer in wrong.items():
        answers[number - 1] = answer
    cell.source = f'{part.variable} = """\n' + "\n".join(answers) + '\n"""'
    nbformat.write(nb, notebook)


@pytest.mark.grading
def test_a_missed_item_shows_what_was_said_about_the_answer_chosen_never_the_key(graded_cohort, tmp_path):
    """Graded by nbgrader and written by its generate_feedback: each missed item says what the trainee's
    own choice does (the hidden test's sentence for that answer), a matched one keeps the key's why,
    and a missed safety item gets only the safety note; no key's why of a missed item is on the page."""
    source_root, profiles, _ = graded_cohort
    root = Path(shutil.copytree(source_root, tmp_path / "course"))
    course = open_course(root)
    exercise = course.exercise(EXERCISE)
    trainee = next(t for t, p in profiles.items() if p == "complete")
    notebook = root / "submitted" / trainee / EXERCISE / exercise.notebook_name
    parts = {p.grade_id: p for p in exercise_parts(EXERCISE, course.paths.source(EXERCISE) / exercise.notebook_name)}
    labels, best = parts["classify-statements"], parts["best-repair"]
    wrong_labels = {1: "owning", 4: "over-apologising"}
    wrong_best = {1: "A", 2: "C", 3: "B"}  # situation 3 is the safety item
    _answer_otherwise(notebook, labels, wrong_labels)
    _answer_otherwise(notebook, best, wrong_best)
    assert [o.graded for o in grade_submissions(course, [(EXERCISE, trainee)], progress=False)] == [True]

    def shown_lines() -> tuple[BeautifulSoup, dict[str, str]]:
        soup = BeautifulSoup(_page(root, trainee), "html.parser")
        lines = [li.get_text() for li in soup.select("section.answer li") if "(your answer: " in li.get_text()]
        return soup, {line.split(" (your answer: ")[0]: line for line in lines}

    # by default a missed item says only that it differs: its sentence waits for --with-reasons
    write_feedback(course, [exercise], progress=False)
    soup, shown = shown_lines()
    for number in wrong_labels:
        assert shown[f"Statement {number}"].endswith(f"{DIFFERS}. {HELD_REASON}")
    for number in (1, 2):
        assert shown[f"Situation {number}"].endswith(f"{DIFFERS}. {HELD_REASON}")
    assert shown["Situation 3"].endswith(f"{DIFFERS}. {SAFETY_REASON}")
    assert shown["Situation 4"] == f"Situation 4 (your answer: C): {MATCHES}. {best.key[3][1]}"
    held = soup.get_text(" ")
    assert not [s for s in [*labels.feedback["look_again"], *best.feedback["chosen"][0].values()] if s in held]

    write_feedback(course, [exercise], progress=False, with_reasons=True)
    soup, shown = shown_lines()
    checks, pointers = labels.feedback["label_checks"], labels.feedback["look_again"]
    for number, given in wrong_labels.items():
        assert shown[f"Statement {number}"] == (f"Statement {number} (your answer: {given}): {DIFFERS}. "
                                                f"{checks[given]} {pointers[number - 1]}")
    assert shown["Situation 1"].endswith(f"{DIFFERS}. {best.feedback['chosen'][0]['A']}")
    assert shown["Situation 2"].endswith(f"{DIFFERS}. {best.feedback['chosen'][1]['C']}")
    assert shown["Situation 3"] == f"Situation 3 (your answer: B): {DIFFERS}. {SAFETY_REASON}"
    assert shown["Situation 4"] == f"Situation 4 (your answer: C): {MATCHES}. {best.key[3][1]}"
    assert shown["Statement 2"].endswith(f"{MATCHES}. {labels.key[1][1]}")
    page = soup.get_text(" ")
    missed = [labels.key[n - 1][1] for n in wrong_labels] + [best.key[n - 1][1] for n in wrong_best]
    assert not [why for why in missed if why[:50] in page]
    assert best.feedback["chosen"][2]["B"] not in page, "a missed safety item gets the note, not a reason"
    assert "8 of 10 match the course's answers." in page and "1 of 4 match the course's answers." in page
    assert "the key" not in page
    # the safety note says what is true of this answer (answered otherwise, not left blank)
    note = soup.select_one(".repairlab-safety-note").get_text(" ")
    assert "Part B, situation 3 is a safety item, and your answer there is not the one the course expects." in note
    assert "Read again “Safety first” in module 1" in note and "left blank" not in note
