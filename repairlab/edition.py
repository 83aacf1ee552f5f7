"""The trainee edition: what trainees get (the course without its key), and how their JupyterLab starts.

``build_edition`` copies, from git's view of the course (tracked files and untracked ones git does not
ignore), only what the manifest and the set-up need: ``course.yml``, the readings and
``modules/references.md``, ``assets/``, each exercise's release in ``exercises/``, the ``repairlab``
package, ``pyproject.toml``, ``environment.yml``, ``bin/start`` and ``bin/_env.sh``, plus a trainee
README. Nothing else is read, so ``solutions/``, ``tests/`` (whose grading matrix holds answers),
``benchmarks/``, ``.ci/``, ``nbgrader_config.py`` (trainees never run nbgrader: the supervisor grades
in their own clone), calibration sets, gradebooks and trainee data cannot get in. Before it finishes,
the build searches the edition for the key (hidden tests, mark schemes, model answers) and refuses
if any of it is there.

``trainee_lab`` is what ``repairlab open`` (and so ``bin/start``) runs, in the full course and in the
edition alike: JupyterLab on the course with nbgrader's authoring UI switched off, no news prompt,
supervisor files hidden from the file browser, and ``--allow-root`` (said in one line) for root.
"""

from __future__ import annotations

import ast
import fnmatch
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tokenize
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from .errors import CourseError
from .manifest import MANIFEST_NAME, Course, load_course
from .workspace import WORKSPACE

# --- the trainee's JupyterLab ------------------------------------------------------------------

LAB_STATE = Path(".repairlab") / "lab"  # under the course root; .repairlab/ is git-ignored

# nbgrader's server extensions (sys-prefix etc/jupyter/jupyter_server_config.d/nbgrader.json) and the
# plugins of its JupyterLab extension (.venv/share/jupyter/labextensions/@jupyter/nbgrader): trainees
# use none of them. They hand in the notebook from their workspace; the supervisor grades elsewhere.
NBGRADER_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.validate_assignment",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
)
NBGRADER_LAB_PLUGINS = (
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:validate-assignment",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:menu",
)

# JupyterLab's "get notified about official Jupyter news?" prompt, and its update check.
NOTIFICATION_SETTINGS = Path("@jupyterlab") / "apputils-extension" / "notification.jupyterlab-settings"
NOTIFICATION_DEFAULTS = {"fetchNews": "false", "checkForUpdates": False}

# Supervisor files and trainee data that may sit in a supervisor's or author's clone. Those present at
# the course root are hidden from the file browser (ContentsManager.hide_globs matches names, so
# only names that exist are added: in the edition, where none exist, a trainee's own "tests" folder
# stays visible).
SUPERVISOR_ENTRIES = (
    "solutions", "tests", "benchmarks", "nbgrader_config.py", "submitted", "autograded", "feedback",
    "downloaded", "reports", "demo", "release", "gradebook.db", "*.db", "*.sqlite", "*.csv", "*.log",
    "*.egg-info", "build",
)
ALWAYS_HIDDEN = ("calibration*.yml", "calibration*.yaml")  # beside the solutions, or wherever found
# jupyter_server's own defaults, kept (setting hide_globs replaces the list).
DEFAULT_HIDE_GLOBS = ("__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~")


@dataclass
class LabLaunch:
    """How ``repairlab open`` starts JupyterLab: the command, its environment and what to tell the user."""

    argv: list[str]
    env: dict[str, str]
    notes: list[str] = field(default_factory=list)


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def hidden_names(root: Path) -> list[str]:
    """The hide_globs for this course folder: jupyter_server's defaults and the supervisor entries present."""
    present = sorted(
        entry.name for entry in root.iterdir()
        if any(fnmatch.fnmatch(entry.name, pattern) for pattern in SUPERVISOR_ENTRIES)
    )
    return [*DEFAULT_HIDE_GLOBS, *ALWAYS_HIDDEN, *present]


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def write_lab_config(root: Path) -> tuple[Path, Path]:
    """Write the trainee lab's config folder (for JUPYTER_CONFIG_PATH) and user-settings folder under
    ``.repairlab/lab/``; returns both. The config is rewritten on every start; the news setting is
    written only once, so a trainee who later opts in to news keeps that choice."""
    state = root / LAB_STATE
    config, settings = state / "config", state / "user-settings"
    # A user-level `jupyter labextension disable` cannot override what the environment enables; a
    # config folder on JUPYTER_CONFIG_PATH ranks above the environment's own, so this does.
    _write_json(config / "jupyter_server_config.d" / "repairlab-trainee.json",
                {"ServerApp": {"jpserver_extensions": {name: False for name in NBGRADER_SERVER_EXTENSIONS}}})
    # jupyter_server reads only jpserver_extensions from the .d folder; other settings go here.
    _write_json(config / "jupyter_server_config.json", {"ContentsManager": {"hide_globs": hidden_names(root)}})
    _write_json(config / "labconfig" / "page_config.json",
                {"disabledExtensions": {plugin: True for plugin in NBGRADER_LAB_PLUGINS}})
    news = settings / NOTIFICATION_SETTINGS
    if not news.exists():
        _write_json(news, NOTIFICATION_DEFAULTS)
    return config, settings


def trainee_lab(course: Course, lab_args: list[str], *, as_root: bool | None = None,
                environ: dict[str, str] | None = None) -> LabLaunch:
    """The JupyterLab command ``repairlab open`` runs: on the course root, opening module 1, with the
    trainee configuration; ``lab_args`` are passed on to ``jupyter lab``."""
    root = course.root
    config, settings = write_lab_config(root)
    env = dict(os.environ if environ is None else environ)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (str(config), env.get("JUPYTER_CONFIG_PATH", "")) if p)
    first = course.modules[0].reading  # absolute: `repairlab open` may run in a folder below the root
    argv = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={settings}"]
    notes = []
    if (running_as_root() if as_root is None else as_root) and "--allow-root" not in lab_args:
        notes.append("Running as root, so JupyterLab is started with --allow-root.")
        argv.append("--allow-root")
    argv += [str(first), *lab_args]
    return LabLaunch(argv=argv, env=env, notes=notes)


# --- the key: what must never reach trainees --------------------------------------------------

SOLUTIONS = "solutions"
HIDDEN_TESTS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
MARK_SCHEME = ("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ===")
SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
MIN_KEY_LINE = 12
CALIBRATION_FILES = ("calibration*.yml", "calibration*.yaml")


def _regions(source: str, markers: tuple[str, str]) -> list[list[str]]:
    """The lines between each begin and end marker (markers excluded)."""
    regions, current = [], None
    for line in source.splitlines():
        if markers[0] in line:
            current = []
        elif markers[1] in line:
            if current is not None:
                regions.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return regions


def _literals(lines: list[str]) -> list:
    """The literal values (strings, numbers) in a solution region, in order."""
    values = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if tok.type in (tokenize.STRING, tokenize.NUMBER):
                try:
                    values.append(ast.literal_eval(tok.string))
                except (ValueError, SyntaxError):
                    pass
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return values


def _is_import(line: str) -> bool:
    """An import in a hidden test names code, not the key (the trusted grader may import the same)."""
    return line.startswith(("import ", "from ")) and " import " in f" {line}"


@dataclass
class Key:
    """What the key looks like as text: lines of hidden tests and mark schemes, written answers, and
    each answer as an ordered sequence of values (single labels are public: they are the allowed
    labels; the key is which one goes where)."""

    lines: set[str] = field(default_factory=set)
    sequences: list[tuple[str, ...]] = field(default_factory=list)

    def add_source(self, source: str) -> None:
        for markers in (HIDDEN_TESTS, MARK_SCHEME):
            for region in _regions(source, markers):
                self.lines |= {s for s in (line.strip() for line in region) if len(s) >= MIN_KEY_LINE and not _is_import(s)}
        for region in _regions(source, SOLUTION):
            values = tuple(str(v) for v in _literals(region))
            if len(values) >= 2:
                self.sequences.append(values)
            # a written model answer; a label ("over-apologising") is public, only its place is key
            self.lines |= {v for v in values if len(v) >= MIN_KEY_LINE and " " in v.strip()}

    def add_calibration(self, data) -> None:
        """Calibration samples (answers, agreed scores' rationales): every line of prose in them."""
        if isinstance(data, dict):
            for value in data.values():
                self.add_calibration(value)
        elif isinstance(data, list):
            for value in data:
                self.add_calibration(value)
        elif isinstance(data, str):
            self.lines |= {s for s in (line.strip() for line in data.splitlines()) if len(s) >= MIN_KEY_LINE and " " in s}

    def found_in(self, text: str) -> str | None:
        """The first piece of the key in ``text``, or None."""
        for line in self.lines:
            if line in text:
                return line
        if self.sequences:
            tokens = " ".join(_words(text))
            for seq in self.sequences:
                if f" {' '.join(seq)} " in f" {tokens} ":
                    return f"the answer sequence {list(seq)}"
        return None


def _words(text: str) -> list[str]:
    return re.findall(r"[\w][\w-]*", text)


def course_key(root: Path, files: list[str] = ()) -> Key:
    """The key: every notebook under ``solutions/`` (hidden tests, mark schemes, answers) and every
    calibration set, beside the solutions or among ``files`` (relative to ``root``)."""
    key = Key()
    folder = root / SOLUTIONS
    for path in sorted(folder.rglob("*.ipynb")) if folder.is_dir() else []:
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            source = cell.get("source", "")
            key.add_source("".join(source) if isinstance(source, list) else source)
    calibration = {p for n in CALIBRATION_FILES for p in folder.rglob(n)} if folder.is_dir() else set()
    calibration |= {root / f for f in files if any(fnmatch.fnmatch(PurePosixPath(f).name, n) for n in CALIBRATION_FILES)}
    for path in sorted(p for p in calibration if p.is_file()):
        try:
            key.add_calibration(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, OSError):
            key.lines.add(path.read_text(encoding="utf-8", errors="ignore").strip())
    return key


def readable_text(path: Path) -> str:
    """A file as text; a notebook as its cell sources and outputs, so JSON escaping hides nothing."""
    text = path.read_text(encoding="utf-8", errors="ignore")
    if path.suffix == ".ipynb":
        try:
            nb = json.loads(text)
        except ValueError:
            return text
        parts = [text]
        for cell in nb.get("cells", []):
            for value in (cell.get("source", ""), *(
                o.get("text", "") for o in cell.get("outputs", []))):
                parts.append("".join(value) if isinstance(value, list) else str(value))
        return "\n".join(parts)
    return text


# --- building the edition ------------------------------------------------------------------------

EDITION_MARKER = ".repairlab-edition"
RELEASE = "exercises"
PACKAGE = "repairlab"
AS_IS = ("pyproject.toml", "environment.yml", ".gitignore", "bin/start", "bin/_env.sh")
# Never copied, wherever they are found.
NEVER = (*ALWAYS_HIDDEN, "*.db", "*.sqlite", "*.sqlite3", "*.pyc", "*.pyo",
         "*.log", ".DS_Store", "*~")
NEVER_DIRS = ("__pycache__", ".ipynb_checkpoints", "*.egg-info", ".git", ".venv")
# A manifest entry under one of these would carry supervisor material into the edition: refused.
SUPERVISOR_DIRS = (SOLUTIONS, "tests", "benchmarks", ".ci", "submitted", "autograded", "feedback",
                   "downloaded", "reports", WORKSPACE, ".repairlab")


@dataclass
class Edition:
    dest: Path
    files: list[str]
    skipped: list[tuple[str, str]]
    archive: Path | None = None
    source_commit: str = ""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    except OSError:
        return None


def course_files(root: Path) -> list[str]:
    """The course's files as git sees them (tracked, plus untracked ones it does not ignore), relative
    to ``root``; without git, or when git does not see the course, every file but caches and junk."""
    run = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".")
    if run is not None and run.returncode == 0:
        files = sorted({p for p in run.stdout.split("\0") if p})
        if MANIFEST_NAME in files:
            return files
    found = []
    for folder, dirs, names in os.walk(root):
        skip = (*NEVER_DIRS, WORKSPACE, ".repairlab") if Path(folder) == root else NEVER_DIRS
        dirs[:] = [d for d in dirs if not any(fnmatch.fnmatch(d, n) for n in skip)]
        found += [Path(folder, n).relative_to(root).as_posix() for n in names]
    return sorted(found)


def _why_never(rel: str) -> str | None:
    parts = PurePosixPath(rel).parts
    if any(fnmatch.fnmatch(p, n) for p in parts[:-1] for n in NEVER_DIRS):
        return "cache or tool folder"
    if any(fnmatch.fnmatch(parts[-1], n) for n in NEVER):
        return "calibration set, database, cache or log: never published"
    return None


def select_files(course: Course, files: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Which of the course's files go into the edition, walking the manifest; and which were left out
    of the folders the edition takes from, with the reason."""
    root = course.root
    rel = lambda p: p.relative_to(root).as_posix()  # noqa: E731
    readings = {rel(m.reading) for m in course.modules}
    vignettes = {rel(m.vignettes) for m in course.modules}
    for path in sorted(readings | vignettes):
        if PurePosixPath(path).parts[0] in SUPERVISOR_DIRS:
            raise CourseError(f"{MANIFEST_NAME} names {path}, which is supervisor material; the trainee edition cannot include it")
    reading_dirs = {str(PurePosixPath(p).parent) for p in readings}
    asset_dirs = {PurePosixPath(p).parts[0] for p in vignettes if len(PurePosixPath(p).parts) > 1}
    releases = {f"{RELEASE}/{ex.id}" for ex in course.exercises}
    wanted = {MANIFEST_NAME, *AS_IS, *readings, *vignettes}

    def under(path: str, folders) -> bool:
        return any(path.startswith(f"{f}/") for f in folders if f not in ("", "."))

    chosen, skipped = [], []
    for path in files:
        take = (
            path in wanted
            or under(path, releases)
            or under(path, (PACKAGE,))
            or under(path, asset_dirs)
            # a reading's folder: references.md, images; a notebook there only if the manifest names it
            or (under(path, reading_dirs) and not path.endswith(".ipynb"))
        )
        if not take:
            continue
        why = _why_never(path)
        if why is None and (root / path).is_symlink():
            why = "symbolic link: never followed"
        if why is None and not (root / path).is_file():
            continue  # tracked but deleted in the working tree
        if why:
            skipped.append((path, why))
        else:
            chosen.append(path)
    missing = sorted(p for p in wanted - {"environment.yml", ".gitignore"} if p not in chosen)
    if missing:
        raise CourseError(f"the trainee edition needs {', '.join(missing)}, which git does not see in {root}")
    return chosen, skipped


README_TEMPLATE = """\
# {title}: trainee edition

{summary}

## Start the course

You need Python 3.11 and `pip`. In this folder, run:

```bash
bin/start
```

The first time, this sets up the course environment in `.venv/` (a few minutes), then it opens
JupyterLab on the first module. Run it again whenever you want to work on the course. (Conda or Binder:
`environment.yml` sets up the same environment; then run `repairlab open`.) Running as root, e.g. in a
container, `bin/start` says so and starts JupyterLab with `--allow-root`.

## Your exercises

`bin/start` copies each exercise once into `workspace/`. **That copy is yours**: write your answers
there and hand in the notebook from there, as your supervisor asks. Updating the course (`git pull`,
or unpacking a newer edition over this folder) never overwrites it; a new exercise appears in
`workspace/` the next time you run `bin/start`.

| Module | Reading and vignettes | Exercise (your copy) |
|---|---|---|
{rows}

Every work the course cites is listed in `modules/references.md`.

## How exercises are graded

Each exercise has visible checks that tell you whether an answer has the right shape (the allowed
labels, the number of answers). **Hidden tests** also run, but only when your supervisor grades your
work, so passing the visible checks means your answer is readable, not that it is right. Written
answers are graded by your supervisor with a mark scheme. The answers, hidden tests and mark schemes
are not in this edition.

## What is here

| Path | What it holds |
|---|---|
| `course.yml` | the course: every module and exercise, in order |
| `modules/` | readings with interactive vignettes |
| `assets/` | the vignettes' data |
| `exercises/` | the exercises as released; `bin/start` copies them into `workspace/` |
| `repairlab/` | the course's Python package (vignettes, widgets, answer checks) |
| `bin/start` | sets up the course and opens it in JupyterLab |
"""


def trainee_readme(course: Course) -> str:
    rows = []
    for module in course.modules:
        reading = module.reading.relative_to(course.root).as_posix()
        copies = ", ".join(f"`{WORKSPACE}/{ex.id}/`" for ex in module.exercises) or "(none)"
        rows.append(f"| {module.title} | `{reading}` | {copies} |")
    summary = (f"This is the trainee edition of {course.title}: the readings, the interactive vignettes and "
               f"the exercises, ready to open in JupyterLab. All clients, therapists and trainees in the "
               f"course material are fictional composites.")
    return README_TEMPLATE.format(title=course.title, summary=summary, rows="\n".join(rows))


def _prepare_dest(dest: Path, root: Path) -> None:
    """An empty folder, or a previous edition (kept: its .git, so the trainee repository's history
    stays); anything else is refused rather than overwritten."""
    if dest.name.endswith((".tar.gz", ".tgz", ".zip", ".tar")):
        raise CourseError(f"{dest.name} names an archive; give the folder to build (with --archive, "
                          f"{dest.name.split('.')[0]}.tar.gz is written next to it)")
    if dest == root or root.is_relative_to(dest):
        raise CourseError(f"the edition cannot be built into {dest}: it holds the course itself")
    if dest.is_relative_to(root) and PurePosixPath(dest.relative_to(root).as_posix()).parts[0] in (
            SOLUTIONS, RELEASE, PACKAGE, "modules", "assets", "bin"):
        raise CourseError(f"the edition cannot be built into {dest}: it is inside a folder of the course it copies")
    if dest.exists() and not dest.is_dir():
        raise CourseError(f"{dest} exists and is not a folder")
    if dest.is_dir():
        if any(e.name != ".git" for e in dest.iterdir()) and not (dest / EDITION_MARKER).is_file():
            raise CourseError(f"{dest} is not empty and is not a trainee edition; choose a new folder")
        _clear(dest)
    dest.mkdir(parents=True, exist_ok=True)


def _clear(dest: Path) -> None:
    """Empty ``dest`` but for a trainee repository's .git; remove it if nothing else is left."""
    for entry in dest.iterdir():
        if entry.name != ".git":
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    if not any(dest.iterdir()):
        dest.rmdir()


def _archive(dest: Path) -> Path:
    target = dest.with_name(dest.name + ".tar.gz")

    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
        if PurePosixPath(info.name).parts[1:2] == (".git",):
            return None
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with tarfile.open(target, "w:gz") as tar:
        tar.add(dest, arcname=dest.name, filter=clean)
    return target


def build_edition(dest: Path, root: Path | None = None, *, archive: bool = False) -> Edition:
    """Build the trainee edition of the course at ``root`` into the folder ``dest`` (and, with
    ``archive``, ``dest.tar.gz`` next to it). Refuses, leaving nothing behind, if the key is in it."""
    course = load_course(Path(root).resolve() if root is not None else None)
    root = course.root
    dest = Path(dest).resolve()
    every = course_files(root)
    chosen, skipped = select_files(course, every)
    _prepare_dest(dest, root)
    for path in chosen:
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / path, target)
    (dest / "README.md").write_text(trainee_readme(course), encoding="utf-8")
    commit = _git(root, "rev-parse", "HEAD")
    commit = commit.stdout.strip() if commit is not None and commit.returncode == 0 else ""
    dirty = _git(root, "status", "--porcelain", "--", ".") if commit else None
    (dest / EDITION_MARKER).write_text(
        "Trainee edition of a RepairLab course, built by `repairlab edition`.\n"
        + (f"Source commit: {commit}{' (with uncommitted changes)' if dirty and dirty.stdout.strip() else ''}\n" if commit else ""),
        encoding="utf-8",
    )
    files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file() and ".git" not in p.relative_to(dest).parts)
    key = course_key(root, every)
    for path in files:
        found = key.found_in(readable_text(dest / path))
        if found:
            _clear(dest)
            raise CourseError(f"the trainee edition would give away the key: {path} contains {found!r}; "
                              f"the edition was not written")
    try:
        load_course(dest)
    except CourseError as exc:
        _clear(dest)
        raise CourseError(f"the trainee edition in {dest} does not load: {exc}") from None
    edition = Edition(dest=dest, files=files, skipped=skipped, source_commit=commit)
    if archive:
        edition.archive = _archive(dest)
    return edition
