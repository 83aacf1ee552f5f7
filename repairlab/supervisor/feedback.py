"""Feedback files (``repairlab feedback``): one page per trainee and exercise, a summary first and
then each answer with its score and reasons, written by nbgrader's generate_feedback with the
preprocessors and the exporter nbgrader_config.py names (``repairlab.nbgrader_api.feedback_page``;
no hidden test, mark scheme or model answer ever gets in). A submission
that missed a graded risk item opens with a note saying so (``safety``), never with the key."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..course import Course, Exercise
from ..nbgrader_api.runner import run_nbgrader
from .mark_scheme import exercise_label
from .progress import Progress
from .roster import roster_ids
from .safety import SAFETY_FLAG, SafetyItem, missed_items, part_names
from .status import load_status

# under the page's title when it has one, else first inside <main> (RepairLab's page writes its own note)
OPENING = (re.compile(r"</h1>"), re.compile(r"<main\b[^>]*>"), re.compile(r"<body\b[^>]*>"))
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


def _names(trainees: list[str], names: dict[str, str], most: int = 10) -> str:
    """"Mei Karimi (t03), Daniel Sato (t05)", at most ``most`` of them, then how many more."""
    shown = [f"{names[t]} ({t})" if names.get(t) and names[t] != t else t for t in trainees]
    return ", ".join(shown[:most]) + (f" and {len(shown) - most} more" if len(shown) > most else "")


@dataclass
class ExerciseFeedback:
    """What one exercise's feedback run did, for the supervisor's summary."""

    exercise: Exercise
    label: str  # "Exercise 1 · Owning your part"
    pages: list[str] = field(default_factory=list)  # trainees whose page was written
    unmarked: dict[str, list[str]] = field(default_factory=dict)  # trainee -> parts not marked yet, on their page
    not_autograded: list[str] = field(default_factory=list)  # handed in, but autograding failed: no page
    not_graded_yet: list[str] = field(default_factory=list)  # handed in, not autograded yet: no page
    not_handed_in: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)  # a safety item missed: the note tops their page

    def lines(self, names: dict[str, str]) -> list[str]:
        """The summary in plain words: pages written, which went out with answers not marked yet
        and how to mark them, and who got no page and why."""
        ex = self.exercise.id

        def who(trainees: list[str]) -> str:
            return _names(trainees, names)

        pages = len(self.pages)
        if not (pages or self.not_autograded or self.not_graded_yet):  # as the report: taken as not released yet
            return [f"{self.label}: nobody has handed it in yet, so there is no feedback to write."]
        lines = [f"{self.label}: {pages} feedback page{'s' if pages != 1 else ''} written." if pages else
                 f"{self.label}: no feedback written."]
        if self.unmarked:
            parts = sorted({part for parts in self.unmarked.values() for part in parts})
            n = len(self.unmarked)
            lines.append(f"  {n} of these pages went out with a written answer not marked yet ({', '.join(parts)}; the "
                         f"page tells the trainee it is still to be marked): mark {'it' if n == 1 else 'them'} with "
                         f"`repairlab mark {ex}`, then run `repairlab feedback {ex}` again to update the pages.")
        if self.not_autograded:
            n = len(self.not_autograded)
            lines.append(f"  No feedback for {n} notebook{'s' if n != 1 else ''} that could not be autograded: "
                         f"{who(self.not_autograded)} (`repairlab pending` says why).")
        if self.not_graded_yet:
            lines.append(f"  Handed in but not autograded yet, so no feedback: {who(self.not_graded_yet)} "
                         f"(`repairlab grade {ex}`, then `repairlab feedback {ex}`).")
        if self.not_handed_in:
            lines.append(f"  Not handed in, so no feedback: {who(self.not_handed_in)}.")
        if self.flagged:
            lines.append(f"  {SAFETY_FLAG[0].upper()}{SAFETY_FLAG[1:]}: said at the top of the page of "
                         f"{who(self.flagged)}.")
        return lines


def _unmarked(course: Course, exercise: Exercise, gradebook) -> dict[str, list[str]]:
    """Trainee -> the parts ("Part C") still waiting for the supervisor's marks, from the gradebook."""
    registered = gradebook.exercise(exercise.id)
    parts = part_names(course, exercise)
    return {s.trainee: waiting for s in (registered.submissions if registered else ())
            if (waiting := sorted(parts.get(g.name, g.name) for g in s.grades
                                  if g.needs_manual_grade and g.manual_score is None))}


def write_feedback(course: Course, exercises: list[Exercise], progress: bool = True, with_reasons: bool = False
                   ) -> tuple[list[str], list[Path]]:
    """Feedback for every autograded submission of ``exercises``, with a progress bar that moves as
    nbgrader converts each one: the summary to print, and the pages written for these exercises."""
    trainees = roster_ids(course)
    failed = {(o.exercise, o.trainee) for o in load_status(course).values() if not o.graded}
    runs = []
    with course.gradebook() as gradebook:
        names = {s.id: " ".join(p for p in (s.first_name, s.last_name) if p) for s in gradebook.students()}
        for exercise in exercises:
            run = ExerciseFeedback(exercise, exercise_label(course, exercise.id))
            unmarked = _unmarked(course, exercise, gradebook)
            for trainee in trainees:
                if (course.paths.autograded(trainee, exercise.id) / exercise.notebook_name).is_file():
                    run.pages.append(trainee)
                    if trainee in unmarked:
                        run.unmarked[trainee] = unmarked[trainee]
                elif (exercise.id, trainee) in failed:
                    run.not_autograded.append(trainee)
                elif (course.paths.submitted(trainee, exercise.id) / exercise.notebook_name).is_file():
                    run.not_graded_yet.append(trainee)
                else:
                    run.not_handed_in.append(trainee)
            runs.append(run)
    made = []
    with Progress(sum(len(run.pages) for run in runs), "Writing feedback", "page", disable=not progress) as bar:
        for run in runs:
            exercise = run.exercise
            if not run.pages:
                continue
            title = course.exercise_title(exercise.id)
            bar.doing(f"{title}: starting nbgrader")

            def converted(line: str, title=title) -> None:
                if "Converting notebook" in line:
                    bar.update()
                    bar.doing(title)

            run_nbgrader(course.root, "generate_feedback", exercise.id, "--force",
                         f"--FeedbackExporter.missed_item_reasons={with_reasons}", on_line=converted)
            written = []
            for trainee in run.pages:
                page = course.paths.feedback(trainee, exercise.id) / exercise.notebook_name.replace(".ipynb", ".html")
                if not page.is_file():
                    continue
                written.append(trainee)
                made.append(page)
                missed = missed_items(course, exercise, trainee)
                if missed:
                    add_safety_note(page, missed)
                    run.flagged.append(trainee)
            run.pages = written
            run.unmarked = {t: parts for t, parts in run.unmarked.items() if t in written}
    lines = [line for run in runs for line in run.lines(names)]
    where = "<exercise>" if len(runs) > 1 else runs[0].exercise.id if runs else ""
    lines.append(f"In all: {len(made)} feedback page{'s' if len(made) != 1 else ''} written, in "
                 f"feedback/<trainee>/{where}/.")
    return lines, made
