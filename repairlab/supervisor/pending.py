"""What still needs a supervisor's hand (``repairlab pending``): written answers to mark, submissions
nbgrader could not autograde, and submissions that missed a graded risk item (see ``safety``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..course import Course
from ..nbgrader_api.cells import written_answer_cells
from ..nbgrader_api.sanitize import clean_markdown
from .autograde_state import FAILED, GRADED, INTERRUPTED, WAITING, not_plain_note, not_plain_parts, state
from .grades import waiting_phrase
from .safety import describe, missed_items, part_names
from .status import load_status

MARK, NOT_AUTOGRADED, SAFETY = "mark", "not autograded", "safety"
NOT_YET, NOT_PLAIN = "not yet", "not plain"  # said once per exercise, not per trainee
BY_HAND = ("To mark written answers: `repairlab mark EXERCISE`, or run `jupyter lab` in this folder, then Nbgrader > "
           "Formgrader > Manage Assignments > the exercise > the trainee's submission. A notebook that could not be "
           "autograded is untrusted: read it, never run its cells (open it with JupyterLab's kernel set to No Kernel).")


NO_FEEDBACK = ("For the {n} notebook(s) that could not be autograded (no feedback page until they are): ask the "
               "trainee to hand in again from a fresh copy (the course home's Start again, then Hand in; then "
               "`repairlab collect` and `repairlab grade`), or open the notebook in JupyterLab with No Kernel and "
               "mark it by reading it, never running it.")


@dataclass(frozen=True)
class Pending:
    exercise: str
    trainee: str
    what: str
    kind: str = MARK  # MARK, NOT_AUTOGRADED or SAFETY; NOT_YET and NOT_PLAIN are one line for the exercise
    name: str = ""  # the trainee's name from the gradebook
    reason: str = ""  # why autograding failed (NOT_AUTOGRADED)


def _texts(nb) -> dict[str, str]:
    return {task: cell.source.strip() for task, cell in written_answer_cells(nb).items()}


def blank_answers(released: dict[str, str], graded: Path) -> set[str]:
    """Written tasks whose answer is still the released text, so the supervisor knows before opening it."""
    if not graded.is_file():
        return set()
    # the autograded copy holds the answer as the sanitiser rendered it
    unchanged = {task: {text, clean_markdown(text).strip()} for task, text in released.items()}
    return {
        task for task, text in _texts(nbformat.read(graded, as_version=4)).items() if text in unchanged.get(task, ())
    }


def _name(student) -> str:
    return " ".join(p for p in (student.first_name, student.last_name) if p) or student.id


def pending(course: Course) -> list[Pending]:
    """Everything waiting for the supervisor, in the manifest's order of exercises, then by name."""
    status = load_status(course)
    rows = []
    with course.gradebook() as gradebook:
        names = {s.id: _name(s) for s in gradebook.students()}
        for exercise in course.exercises:
            registered = gradebook.exercise(exercise.id)
            where = _states(course, exercise, status, names, registered)
            rows += _autograde_rows(course, exercise, where, status, names)
            if registered is None:
                continue
            parts = part_names(course, exercise)
            released = _texts(nbformat.read(course.paths.release(exercise.id) / exercise.notebook_name, as_version=4))
            handed_in = {s.trainee for s in registered.submissions} | {
                o.trainee for o in status.values() if o.exercise == exercise.id}
            for submission in registered.submissions:
                trainee = submission.trainee
                items = [g.name for g in submission.grades if g.needs_manual_grade and g.manual_score is None]
                if items and where.get(trainee, GRADED) == GRADED:
                    graded = course.paths.autograded(trainee, exercise.id) / exercise.notebook_name
                    blank = blank_answers(released, graded)
                    marked = [parts.get(item, item) + (" (left blank)" if item in blank else "")
                              for item in sorted(items, key=lambda i: parts.get(i, i))]
                    rows.append(Pending(exercise.id, trainee, "written answer(s) to mark: " + ", ".join(marked),
                                        MARK, names.get(trainee, "")))
            for trainee in sorted(handed_in):
                missed = missed_items(course, exercise, trainee)
                if missed:
                    rows.append(Pending(exercise.id, trainee, describe(missed), SAFETY, names.get(trainee, "")))
    order = {ex.id: n for n, ex in enumerate(course.exercises)}
    kinds = (SAFETY, NOT_AUTOGRADED, MARK, NOT_YET, NOT_PLAIN)
    return sorted(rows, key=lambda r: (order.get(r.exercise, len(order)), (r.name or r.trainee).casefold(),
                                       r.trainee, kinds.index(r.kind)))


def _states(course: Course, exercise, status, names, registered) -> dict[str, str]:
    """Trainee -> how their notebook in submitted/ stands with autograding (``autograde_state``)."""
    in_gradebook = {s.trainee for s in registered.submissions} if registered else set()
    return {trainee: state(course, exercise.id, trainee, status.get(f"{exercise.id}/{trainee}"),
                           trainee in in_gradebook)
            for trainee in sorted(names)
            if (course.paths.submitted(trainee, exercise.id) / exercise.notebook_name).is_file()}


def _autograde_rows(course: Course, exercise, where: dict[str, str], status, names) -> list[Pending]:
    """Hand-ins not autograded yet (one line), those that could not be (one each, with the reason), and
    graded parts whose answer was not a plain answer (one line per part), read from the trusted outputs."""
    rows = []
    waiting = sum(s == WAITING for s in where.values())
    if waiting:
        rows.append(Pending(exercise.id, "", f"{waiting} hand-in(s) not autograded yet: run `repairlab grade`",
                            NOT_YET))
    parts = part_names(course, exercise)
    not_plain: dict[str, list[str]] = {}
    for trainee, where_now in where.items():
        outcome = status.get(f"{exercise.id}/{trainee}")
        if where_now == FAILED:
            reason = outcome.reason if outcome is not None and not outcome.graded else INTERRUPTED
            rows.append(Pending(exercise.id, trainee, "could not be autograded (why: below)",
                                NOT_AUTOGRADED, names.get(trainee, ""), reason))
        elif where_now == GRADED:
            for part in not_plain_parts(course, exercise.id, trainee):
                not_plain.setdefault(parts.get(part, part), []).append(
                    _who(Pending(exercise.id, trainee, "", name=names.get(trainee, ""))))
    rows += [Pending(exercise.id, "", f"{not_plain_note([part])}: {', '.join(who)}", NOT_PLAIN)
             for part, who in sorted(not_plain.items())]
    return rows


def pending_lines(course: Course, rows: list[Pending]) -> list[str]:
    """What ``repairlab pending`` prints: totals, then one group per exercise, each trainee by name, a
    reason for failing autograding said once, and how to grade by hand."""
    if not rows:
        return ["Nothing is waiting for you: every submission is graded and no safety item was missed."]
    count = {kind: sum(r.kind == kind for r in rows) for kind in (MARK, NOT_AUTOGRADED, SAFETY)}
    kinds = {kind: {(r.exercise, r.trainee) for r in rows if r.kind == kind} for kind in count}
    failed = kinds[NOT_AUTOGRADED] - kinds[SAFETY]
    waiting = waiting_phrase(len(kinds[SAFETY]), len(failed), len(kinds[MARK] - kinds[SAFETY] - failed))
    lines = [f"Waiting for you: {waiting}."]
    for exercise in course.exercises:
        group = [r for r in rows if r.exercise == exercise.id]
        if not group:
            continue
        totals = ", ".join(f"{n} {label}" for kind, label in ((MARK, "to mark"), (NOT_AUTOGRADED, "to grade by hand"),
                                                               (SAFETY, "safety item missed"))
                           if (n := sum(r.kind == kind for r in group)))
        lines += ["", course.exercise_title(exercise.id) + (f" ({totals})" if totals else "")]
        people = [r for r in group if r.trainee]
        width = max((len(_who(r)) for r in people), default=0)
        lines += [f"  {_who(r):<{width}}  {r.what}" for r in people]
        lines += [f"  {r.what}" for r in group if not r.trainee]
    reasons: dict[str, list[Pending]] = {}
    for row in rows:
        if row.kind == NOT_AUTOGRADED:
            reasons.setdefault(row.reason, []).append(row)
    for reason, failed in reasons.items():
        trainees = sorted({_who(r) for r in failed})
        lines += ["", f"Could not be autograded ({len(failed)} notebook(s) of {', '.join(trainees)}): "
                      f"{reason or 'nbgrader gave no reason'}."]
    if count[NOT_AUTOGRADED]:
        lines.append(NO_FEEDBACK.format(n=count[NOT_AUTOGRADED]))
    lines += ["", BY_HAND]
    return lines


def _who(row: Pending) -> str:
    return f"{row.name} ({row.trainee})" if row.name and row.name != row.trainee else row.trainee
