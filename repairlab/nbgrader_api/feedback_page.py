"""The feedback page a trainee reads, as nbgrader's generate_feedback writes it: ``FeedbackExporter``
is the exporter nbgrader_config.py gives ``GenerateFeedback``, so ``repairlab feedback``, ``nbgrader
generate_feedback`` and Formgrader's "Generate feedback" write the same page.

The page is built from the graded copy after nbgrader's preprocessors ran (hidden tests and mark
schemes cleared, the submission made inert, scores and comments read from the gradebook): a summary
first (score per part and per skill, what went well, what to practise next, the supervisor's
comments), then each answer under its task with its score and, item by item, the trainee's answer
and a reason that speaks about that answer (never the key's why for a missed item).
It shows no code, cell id, prompt number, traceback or exception name, and nothing but the text the
course wrote, this trainee's answers and the supervisor's words, all escaped or cleaned."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

import nbformat
from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from nbconvert.exporters import Exporter
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from traitlets import Bool

from ..checks import DIFFERS, MATCHES
from ..course import load_course
from ..paths import MANIFEST
from . import cells
from .parts import exercise_parts
from .preprocessors import ITEMS
from .sanitize import clean_markdown

WELL = 0.8  # the clinical guide's pass mark: a part at or above it went well
PART_HEADING = re.compile(r"^\s*(##\s|<h2\b)")
ANSWER_OPEN = re.compile(r"^\s*\w+\s*=\s*(\"\"\"|''')\s*$")
ANSWER_CLOSE = re.compile(r"^\s*(\"\"\"|''')\s*,?\s*$")
POINTS = re.compile(r"\s*\(\d[^()]*points?[^()]*\)$")
PART_NAME = re.compile(r"^(Part [A-Z])\b")
# sentences of a task that say how to type in the notebook (a feedback page has no box to type in)
HOW_TO_TYPE = re.compile(r"(?:^|(?<=[.!?]\s))Type [^.]*\bin the box below\b[^.]*\.\s*")
DOUBLE_CLICK = re.compile(r"Double-click the box (?:below|under each prompt)(?:, then click inside it)? and (\w)")
SAFETY_SECTION = re.compile(r"^##\s+(.*\b(?:[Ss]afety|[Rr]isk)\b.*)$", re.MULTILINE)
ELEMENT = re.compile(r"^- (.+): (0|½|1)$")
COMMENT_HEAD = "By element (0, ½ or 1 each):"
TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class Answer:
    """One graded answer under its task, as the trainee sees it."""

    grade_id: str
    task_html: str  # the course's own task text, cleaned
    lines: list[str] = field(default_factory=list)  # an autograded answer, one line per item
    written_html: str = ""  # a written answer, cleaned
    score: float | None = None
    points: float = 0.0
    items: list[dict] = field(default_factory=list)  # each item as the trusted scorer graded it (an ItemResult)
    summary: str = ""  # how many as the key, or the agreement with the expert key
    reasons: list = field(default_factory=list)  # what the page says about each item (ItemLine, see item_lines)
    problem: str = ""  # why an answer could not be read
    elements: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    journal: str = ""  # "complete" or "not complete"
    title: str = ""
    skill: str = ""
    group: str = ""  # a journal entry's part ("Part C: your reflection journal")

    @property
    def part(self) -> str:
        """"Part C", or the whole title where it names no part."""
        found = PART_NAME.match(self.title)
        return found.group(1) if found else self.title or "this answer"

    @property
    def share(self) -> float:
        return (self.score or 0.0) / self.points if self.points else 0.0

    @property
    def waiting(self) -> bool:
        return self.score is None

    @property
    def pending(self) -> bool:
        """Waiting for the supervisor's marks with something to mark (a blank answer has nothing)."""
        return self.waiting and not self.blank

    @property
    def blank(self) -> bool:
        """Nothing of the trainee's own: the page says "No answer given", never the template's line."""
        return not (self.journal or self.lines or self.written_html)


def fmt(value: float | None) -> str:
    return "not marked yet" if value is None else f"{value:g}"


def _plain(html: str) -> str:
    """Course text as HTML without code formatting (a ``code`` span becomes its plain words)."""
    soup = BeautifulSoup(clean_markdown(html), "html.parser")
    for tag in soup.find_all(["code", "pre"]):
        tag.unwrap()
    return str(soup)


def _heading(soup):
    """The part's own heading ("Part A: ..."), not a scene-setting one above it ("The vignette")."""
    headings = soup.find_all(["h1", "h2", "h3"])
    return next((h for h in headings if PART_NAME.match(h.get_text(" ").strip())), headings[0] if headings else None)


def _title(html: str) -> str:
    """A part's heading without its "(4 points)": the score beside it says that."""
    heading = _heading(BeautifulSoup(html, "html.parser"))
    return POINTS.sub("", " ".join(heading.get_text(" ").split())) if heading else ""


def task_text(html: str) -> str:
    """The task under its title: the title's heading removed, other headings one level below the title's,
    and no sentence on how to type in the notebook."""
    soup = BeautifulSoup(html, "html.parser")
    heading = _heading(soup)
    if heading:
        heading.decompose()
    for other in soup.find_all(["h1", "h2", "h3"]):
        other.name = "h4"
    for text in soup.find_all(string=True):
        plain = DOUBLE_CLICK.sub(lambda m: m.group(1).upper(), HOW_TO_TYPE.sub("", str(text)))
        if plain != str(text):
            text.replace_with(plain)
    for block in soup.find_all("p"):
        if not block.get_text(strip=True):
            block.decompose()
    return str(soup).strip()


def answer_lines(source: str) -> list[str]:
    """The trainee's answer as the lines they wrote between the quotes, without the code around them."""
    lines = source.splitlines()
    lines = [line for line in lines if not line.lstrip().startswith("#")]
    if lines and ANSWER_OPEN.match(lines[0]):
        lines = lines[1:]
    if lines and ANSWER_CLOSE.match(lines[-1]):
        lines = lines[:-1]
    if len(lines) == 1:
        try:
            value = ast.literal_eval(lines[0].split("=", 1)[-1].strip())
            if isinstance(value, (list, tuple)):
                return [str(v) for v in value]
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            pass
    return [line.strip() for line in lines if line.strip()]


def unreadable(message: str) -> str:
    """Why an answer could not be read, in the course's words, without code."""
    text = message.split("; keep ", 1)[0]
    # a leading variable name (the answer reader's); the checks' own sentences start with a capital
    text = re.sub(r"^[a-z_]\w*(, line \d+)?(:| )",
                  lambda m: (f"Line {m.group(1)[7:]}" if m.group(1) else "") + m.group(2), text, count=1)
    text = text.replace("`", "").strip(" :")
    if text.startswith(("has ", "holds ")):
        text = f"your answer {text}"
    text = text.rstrip(".")
    return (f"{text[0].upper()}{text[1:]}. " if text else "") + (
        "Keep one answer per line between the two lines of three quotes, as the exercise came.")


def outputs_of(cell) -> tuple[float | None, list[dict], str, str]:
    """(score, items, summary, problem) from a test cell's trusted outputs: the items as data, from
    the score's metadata (``TrustedScores``); the printed lines are the supervisor's and are not read."""
    items, summary, problem, score = [], "", "", None
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            problem = unreadable(output.get("evalue", ""))
        elif output.output_type == "execute_result":
            try:
                score = float(output.data.get("text/plain", ""))
            except ValueError:
                pass
            graded = output.get("metadata", {}).get(ITEMS, {})
            items, summary = list(graded.get("items", [])), str(graded.get("summary", ""))
    return score, items, summary, problem


def read_comment(comment: str) -> tuple[list[tuple[str, str]], str]:
    """Element marks and the supervisor's note from a comment (``repairlab mark`` writes the marks)."""
    elements, note = [], []
    for line in (comment or "").strip().splitlines():
        found = ELEMENT.match(line.strip())
        if found:
            elements.append((found.group(1), found.group(2)))
        elif line.strip() != COMMENT_HEAD:
            note.append(line)
    return elements, "\n".join(note).strip()


def page_answers(nb) -> list[Answer]:
    """Each graded answer under its task, in notebook order."""
    written = {id(cell): task for task, cell in cells.written_answer_cells(nb).items()}
    answers: list[Answer] = []
    task: list[str] = []
    current: Answer | None = None
    previous, group = "", ""  # the markdown cell just above; the part a journal's entries belong to
    for cell in nb.cells:
        meta = cells.nbgrader(cell)
        if cell.cell_type == "markdown" and cells.is_task(cell):
            task_html = _plain(cell.source)
            current = Answer(cells.grade_id(cell), task_html, title=_title(task_html),
                             score=meta.get("score"), points=float(meta.get("points") or 0))
            current.elements, current.note = read_comment(meta.get("comment") or "")
            answers.append(current)
            task = []
        elif id(cell) in written and current is not None and current.grade_id == written[id(cell)]:
            current.written_html = _plain(cell.source)
        elif cell.cell_type == "markdown" and cells.is_journal(cell):
            text = BeautifulSoup(clean_markdown(cell.source), "html.parser").get_text(" ")
            verdict = "not complete" if "not complete" in text else "complete"
            task = task or [previous]
            group = next((t for t in map(_title, task) if PART_NAME.match(t)), group)
            entry = _title(task[-1]) or f"Entry {sum(bool(a.journal) for a in answers) + 1}"
            answers.append(Answer(cells.grade_id(cell) or "", "".join(task), title=entry, group=group,
                                  journal=verdict, score=meta.get("score"), points=float(meta.get("points") or 0)))
            task = []
        elif cell.cell_type == "markdown":
            previous = _plain(cell.source)
            if PART_HEADING.match(cell.source) or task:
                task.append(previous)
        elif cells.is_answer(cell) and cell.cell_type == "code":
            task_html = "".join(task)
            current = Answer(cells.grade_id(cell), task_html, title=_title(task_html), lines=answer_lines(cell.source))
            answers.append(current)
            task = []
        elif cells.is_test(cell) and current is not None:
            score, current.items, current.summary, current.problem = outputs_of(cell)
            current.grade_id = cells.grade_id(cell)
            current.score = meta.get("score", score)
            current.points = float(meta.get("points") or 0)
    for answer in answers:
        answer.task_html = task_text(answer.task_html)
    return [a for a in answers if a.points or a.journal]


@cache
def _course(root: str, mtime: float):
    return load_course(Path(root))


@dataclass(frozen=True)
class Skill:
    """A skill's score over its marked parts; ``waiting`` when a part is not marked yet."""

    name: str
    score: float
    points: float
    waiting: bool


class FeedbackExporter(Exporter):
    """nbgrader's preprocessors, then RepairLab's feedback page (``templates/feedback.html.j2``)."""

    output_mimetype = "text/html"
    missed_item_reasons = Bool(False, help=(
        "Show, for each missed item, the sentence about the answer the trainee chose. Off by default: "
        "trainee-seat reviewers worked out most missed items' keys from those sentences (2026-12-08), so "
        "they wait until no trainee will hand the exercise in again (`repairlab feedback --with-reasons`)."
    )).tag(config=True)

    def _file_extension_default(self):
        return ".html"

    def from_notebook_node(self, nb, resources=None, **kw):
        nb, resources = super().from_notebook_node(nb, resources, **kw)
        return render_page(nb, resources, self.config, self.missed_item_reasons), resources


def _from_gradebook(meta: dict, answers: list[Answer]) -> str:
    """The trainee's name; an answer still waiting for the supervisor's marks gets no score (nbgrader
    counts it as 0 until marked)."""
    with Gradebook(meta["db_url"]) as gradebook:
        for answer in answers:
            try:
                grade = gradebook.find_grade(answer.grade_id, meta["notebook"], meta["assignment"], meta["student"])
            except MissingEntry:
                continue
            if grade.needs_manual_grade and grade.manual_score is None:
                answer.score = None
        try:
            student = gradebook.find_student(meta["student"])
        except MissingEntry:
            return meta["student"]
        return " ".join(p for p in (student.first_name, student.last_name) if p) or meta["student"]


HELD_REASON = ("Why comes with your supervisor's review once everyone has handed this exercise in; until "
               "then, look at this one again with the module.")
SAFETY_REASON = "This is a safety item: the note at the top of this page says what to read again before supervision."
SAFETY_FLAG = "Safety item missed — review"  # as issue 16 names it (``supervisor.safety.SAFETY_FLAG``)
NOTE_CLASS = "repairlab-safety-note"  # ``repairlab feedback`` adds no second note to a page that has one


class SafetyNote(NamedTuple):
    """A missed safety item, as the note at the top of the page says it: "Part A, situation 3"."""

    label: str
    state: str  # what is true of the trainee's answer there, in words


def missed_safety(answers: list[Answer], safety: dict[str, tuple[int, ...]], words: dict[str, str]) -> list[SafetyNote]:
    """The safety items this page's answers missed, each with what is true of it: left blank, not the
    course's answer, or not readable. Never the item's options or the course's answer."""
    notes = []
    for answer in answers:
        numbers = safety.get(answer.grade_id, ())
        given = {item["number"]: item for item in answer.items}
        for number in numbers:
            item = given.get(number)
            if item is not None and item["matched"]:
                continue
            if item is not None and str(item["given"]).strip():
                state = "your answer there is not the one the course expects"
            elif answer.blank or item is not None:
                state = "you left it blank"
            else:
                state = "your answer there could not be read as one answer per line"
            word = words.get(answer.grade_id, "item").lower()
            notes.append(SafetyNote(f"{answer.part}, {word} {number}", state))
    return notes


@cache
def safety_section(reading: Path) -> str:
    """The title of the module's section that teaches the safety rule ("Safety first"), or ""."""
    found = SAFETY_SECTION.search("\n".join(c.source for c in nbformat.read(reading, as_version=4).cells
                                             if c.cell_type == "markdown"))
    return found.group(1).strip() if found else ""


class ItemLine(NamedTuple):
    """What the page says about one item: "Situation 2 (your answer: C)", "differs from the course's
    answer", and why."""

    head: str
    verdict: str
    reason: str

    def __str__(self) -> str:
        return f"{self.head}: {self.verdict}. {self.reason}"


def item_lines(items: list[dict], safety: tuple[int, ...], missed_reasons: bool = True) -> list[ItemLine]:
    """One line per item: the trainee's answer, whether it matches the course's, and the reason the scorer
    gave, which is about the trainee's own choice. A missed safety item gets no reason (any sentence
    about that moment could point to the move the key makes; a supervisor found the key's did,
    2026-12-07): the trainee is told it is a safety item, and talks it through."""
    lines = []
    for item in items:
        name = item["item"] if item["item"].startswith("Option ") else f"{item['item']} {item['number']}"
        given = {"chosen": "you chose it", "left out": "you left it out"}.get(item["given"],
                                                                             f"your answer: {item['given']}")
        head = f"{name} ({given})"
        if item["matched"]:
            lines.append(ItemLine(head, MATCHES, item["reason"]))
        elif item["number"] in safety:
            lines.append(ItemLine(head, DIFFERS, SAFETY_REASON))
        else:
            lines.append(ItemLine(head, DIFFERS, item["reason"] if missed_reasons else HELD_REASON))
    return lines


def _words(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def without_placeholders(answers: list[Answer], release) -> None:
    """A written answer's paragraphs that are still the line the exercise came with ("Write your
    answer here, in place of this line.") are the template's, not the trainee's: they are left out,
    so an untouched answer reads as no answer given."""
    placeholders = {task: {_words(block) for block in _blocks(_plain(cell.source))} - {""}
                    for task, cell in cells.written_answer_cells(release).items()}
    for answer in answers:
        if answer.written_html and answer.grade_id in placeholders:
            soup = BeautifulSoup(answer.written_html, "html.parser")
            template = [b for b in soup.find_all(recursive=False) if _words(str(b)) in placeholders[answer.grade_id]]
            if template:  # otherwise the cleaned answer is kept exactly as it was
                for block in template:
                    block.decompose()
                answer.written_html = str(soup).strip() if _words(str(soup)) else ""


def _blocks(html: str) -> list[str]:
    return [str(block) for block in BeautifulSoup(html, "html.parser").find_all(recursive=False)]


def render_page(nb, resources, config, missed_reasons: bool = False) -> str:
    meta = resources["nbgrader"]
    root = Path(CourseDirectory(config=config).root)
    course = _course(str(root), (root / MANIFEST).stat().st_mtime)
    exercise = course.exercise(meta["assignment"])
    module = next(m for m in course.modules if exercise in m.exercises)
    number = course.modules.index(module) + 1
    answers = page_answers(nb)
    release = course.paths.release(exercise.id) / exercise.notebook_name
    if release.is_file():
        without_placeholders(answers, nbformat.read(release, as_version=4))
    for answer in answers:
        answer.reasons = item_lines(answer.items, exercise.safety.get(answer.grade_id, ()), missed_reasons)
    trainee = _from_gradebook(meta, answers)
    skills: dict[str, list[Answer]] = {}
    for answer in answers:
        skill_id = exercise.skills.get(answer.grade_id)
        answer.skill = course.skills.get(skill_id, "") if skill_id else ""
        if answer.skill:
            skills.setdefault(answer.skill, []).append(answer)
    by_skill = [Skill(name, sum(a.score or 0 for a in parts if not a.pending),
                      sum(a.points for a in parts if not a.pending), any(a.pending for a in parts))
                for name, parts in skills.items()]
    words = {p.grade_id: p.item_word for p in exercise_parts(exercise.id, course.paths.source(exercise.id)
                                                             / exercise.notebook_name)} if exercise.safety else {}
    marked = [a for a in answers if not a.pending]
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2", "html"]))
    env.filters["score"] = fmt
    env.filters["stop"] = lambda text: text if str(text).rstrip().endswith((".", "?", "!")) else f"{text}."
    return env.get_template("feedback.html.j2").render(
        course=course.title, title=module.title, number=number, module_file=module.reading.name,
        trainee=trainee, answers=answers, skills=by_skill,
        score=meta.get("score"), max_score=meta.get("max_score"), late=meta.get("late_penalty") or 0,
        went_well=[a for a in marked if a.share >= WELL and not a.journal],
        practise=[a for a in marked if a.share < WELL and not a.journal],
        waiting=[a for a in answers if a.pending],
        nothing_to_mark=[a for a in answers if a.waiting and a.blank],
        safety=missed_safety(answers, exercise.safety, words), safety_flag=SAFETY_FLAG, note_class=NOTE_CLASS,
        safety_section=safety_section(module.reading) if exercise.safety else "",
        comments=[a for a in answers if a.note or a.elements], Markup=Markup)
