"""Calibrate markers before grading a cohort: score the written tasks' sample answers blind, element
by element with the element's anchors beside the sample, then see per element how far you agree
with the scores the course team agreed, and where you differed, by element name and with the
agreed rationale. Each session is saved as it goes (``agreement_log``), so a supervisor's
agreement over time, and a team's, can be seen with ``calibrate --summary``.

The samples live beside the solutions (``solutions/<exercise>/calibration.yml``) and never reach
the release; the elements come from the task's own mark scheme, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..agreement import DEGENERATE_RULE, cohen_kappa, fmt_kappa, percent_agreement
from ..course import Course
from ..errors import CourseError
from . import agreement_log
from .mark_scheme import SCORES, WrittenTask, exercise_label, fmt_score, written_tasks
from .terminal import Back, Stop, Terminal, answer_beside_element, score_prompt


class CalibrationError(CourseError):
    """A calibration file or mark scheme that cannot be used; names the file and field."""


@dataclass(frozen=True)
class Sample:
    id: str
    answer: str
    scores: tuple[float, ...]
    rationale: str


@dataclass(frozen=True)
class Task:
    written: WrittenTask
    samples: tuple[Sample, ...]

    @property
    def grade_id(self) -> str:
        return self.written.grade_id

    @property
    def elements(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.written.elements)


def load_tasks(course: Course, exercise_id: str) -> list[Task]:
    exercise = course.exercise(exercise_id)
    path = course.paths.calibration(exercise.id)
    if not path.is_file():
        raise CalibrationError(f"{exercise.id} has no calibration set ({path.relative_to(course.root)})")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    written = written_tasks(course, exercise.id)
    tasks = []
    for grade_id, entry in data.items():
        where = f"{path.name}, task {grade_id!r}"
        if grade_id not in written:
            raise CalibrationError(f"{where}: no written task with this id in {exercise.notebook_name}; it has "
                                   f"{', '.join(written)}")
        elements = written[grade_id].elements
        samples = []
        for n, raw in enumerate((entry or {}).get("samples") or [], start=1):
            sid = str(raw.get("id", f"#{n}"))
            scores = tuple(raw.get("scores") or ())
            if len(scores) != len(elements) or any(s not in SCORES for s in scores):
                raise CalibrationError(
                    f"{where}, sample {sid!r}: field 'scores' must give one of 0, 0.5, 1 for each of the "
                    f"{len(elements)} elements"
                )
            for field in ("answer", "rationale"):
                if not str(raw.get(field, "")).strip():
                    raise CalibrationError(f"{where}, sample {sid!r}: field {field!r} is missing")
            samples.append(
                Sample(sid, raw["answer"].strip(), tuple(float(s) for s in scores), raw["rationale"].strip())
            )
        if len(samples) < 2:
            raise CalibrationError(f"{where}: needs at least two samples")
        tasks.append(Task(written[grade_id], tuple(samples)))
    return tasks


@dataclass
class ElementResult:
    element: str
    percent: float
    kappa: float | None


def compare(task: Task, given: list[tuple[float, ...]]) -> list[ElementResult]:
    """Per element: agreement of the given scores with the agreed ones, over the samples scored."""
    results = []
    for e, element in enumerate(task.elements):
        mine = [g[e] for g in given]
        agreed = [s.scores[e] for s in task.samples[:len(given)]]
        results.append(ElementResult(element, percent_agreement(mine, agreed), cohen_kappa(mine, agreed)))
    return results


def _score_samples(term: Terminal, task: Task, given: list[tuple[float, ...]], on_sample) -> None:
    """Score every sample; ``b`` goes back one element, and from a sample's first element back one
    sample. ``on_sample`` is called whenever the list of scored samples changes."""
    current: list[float] = []
    while len(given) < len(task.samples):
        n, e = len(given), len(current)
        sample = task.samples[n]
        if e == 0:
            term.heading(f"Sample {n + 1} of {len(task.samples)}")
        term.say(answer_beside_element(sample.answer, task.written, e, label=f"Sample {n + 1}"))
        try:
            current.append(term.score(score_prompt(task.written, e)))
        except Back:
            if current:
                current.pop()
            elif given:
                given.pop()
                on_sample()
                term.say("  Back to the previous sample.")
            continue
        if len(current) == len(task.elements):
            given.append(tuple(current))
            current = []
            on_sample()


def _show_results(term: Terminal, task: Task, given: list[tuple[float, ...]]) -> list[ElementResult]:
    results = compare(task, given)
    table = Table(title=f"Your agreement with the agreed scores, {len(given)} of {len(task.samples)} samples",
                  title_justify="left")
    table.add_column("Element")
    table.add_column("Agreement", justify="right")
    table.add_column("Kappa", justify="right")
    for r in results:
        table.add_row(r.element, f"{r.percent:.0%}", fmt_kappa(r.kappa))
    term.say(table)
    if any(r.kappa is None for r in results):
        term.say(f"  ({DEGENERATE_RULE})")
    differed = [(n, s, mine) for n, (s, mine) in enumerate(zip(task.samples, given), start=1) if mine != s.scores]
    if not differed:
        term.say("  You gave the agreed score for every element of every sample you scored.")
    for n, sample, mine in differed:
        term.say(f"\n[bold]Sample {n}[/bold], where you differed:")
        for element, yours, agreed in zip(task.elements, mine, sample.scores):
            if yours != agreed:
                term.say(f"  - {element}: you gave {fmt_score(yours)}, agreed {fmt_score(agreed)}")
        term.say(Padding(Text(f"Why the team agreed: {sample.rationale}"), (0, 0, 0, 2)))
    return results


def calibrate(course: Course, exercise_id: str, term: Terminal, supervisor: str,
              task_id: str | None = None) -> dict[str, list[ElementResult]]:
    """Score every sample blind, saving the session after each one, then show agreement per element
    and the elements scored differently. Stopping (q, Ctrl+C) keeps what was scored."""
    tasks = [t for t in load_tasks(course, exercise_id) if task_id in (None, t.grade_id)]
    if not tasks:
        raise CalibrationError(f"{exercise_id} has no calibration set for task {task_id!r}")
    label = exercise_label(course, exercise_id)
    session = agreement_log.new_session(course, supervisor, exercise_id, sum(len(t.samples) for t in tasks))
    results = {}
    for task in tasks:
        record = session.tasks.setdefault(task.grade_id, agreement_log.TaskScores(list(task.elements)))
        given: list[tuple[float, ...]] = []

        def on_sample(task=task, record=record, given=given):
            record.given = {s.id: list(g) for s, g in zip(task.samples, given)}
            record.agreed = {s.id: list(s.scores) for s in task.samples[:len(given)]}
            agreement_log.save(session)

        term.heading(f"{label} · {task.written.title}: calibration, {len(task.samples)} sample answers")
        term.say("Score each sample blind, element by element: 0, ½ (or 0.5) or 1. "
                 "b goes back one step (from a sample's first element, to the sample before); "
                 "q stops, keeping what you scored.")
        term.markdown(task.written.guidance)
        try:
            _score_samples(term, task, given, on_sample)
        except Stop:
            where = session.path.relative_to(course.root) if session.scored else None
            saved = f"; saved in {where}" if where else "; nothing was saved"
            term.say(f"Stopped after {session.scored} of {session.samples} sample answers{saved}.")
            if given:  # the agreement on what was scored, so stopping early still teaches something
                _show_results(term, task, given)
            raise
        results[task.grade_id] = _show_results(term, task, given)
    term.say(f"\nSaved in {session.path.relative_to(course.root)}; "
             "repairlab calibrate --summary shows agreement over time and between supervisors.")
    return results


MIN_SHARED = 3  # fewer samples scored by both supervisors say nothing about their agreement (a kappa of one pair)


def _when(session: agreement_log.Session) -> str:
    return f"{session.when:%-d %b %Y %H:%M}"


def show_summary(course: Course, term: Terminal, exercise_id: str | None = None) -> None:
    """Per exercise and written task: each supervisor's agreement with the agreed scores, per
    element and session, oldest first; then the agreement between supervisors, per element."""
    sessions = agreement_log.load_sessions(course)
    if exercise_id is not None:
        course.exercise(exercise_id)
        sessions = [s for s in sessions if s.exercise == exercise_id]
    if not sessions:
        term.say("No calibration session has been saved in this course yet: run repairlab calibrate EXERCISE.")
        return
    people = sorted({s.supervisor for s in sessions}, key=str.casefold)
    term.say(f"{len(sessions)} calibration session(s) by {len(people)} supervisor(s): {', '.join(people)}.")
    for exercise in course.exercises:
        tasks = {t for s in sessions if s.exercise == exercise.id for t in s.tasks}
        written = written_tasks(course, exercise.id) if tasks else {}
        for task in sorted(tasks):
            title = written[task].title if task in written else task
            _task_summary(term, sessions, exercise.id, task, f"{exercise_label(course, exercise.id)} · {title}")


def _task_summary(term: Terminal, sessions, exercise: str, task: str, title: str) -> None:
    term.heading(title)
    table = Table(title="Agreement with the agreed scores, per session (oldest first)", title_justify="left")
    table.add_column("Element")
    table.add_column("Supervisor")
    table.add_column("Sessions")
    last = None
    for row in agreement_log.over_time(sessions, exercise, task):
        points = " → ".join(
            f"{_when(s)}: {value:.0%}" + ("" if n == s.samples else f" ({n} of {s.samples} samples)")
            for s, value, n in row.points)
        table.add_row(row.element if row.element != last else "", row.supervisor, points)
        last = row.element
    term.say(table)
    pairs = agreement_log.between(sessions, exercise, task)
    if not pairs:
        term.say("  Between supervisors: only one supervisor has calibrated on this task so far.")
        return
    few = [row for row in pairs if row.samples < MIN_SHARED]
    for names in dict.fromkeys(row.supervisors for row in few):
        shared = next(row.samples for row in few if row.supervisors == names)
        term.say(f"  Between {' and '.join(names)}: too few shared samples to compare ({shared}; at least "
                 f"{MIN_SHARED} are needed).")
    pairs = [row for row in pairs if row.samples >= MIN_SHARED]
    if not pairs:
        return
    table = Table(title="Between supervisors (each one's latest session, on the samples both scored)",
                  title_justify="left")
    table.add_column("Element")
    table.add_column("Supervisors")
    table.add_column("Agreement", justify="right")
    table.add_column("Kappa", justify="right")
    table.add_column("Samples", justify="right")
    last = None
    for row in pairs:
        table.add_row(row.element if row.element != last else "", " and ".join(row.supervisors), f"{row.percent:.0%}",
                      fmt_kappa(row.kappa), str(row.samples))
        last = row.element
    term.say(table)
