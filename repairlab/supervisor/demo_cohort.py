"""A fictional cohort (``repairlab demo-cohort``): a roster and submissions made from the course's own
solutions and releases, for trying the supervisor tools, the grading tests, the supervisor walkthrough
and the benchmark. Fictional trainees only; never real trainee data."""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from ..course import Course, Exercise
from ..nbgrader_api import cells


def model_answer(source: str) -> str:
    return "\n".join(
        line for line in source.splitlines() if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line
    )


def build_submission(course: Course, exercise: Exercise, spec: dict) -> nbformat.NotebookNode:
    """What a trainee would hand in, made from the released notebook.

    spec: ``start`` "solution" (model answers) or "blank" (the release untouched); ``set`` answer cell
    id -> source; ``solve`` answer cell ids to fill with the model answer; ``tests`` "edited" (each
    test cell rewritten to ``pass``) or "deleted"; ``insert`` a code cell after the first answer;
    ``damaged`` the grading metadata of the first answer cell spoilt (as editing it in another tool can).
    """
    name = exercise.notebook_name
    nb = nbformat.read(course.paths.release(exercise.id) / name, as_version=4)
    solution = nbformat.read(course.paths.source(exercise.id) / name, as_version=4)
    solved = {c.id: model_answer(c.source) for c in solution.cells if cells.is_answer(c)}
    fill = set(solved) if spec.get("start") == "solution" else set(spec.get("solve", ()))
    for cell in nb.cells:
        if cell.id in fill:
            cell.source = solved[cell.id]
        if cell.id in spec.get("set", {}):
            cell.source = spec["set"][cell.id]
    if spec.get("tests") == "edited":
        for cell in filter(cells.is_test, nb.cells):
            cell.source = "pass"
    elif spec.get("tests") == "deleted":
        nb.cells = [c for c in nb.cells if not cells.is_test(c)]
    if spec.get("damaged"):
        cells.nbgrader(next(c for c in nb.cells if cells.is_answer(c)))["points"] = "damaged"
    if "insert" in spec:
        first_answer = next(i for i, c in enumerate(nb.cells) if cells.is_answer(c))
        nb.cells.insert(first_answer + 1, new_code_cell(spec["insert"]))
    return nb


def write_answers(nb: nbformat.NotebookNode, author: str) -> None:
    """Fill the answer cell under each written task, and each private journal cell, with fictional
    text signed by ``author``."""
    for task, answer in cells.written_answer_cells(nb).items():
        answer.source = f"Written answer by {author} for {task}: I noticed what I did and I will check in."
    for cell in nb.cells:
        if cells.is_journal(cell):
            cell.source = f"Private reflection by {author} in {cells.grade_id(cell)}: a fictional entry."


def answer_cells(course: Course, exercise: Exercise) -> list[str]:
    solution = nbformat.read(course.paths.source(exercise.id) / exercise.notebook_name, as_version=4)
    return [c.id for c in solution.cells if cells.is_answer(c)]


FIRST = ["Amara", "Ji-woo", "Mei", "Tomás", "Daniel", "Priya", "Kwame", "Sofia", "Hana", "Mateo",
         "Aisha", "Lukas", "Nia", "Wei", "Farah", "Oren", "Lucía", "Kenji", "Zanele", "Ravi"]
LAST = ["Okafor", "Park", "Lin", "Silva", "Chan", "Nair", "Mensah", "Rossi", "Sato", "García",
        "Haddad", "Weber", "Adeyemi", "Tan", "Karimi", "Levi", "Torres", "Ito", "Dlamini", "Singh"]
PROFILES = ("complete", "partial", "blank", "complete", "broken", "complete", "partial", "missing")


def profile_spec(profile: str, answers: list[str]) -> dict | None:
    """The submission a cohort profile hands in; None for a trainee who submits nothing."""
    if profile == "complete":
        return {"start": "solution"}
    if profile == "partial":
        return {"start": "blank", "solve": answers[: max(1, len(answers) // 2)]}
    if profile == "blank":
        return {"start": "blank"}
    if profile == "broken":  # a notebook nbgrader cannot grade: its grading metadata was damaged
        return {"start": "solution", "damaged": True}
    return None


def make_cohort(course: Course, size: int, folder: Path, roster: Path) -> dict[str, str]:
    """Write a roster CSV and a folder of submissions ``folder/<trainee>/<exercise>.ipynb`` for a
    fictional cohort with a mix of complete, partial, blank, broken and missing work.
    Returns trainee id -> profile."""
    profiles = {f"t{n + 1:02d}": PROFILES[n % len(PROFILES)] for n in range(size)}
    roster.parent.mkdir(parents=True, exist_ok=True)
    with open(roster, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "email"])
        for n, trainee in enumerate(profiles):
            first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
            writer.writerow([trainee, f"{first} {last}", f"{trainee}@example.org"])
    answers = {exercise.id: answer_cells(course, exercise) for exercise in course.exercises}
    for trainee, profile in profiles.items():
        for exercise in course.exercises:
            spec = profile_spec(profile, answers[exercise.id])
            if spec is None:
                continue
            nb = build_submission(course, exercise, spec)
            if profile != "blank":
                write_answers(nb, trainee)
            target = folder / trainee / exercise.notebook_name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target)
    return profiles
