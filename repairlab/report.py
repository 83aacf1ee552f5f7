"""The supervisor's cohort report: who has submitted what, scores per exercise and per skill, and who
may benefit from a check-in.

Everything comes from nbgrader's gradebook (names, scores, whether an item still needs a manual
grade) plus the autograde outcomes that ``repairlab.grading`` keeps (why a submission could not be
autograded). The report never opens a submitted, autograded or feedback notebook, never reads a
grader's comment and never shows answer text: ``trainee_files_forbidden`` makes opening those files
an error while the gradebook is read, and the report kernel forbids it for its whole life.
Reflection items (skill ``reflect``) count for completion only: never a percentage, never text.

``build_report`` runs ``cohort_report.ipynb`` (a thin notebook that calls the functions here) with
nbclient and exports it to HTML with the code hidden.
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import sys
import textwrap
import warnings
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from . import nbgrader_api
from .errors import CourseError
from .grading import load_status
from .manifest import Course, load_course

NOTEBOOK = Path(__file__).with_name("cohort_report.ipynb")
REPORT_NAME = "cohort-report"
REFLECT = "reflect"  # the skill graded on completion only

# Who may benefit from a check-in (see ``check_ins``).
CHECK_IN_BELOW = 60.0  # a skill below this share of the points graded so far
CHECK_IN_MISSING = 2  # this many exercises not submitted (or every exercise, in a shorter course)

GRADED = "graded"
NEEDS_MANUAL = "needs manual grading"
NOT_AUTOGRADED = "could not be autograded"
NOT_SUBMITTED = "not submitted"
STATUSES = (GRADED, NEEDS_MANUAL, NOT_AUTOGRADED, NOT_SUBMITTED)
STATUS_COLOURS = {GRADED: "#4c72b0", NEEDS_MANUAL: "#dd8452", NOT_AUTOGRADED: "#c44e52", NOT_SUBMITTED: "#b8b8b8"}


class ReportError(CourseError):
    """The cohort report could not be made."""


class TraineeFilesForbidden(CourseError, PermissionError):
    """Something tried to open a trainee's notebook while the report was being made."""


# ---------------------------------------------------------------------------------------------
# Privacy guard


def trainee_folders(root: Path) -> list[Path]:
    """The folders of a course that hold trainees' own work: submitted, autograded and feedback
    notebooks (as named in nbgrader_config.py), zip downloads and the trainee workspace."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        directories = nbgrader_api.course_config(root).CourseDirectory
    names = [directories.get(key, default) for key, default in (
        ("submitted_directory", "submitted"), ("autograded_directory", "autograded"),
        ("feedback_directory", "feedback"))]
    return [Path(root) / name for name in (*names, "downloaded", "workspace")]


_FORBIDDEN: list[tuple[str, ...]] = []  # one entry per active guard: real paths of the folders
_HOOK_INSTALLED = False


def _audit(event: str, args: tuple) -> None:
    if event != "open" or not _FORBIDDEN or isinstance(args[0], int):
        return
    try:
        path = os.path.realpath(os.fsdecode(args[0]))
    except (TypeError, ValueError):
        return
    for folders in _FORBIDDEN:
        for folder in folders:
            if path == folder or path.startswith(folder + os.sep):
                raise TraineeFilesForbidden(
                    f"the cohort report may not open trainees' files ({path}); it uses only the gradebook")


def _guard(root: Path) -> tuple[str, ...]:
    global _HOOK_INSTALLED
    if not _HOOK_INSTALLED:
        sys.addaudithook(_audit)  # audit hooks cannot be removed; it does nothing without a guard
        _HOOK_INSTALLED = True
    folders = tuple(os.path.realpath(folder) for folder in trainee_folders(Path(root)))
    _FORBIDDEN.append(folders)
    return folders


@contextlib.contextmanager
def trainee_files_forbidden(root: Path):
    """Opening any file in the course's trainee folders raises ``TraineeFilesForbidden`` inside."""
    folders = _guard(root)
    try:
        yield
    finally:
        _FORBIDDEN.remove(folders)


def forbid_trainee_files(root: Path) -> None:
    """``trainee_files_forbidden`` for the rest of this process: for the report's own kernel."""
    _guard(root)


# ---------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Trainee:
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
class Item:
    """One nbgrader grade: a test cell, or a written answer graded by hand."""

    grade_id: str
    skill: str | None  # from course.yml; None if the manifest does not map this grade id
    score: float  # nbgrader's Grade.score: the manual score if given, else the automatic one
    max_score: float
    needs_manual_grade: bool  # nbgrader's flag
    manually_scored: bool

    @property
    def graded(self) -> bool:
        """Has a score that counts: a manual score, or an automatic one nbgrader does not flag."""
        return self.manually_scored or not self.needs_manual_grade


@dataclass
class ExerciseResult:
    exercise: str
    trainee: str
    submitted: bool
    items: dict[str, Item] = field(default_factory=dict)
    failure: str = ""  # why autograding failed, if it did

    @property
    def ungraded(self) -> list[Item]:
        return [item for item in self.items.values() if not item.graded]

    @property
    def status(self) -> str:
        if not self.submitted:
            return NOT_SUBMITTED
        if self.failure and (self.ungraded or not self.items):
            return NOT_AUTOGRADED
        return NEEDS_MANUAL if self.ungraded else GRADED

    @property
    def total(self) -> float | None:
        """% of the points graded so far, reflection items left out; None if nothing is graded."""
        return percent(item for item in self.items.values() if item.skill != REFLECT)


@dataclass(frozen=True)
class Reflection:
    """Completion of the reflection items of one trainee: counts only, never scores or text."""

    complete: int
    awaiting: int  # submitted, not graded yet
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
    trainees: list[Trainee]
    results: dict[tuple[str, str], ExerciseResult]  # (trainee id, exercise id) -> result
    skill_percent: dict[str, dict[str, float | None]]  # trainee id -> skill id -> % or None
    reflection: dict[str, Reflection]  # trainee id -> completion; empty if no exercise maps reflect
    notes: list[str] = field(default_factory=list)  # mismatches between course.yml and gradebook

    def result(self, trainee: str, exercise: str) -> ExerciseResult:
        return self.results[(trainee, exercise)]

    @property
    def ungraded_items(self) -> int:
        return sum(len(r.ungraded) for r in self.results.values() if r.submitted)


def percent(items) -> float | None:
    """Sum of scores over sum of maximum scores of the graded items, as a percentage."""
    graded = [item for item in items if item.graded]
    maximum = sum(item.max_score for item in graded)
    return 100.0 * sum(item.score for item in graded) / maximum if maximum else None


def cohort_data(root: Path, course: Course) -> CohortData:
    """Names, submissions and scores for every trainee in the gradebook and every exercise of the
    manifest, read with trainees' files forbidden."""
    root = Path(root)
    if not (root / "gradebook.db").is_file():
        raise ReportError(f"no gradebook.db in {root}: import the roster and grade submissions first")
    outcomes = load_status(root)
    notes = []
    raw: dict[tuple[str, str], dict[str, Item]] = {}
    with trainee_files_forbidden(root), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader emits SAWarnings under SQLAlchemy 2
        from nbgrader.api import MissingEntry

        with nbgrader_api.gradebook(root) as gb:
            trainees = [Trainee(s.id, s.first_name or "", s.last_name or "") for s in gb.students]
            for exercise in course.exercises:
                try:
                    assignment = gb.find_assignment(exercise.id)
                except MissingEntry:
                    notes.append(f"{exercise.id} is not registered in the gradebook yet.")
                    continue
                known = {cell.name for nb in assignment.notebooks for cell in (*nb.grade_cells, *nb.task_cells)}
                unknown = sorted(set(exercise.skills) - known)
                if unknown:
                    notes.append(f"course.yml maps grade id(s) {', '.join(unknown)} of {exercise.id}, "
                                 "which the gradebook does not have; they are left out.")
                for submission in assignment.submissions:
                    raw[(submission.student_id, exercise.id)] = {
                        grade.name: Item(
                            grade_id=grade.name,
                            skill=exercise.skills.get(grade.name),
                            score=float(grade.score or 0.0),
                            max_score=float(grade.max_score or 0.0),
                            needs_manual_grade=bool(grade.needs_manual_grade),
                            manually_scored=grade.manual_score is not None,
                        )
                        for notebook in submission.notebooks
                        for grade in notebook.grades
                    }
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
                items=items or {}, failure="" if outcome is None or outcome.graded else outcome.reason)
    skill_percent = {
        t.id: {skill: percent(item for ex in exercises for item in results[(t.id, ex)].items.values()
                              if item.skill == skill) for skill in skills}
        for t in trainees
    }
    reflection = {}
    if REFLECT in mapped:
        reflect_ids = [(ex.id, gid) for ex in course.exercises for gid, skill in ex.skills.items() if skill == REFLECT]
        for t in trainees:
            complete = awaiting = 0
            for ex, gid in reflect_ids:
                item = results[(t.id, ex)].items.get(gid)
                if item is not None and item.graded and item.score > 0:
                    complete += 1
                elif item is not None and not item.graded:
                    awaiting += 1
            reflection[t.id] = Reflection(complete, awaiting, len(reflect_ids))
    return CohortData(course.title, exercises, skills, trainees, results, skill_percent, reflection, notes)


def load(root: Path | str) -> CohortData:
    """``cohort_data`` for the course in ``root``, with its own manifest."""
    root = Path(root).resolve()
    return cohort_data(root, load_course(root))


# ---------------------------------------------------------------------------------------------
# Who may benefit from a check-in


@dataclass(frozen=True)
class CheckIn:
    trainee: Trainee
    reasons: tuple[str, ...]


def fmt_percent(value: float) -> str:
    return f"{round(value, 1):g}%"


def check_in_rule() -> str:
    return (
        "A trainee is listed when at least one of these is true: a skill is below "
        f"{CHECK_IN_BELOW:g}% of the points graded so far (skills with nothing graded yet do not count); "
        f"{CHECK_IN_MISSING} or more exercises are not submitted (every exercise, if the course has fewer); "
        "an exercise could not be autograded and is waiting to be graded by hand. "
        "This is a prompt for a supportive conversation, not an assessment: "
        "the numbers do not say why, and the reason may be as simple as a technical problem."
    )


def check_ins(data: CohortData) -> list[CheckIn]:
    """Trainees who may benefit from a check-in, with what the report noticed (``check_in_rule``)."""
    listed = []
    for t in data.trainees:
        reasons = [f"{data.skills[skill]}: {fmt_percent(value)} of the points graded so far"
                   for skill, value in data.skill_percent[t.id].items()
                   if value is not None and value < CHECK_IN_BELOW]
        missing = [ex for ex in data.exercises if not data.result(t.id, ex).submitted]
        if missing and len(missing) >= min(CHECK_IN_MISSING, len(data.exercises)):
            reasons.append(f"not submitted yet: {', '.join(missing)}")
        for ex in data.exercises:
            result = data.result(t.id, ex)
            if result.status == NOT_AUTOGRADED:
                reasons.append(f"{ex} could not be autograded ({result.failure}); it is waiting to be graded by hand")
        if reasons:
            listed.append(CheckIn(t, tuple(reasons)))
    return listed


def not_submitted(data: CohortData) -> list[tuple[Trainee, list[str]]]:
    """Each trainee with at least one exercise not submitted, and those exercises."""
    rows = []
    for t in data.trainees:
        missing = [ex for ex in data.exercises if not data.result(t.id, ex).submitted]
        if missing:
            rows.append((t, missing))
    return rows


# ---------------------------------------------------------------------------------------------
# Tables and text (objects Jupyter displays as HTML)


class Html(str):
    def _repr_html_(self) -> str:
        return str(self)


def _cell(value) -> str:
    if isinstance(value, (list, tuple)):
        return "<br>".join(html.escape(str(v)) for v in value)
    return html.escape(str(value))


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[list]  # plain-text cells; a list in a cell is shown one entry per line
    note: str = ""
    empty: str = "Nobody."

    def to_html(self) -> str:
        parts = [f'<section class="repairlab-table" id="section-{self.id}">', f"<h3>{html.escape(self.title)}</h3>"]
        if self.note:
            parts.append(f"<p>{html.escape(self.note)}</p>")
        if not self.rows:
            parts.append(f"<p><em>{html.escape(self.empty)}</em></p>")
        else:
            head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
            body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in self.rows)
            parts.append(f'<table id="{self.id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
        parts.append("</section>")
        return Html("\n".join(parts))

    _repr_html_ = to_html


def summary(data: CohortData) -> Html:
    """What the report covers and how to read it."""
    items = [
        f"{len(data.trainees)} trainees in the gradebook; exercises: {', '.join(data.exercises) or 'none'}.",
        "Percentages are the share of points on the items that have a score. Items still waiting for "
        "a manual grade (usually written answers) are left out of both the score and the maximum "
        f"({data.ungraded_items} such item(s) in this cohort right now), so a percentage can change "
        "once they are graded.",
        "A skill with nothing graded yet shows as 'no grade', never as 0%.",
    ]
    if data.reflection:
        items.append("Reflection is graded on completion only: it appears as complete or not, never as "
                     "a percentage, and it is left out of exercise totals and of the skill chart.")
    items.append("This report uses only names, scores and statuses from the gradebook. It never opens "
                 "a trainee's notebook and shows no answers and no grader comments.")
    items += data.notes
    lis = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return Html(f"<h2>{html.escape(data.title)}: cohort report, {date.today().isoformat()}</h2><ul>{lis}</ul>")


def not_submitted_table(data: CohortData) -> Table:
    return Table("not-submitted", "Not submitted yet", ["Trainee", "ID", "Exercises not submitted"],
                 [[t.name, t.id, missing] for t, missing in not_submitted(data)],
                 empty="Everyone has submitted every exercise.")


def check_in_table(data: CohortData) -> Table:
    return Table("check-in", "May benefit from a check-in", ["Trainee", "ID", "What the report noticed"],
                 [[c.trainee.name, c.trainee.id, list(c.reasons)] for c in check_ins(data)],
                 note=check_in_rule(), empty="Nobody at the moment.")


def _status_text(result: ExerciseResult) -> str:
    total = result.total
    score = fmt_percent(total) if total is not None else ""
    if result.status == GRADED:
        return score or GRADED
    if result.status == NEEDS_MANUAL:
        return f"{score} so far; needs manual grading" if score else NEEDS_MANUAL
    if result.status == NOT_AUTOGRADED:
        return f"{NOT_AUTOGRADED}: {result.failure}"
    return NOT_SUBMITTED


def overview_table(data: CohortData) -> Table:
    """Every trainee: each exercise's status and total (% of graded points)."""
    return Table("overview", "Every trainee, every exercise", ["Trainee", "ID", *data.exercises],
                 [[t.name, t.id, *(_status_text(data.result(t.id, ex)) for ex in data.exercises)]
                  for t in data.trainees],
                 note="Totals are % of the points graded so far, reflection items left out.",
                 empty="No trainees in the gradebook yet.")


def reflection_table(data: CohortData) -> Table:
    if not data.reflection:
        return Table("reflection", "Reflection (completion only)", [], [],
                     empty="No exercise in course.yml is mapped to the reflection skill.")
    return Table("reflection", "Reflection (completion only)", ["Trainee", "ID", "Reflection"],
                 [[t.name, t.id, data.reflection[t.id].label] for t in data.trainees],
                 note="Complete means submitted and given a non-zero score. What a trainee wrote is "
                      "never shown or summarised here.")


# ---------------------------------------------------------------------------------------------
# Figures (matplotlib's object API, no pyplot state)


class PNG:
    """A figure as a PNG that Jupyter displays (a bare ``Figure`` only shows its repr)."""

    def __init__(self, fig: Figure, dpi: int = 100):
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
        self.data = buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.data


def show(fig: Figure) -> PNG:
    return PNG(fig)


def status_figure(data: CohortData) -> Figure:
    """Stacked bars: per exercise, how many trainees are in each submission status."""
    fig = Figure(figsize=(8, 1.2 + 0.6 * max(1, len(data.exercises))), layout="constrained")
    ax = fig.add_subplot()
    ys = list(range(len(data.exercises)))
    left = [0] * len(ys)
    for status in STATUSES:
        counts = [sum(data.result(t.id, ex).status == status for t in data.trainees) for ex in data.exercises]
        bars = ax.barh(ys, counts, left=left, color=STATUS_COLOURS[status], label=status, height=0.6)
        ax.bar_label(bars, labels=[str(c) if c else "" for c in counts], label_type="center", fontsize=9,
                     color="black" if status == NOT_SUBMITTED else "white")
        left = [a + b for a, b in zip(left, counts)]
    ax.set_yticks(ys, data.exercises)
    ax.invert_yaxis()
    ax.set_xlim(0, max(1, len(data.trainees)))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("Trainees")
    ax.set_title(f"Submission status per exercise ({len(data.trainees)} trainees)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(ys) < 3 else -0.2), ncol=4, fontsize=8, frameon=False)
    return fig


def scores_figure(data: CohortData) -> Figure:
    """Per exercise, the total % of graded points of each trainee with graded work: box and dots."""
    fig = Figure(figsize=(max(5.5, 2.4 * len(data.exercises) + 1.5), 4.2), layout="constrained")
    ax = fig.add_subplot()
    top = 100.0
    labels = []
    for i, ex in enumerate(data.exercises):
        values = [total for t in data.trainees if (total := data.result(t.id, ex).total) is not None]
        labels.append(f"{ex}\n{len(values)} of {len(data.trainees)} trainees")
        if not values:
            ax.text(i, 50, "nothing graded yet", ha="center", va="center", fontsize=9, color="grey")
            continue
        top = max(top, *values)
        ax.boxplot([values], positions=[i], widths=0.5, showfliers=False, patch_artist=True,
                   boxprops={"facecolor": "#dbe6f4", "edgecolor": "#4c72b0"},
                   medianprops={"color": "#1f3b63", "linewidth": 2},
                   whiskerprops={"color": "#4c72b0"}, capprops={"color": "#4c72b0"})
        jitter = [((k % 5) - 2) * 0.07 for k in range(len(values))]
        ax.scatter([i + j for j in jitter], values, s=30, color="#1f3b63", zorder=3, alpha=0.8)
    ax.set_xticks(range(len(data.exercises)), labels, fontsize=9)
    ax.set_xlim(-0.7, len(data.exercises) - 0.3)
    ax.set_ylim(-5, top + 5)
    ax.set_ylabel("Total (% of graded points)")
    ax.grid(axis="y", alpha=0.3)
    ax.set_title("Score per exercise: one dot per trainee with graded work\n"
                 "(items awaiting manual grading and reflection left out)", fontsize=10)
    return fig


def skills_figure(data: CohortData) -> Figure:
    """Heatmap trainee × skill of % of graded points; cells with nothing graded are grey, hatched."""
    import numpy as np
    from matplotlib import colormaps

    skills = list(data.skills)
    trainees = data.trainees
    fig = Figure(figsize=(max(6.0, 1.5 * len(skills) + 3.5), 1.9 + 0.42 * max(1, len(trainees))), layout="constrained")
    ax = fig.add_subplot()
    values = np.array([[data.skill_percent[t.id][s] if data.skill_percent[t.id][s] is not None else np.nan
                        for s in skills] for t in trainees], dtype=float).reshape(len(trainees), len(skills))
    cmap = colormaps["viridis"].with_extremes(bad="#e6e6e6")
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=0, vmax=100, aspect="auto")
    for row, t in enumerate(trainees):
        for col, s in enumerate(skills):
            value = data.skill_percent[t.id][s]
            if value is None:
                ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, hatch="//", edgecolor="#a0a0a0", linewidth=0))
                ax.text(col, row, "no grade", ha="center", va="center", fontsize=8, color="#404040")
            else:
                ax.text(col, row, fmt_percent(value), ha="center", va="center", fontsize=9,
                        color="white" if value < 55 else "black")
    ax.set_xticks(range(len(skills)), [textwrap.fill(data.skills[s], 18) for s in skills], fontsize=8)
    ax.set_yticks(range(len(trainees)), [t.label for t in trainees], fontsize=9)
    ax.tick_params(top=True, labeltop=True, bottom=False, labelbottom=False, length=0)
    ax.set_xticks([x - 0.5 for x in range(1, len(skills))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(trainees))], minor=True)
    ax.tick_params(which="minor", length=0)
    ax.grid(which="minor", color="white", linewidth=2)
    colorbar = fig.colorbar(image, ax=ax, shrink=0.8)
    colorbar.set_label("% of graded points")
    ax.set_title("Skills: % of the points graded so far, per trainee\n"
                 "grey 'no grade': nothing graded yet (not submitted, awaiting manual grading, "
                 "or not autograded)", fontsize=10)
    return fig


# ---------------------------------------------------------------------------------------------
# Building the report


def _parameters_cell(root: Path):
    from nbformat.v4 import new_code_cell

    cell = new_code_cell(f"# Injected by repairlab.report.build_report\nCOURSE_ROOT = {str(root)!r}")
    cell.metadata["tags"] = ["injected-parameters"]
    return cell


def build_report(root: Path, course: Course, out_dir: Path | None = None, timeout: int = 120) -> Path:
    """Run cohort_report.ipynb for the course in ``root`` (its working folder), save the executed
    notebook and an HTML export with the code hidden in ``out_dir`` (default ``root/reports``).
    Returns the HTML file. The notebook reads the manifest in ``root``; ``course`` must be it."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter

    root = Path(root).resolve()
    if Path(course.root).resolve() != root:
        raise ReportError(f"the course given is in {course.root}, not in {root}")
    out_dir = Path(out_dir) if out_dir is not None else root / "reports"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    after = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), 0)
    nb.cells.insert(after, _parameters_cell(root))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(root)}})
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / f"{REPORT_NAME}.ipynb"
    try:
        client.execute()
    except CellExecutionError as exc:
        nbformat.write(nb, executed)
        last = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise ReportError(f"the cohort report notebook failed: {last} (see {executed})") from exc
    nbformat.write(nb, executed)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": f"{course.title} cohort report"}})
    target = out_dir / f"{REPORT_NAME}.html"
    target.write_text(body, encoding="utf-8")
    return target
