"""What the report knows: names, scores and statuses read from the gradebook (with trainees' folders
forbidden) and the autograde outcomes, and the percentages made from them.

A score counts only once it is final. An item nbgrader marks ``needs_manual_grade`` needs grading,
whatever score it holds: a written answer not graded yet, or an answer an autograde flagged (nbgrader
flags a re-autograded answer that already had a manual score, and that score belongs to the earlier
submission). Such items are left out of every score and maximum until a grader settles them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..course import Course
from ..errors import CourseError
from ..nbgrader_api import gradebook as gradebooks
from ..supervisor.roster import roster_ids
from ..supervisor.safety import safety_review
from ..supervisor.status import load_status
from .privacy import trainee_files_forbidden

REFLECT = "reflect"  # the skill graded on completion only

GRADED = "graded"
NEEDS_GRADING = "needs grading"
NOT_AUTOGRADED = "could not be autograded"
NOT_SUBMITTED = "not submitted"
STATUSES = (GRADED, NEEDS_GRADING, NOT_AUTOGRADED, NOT_SUBMITTED)


class ReportError(CourseError):
    """The cohort report could not be made."""


@dataclass(frozen=True)
class Member:
    """A trainee as the report names them (from the gradebook)."""

    id: str
    first_name: str = ""
    last_name: str = ""

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or self.id

    @property
    def label(self) -> str:
        return self.name if self.name == self.id else f"{self.name} ({self.id})"


@dataclass(frozen=True)
class GradedItem:
    """One nbgrader grade: a test cell, or a written answer graded by hand."""

    grade_id: str
    skill: str | None  # from course.yml; None if the manifest does not map this grade id
    score: float  # nbgrader's Grade.score: the manual score if given, else the automatic one
    max_score: float
    needs_manual_grade: bool  # nbgrader's flag: not graded yet, or flagged by an autograde

    @property
    def graded(self) -> bool:
        """Has a final score: nbgrader does not flag it. A flagged item's score, even a manual one,
        is not final (see the module docstring)."""
        return not self.needs_manual_grade


@dataclass
class ExerciseResult:
    exercise: str
    trainee: str
    submitted: bool
    items: dict[str, GradedItem] = field(default_factory=dict)
    failure: str = ""  # why autograding failed, if it did
    safety: tuple[str, ...] = ()  # the graded risk items missed ("Part B, situation 3")
    handed_in: datetime | None = None  # when, if nbgrader knows

    @property
    def ungraded(self) -> list[GradedItem]:
        """The items that need grading."""
        return [item for item in self.items.values() if not item.graded]

    @property
    def status(self) -> str:
        if not self.submitted:
            return NOT_SUBMITTED
        if self.failure and (self.ungraded or not self.items):
            return NOT_AUTOGRADED
        return NEEDS_GRADING if self.ungraded else GRADED

    @property
    def total(self) -> float | None:
        """% of the points graded so far, reflection items left out; None if nothing is graded."""
        return percent(item for item in self.items.values() if item.skill != REFLECT)


@dataclass(frozen=True)
class Reflection:
    """Completion of the reflection items of one trainee: counts only, never scores or text."""

    complete: int
    awaiting: int  # submitted, needs grading
    total: int

    @property
    def label(self) -> str:
        if self.total and self.complete == self.total:
            return "complete"
        parts = [f"{self.complete} of {self.total} complete"]
        if self.awaiting:
            parts.append(f"{self.awaiting} awaiting grading")
        return "; ".join(parts)


@dataclass
class CohortData:
    title: str
    exercises: list[str]
    skills: dict[str, str]  # skill id -> title, for the skills reported as a percentage
    trainees: list[Member]
    results: dict[tuple[str, str], ExerciseResult]  # (trainee id, exercise id) -> result
    skill_percent: dict[str, dict[str, float | None]]  # trainee id -> skill id -> % or None
    reflection: dict[str, Reflection]  # trainee id -> completion; empty if no exercise maps reflect
    notes: list[str] = field(default_factory=list)  # mismatches between course.yml and gradebook
    titles: dict[str, str] = field(default_factory=dict)  # exercise id -> title

    def result(self, trainee: str, exercise: str) -> ExerciseResult:
        return self.results[(trainee, exercise)]

    def title_of(self, exercise: str) -> str:
        return self.titles.get(exercise, exercise)

    @property
    def released(self) -> list[str]:
        """The exercises at least one trainee has handed in: the others are taken as not released
        (or not due) yet, so nobody is listed as missing them."""
        return [ex for ex in self.exercises if any(self.result(t.id, ex).submitted for t in self.trainees)]

    @property
    def ungraded_items(self) -> int:
        return sum(len(r.ungraded) for r in self.results.values() if r.submitted)


def percent(items) -> float | None:
    """Sum of scores over sum of maximum scores of the graded items, as a percentage."""
    graded = [item for item in items if item.graded]
    maximum = sum(item.max_score for item in graded)
    return 100.0 * sum(item.score for item in graded) / maximum if maximum else None


def fmt_percent(value: float) -> str:
    return f"{round(value, 1):g}%"


def _read_gradebook(course: Course, notes: list[str]):
    """Trainees and, per (trainee, exercise) submitted, their graded items, with trainees' files
    forbidden while the gradebook is read."""
    raw: dict[tuple[str, str], dict[str, GradedItem]] = {}
    handed_in: dict[tuple[str, str], datetime | None] = {}
    with trainee_files_forbidden(course.paths), course.gradebook() as gradebook:
        trainees = [Member(s.id, s.first_name, s.last_name) for s in gradebook.students()]
        for exercise in course.exercises:
            registered = gradebook.exercise(exercise.id)
            if registered is None:
                notes.append(f"{exercise.id} is not registered in the gradebook yet.")
                continue
            unknown = sorted(set(exercise.skills) - registered.cells)
            if unknown:
                notes.append(f"course.yml maps grade id(s) {', '.join(unknown)} of {exercise.id}, "
                             "which the gradebook does not have; they are left out.")
            for submission in registered.submissions:
                handed_in[(submission.trainee, exercise.id)] = submission.timestamp
                raw[(submission.trainee, exercise.id)] = {
                    grade.name: GradedItem(
                        grade_id=grade.name,
                        skill=exercise.skills.get(grade.name),
                        score=float(grade.score or 0.0),
                        max_score=float(grade.max_score or 0.0),
                        needs_manual_grade=grade.needs_manual_grade,
                    )
                    for grade in submission.grades
                }
    return trainees, raw, handed_in


def _reflection(course: Course, trainees: list[Member], results) -> dict[str, Reflection]:
    """Completion of the reflection items per trainee: counts only."""
    reflect_ids = [(ex.id, gid) for ex in course.exercises for gid, skill in ex.skills.items() if skill == REFLECT]
    reflection = {}
    for t in trainees:
        complete = awaiting = 0
        for ex, gid in reflect_ids:
            item = results[(t.id, ex)].items.get(gid)
            if item is not None and item.graded and item.score > 0:
                complete += 1
            elif item is not None and not item.graded:
                awaiting += 1
        reflection[t.id] = Reflection(complete, awaiting, len(reflect_ids))
    return reflection


def safety_flags(course: Course) -> dict[str, list[str]]:
    """"exercise/trainee" -> the graded risk items missed, as labels: made before the report's kernel
    starts (it reads the answers of those items only, as data), and handed to it as a parameter."""
    return {f"{exercise}/{trainee}": [item.label for item in missed]
            for (exercise, trainee), missed in safety_review(course, roster_ids(course)).items()}


def cohort_data(course: Course, safety: dict[str, list[str]] | None = None) -> CohortData:
    """Names, submissions and scores for every trainee in the gradebook and every exercise of the
    manifest, read with trainees' files forbidden; ``safety`` as ``safety_flags`` made it (made here
    when not given, which the report's kernel cannot do)."""
    if not gradebooks.exists(course):
        raise ReportError(f"no gradebook.db in {course.root}: import the roster and grade submissions first")
    safety = safety_flags(course) if safety is None else safety
    outcomes = load_status(course)
    notes: list[str] = []
    trainees, raw, handed_in = _read_gradebook(course, notes)
    trainees.sort(key=lambda t: (t.last_name.casefold(), t.first_name.casefold(), t.id))
    exercises = [ex.id for ex in course.exercises]
    mapped = {skill for ex in course.exercises for skill in ex.skills.values()}
    skills = {skill: title for skill, title in course.skills.items() if skill in mapped and skill != REFLECT}
    results = {}
    for trainee in trainees:
        for ex in exercises:
            outcome = outcomes.get(f"{ex}/{trainee.id}")
            items = raw.get((trainee.id, ex))
            results[(trainee.id, ex)] = ExerciseResult(
                exercise=ex, trainee=trainee.id, submitted=items is not None or outcome is not None,
                items=items or {}, failure="" if outcome is None or outcome.graded else outcome.reason,
                safety=tuple(safety.get(f"{ex}/{trainee.id}", ())), handed_in=handed_in.get((trainee.id, ex)))
    skill_percent = {
        t.id: {skill: percent(item for ex in exercises for item in results[(t.id, ex)].items.values()
                              if item.skill == skill) for skill in skills}
        for t in trainees
    }
    reflection = _reflection(course, trainees, results) if REFLECT in mapped else {}
    return CohortData(course.title, exercises, skills, trainees, results, skill_percent, reflection, notes,
                      {ex: course.exercise_title(ex) for ex in exercises})


def load(course: Course, safety: dict[str, list[str]] | None = None) -> CohortData:
    """``cohort_data``, as the report notebook calls it."""
    return cohort_data(course, safety)
