"""The trainee edition: what trainees get, the course without its key.

``build_edition`` copies, from git's view of the course (tracked files and untracked ones git does not
ignore), only what the manifest and the set-up need: ``course.yml``, the readings, the course home and
reading list pages (``modules/home.ipynb``, ``modules/references.ipynb``) and
``modules/references.md``, ``assets/``, each exercise's release in ``exercises/``, the ``repairlab``
package, ``pyproject.toml``, ``environment.yml``, ``bin/start`` and ``bin/_env.sh``, plus a trainee
README. Nothing else is read, so ``solutions/``, ``tests/`` (whose grading matrix holds answers),
``benchmarks/``, ``.ci/``, ``nbgrader_config.py`` (trainees never run nbgrader: the supervisor grades
in their own clone), calibration sets, gradebooks and trainee data cannot get in. Before it finishes,
the build searches the edition for the key (``key``) and refuses if any of it is there.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..course import Course, load_course
from ..errors import CourseError
from ..paths import DOWNLOADED, HOME_PAGE, MANIFEST, REFERENCES_PAGE, REPORTS, STATE, STEPS, WORKSPACE
from ..trainee.lab import ALWAYS_HIDDEN
from .key import course_key, readable_text

EDITION_MARKER = ".repairlab-edition"
PACKAGE = "repairlab"
AS_IS = ("pyproject.toml", "environment.yml", ".gitignore", "bin/start", "bin/_env.sh")
# Never copied, wherever they are found.
NEVER = (*ALWAYS_HIDDEN, "*.db", "*.sqlite", "*.sqlite3", "*.pyc", "*.pyo",
         "*.log", ".DS_Store", "*~")
NEVER_DIRS = ("__pycache__", ".ipynb_checkpoints", "*.egg-info", ".git", ".venv")
# A manifest entry under one of these would carry supervisor material into the edition: refused.
SUPERVISOR_DIRS = (STEPS["source"], "tests", "benchmarks", ".ci", STEPS["submitted"], STEPS["autograded"],
                   STEPS["feedback"], DOWNLOADED, REPORTS, WORKSPACE, STATE)


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
        if MANIFEST in files:
            return files
    found = []
    for folder, dirs, names in os.walk(root):
        skip = (*NEVER_DIRS, WORKSPACE, STATE) if Path(folder) == root else NEVER_DIRS
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
            raise CourseError(f"{MANIFEST} names {path}, which is supervisor material; the trainee edition cannot "
                              "include it")
    reading_dirs = {str(PurePosixPath(p).parent) for p in readings}
    asset_dirs = {PurePosixPath(p).parts[0] for p in vignettes if len(PurePosixPath(p).parts) > 1}
    releases = {rel(course.paths.release(ex.id)) for ex in course.exercises}
    pages = {page for page in (HOME_PAGE, REFERENCES_PAGE) if (root / page).is_file()}
    wanted = {MANIFEST, *AS_IS, *readings, *vignettes, *pages}

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

## Start the course, step by step

The course runs on your own computer, in your web browser. It needs **Python 3.11** (the version the
course is tested with; the grading tools it shares with your supervisor need 3.11 or later, and newer
versions have not been tested). You type two or three commands in a terminal, the window where you give
your computer written commands; the steps below say exactly what to type. The first start takes a few
minutes (it sets up the course in `.venv/` inside this folder); later starts take seconds.

### macOS

1. Install Python 3.11 from <https://www.python.org/downloads/macos/> (choose the newest "Python 3.11"
   installer and run it).
2. Open **Terminal** (Applications ▸ Utilities ▸ Terminal).
3. Type `cd ` (with a space after it), drag this course folder from Finder onto the Terminal window, and
   press Return.
4. Type `bin/start` and press Return.

### Windows

The course runs in Windows' own Linux (WSL), the same way as on Linux:

1. Open **PowerShell** as administrator (right-click the Start button ▸ Terminal (Admin)), type
   `wsl --install`, press Enter, and restart the computer when it asks. Ubuntu opens and asks for a
   user name and password: choose any.
2. In **Ubuntu** (Start menu), install Python 3.11: type
   `sudo add-apt-repository -y ppa:deadsnakes/ppa && sudo apt install -y python3.11 python3.11-venv`
   and press Enter.
3. Put the course folder in Ubuntu's home: unpack the archive there (`tar xzf ` followed by the
   archive's path, e.g. `/mnt/c/Users/<you>/Downloads/trainee-edition.tar.gz`), or `git clone` it there.
4. Type `cd trainee-edition` (the folder's name), press Enter, then type `bin/start` and press Enter.
5. Open the address it prints in your browser on Windows.

### Linux

1. Make sure `python3.11` exists (`python3.11 --version`); if not, install it with your package manager
   (Debian 12: `sudo apt install python3.11-venv`; Ubuntu: see step 2 for Windows).
2. Open a terminal in this folder, type `bin/start` and press Enter.

**Then**: the course opens in your browser on its **course home**. The terminal shows only the course's
address and "Keep this window open; Ctrl+C stops the course." Keep that window open while you work;
press Ctrl+C in it to stop. If something goes wrong, it says what, in a sentence, with the last lines of
the course's log (`.repairlab/logs/lab.log`).

(Conda users: `conda env create -f environment.yml`, `conda activate repairlab`, then `repairlab open` in
this folder does the same as `bin/start`.)

## The course home

The home page lists the modules in order with what each teaches and how much of it you have practised,
and your exercises with where each stands. A module opens as a page: read it and try its vignettes,
which answer as you click. Nothing you do in a reading is graded or handed in, and nothing changes the
course's files. What you choose in the vignettes is kept privately in `.repairlab/practice.jsonl` in this
folder, so a module shows where you were; it is never collected. The home page can clear it.

## Your exercises

`bin/start` copies each exercise once into `workspace/`. **That copy is yours**: the home page opens it
in JupyterLab, where you write your answers. Save often (File ▸ Save Notebook, or Ctrl+S). To hand in,
choose **Run ▸ Run All Cells** (every check should say "Looks complete") and save; then, at the bottom of
the course home, click **Hand in** beside the exercise and **Download the copy to send**, and send that
`.ipynb` file to your supervisor the way they ask, with its name as it is. The home then shows the exercise
as handed in, with the date (a copy stays in `workspace/handed-in/`). **Start again** beside it gives you
a fresh copy after asking you to confirm, and keeps your earlier answers in `workspace/earlier-copies/`.
Updating the course (`git pull`, or unpacking a newer edition over this folder) never overwrites your
copy; a new exercise appears in `workspace/` the next time you run `bin/start`.

| Module | Exercise (your copy) |
|---|---|
{rows}

The reading list, every work the course cites, is a page linked from the course home.

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
| `modules/` | the readings with interactive vignettes, the course home and the reading list |
| `assets/` | the vignettes' data |
| `exercises/` | the exercises as released; `bin/start` copies them into `workspace/` |
| `repairlab/` | the course's Python package (vignettes, widgets, answer checks) |
| `bin/start` | sets up the course and opens it in your browser |
"""


def trainee_readme(course: Course) -> str:
    rows = []
    for module in course.modules:
        copies = ", ".join(f"`{WORKSPACE}/{ex.id}/`" for ex in module.exercises) or "(none)"
        rows.append(f"| {module.title} | {copies} |")
    summary = (f"This is the trainee edition of {course.title}: the readings, the interactive vignettes and "
               f"the exercises, ready to open in your browser. All clients, therapists and trainees in the "
               f"course material are fictional composites.")
    return README_TEMPLATE.format(title=course.title, summary=summary, rows="\n".join(rows))


def _prepare_dest(dest: Path, course: Course) -> None:
    """An empty folder, or a previous edition (kept: its .git, so the trainee repository's history
    stays); anything else is refused rather than overwritten."""
    if dest.name.endswith((".tar.gz", ".tgz", ".zip", ".tar")):
        raise CourseError(f"{dest.name} names an archive; give the folder to build (with --archive, "
                          f"{dest.name.split('.')[0]}.tar.gz is written next to it)")
    root = course.root
    if dest == root or root.is_relative_to(dest):
        raise CourseError(f"the edition cannot be built into {dest}: it holds the course itself")
    if dest.is_relative_to(root) and PurePosixPath(dest.relative_to(root).as_posix()).parts[0] in (
            STEPS["source"], STEPS["release"], PACKAGE, "modules", "assets", "bin"):
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


def build_edition(course: Course, dest: Path, *, archive: bool = False) -> Edition:
    """Build the trainee edition of ``course`` (loaded from its resolved folder, as the command line
    does) into the folder ``dest`` (and, with ``archive``, ``dest.tar.gz`` next to it). Refuses,
    leaving nothing behind, if the key is in it."""
    root = course.root
    dest = Path(dest).resolve()
    every = course_files(root)
    chosen, skipped = select_files(course, every)
    _prepare_dest(dest, course)
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
        + (
            f"Source commit: {commit}{' (with uncommitted changes)' if dirty and dirty.stdout.strip() else ''}\n"
            if commit
            else ""
        ),
        encoding="utf-8",
    )
    files = sorted(
        p.relative_to(dest).as_posix()
        for p in dest.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(dest).parts
    )
    key = course_key(course, every)
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
