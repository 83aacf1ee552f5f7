"""The coach for practice prompts ("Write it yourself" after a vignette), for trainees. A practice
prompt's elements are public (``assets/write-it.yml``): they are what the module teaches, not an
exercise's mark scheme. There is no labelled bank per prompt, so each element is judged by the
learner for its kind (act, impact, change, check-in ...), fitted on every exercise's bank and
stored as plain numbers (``practice-model.json``, built by ``python -m repairlab.authoring.coach
practice-model``). A kind is judged only if, held out one whole task at a time, it reached the
kappa bar on a task it had never seen: the honest estimate for a new prompt."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..course import load_course
from ..errors import CourseError
from .judge import Client, Coach, Element, judged
from .model import Linear
from .normalise import course_words
from .patterns import FEATURES
from .voice import KINDS

MODEL = Path(__file__).with_name("practice-model.json")
PROMPTS = "write-it.yml"


@dataclass(frozen=True)
class PracticeElement:
    name: str
    says: str  # what the element asks for, in the course's words (shown to the trainee)
    kind: str


@dataclass(frozen=True)
class Prompt:
    vignette: str
    module: str
    title: str
    prompt: str
    client: Client
    elements: tuple[PracticeElement, ...]
    model_answers: tuple[str, ...]
    coach: Coach


def kind_models(path: Path = MODEL) -> dict[str, tuple[Linear, float | None]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise CourseError(f"{path.name} was built for other features; rebuild it: "
                          "python -m repairlab.authoring.coach practice-model")
    return {kind: (Linear.from_data(m), m["kappa"]) for kind, m in data["kinds"].items()}


def load_prompts(path: Path, models: dict | None = None) -> dict[str, Prompt]:
    models = kind_models() if models is None else models
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    prompts = {}
    for n, raw in enumerate(data.get("prompts") or []):
        where = f"{path.name}, prompt {raw.get('vignette', n)!r}"
        elements, coach_elements, fitted = [], [], []
        for m, el in enumerate(raw.get("elements") or []):
            if el.get("kind") not in KINDS:
                raise CourseError(f"{where}: field 'elements[{m}].kind' is {el.get('kind')!r}; "
                                  f"allowed: {', '.join(KINDS)}")
            elements.append(PracticeElement(el["name"], el["says"].strip(), el["kind"]))
            coach_elements.append(Element(el["name"], el["kind"], tuple(el.get("cues") or ())))
            model, kappa = models.get(el["kind"], (None, None))
            fitted.append(model if judged(kappa) else None)
        if not elements or not raw.get("model_answers"):
            raise CourseError(f"{where}: needs 'elements' and 'model_answers'")
        client = Client(**raw["client"])
        prompts[raw["vignette"]] = Prompt(
            raw["vignette"], raw["module"], raw["title"], raw["prompt"].strip(), client, tuple(elements),
            tuple(a.strip() for a in raw["model_answers"]),
            Coach(client, tuple(coach_elements), tuple(fitted), known=course_words(path.parents[1])),
        )
    return prompts


def practice_prompt(vignette_id: str) -> Prompt:
    path = load_course().root / "assets" / PROMPTS
    prompts = load_prompts(path)
    if vignette_id not in prompts:
        raise CourseError(f"{path.name} has no practice prompt for {vignette_id!r}; it has: {', '.join(prompts)}")
    return prompts[vignette_id]
