"""The one module that imports nbgrader: the course's configuration and paths, gradebook sessions,
nbgrader's errors, the converters RepairLab runs in-process, and the preprocessors that run trainee
code in the sandbox and score answers from data.

Everything else in RepairLab asks this module, so an nbgrader upgrade touches one file.
"""

from __future__ import annotations

import ast
import os
import re
import sqlite3
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import bleach
import mistune
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.formatter import HTMLFormatter
from nbconvert.preprocessors.sanitize import SanitizeHTML
from nbformat.v4 import new_output
from nbgrader.api import Gradebook, MissingEntry, Student  # noqa: F401 (re-exported for RepairLab)
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute, NbGraderPreprocessor, SaveAutoGrades
from nbgrader.utils import compute_checksum
from traitlets import Bool, List, Unicode
from traitlets.config import Config, PyFileConfigLoader

from .errors import CourseError
from .nbgrader_cli import with_interpreter_bin

# SQLite waits this long for a lock instead of failing at once, so parallel graders can share the
# gradebook (nbgrader turns a lock error into a failed grade).
BUSY_TIMEOUT_S = 60
GRADEBOOK = "gradebook.db"


class GradebookError(CourseError):
    """The gradebook is missing, empty or corrupt: nothing is read or written until it is restored."""


# ---- configuration and paths --------------------------------------------------------------------


def course_config(root: Path, sandbox: bool = True) -> Config:
    """The course's own nbgrader_config.py, rooted at ``root``. Its ``db_url`` is honoured; without
    one, the gradebook is ``gradebook.db`` in the course folder. ``sandbox=False`` runs trainee
    kernels unsandboxed (the supervisor asked for it explicitly)."""
    root = Path(root).resolve()
    if not (root / "nbgrader_config.py").is_file():
        raise CourseError(f"{root} has no nbgrader_config.py: run repairlab in the course folder")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    if "db_url" not in config.CourseDirectory:
        config.CourseDirectory.db_url = f"sqlite:///{root / GRADEBOOK}?timeout={BUSY_TIMEOUT_S}"
    if not sandbox:
        config.Autograde.autograde_preprocessors = [
            f"{__name__}.PrivateExecute" if p == f"{__name__}.SandboxedExecute" else p
            for p in config.Autograde.autograde_preprocessors
        ]
    return config


class CoursePaths:
    """A trainee's folders in the course, from nbgrader's own ``CourseDirectory.format_path``."""

    def __init__(self, root: Path):
        self.dir = CourseDirectory(config=course_config(root))

    def _path(self, kind: str, trainee: str, exercise: str) -> Path:
        return Path(self.dir.format_path(getattr(self.dir, f"{kind}_directory"), trainee, exercise))

    def submitted(self, trainee: str, exercise: str) -> Path:
        return self._path("submitted", trainee, exercise)

    def autograded(self, trainee: str, exercise: str) -> Path:
        return self._path("autograded", trainee, exercise)

    def feedback(self, trainee: str, exercise: str) -> Path:
        return self._path("feedback", trainee, exercise)


def gradebook_file(root: Path) -> Path | None:
    """The SQLite file of the course's gradebook; None when ``db_url`` names another database."""
    db_url = course_config(root).CourseDirectory.db_url
    if not db_url.startswith("sqlite:///"):
        return None
    return Path(db_url[len("sqlite:///"):].split("?", 1)[0])


# ---- the gradebook --------------------------------------------------------------------------------


def check_gradebook(root: Path, *, must_exist: bool = True) -> None:
    """One sentence, and the backup to restore from, when the gradebook cannot be trusted."""
    from .backup import latest_backup

    path = gradebook_file(root)
    if path is None:
        return check_server_gradebook(root, must_exist=must_exist)
    backup = latest_backup(root)
    restore = f" Restore the latest backup: cp {backup} {path}" if backup else " There is no backup to restore."
    if not path.exists():
        if must_exist:
            raise GradebookError(
                f"there is no gradebook ({path}): import the roster first (repairlab roster import FILE.csv)"
                if backup is None else f"the gradebook {path} is missing.{restore}"
            )
        return
    if path.stat().st_size == 0:
        raise GradebookError(f"the gradebook {path} is empty (0 bytes), so its grades are lost.{restore}")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            result = db.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise GradebookError(f"the gradebook {path} is not a readable database ({exc}).{restore}") from None
    if result != "ok" or "grade" not in tables:
        raise GradebookError(f"the gradebook {path} is damaged ({result if result != 'ok' else 'no grade table'}).{restore}")


def shown_db_url(db_url: str) -> str:
    """The database URL as a message may show it: the password masked."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except ArgumentError:
        return db_url


def check_server_gradebook(root: Path, *, must_exist: bool = True) -> None:
    """A gradebook in a database server (``db_url`` such as ``postgresql+psycopg2://...``): one
    sentence naming the setting when it cannot be opened, reached, or has no gradebook yet."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    db_url = course_config(root).CourseDirectory.db_url
    where = f"the gradebook database {shown_db_url(db_url)} (c.CourseDirectory.db_url in {Path(root) / 'nbgrader_config.py'})"
    try:
        engine = create_engine(db_url)
    except ArgumentError as exc:
        raise GradebookError(f"{where} is not a database URL: {exc}") from None
    except ImportError as exc:
        hint = (" SQLAlchemy reads postgresql:// as psycopg 3; write postgresql+psycopg2://USER:PASSWORD@HOST:PORT/DATABASE"
                " (psycopg2-binary comes with RepairLab's hub extra)" if db_url.startswith("postgresql:") else "")
        raise GradebookError(f"{where} needs a database driver that is not installed ({exc}).{hint}") from None
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
    except SQLAlchemyError as exc:
        reason = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]
        raise GradebookError(f"{where} cannot be reached: {reason}") from None
    finally:
        engine.dispose()
    if must_exist and "grade" not in tables:
        raise GradebookError(f"{where} holds no gradebook: import the roster first (repairlab roster import FILE.csv), "
                             "or, if it held grades, restore your pg_dump backup into it with pg_restore")


@contextmanager
def gradebook(root: Path):
    """A gradebook session for the course (creates the gradebook if there is none yet, which runs
    ``alembic``: this interpreter's bin is put first on PATH, as for ``api``)."""
    os.environ["PATH"] = with_interpreter_bin(os.environ.get("PATH", ""))
    config = course_config(root)
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
        yield gb


def api(root: Path, sandbox: bool = True):
    """An ``NbGraderAPI`` for the course. nbgrader creates a new gradebook with ``alembic``, which
    must be on PATH."""
    from nbgrader.apps import NbGraderAPI

    os.environ["PATH"] = with_interpreter_bin(os.environ.get("PATH", ""))
    config = course_config(root, sandbox)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


# ---- nbgrader's exchange (a cohort on JupyterHub) -----------------------------------------------


def exchange_config(root: Path) -> Config:
    """The course's config over the environment's own nbgrader configs (where a hub keeps
    ``c.Exchange.root`` and ``course_id`` for trainees and supervisor alike), merged in the order
    nbgrader's own commands use: the course folder's file wins."""
    from jupyter_core.paths import jupyter_config_path

    merged = Config()
    for folder in reversed(jupyter_config_path()):
        if (Path(folder) / "nbgrader_config.py").is_file():
            merged.merge(PyFileConfigLoader("nbgrader_config.py", path=folder).load_config())
    merged.merge(course_config(root))
    return merged


def exchange_course(root: Path) -> Path:
    """The course's folder in the exchange (``<Exchange.root>/<course_id>``); the exchange must exist."""
    config = exchange_config(root)
    if "root" not in config.Exchange:
        raise CourseError("this course has no nbgrader exchange: set c.Exchange.root in nbgrader_config.py "
                          "(`repairlab hub init` sets it for the hub's environment)")
    exchange = Path(config.Exchange.root)
    if not exchange.is_dir():
        raise CourseError(f"the nbgrader exchange {exchange} (c.Exchange.root) does not exist")
    return exchange / config.CourseDirectory.course_id


def _exchange_app(root: Path, exercise: str, kind: str, **traits):
    from nbgrader.auth import Authenticator
    from nbgrader.exchange import ExchangeFactory

    exchange_course(root)
    config = exchange_config(root)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = exercise
    for name, value in traits.items():
        setattr(coursedir, name, value)
    app = getattr(ExchangeFactory(config=config), kind)(
        coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    return app


def _run_exchange(app, what: str) -> None:
    from nbgrader.exchange import ExchangeError

    try:
        app.start()
    except ExchangeError as exc:
        raise CourseError(f"nbgrader could not {what}: {exc}") from None


def release_to_exchange(root: Path, exercise: str) -> bool:
    """Copy the exercise's release (``exercises/<id>``) to the exchange, replacing an earlier one;
    True when it replaced one (trainees who fetched before keep their copy)."""
    app = _exchange_app(root, exercise, "ReleaseAssignment")
    app.force = True
    replaced = (exchange_course(root) / "outbound" / exercise).is_dir()
    _run_exchange(app, f"release {exercise} to the exchange")
    return replaced


def release_feedback_to_exchange(root: Path, exercise: str, trainees: list[str]) -> None:
    """Put each named trainee's feedback for the exercise where their "Fetch Feedback" finds it
    (named by a hash of their submission's secret, so no trainee can find another's)."""
    folder = CoursePaths(root).feedback("_", exercise).parent.parent  # feedback/, one folder per trainee
    others = {p.name for p in folder.iterdir()} - set(trainees) if folder.is_dir() else set()
    app = _exchange_app(root, exercise, "ReleaseFeedback", student_id_exclude=",".join(sorted(others)))
    _run_exchange(app, f"return the feedback for {exercise} through the exchange")


def parse_exchange_timestamp(text: str):
    """A timestamp as nbgrader writes it into a submission (``timestamp.txt``, inbound names)."""
    from nbgrader.utils import parse_utc

    return parse_utc(text.strip())


# ---- autograding one submission --------------------------------------------------------------------


class _Autograde(Autograde):
    """nbgrader's Autograde, remembering the exception behind a failure instead of only logging it."""

    failure: BaseException | None = None

    def convert_single_notebook(self, notebook_filename: str) -> None:
        try:
            super().convert_single_notebook(notebook_filename)
        except Exception as exc:
            self.failure = exc
            raise


def autograde(grader_api, exercise: str, trainee: str) -> BaseException | None:
    """Autograde one submission in-process; None on success, else the exception that stopped it."""
    from nbgrader.converters.base import NbGraderException
    from nbgrader.utils import temp_attrs

    with temp_attrs(grader_api.coursedir, assignment_id=exercise, student_id=trainee):
        app = _Autograde(coursedir=grader_api.coursedir, parent=grader_api)
        app.force = True
        app.create_student = False
        try:
            app.start()
        except NbGraderException as exc:
            return app.failure or exc
        except Exception as exc:  # nbgrader raised before converting (e.g. an unknown trainee)
            return exc
    return None


def failure_reason(exc: BaseException) -> str:
    """What went wrong, from the exception nbgrader met (not from its log text)."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbformat.reader import NotJSONError
    from nbformat.validator import ValidationError
    from sqlalchemy.exc import OperationalError

    from .sandbox import SandboxUnavailable

    reasons = {
        DeadKernelError: "the kernel died while running the notebook (it may have exceeded the memory or process limit)",
        NotJSONError: "the notebook file is corrupt (not valid JSON)",
        ValidationError: "the notebook file is not a valid notebook",
        CellTimeoutError: "a cell ran past the time limit and could not be interrupted",
        OperationalError: "the gradebook could not be written (it was busy or locked)",
        MissingEntry: "nbgrader does not know this trainee or exercise",
        SandboxUnavailable: "the sandbox could not start",
        FileNotFoundError: "a file nbgrader needed is missing",
    }
    detail = (str(exc).strip().splitlines() or [""])[-1][:160]
    reason = next((text for kind, text in reasons.items() if isinstance(exc, kind)), None)
    if reason is None:
        return f"nbgrader stopped with {type(exc).__name__}" + (f": {detail}" if detail else "")
    return f"{reason}: {type(exc).__name__}" + (f" ({detail})" if detail else "")


# ---- preprocessors (named in nbgrader_config.py) ---------------------------------------------------


class SandboxedExecute(Execute):
    """nbgrader's Execute, with the kernel in the sandbox (see repairlab.sandbox)."""

    def __init__(self, *args, **kwargs):
        from .sandbox import SandboxKernelManager

        kwargs["kernel_manager_class"] = SandboxKernelManager
        super().__init__(*args, **kwargs)


class PrivateExecute(Execute):
    """nbgrader's Execute without the sandbox (``grade --no-sandbox``), its kernel still reachable
    only by the supervisor's account (see repairlab.kernels)."""

    def __init__(self, *args, **kwargs):
        from .kernels import PrivateKernelManager

        kwargs["kernel_manager_class"] = PrivateKernelManager
        super().__init__(*args, **kwargs)


@cache
def _parts(source: str, mtime: float):
    from .items import exercise_parts

    path = Path(source)
    return {part.grade_id: part for part in exercise_parts(path.parent.name, path)}


def _source_notebook(config, resources) -> Path:
    meta = resources["nbgrader"]
    coursedir = CourseDirectory(config=config)
    return Path(coursedir.format_path(coursedir.source_directory, ".", meta["assignment"])) / f"{meta['notebook']}.ipynb"


@cache
def _journals(source: str, mtime: float) -> dict[str, float]:
    from .items import journal_cells

    return journal_cells(Path(source))


def journal_complete(cell) -> bool:
    """Written in: changed from the released notebook and not empty. Nothing else is judged."""
    text = cell.source.strip()
    return bool(text) and cell.metadata.get("nbgrader", {}).get("checksum") != compute_checksum(cell)


JOURNAL_SHOWN = {True: "*Private reflection: complete.*", False: "*Private reflection: not complete.*"}


def answer_value(source: str, variable: str):
    """The answer cell read as data: exactly ``variable = <literal>``, never run."""
    from .checks import AnswerError

    hint = f"write the answer cell as `{variable} = [...]`, with plain text or letters in quotes"
    try:
        body = ast.parse(source).body
    except SyntaxError:
        raise AnswerError(f"{variable}: the answer cell is not valid Python; {hint}") from None
    if not (len(body) == 1 and isinstance(body[0], ast.Assign) and len(body[0].targets) == 1
            and isinstance(body[0].targets[0], ast.Name) and body[0].targets[0].id == variable):
        raise AnswerError(f"{variable}: the answer cell must hold only the answer; {hint}")
    try:
        return ast.literal_eval(body[0].value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise AnswerError(f"{variable}: the answer must be a plain value, not code; {hint}") from None


def trusted_outputs(part, answer_source: str | None) -> list:
    """The grade cell's outputs as the supervisor's own code computes them from the answer."""
    from . import checks

    try:
        if answer_source is None:
            raise checks.AnswerError(f"{part.variable}: the answer cell is missing from the notebook")
        value = answer_value(answer_source, part.variable)
        count = part.count or len(part.key)
        if part.scorer == "score_selection":
            checks.check_selection(value, allowed=part.allowed, name=part.variable)
            score, lines = checks.grade_selection(value, {o: (b, w) for o, b, w in part.key}, points=part.points)
        elif part.scorer == "score_ratings":
            checks.check_ratings(value, count=count, name=part.variable)
            score, lines = checks.grade_ratings(value, part.key, points=part.points, item=part.item_word)
        else:
            checks.check_list(value, allowed=part.allowed, count=count, name=part.variable)
            grade = checks.grade_agreement if part.scorer == "score_agreement" else checks.grade_items
            score, lines = grade(value, part.key, points=part.points, item=part.item_word)
    except checks.AnswerError as exc:
        return [new_output("error", ename="AnswerError", evalue=str(exc), traceback=[f"AnswerError: {exc}"])]
    return [
        new_output("stream", name="stdout", text="\n".join(lines) + "\n"),
        new_output("execute_result", data={"text/plain": repr(float(score))}, execution_count=None),
    ]


class TrustedScores(NbGraderPreprocessor):
    """Replace each autograded part's test output with what trusted code computes from the answer,
    read as data; nbgrader then saves the score from these outputs. Whatever ran in the trainee's
    kernel (a patched checker, a rigged ``__eq__``, a changed builtin) cannot reach them.

    A private journal cell is judged complete or not here, before anything rewrites it, and its
    text is replaced by that verdict, so no later step, file or page ever holds it."""

    def preprocess(self, nb, resources):
        source = _source_notebook(self.config, resources)
        parts = _parts(str(source), source.stat().st_mtime)
        journals = _journals(str(source), source.stat().st_mtime)
        answers = {}
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.metadata.get("nbgrader", {}).get("solution") and grade_id not in answers:
                answers[grade_id] = cell.source
        completed = resources.setdefault("repairlab_journals", {})
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            part = parts.get(grade_id)
            if part is not None and cell.cell_type == "code":
                cell.outputs = trusted_outputs(part, answers.get(part.answer_id))
            elif grade_id in journals and grade_id not in completed:
                completed[grade_id] = cell.cell_type == "markdown" and journal_complete(cell)
                cell.source = JOURNAL_SHOWN[completed[grade_id]]
        return nb, resources


class SaveGrades(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, except for private journal cells: as TrustedScores judged them,
    they score their points when written in and nothing when not, and need no marking."""

    def preprocess(self, nb, resources):
        self.journals = resources.get("repairlab_journals", {})
        return super().preprocess(nb, resources)

    def _add_score(self, cell, resources) -> None:
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        if grade_id not in self.journals:
            return super()._add_score(cell, resources)
        grade = self.gradebook.find_grade(grade_id, self.notebook_id, self.assignment_id, self.student_id)
        grade.auto_score = grade.max_score if self.journals[grade_id] else 0.0
        grade.needs_manual_grade = False
        self.gradebook.db.commit()


MARKDOWN_TAGS = bleach.ALLOWED_TAGS | {"p", "br", "hr", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
                                      "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub"}

# Tags that open an HTML block in CommonMark: a stored answer made of these only is passed through
# a second markdown rendering untouched (the others are inline and need a block around them).
BLOCK_TAGS = frozenset({"p", "pre", "ul", "ol", "li", "blockquote", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "table", "thead", "tbody", "tr", "th", "td"})

# Characters that markdown renderers read as syntax: links and images ([ ]), raw HTML and autolinks
# (< >), entities (&), code (` and ~; nbconvert puts a ```mermaid block into the page unescaped), math
# ($ and \), backslash escapes, attribute or expression blocks ({ }). Stored as character references
# they still show as themselves, but no renderer parses a reference as syntax.
MARKDOWN_SYNTAX = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "&#91;", "]": "&#93;",
                                 "`": "&#96;", "~": "&#126;", "$": "&#36;", "\\": "&#92;",
                                 "{": "&#123;", "}": "&#125;"})

# A cleaned answer is normally stable after one pass; a few more allow for a renderer quirk.
MAX_CLEAN_PASSES = 4


class SanitizeSubmission(SanitizeHTML):
    """Make a submission inert before Formgrader or feedback render it. Formgrader and feedback render
    a markdown cell's source as markdown again (and nbconvert allows ``javascript:`` links there), so
    every markdown cell a trainee could write is stored as cleaned HTML that stays inert under any
    further markdown rendering (see ``clean_markdown``); outputs lose anything that could run."""

    enabled = Bool(True)  # nbconvert's preprocessors are off unless enabled
    # The HTML clean_markdown makes from a markdown output keeps its paragraphs instead of showing tags.
    tags = List(Unicode(), default_value=sorted(MARKDOWN_TAGS))

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and not from_gradebook(cell):
            cell.source = clean_markdown(cell.source)
            return cell, resources
        if cell.cell_type == "code":
            for output in cell.outputs:
                if "data" in output and "text/markdown" in output.data:
                    output.data["text/html"] = clean_markdown(output.data.pop("text/markdown"))
        return super().preprocess_cell(cell, resources, index)


def from_gradebook(cell) -> bool:
    """A locked cell with a grade id: autograde restored its source from the gradebook, so the
    supervisor wrote it. A trainee can mark their own cell locked, but nbgrader removes a grade id
    the gradebook does not know."""
    nbg = cell.metadata.get("nbgrader", {})
    return bool(nbg.get("locked") and nbg.get("grade_id"))


def clean_markdown(text: str) -> str:
    """Markdown as HTML that stays inert however often it is rendered as markdown again: cleaned,
    then rendered and cleaned again until nothing changes (one extra pass in practice)."""
    html = _clean_once(text)
    for _ in range(MAX_CLEAN_PASSES):
        again = _clean_once(html)
        if again == html:
            return html
        html = again
    return _as_text(html)  # never seen; plain text is inert whatever happens to it


def _clean_once(text: str) -> str:
    """Render with mistune, keep harmless tags, attributes and link schemes (bleach), then store it
    in a form no markdown renderer reads anything new into (``_markdown_proof``)."""
    html = bleach.clean(mistune.html(text), tags=MARKDOWN_TAGS, attributes=bleach.ALLOWED_ATTRIBUTES,
                        protocols=["http", "https", "mailto"], strip=True, strip_comments=True)
    return _markdown_proof(BeautifulSoup(html, "html.parser"))


def _markdown_proof(soup: BeautifulSoup) -> str:
    """Cleaned HTML that a markdown renderer passes through as it is: top-level text and inline tags
    are put in a paragraph, so every line starts with a block tag; there is no blank line (which
    would end CommonMark's HTML block and have the rest read as markdown); and markdown syntax in
    text and attribute values is written as character references (MARKDOWN_SYNTAX)."""
    run: list = []
    for node in [*soup.contents, None]:
        if node is not None and not (isinstance(node, Tag) and node.name in BLOCK_TAGS):
            run.append(node)
            continue
        if any(isinstance(n, Tag) or n.strip() for n in run):
            paragraph = soup.new_tag("p")
            run[0].insert_before(paragraph)
            paragraph.extend([n.extract() for n in run])
        elif run:
            run[0].replace_with("\n")
            for n in run[1:]:
                n.extract()
        run = []
    return soup.decode(formatter=MarkdownProofFormatter()).strip()


def _markdown_proof_text(text: str) -> str:
    """One text node or attribute value with its markdown syntax as references. Line breaks in
    preformatted text become references too (they show the same); elsewhere runs of white space
    with a line break become one line break, so no blank line or indented line is left."""
    encoded = text.translate(MARKDOWN_SYNTAX)
    if isinstance(text, NavigableString) and text.find_parent("pre") is not None:
        return encoded.replace("\n", "&#10;")
    return re.sub(r"\s*\n\s*", "\n", encoded)


class MarkdownProofFormatter(HTMLFormatter):
    """Beautiful Soup's HTML output with markdown syntax as references (``_markdown_proof_text``);
    attribute values also get their quotes as references, so every value is in plain double quotes."""

    def __init__(self):
        super().__init__(entity_substitution=_markdown_proof_text)

    def attribute_value(self, value: str) -> str:
        return super().attribute_value(value).replace('"', "&quot;").replace("'", "&#39;")


def _as_text(html: str) -> str:
    """The answer's words only, in one paragraph."""
    soup = BeautifulSoup("<p></p>", "html.parser")
    soup.p.string = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    return soup.decode(formatter=MarkdownProofFormatter())
