"""A fictional cohort (``repairlab demo-cohort``): a roster and submissions made from the course's own
solutions and releases, for trying the supervisor tools, the grading tests, the supervisor walkthrough
and the benchmark. Fictional trainees only; never real trainee data."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from ..course import Course, Exercise
from ..nbgrader_api import cells
from .demo_answers import ANSWERS


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


QUALITY = {"complete": "strong", "partial": "weak", "mixed": "mixed", "broken": "strong"}


def write_answers(nb: nbformat.NotebookNode, author: str, profile: str, number: int) -> None:
    """Fill the answer cell under each written task with a fictional answer of the profile's quality
    (one of two, by the trainee's number), and each private journal cell with a fictional entry."""
    for task, answer in cells.written_answer_cells(nb).items():
        choices = ANSWERS[task][QUALITY.get(profile, "mixed")]
        answer.source = choices[number % len(choices)]
    for cell in nb.cells:
        if cells.is_journal(cell):
            cell.source = f"Private reflection by {author} in {cells.grade_id(cell)}: a fictional entry."


ANSWER_BLOCK = re.compile(r'("""\n)(.*?)(\n""")', re.S)


def with_mistakes(source: str, seed: str) -> str:
    """A model answer with a few of its lines changed to another answer the same cell uses: about a
    third of the items, never all, chosen by ``seed`` so each trainee misses different ones."""
    match = ANSWER_BLOCK.search(source)
    if match is None:  # not a plain answer block (a journal, a written answer): left as it is
        return source
    lines = match.group(2).splitlines()
    rng = random.Random(seed)
    for i in rng.sample(range(len(lines)), max(1, len(lines) // 3)):
        lines[i] = rng.choice(sorted(set(lines) - {lines[i]}))
    return source[: match.start(2)] + "\n".join(lines) + source[match.end(2):]


def answer_cells(course: Course, exercise: Exercise) -> list[str]:
    solution = nbformat.read(course.paths.source(exercise.id) / exercise.notebook_name, as_version=4)
    return [c.id for c in solution.cells if cells.is_answer(c)]


FIRST = ["Amara", "Ji-woo", "Mei", "Tomás", "Daniel", "Priya", "Kwame", "Sofia", "Hana", "Mateo",
         "Aisha", "Lukas", "Nia", "Wei", "Farah", "Oren", "Lucía", "Kenji", "Zanele", "Ravi"]
LAST = ["Okafor", "Park", "Lin", "Silva", "Chan", "Nair", "Mensah", "Rossi", "Sato", "García",
        "Haddad", "Weber", "Adeyemi", "Tan", "Karimi", "Levi", "Torres", "Ito", "Dlamini", "Singh"]
PROFILES = ("complete", "partial", "blank", "mixed", "broken", "complete", "mixed", "missing")


def profile_spec(course: Course, exercise: Exercise, profile: str, trainee: str) -> dict | None:
    """The submission a cohort profile hands in; None for a trainee who submits nothing. "mixed" answers
    every item, a few of them wrongly in each autograded part."""
    answers = answer_cells(course, exercise)
    if profile == "mixed":
        solution = nbformat.read(course.paths.source(exercise.id) / exercise.notebook_name, as_version=4)
        return {"start": "blank", "set": {
            c.id: with_mistakes(model_answer(c.source), f"{trainee}:{c.id}")
            for c in solution.cells if c.id in answers
        }}
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
    fictional cohort with a mix of complete, partly wrong ("mixed"), partial, blank, broken and missing work.
    Returns trainee id -> profile."""
    profiles = {f"t{n + 1:02d}": PROFILES[n % len(PROFILES)] for n in range(size)}
    roster.parent.mkdir(parents=True, exist_ok=True)
    with open(roster, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "email"])
        for n, trainee in enumerate(profiles):
            first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
            writer.writerow([trainee, f"{first} {last}", f"{trainee}@example.org"])
    for number, (trainee, profile) in enumerate(profiles.items()):
        for exercise in course.exercises:
            spec = profile_spec(course, exercise, profile, trainee)
            if spec is None:
                continue
            nb = build_submission(course, exercise, spec)
            if profile != "blank":
                write_answers(nb, trainee, profile, number)
            target = folder / trainee / exercise.notebook_name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target)
    return profiles
