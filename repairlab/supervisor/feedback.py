"""Feedback files (``repairlab feedback``): one page per trainee and exercise, a summary first and
then each answer with its score and reasons, written by nbgrader's generate_feedback with the
preprocessors and the exporter nbgrader_config.py names (``repairlab.nbgrader_api.feedback_page``;
no hidden test, mark scheme or model answer ever gets in). A submission
that missed a graded risk item opens with a note saying so (``safety``), never with the key."""

from __future__ import annotations

import html
import re
from pathlib import Path

from tqdm import tqdm

from ..course import Course, Exercise
from ..nbgrader_api.runner import run_nbgrader
from .roster import roster_ids
from .safety import SAFETY_FLAG, SafetyItem, missed_items

OPENING = (re.compile(r"<main\b[^>]*>"), re.compile(r"<body\b[^>]*>"))  # inside <main> when there is one
NOTE_CLASS = "repairlab-safety-note"


def safety_note(missed: list[SafetyItem]) -> str:
    """The note a trainee reads first: which safety item, and that their supervisor will review it."""
    items = "; ".join(item.label for item in missed)
    text = (f"{items[0].upper()}{items[1:]} {'is a safety item' if len(missed) == 1 else 'are safety items'}: "
            "your answer was left blank or was not the one the course expects. Your supervisor will go through "
            "it with you, whatever your total score.")
    return (f'<section class="{NOTE_CLASS}" aria-label="Safety item" style="border: 3px solid #8a1c1c; '
            'padding: 0.75em 1em; margin: 1em; color: #1a1a1a; background: #ffffff; font-size: 1.05em">'
            f"<p><strong>{html.escape(SAFETY_FLAG[0].upper() + SAFETY_FLAG[1:])}.</strong> {html.escape(text)}</p>"
            "</section>")


def add_safety_note(page: Path, missed: list[SafetyItem]) -> None:
    """Put the note at the top of a feedback page (once, however often feedback is written)."""
    text = page.read_text(encoding="utf-8")
    if NOTE_CLASS in text:
        return
    opening = next((found for found in (o.search(text) for o in OPENING) if found), None)
    at = opening.end() if opening else 0
    page.write_text(text[:at] + safety_note(missed) + text[at:], encoding="utf-8")


def write_feedback(course: Course, exercises: list[Exercise], progress: bool = True) -> tuple[list[str], list[Path]]:
    """Feedback for every autograded submission of ``exercises``, with a progress bar that moves as
    nbgrader converts each one: what to say, and every feedback file the course now has."""
    lines = []
    trainees = roster_ids(course)
    with course.gradebook() as gradebook:
        names = {s.id: " ".join(p for p in (s.first_name, s.last_name) if p) for s in gradebook.students()}
    graded = {ex.id: [t for t in trainees if (course.paths.autograded(t, ex.id) / ex.notebook_name).is_file()]
              for ex in exercises}
    with tqdm(total=sum(map(len, graded.values())), desc="Writing feedback", unit="submission",
              disable=not progress) as bar:
        def converted(line: str) -> None:
            if "Converting notebook" in line:
                bar.update()

        for exercise in exercises:
            title = course.exercise_title(exercise.id)
            if not graded[exercise.id]:
                lines.append(f"No autograded submissions for {title} yet: no feedback to write.")
                continue
            bar.set_postfix_str(title, refresh=True)
            run_nbgrader(course.root, "generate_feedback", exercise.id, "--force", on_line=converted)
            flagged = []
            for trainee in graded[exercise.id]:
                page = course.paths.feedback(trainee, exercise.id) / exercise.notebook_name.replace(".ipynb", ".html")
                missed = missed_items(course, exercise, trainee) if page.is_file() else []
                if missed:
                    add_safety_note(page, missed)
                    flagged.append(f"{names[trainee]} ({trainee})" if names.get(trainee) else trainee)
            if flagged:
                lines.append(f"{title}: {SAFETY_FLAG}, said at the top of the feedback of {len(flagged)} trainee(s): "
                             f"{', '.join(flagged)}.")
    return lines, sorted(course.paths.step("feedback").glob("*/*/*.html"))
