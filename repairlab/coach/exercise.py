"""The coach for an exercise's written task, for supervisors: its elements come from the task's own
mark scheme, its learners from the task's labelled bank (``solutions/<exercise>/coach-bank.yml``:
responses, each scored per element by two raters working blind, and the settled score). Fitted at
start-up, in milliseconds; an element is judged only if its cross-validated kappa reaches the bar."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..course import Course
from ..errors import CourseError
from . import model
from .judge import Client, Coach, Element, judged
from .normalise import course_words
from .voice import KINDS

SCHEME = re.compile(r"=== BEGIN MARK SCHEME ===\n(.*?)=== END MARK SCHEME ===", re.S)
ELEMENT = re.compile(r"^\d+\. \*\*(.+?)\*\*", re.M)
SCORES = (0, 0.5, 1)


class CoachError(CourseError):
    """A coach bank or mark scheme that cannot be used; names the file and field."""


@dataclass(frozen=True)
class Response:
    id: str
    text: str
    settled: tuple[float, ...]
    raters: dict[str, tuple[float, ...]]


@dataclass(frozen=True)
class Bank:
    exercise: str
    task: str
    client: Client
    elements: tuple[Element, ...]
    responses: tuple[Response, ...]


def scheme_elements(notebook: Path, task: str) -> tuple[str, ...]:
    """The element names of a written task's mark scheme, in order (the notebook read as JSON)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    ids = []
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        match = SCHEME.search(source)
        if match:
            ids.append(grade_id)
            if grade_id == task:
                return tuple(ELEMENT.findall(match.group(1)))
    raise CoachError(f"{notebook.name}: no written task {task!r} with a mark scheme; it has {', '.join(ids) or 'none'}")


def _scores(raw, where: str, n: int) -> tuple[float, ...]:
    if not isinstance(raw, list) or len(raw) != n or any(s not in SCORES for s in raw):
        raise CoachError(f"{where} must give one of 0, 0.5, 1 for each of the {n} elements")
    return tuple(float(s) for s in raw)


def read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CoachError(f"{path.name}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise CoachError(f"{path.name}: expected fields such as 'task' and 'elements'")
    return data


def load_bank(course: Course, exercise_id: str) -> Bank:
    exercise = course.exercise(exercise_id)
    path = course.paths.coach_bank(exercise.id)
    if not path.is_file():
        raise CoachError(f"{exercise.id} has no coach bank ({path.relative_to(course.root)})")
    data = read_yaml(path)
    task = data.get("task")
    names = scheme_elements(course.paths.source(exercise.id) / exercise.notebook_name, task)
    elements = []
    for n, raw in enumerate(data.get("elements") or []):
        where = f"{path.name}, elements[{n}]"
        if raw.get("kind") not in KINDS:
            raise CoachError(f"{where}: field 'kind' is {raw.get('kind')!r}; allowed: {', '.join(KINDS)}")
        elements.append(Element(raw["name"], raw["kind"], tuple(raw.get("cues") or ())))
    if tuple(e.name for e in elements) != names:
        raise CoachError(f"{path.name}: field 'elements' must name the mark scheme's elements in order: "
                         f"{'; '.join(names)}")
    client = Client(**data["client"])
    responses = []
    for n, raw in enumerate(data.get("responses") or []):
        where = f"{path.name}, response {raw.get('id', n)!r}"
        raters = {r: _scores(s, f"{where}: field 'raters.{r}'", len(names))
                  for r, s in (raw.get("raters") or {}).items()}
        responses.append(Response(str(raw["id"]), str(raw["text"]),
                                  _scores(raw.get("settled"), f"{where}: field 'settled'", len(names)), raters))
    if len(responses) < model.FOLDS * 2:
        raise CoachError(f"{path.name}: field 'responses' needs at least {model.FOLDS * 2} scored responses")
    return Bank(exercise.id, task, client, tuple(elements), tuple(responses))


@dataclass(frozen=True)
class Evaluation:
    """Held-out scores per element (None where the coach said "not judged"); per element, kappa on
    the responses it judged, and coverage (the share of responses it judged)."""

    kappas: tuple[float | None, ...]
    coverage: tuple[float, ...]
    predicted: tuple[tuple[float | None, ...], ...]  # [response][element]


def judged_pairs(predicted, settled) -> tuple[list[float], list[float]]:
    pairs = [(p, s) for p, s in zip(predicted, settled) if p is not None]
    return [p for p, _ in pairs], [s for _, s in pairs]


def bank_coach(course: Course, bank: Bank, models=None, kappas=()) -> Coach:
    models = (None,) * len(bank.elements) if models is None else models
    return Coach(bank.client, bank.elements, tuple(models), tuple(kappas), known=course_words(course.root))


def cross_validate(bank: Bank, coach: Coach | None = None) -> Evaluation:
    """Each response judged by a coach fitted without it (whole responses held out, FOLDS folds)."""
    coach = coach or Coach(bank.client, bank.elements, (None,) * len(bank.elements))
    texts = [r.text for r in bank.responses]
    groups = model.folds(len(texts))
    kappas, coverage, columns = [], [], []
    for e in range(len(bank.elements)):
        seen = [coach.see(t, e) for t in texts]
        settled = [r.settled[e] for r in bank.responses]
        held = model.held_out(
            groups,
            lambda train: model.fit([seen[i].values for i in train], [settled[i] for i in train],
                                    [seen[i].terms for i in train]),
            lambda fitted, i: coach.judge_element(texts[i], e, fitted).score,
        )
        predicted = [held[i] for i in range(len(texts))]
        made, truth = judged_pairs(predicted, settled)
        kappas.append(model.kappa(made, truth) if len(made) > 1 else None)
        coverage.append(len(made) / len(texts))
        columns.append(predicted)
    return Evaluation(tuple(kappas), tuple(coverage), tuple(zip(*columns)))


def exercise_coach(course: Course, exercise_id: str, task: str) -> Coach:
    bank = load_bank(course, exercise_id)
    if task != bank.task:
        raise CoachError(f"{exercise_id}: the coach knows the written task {bank.task!r}, not {task!r}")
    coach = bank_coach(course, bank)
    evaluation = cross_validate(bank, coach)
    texts = [r.text for r in bank.responses]
    models = []
    for e, kappa in enumerate(evaluation.kappas):
        seen = [coach.see(t, e) for t in texts]
        settled = [r.settled[e] for r in bank.responses]
        models.append(model.fit([s.values for s in seen], settled, [s.terms for s in seen]) if judged(kappa) else None)
    return bank_coach(course, bank, models, evaluation.kappas)
