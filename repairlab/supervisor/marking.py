"""``repairlab mark``: a supervisor marks written answers in the terminal, one answer at a time,
element by element of the task's mark scheme (0, ½ or 1 each, the element's anchors beside the
answer). The total and a comment naming each element's score go into nbgrader's gradebook as
Formgrader's manual grading would put them, so ``export``, ``report`` and ``feedback`` see them.

The supervisor sees only the answer a trainee handed in, read from the graded copy (made inert by
the sanitiser, with journals already reduced to "complete"): the one cell under each written task,
never the rest of the notebook and never anything from the trainee's own workspace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup

from ..course import Course
from ..errors import CourseError
from ..nbgrader_api.cells import written_answer_cells
from ..nbgrader_api.marks import WrittenMark, save_written_mark, written_marks
from ..nbgrader_api.sanitize import clean_markdown
from .autograde_state import GRADED, state
from .mark_scheme import WrittenTask, exercise_label, fmt_score, parse_score, written_tasks
from .status import load_status
from .terminal import Back, Stop, Terminal, answer_beside_element, score_prompt

COMMENT_HEAD = "By element (0, ½ or 1 each):"
BLANK = "(left blank: this is still the line the exercise came with)"
MISSING = "(no answer: the cell under the task is missing from the handed-in notebook)"


@dataclass(frozen=True)
class Answer:
    mark: WrittenMark
    text: str  # the answer as plain text


def answers_left(n: int) -> str:
    return "no written answers" if n == 0 else f"{n} written answer{'s' if n != 1 else ''}"


def html_text(html: str) -> str:
    """An answer the sanitiser stored as HTML, as plain paragraphs (list items as "- ")."""
    soup = BeautifulSoup(html, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    blocks = []
    for node in soup.find_all(["p", "li", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "td"]):
        if node.find_parent(["li", "blockquote", "td"]) is not None:
            continue
        text = "\n".join(" ".join(line.split()) for line in node.get_text("").splitlines()).strip()
        if text:
            blocks.append(("- " if node.name == "li" else "") + text)
    if not blocks:
        blocks = [" ".join(soup.get_text(" ").split())]
    return "\n\n".join(blocks).strip()


def _released_texts(course: Course, exercise_id: str) -> dict[str, str]:
    exercise = course.exercise(exercise_id)
    nb = nbformat.read(course.paths.release(exercise.id) / exercise.notebook_name, as_version=4)
    return {task: html_text(clean_markdown(cell.source)) for task, cell in written_answer_cells(nb).items()}


def _graded_answers(path: Path) -> dict[str, str] | None:
    if not path.is_file():
        return None
    cells = written_answer_cells(nbformat.read(path, as_version=4))
    return {task: html_text(cell.source) for task, cell in cells.items()}


def _not_autograded(course: Course, exercise_id: str) -> set[str]:
    """Trainees whose latest hand-in of the exercise could not be autograded, or is not autograded yet
    (an older graded copy is not the answer they handed in last, so it is not marked); as ``pending`` says."""
    return {o.trainee for o in load_status(course).values()
            if o.exercise == exercise_id and state(course, exercise_id, o.trainee, o, True) != GRADED}


def _markable(course: Course, exercise_id: str, mark: WrittenMark, failed: set[str]) -> bool:
    exercise = course.exercise(exercise_id)
    return mark.trainee not in failed and (course.paths.autograded(mark.trainee, exercise.id)
                                           / exercise.notebook_name).is_file()


def waiting_marks(course: Course, exercise_id: str, tasks) -> tuple[list[WrittenMark], list[WrittenMark]]:
    """The answers still to mark: those with a graded copy to mark from, and those in a notebook that
    could not be autograded. ``summary``, the count after each answer and ``pending`` agree on these."""
    failed = _not_autograded(course, exercise_id)
    markable, unreadable = [], []
    for mark in written_marks(course, exercise_id, tasks):
        if mark.needs_marking and mark.manual_score is None:
            (markable if _markable(course, exercise_id, mark, failed) else unreadable).append(mark)
    return markable, unreadable


def left_to_mark(markable: int, unreadable: int, *, where: str = "", command: str = "") -> str:
    """"5 written answers left to mark in WHERE (COMMAND), and 1 in a notebook that could not be
    autograded": how ``summary`` and the count after each answer say it, from ``waiting_marks``."""
    text = f"{answers_left(markable)} left to mark" + (f" in {where}" if where else "")
    text += f" ({command})" if command and markable else ""
    if unreadable:
        text += (f", and {unreadable} in {'a notebook' if unreadable == 1 else 'notebooks'} that could not be "
                 "autograded (repairlab pending says why)")
    return text


def load_answers(course: Course, exercise_id: str, tasks: dict[str, WrittenTask], *, trainee: str | None = None
                 ) -> tuple[list[Answer], list[WrittenMark]]:
    """The answers to mark (all of one trainee's with ``trainee``, else those still waiting), and
    the waiting ones without a graded copy to read (the notebook could not be autograded)."""
    exercise = course.exercise(exercise_id)
    released = _released_texts(course, exercise_id)
    failed = _not_autograded(course, exercise_id)
    found, unreadable = [], []
    for mark in written_marks(course, exercise_id, tasks):
        if trainee is not None and mark.trainee.casefold() != trainee.casefold():
            continue
        if trainee is None and not (mark.needs_marking and mark.manual_score is None):
            continue
        graded = course.paths.autograded(mark.trainee, exercise.id) / exercise.notebook_name
        answers = _graded_answers(graded) if _markable(course, exercise_id, mark, failed) else None
        if answers is None:
            unreadable.append(mark)
            continue
        text = answers.get(mark.task)
        text = MISSING if text is None else BLANK if text == released.get(mark.task) else text
        found.append(Answer(mark, text))
    return found, unreadable


def element_comment(task: WrittenTask, scores: list[float], note: str) -> str:
    """The comment stored with the mark: each element's score by name, then the supervisor's note."""
    lines = [COMMENT_HEAD, *(f"- {e.name}: {fmt_score(s)}" for e, s in zip(task.elements, scores))]
    return "\n".join(lines) + (f"\n\n{note.strip()}" if note.strip() else "")


def read_comment(task: WrittenTask, comment: str) -> tuple[list[float | None], str]:
    """The element scores and the note of a comment ``element_comment`` wrote (None where absent)."""
    scores = []
    for element in task.elements:
        found = re.search(rf"^- {re.escape(element.name)}: (0|½|1)$", comment, re.M)
        scores.append(None if found is None else parse_score(found.group(1)))
    note = comment.split("\n\n", 1)[1] if comment.startswith(COMMENT_HEAD) and "\n\n" in comment else (
        "" if comment.startswith(COMMENT_HEAD) else comment)
    return scores, note.strip()


def summary(course: Course) -> list[str]:
    """One line per exercise with written tasks: what is left to mark, in words."""
    lines = []
    for exercise in course.exercises:
        tasks = written_tasks(course, exercise.id)
        if not tasks:
            continue
        label = exercise_label(course, exercise.id)
        if not written_marks(course, exercise.id, tasks):
            lines.append(f"{label}: no answers graded yet (repairlab grade {exercise.id})")
            continue
        waiting, unreadable = waiting_marks(course, exercise.id, tasks)
        lines.append(f"{label}: {left_to_mark(len(waiting), len(unreadable), command=f'repairlab mark {exercise.id}')}")
    return lines


class MarkingSession:
    """Marks the answers in order; each is saved to the gradebook as soon as its comment is given,
    so stopping at any point keeps every answer finished so far."""

    def __init__(self, course: Course, exercise_id: str, term: Terminal, tasks: dict[str, WrittenTask]):
        self.course, self.exercise_id, self.term, self.tasks = course, exercise_id, term, tasks
        self.label = exercise_label(course, exercise_id)
        self.saved: set[tuple[str, str]] = set()

    def left(self) -> str:
        """What is left in the whole exercise (every written task, every trainee), as ``summary`` says it."""
        markable, unreadable = waiting_marks(self.course, self.exercise_id, written_tasks(self.course,
                                                                                          self.exercise_id))
        return left_to_mark(len(markable), len(unreadable), where=self.label)

    def run(self, answers: list[Answer]) -> int:
        """Mark every answer; returns how many were saved."""
        i = 0
        shown_guidance: set[str] = set()
        while i < len(answers):
            answer = answers[i]
            task = self.tasks[answer.mark.task]
            if task.grade_id not in shown_guidance:
                self.term.heading(f"{self.label} · {task.title}: how to mark")
                self.term.markdown(task.guidance)
                shown_guidance.add(task.grade_id)
            try:
                self._mark(answer, task, i, len(answers))
                i += 1
            except Back:
                i = max(i - 1, 0)
        return len(self.saved)

    def _mark(self, answer: Answer, task: WrittenTask, i: int, n: int) -> None:
        mark = answer.mark
        before, old_note = read_comment(task, mark.comment)
        self.term.heading(f"{self.label} · answer {i + 1} of {n} · {mark.name}")
        self.term.say(f"[bold]{task.title}[/bold]")
        self.term.markdown(task.prompt, indent=2)
        if mark.manual_score is not None:
            self.term.say(f"  Marked before: {mark.manual_score:g} of {mark.max_score:g}.")
        scores: list[float] = []
        stopped = False
        if answer.text in (BLANK, MISSING):
            scores = self._blank(task)
        while len(scores) <= len(task.elements):
            e = len(scores)
            try:
                if e < len(task.elements):
                    self.term.say(answer_beside_element(answer.text, task, e, label=f"{mark.name}'s answer",
                                                        before=before[e]))
                    scores.append(self.term.score(score_prompt(task, e, before[e]), keep=before[e]))
                    continue
                total = sum(scores)
                self.term.say(f"  Total: {total:g} of {mark.max_score:g}.")
                keep = f"Enter keeps: {old_note!r}" if old_note else "Enter for none"
                try:
                    note = self.term.ask(f"  A comment for {mark.name} ({keep}; q saves the scores and stops): ")
                except Stop:  # the scores are given: keep them, with the earlier comment if there was one
                    note, stopped = "", True
                note = note or old_note
                break
            except Back:
                if not scores:
                    raise
                scores.pop()
        save_written_mark(self.course, self.exercise_id, mark.trainee, mark.task, total,
                          element_comment(task, scores, note))
        self.saved.add((mark.trainee, mark.task))
        by_element = ", ".join(f"{el.name} {fmt_score(s)}" for el, s in zip(task.elements, scores))
        left = self.left()
        self.term.say(f"  Saved {total:g} of {mark.max_score:g} for {mark.name} ({by_element}). "
                      f"{left[0].upper()}{left[1:]}.")
        if stopped:
            raise Stop

    def _blank(self, task: WrittenTask) -> list[float]:
        """A blank answer: one key gives 0 on every element; anything else scores it element by element."""
        self.term.say("  The answer is blank.")
        reply = self.term.ask("  Press 0 to give 0 on every element (Enter to score each element): ")
        return [0.0] * len(task.elements) if reply == "0" else []


def mark(course: Course, exercise_id: str, term: Terminal, *, trainee: str | None = None,
         task_id: str | None = None) -> int:
    """Mark the exercise's waiting written answers (or all of one trainee's); returns how many were saved."""
    exercise = course.exercise(exercise_id)
    tasks = written_tasks(course, exercise.id)
    label = exercise_label(course, exercise.id)
    if task_id is not None:
        if task_id not in tasks:
            raise CourseError(f"{exercise.id} has no written task {task_id!r}; it has: {', '.join(tasks) or 'none'}")
        tasks = {task_id: tasks[task_id]}
    if not tasks:
        term.say(f"{label} has no written answers to mark.")
        return 0
    with term.working(f"Reading the answers handed in for {label}…"):
        answers, unreadable = load_answers(course, exercise.id, tasks, trainee=trainee)
    for m in unreadable:
        term.say(f"{m.name}'s notebook could not be autograded, so there is no graded copy to mark from "
                 "(repairlab pending says why; grade it again, or mark it in Formgrader).")
    if not answers and trainee:
        term.say(f"Nothing to mark from {trainee} in {label}: the gradebook has no graded answer of theirs "
                 "(not handed in, not graded yet, or not a roster id).")
        return 0
    if not answers:
        term.say(f"Nothing to mark in {label}: {answers_left(0)} left.")
        return 0
    term.say(f"{label}: {answers_left(len(answers))} to mark. Score each element 0, ½ (or 0.5) or 1; "
             "b goes back one step, q stops (every answer finished is already saved).")
    session = MarkingSession(course, exercise.id, term, tasks)
    try:
        session.run(answers)
    except Stop:
        term.say(f"Stopped. {len(session.saved)} answer(s) marked and saved; {session.left()} "
                 f"(repairlab mark {exercise.id} to go on).")
        return len(session.saved)
    term.say(f"Done: {len(session.saved)} answer(s) marked and saved; {session.left()}.")
    return len(session.saved)
