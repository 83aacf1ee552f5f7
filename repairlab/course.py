"""The course: its manifest (``course.yml``: which modules exist, in order, and what each one holds),
where its files are (``paths``) and, for the supervisor's commands, nbgrader's settings and the
gradebook (``nbgrader``). Every command builds one ``Course`` and hands it down."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import CourseError, ManifestError
from .paths import MANIFEST, CoursePaths


def course_root(start: Path | None = None, installed: bool = True) -> Path:
    """The folder holding ``course.yml``: searched upwards from ``start`` (default: the cwd), so a
    notebook in ``modules/`` finds it. A notebook may fall back to the checkout this package was
    installed from; the supervisor's commands may not (``installed=False``): they say so instead."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MANIFEST).is_file():
            return folder
    checkout = Path(__file__).resolve().parent.parent
    if installed and (checkout / MANIFEST).is_file():
        return checkout
    raise ManifestError(f"not in a course folder: no {MANIFEST} in {here} or any folder above it; run repairlab in the "
                        "course folder")


# How an exercise is autograded. "data": its answers are read as data and scored by trusted code, and
# no trainee code runs (every graded part is a literal answer). "sandbox": its notebook runs in a
# bubblewrap sandbox, for exercises whose tests need the trainee's code to run.
GRADING_MODES = ("data", "sandbox")


@dataclass(frozen=True)
class Exercise:
    id: str
    skills: dict[str, str]  # nbgrader grade id -> skill id
    grading: str = "data"  # one of GRADING_MODES
    # graded risk items: grade id -> item numbers (1-based); missing one flags the submission for review
    safety: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def notebook_name(self) -> str:
        return f"{self.id}.ipynb"


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    reading: Path
    vignettes: Path
    exercises: tuple[Exercise, ...] = field(default_factory=tuple)
    teaches: str = ""  # one sentence for the trainee's course home


@dataclass(frozen=True)
class Course:
    root: Path
    title: str
    skills: dict[str, str]
    modules: tuple[Module, ...]
    paths: CoursePaths
    # repairlab.nbgrader_api.Nbgrader: nbgrader_config.py as read once, and the gradebook. Set by
    # repairlab.nbgrader_api.open_course for the supervisor's commands; trainees' code never needs it.
    nbgrader: object = None

    def gradebook(self):
        """A session on the course's gradebook (``with course.gradebook() as gradebook``)."""
        if self.nbgrader is None:
            raise CourseError(f"{self.root} was opened without its gradebook (repairlab.nbgrader_api.open_course)")
        return self.nbgrader.gradebook()

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(ex for module in self.modules for ex in module.exercises)

    def exercise(self, exercise_id: str) -> Exercise:
        return _find(self.exercises, exercise_id, "exercise")

    def exercise_title(self, exercise_id: str) -> str:
        """The title a supervisor knows an exercise by: its module's."""
        return next(m.title for m in self.modules for ex in m.exercises if ex.id == exercise_id)

    def module(self, module_id: str) -> Module:
        return _find(self.modules, module_id, "module")


def _find(items, ident: str, kind: str):
    for item in items:
        if item.id == ident:
            return item
    raise ManifestError(f"unknown {kind} {ident!r}; the course has: {', '.join(i.id for i in items)}")


def _require(mapping: dict, key: str, where: str):
    if not isinstance(mapping, dict) or key not in mapping:
        raise ManifestError(f"{MANIFEST}: {where} needs the field {key!r}")
    return mapping[key]


def _safety(raw_ex: dict, ex_id: str, skills: dict) -> dict[str, tuple[int, ...]]:
    """An exercise's ``safety:`` map (grade id -> the numbers of its risk items), checked."""
    raw = raw_ex.get("safety") or {}
    if not isinstance(raw, dict):
        raise ManifestError(f"{MANIFEST}: exercise {ex_id!r}: 'safety' maps a grade id to item numbers, e.g. "
                            "'best-repair: [3]'")
    safety = {}
    for grade_id, numbers in raw.items():
        if grade_id not in skills:
            raise ManifestError(f"{MANIFEST}: exercise {ex_id!r}: safety names {grade_id!r}, which is not one of its "
                                f"graded parts: {', '.join(skills)}")
        if not (isinstance(numbers, list) and numbers
                and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in numbers)):
            raise ManifestError(f"{MANIFEST}: exercise {ex_id!r}: safety {grade_id!r} must list item numbers "
                                f"counted from 1, e.g. [3]; got {numbers!r}")
        safety[grade_id] = tuple(numbers)
    return safety


def load_course(root: Path | None = None, paths: CoursePaths | None = None) -> Course:
    """Read and check ``course.yml``; every path it names must exist."""
    root = Path(root) if root is not None else course_root()
    paths = paths or CoursePaths(root)
    if not (root / MANIFEST).is_file():
        raise ManifestError(f"no {MANIFEST} in {root}")
    try:
        data = yaml.safe_load((root / MANIFEST).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ManifestError(f"{MANIFEST} is not valid YAML: {exc}") from None
    skills = _require(data, "skills", "the top level")
    modules = []
    seen: set[str] = set()
    for i, raw in enumerate(_require(data, "modules", "the top level")):
        where = f"module #{i + 1}"
        module_id = _require(raw, "id", where)
        where = f"module {module_id!r}"
        exercises = []
        for raw_ex in raw.get("exercises", []):
            ex_id = _require(raw_ex, "id", f"an exercise of {where}")
            ex_skills = dict(raw_ex.get("skills") or {})
            for grade_id, skill in ex_skills.items():
                if skill not in skills:
                    raise ManifestError(
                        f"{MANIFEST}: exercise {ex_id!r} maps {grade_id!r} to unknown skill "
                        f"{skill!r}; known skills: {', '.join(skills)}"
                    )
            grading = raw_ex.get("grading", "data")
            if grading not in GRADING_MODES:
                raise ManifestError(f"{MANIFEST}: exercise {ex_id!r} has grading {grading!r}; allowed: "
                                    f"{', '.join(GRADING_MODES)}")
            exercises.append(Exercise(id=ex_id, skills=ex_skills, grading=grading,
                                      safety=_safety(raw_ex, ex_id, ex_skills)))
        for ident in (f"module {module_id!r}", *(f"exercise {ex.id!r}" for ex in exercises)):
            if ident in seen:
                raise ManifestError(f"{MANIFEST}: {ident} is listed twice")
            seen.add(ident)
        module = Module(
            id=module_id,
            title=_require(raw, "title", where),
            reading=root / _require(raw, "reading", where),
            vignettes=root / _require(raw, "vignettes", where),
            exercises=tuple(exercises),
            teaches=raw.get("teaches", ""),
        )
        for path in (module.reading, module.vignettes):
            if not path.is_file():
                raise ManifestError(f"{MANIFEST}: {where} names {path.relative_to(root)}, which does not exist")
        modules.append(module)
    return Course(root=root, title=data.get("title", "RepairLab"), skills=dict(skills), modules=tuple(modules),
                  paths=paths)
