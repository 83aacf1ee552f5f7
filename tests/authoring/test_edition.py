"""The trainee edition holds the course and none of its key, and the trainee's JupyterLab (the same
`repairlab open` in the full course and in the edition) shows no nbgrader authoring UI, no news
prompt and no supervisor files, and starts as root with one clear line."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
import yaml

from repairlab.authoring.edition import build_edition
from repairlab.course import load_course
from repairlab.errors import CourseError
from repairlab.trainee.lab import NBGRADER_LAB_PLUGINS, trainee_lab, write_lab_config
from repairlab.trainee.launch import KEEP_OPEN

from helpers import REPO, copy_course
from helpers.trainee_lab import TraineeLab

AUTHORING_PLUGINS = (
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:validate-assignment",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:course-list",
)
SUPERVISOR_ONLY = ("solutions", "tests", "benchmarks", ".ci", "nbgrader_config.py", "gradebook.db", "workspace",
                   ".venv", "__pycache__", "repairlab.egg-info", "submitted", "autograded", "feedback", "bin/test")
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT_LINE = "Running as root, so JupyterLab is started with --allow-root."


# --- the key, collected here independently of repairlab.edition -----------------------------------

def _between(source: str, begin: str, end: str) -> list[list[str]]:
    regions, current = [], None
    for line in source.splitlines():
        if begin in line:
            current = []
        elif end in line and current is not None:
            regions.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return regions


def _cell_sources(path: Path) -> list[str]:
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]


def _calibration_files(root: Path) -> list[Path]:
    found = [p for pattern in ("calibration*.yml", "calibration*.yaml") for p in root.rglob(pattern)
             if not {".venv", ".git"} & set(p.relative_to(root).parts)]
    return sorted(found)


def _strings(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)
    elif isinstance(data, str):
        yield data


def key_of(root: Path) -> tuple[set[str], list[list[str]]]:
    """(lines, answer sequences): every line of 12 characters or more in the solutions' hidden tests
    and mark schemes, every line of the calibration samples, and each answer's literals in order.
    Import lines are left out: they name code the trainee has (repairlab/checks.py)."""
    lines, sequences = set(), []
    for notebook in sorted((root / "solutions").rglob("*.ipynb")):
        for source in _cell_sources(notebook):
            for begin, end in (("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
                               ("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ===")):
                for region in _between(source, begin, end):
                    lines |= {
                        s.strip() for s in region if len(s.strip()) >= 12 and not re.match(r"(from|import) ", s.strip())
                    }
            for region in _between(source, "### BEGIN SOLUTION", "### END SOLUTION"):
                # a quoted literal, or a text block with one answer per line
                values = [a or b for a, b in re.findall(r'"([^"]*)"|\'([^\']*)\'', "\n".join(region))] or [
                    line.strip() for line in region if line.strip() and not line.strip().startswith("#")]
                sequences.append(values)
                lines |= {v for v in values if len(v) >= 12 and " " in v}  # a written answer, not a label
    for path in _calibration_files(root):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            lines |= {s.strip() for s in text.splitlines() if len(s.strip()) >= 12 and " " in s}
    for path in sorted((root / "solutions").rglob("coach-bank*.yml")):  # whole responses, notes and reasons
        for response in yaml.safe_load(path.read_text(encoding="utf-8"))["responses"]:
            lines |= {s.strip() for s in _strings([response[f] for f in ("text", "notes", "why") if f in response])
                      if len(s.strip()) >= 12}
    return lines, sequences


def _tokens(text: str) -> str:
    """Words in order, one space apart: an answer sequence is found in Python, JSON or prose alike."""
    return " " + " ".join(re.findall(r"\w[\w-]*", text)) + " "


def leaks(folder: Path, key: tuple[set[str], list[list[str]]]) -> list[str]:
    lines, sequences = key
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.relative_to(folder).parts):
        text = path.read_text(encoding="utf-8", errors="ignore")
        if path.suffix == ".ipynb":  # notebook JSON escapes quotes and newlines: read the cells too
            text += "\n".join(_cell_sources(path))
        tokens = _tokens(text)
        found += [f"{path.relative_to(folder)}: {line!r}" for line in lines if line in text]
        found += [f"{path.relative_to(folder)}: answer {seq}" for seq in sequences
                  if len(seq) >= 2 and f" {' '.join(seq)} " in tokens]
    return found


def _assert_no_supervisor_material(folder: Path) -> None:
    for rel in SUPERVISOR_ONLY:
        assert not (folder / rel).exists(), rel
    names = {p.name for p in folder.rglob("*")}
    assert not [n for n in names
                if n.startswith(("calibration", "coach-bank")) or n.endswith((".db", ".sqlite", ".pyc"))]
    assert not {"__pycache__", ".ipynb_checkpoints", "grading_matrix.yml", "workspace"} & names


# --- the edition ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    return build_edition(load_course(REPO), tmp_path_factory.mktemp("publish") / "trainee-edition", archive=True)


def test_the_key_collector_finds_the_key_where_it_is():
    """The check below is only as good as its collection: it must find the key in the solutions."""
    lines, sequences = key_of(REPO)
    assert len(lines) >= 20 and len([s for s in sequences if len(s) >= 2]) >= 4
    hits = leaks(REPO / "solutions", (lines, sequences))
    for ex in load_course(REPO).exercises:
        assert any(hit.startswith(f"{ex.id}/{ex.notebook_name}: answer") for hit in hits), ex.id
        assert any(hit.startswith(f"{ex.id}/{ex.notebook_name}: '") for hit in hits), ex.id


def test_no_key_text_is_in_the_edition(edition):
    assert leaks(edition.dest, key_of(REPO)) == []


def test_the_edition_holds_the_course_and_nothing_of_the_supervisors(edition):
    dest = edition.dest
    course = load_course(dest)  # the edition's manifest still loads, with every path it names
    assert [m.id for m in course.modules] == [m.id for m in load_course(REPO).modules]
    for ex in course.exercises:
        released = dest / "exercises" / ex.id / ex.notebook_name
        assert released.read_bytes() == (REPO / "exercises" / ex.id / ex.notebook_name).read_bytes()
    for rel in ("modules/references.md", "repairlab/__init__.py", "repairlab/checks.py", "pyproject.toml",
                "environment.yml", "bin/_env.sh", "README.md", ".gitignore"):
        assert (dest / rel).is_file(), rel
    assert os.access(dest / "bin" / "start", os.X_OK)
    _assert_no_supervisor_material(dest)
    # every file comes from git's view of the course (no untracked junk), but the marker the build writes
    seen = set(subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.split())
    assert set(edition.files) - seen == {".repairlab-edition"}
    assert (dest / "README.md").read_text() != (REPO / "README.md").read_text()  # the trainees' own README


def test_the_trainee_readme_says_how_to_start_where_the_copy_is_and_that_hidden_tests_exist(edition):
    readme = (edition.dest / "README.md").read_text(encoding="utf-8")
    assert "bin/start" in readme and "workspace/owning-your-part/" in readme
    assert "Hidden tests" in readme and "not in this edition" in readme
    assert "solutions/" not in readme and "nbgrader_config" not in readme


def test_the_archive_holds_the_same_files_under_one_folder(edition):
    assert edition.archive == edition.dest.with_name("trainee-edition.tar.gz")
    with tarfile.open(edition.archive) as tar:
        members = {m.name: m for m in tar.getmembers()}
    files = {name.split("/", 1)[1] for name, m in members.items() if m.isfile()}
    assert files == set(edition.files)
    assert members["trainee-edition/bin/start"].mode & 0o111


def test_calibration_sets_junk_and_trainee_data_stay_out_without_git(tmp_path):
    """A course folder outside git (a copy, an unpacked archive): the edition is built from the manifest
    and the folders it names; calibration samples, caches, gradebooks and workspaces stay out."""
    course = copy_course(tmp_path / "course")
    for rel in ("bin/start", "bin/_env.sh", "bin/test", "pyproject.toml", "environment.yml", ".gitignore", "README.md"):
        (course / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, course / rel)
    shutil.copytree(REPO / "repairlab", course / "repairlab", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "tests", course / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    samples = {"written-repair": {"samples": [
        {"id": "s1", "answer": "I glanced at my phone while you spoke about the train; that was mine to own.",
         "scores": [1, 1, 0, 1], "rationale": "Names the act and its impact, no change is promised."},
        {"id": "s2", "answer": "Sorry, it was an urgent call from my supervisor, nothing to do with you.",
         "scores": [0, 0, 0, 0], "rationale": "An excuse that shifts the blame onto the call."},
    ]}}
    for rel in ("solutions/owning-your-part/calibration.yml", "assets/calibration.yml",
                "exercises/owning-your-part/calibration.yml", "modules/calibration.yaml"):
        (course / rel).write_text(yaml.safe_dump(samples), encoding="utf-8")
    junk = ["repairlab/__pycache__/checks.cpython-311.pyc", "modules/.ipynb_checkpoints/01-checkpoint.ipynb",
            "workspace/owning-your-part/owning-your-part.ipynb", "gradebook.db", "assets/old.db",
            "submitted/ana/owning-your-part/owning-your-part.ipynb", ".venv/bin/python"]
    for rel in junk:
        (course / rel).parent.mkdir(parents=True, exist_ok=True)
        (course / rel).write_text("junk")
    edition = build_edition(load_course(course), tmp_path / "edition")
    _assert_no_supervisor_material(edition.dest)
    key = key_of(course)
    assert "Names the act and its impact, no change is promised." in key[0]
    assert leaks(edition.dest, key) == []
    assert {p for p, _ in edition.skipped} >= {"assets/calibration.yml", "exercises/owning-your-part/calibration.yml",
                                                 "modules/calibration.yaml", "assets/old.db"}


def test_the_build_refuses_and_leaves_nothing_when_key_text_reached_an_included_file(tmp_path):
    course = copy_course(tmp_path / "course")
    for rel in ("bin/start", "bin/_env.sh", "pyproject.toml", "environment.yml"):
        (course / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, course / rel)
    shutil.copytree(REPO / "repairlab", course / "repairlab", ignore=shutil.ignore_patterns("__pycache__"))
    lines, _ = key_of(course)
    scheme_line = next(line for line in sorted(lines) if line.startswith("Model answer"))
    with (course / "modules" / "references.md").open("a", encoding="utf-8") as f:
        f.write(f"\n{scheme_line}\n")
    with pytest.raises(CourseError, match="give away the key: modules/references.md"):
        build_edition(load_course(course), tmp_path / "edition")
    assert not (tmp_path / "edition").exists()


def test_a_rebuild_keeps_the_trainee_repository_and_refuses_a_foreign_folder(tmp_path):
    repo = tmp_path / "trainee-repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    build_edition(load_course(REPO), repo)
    (repo / "stale.txt").write_text("from an older edition")
    build_edition(load_course(REPO), repo)
    assert (repo / ".git" / "HEAD").is_file() and not (repo / "stale.txt").exists()
    assert (repo / "course.yml").is_file()
    foreign = tmp_path / "someone-elses"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(CourseError, match="not a trainee edition"):
        build_edition(load_course(REPO), foreign)
    assert (foreign / "notes.txt").read_text() == "keep me"
    with pytest.raises(CourseError, match="holds the course itself"):
        build_edition(load_course(REPO), REPO)


def test_the_edition_command_prints_what_it_built_and_refuses_in_one_line(tmp_path, monkeypatch, capsys):
    from repairlab.cli import main

    monkeypatch.chdir(REPO)
    assert main(["edition", str(tmp_path / "out" / "edition"), "--archive"]) == 0
    out = capsys.readouterr().out
    assert f"Trainee edition: {tmp_path / 'out' / 'edition'}" in out and "edition.tar.gz" in out
    assert main(["edition", str(tmp_path / "edition.tar.gz")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("repairlab: edition.tar.gz names an archive") and "\n" not in err
    assert not (tmp_path / "edition.tar.gz").exists()


# --- the trainee's JupyterLab ----------------------------------------------------------------------

def test_root_gets_one_clear_line_and_allow_root(tmp_path):
    course = load_course(copy_course(tmp_path / "course"))
    as_root = trainee_lab(course, ["--no-browser"], as_root=True, environ={})
    assert as_root.notes == [ROOT_LINE]
    assert "--allow-root" in as_root.argv and as_root.argv[-1] == "--no-browser"
    assert "--LabApp.default_url=/voila/render/modules/home.ipynb" in as_root.argv  # opens the course home
    assert trainee_lab(course, [], as_root=False, environ={}).notes == []
    assert "--allow-root" not in trainee_lab(course, [], as_root=False, environ={}).argv
    twice = trainee_lab(course, ["--allow-root"], as_root=True, environ={})
    assert twice.argv.count("--allow-root") == 1
    kept = trainee_lab(course, [], as_root=False, environ={"JUPYTER_CONFIG_PATH": "/etc/mine"})
    assert kept.env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [
        str(course.root / ".repairlab/lab/config"),
        "/etc/mine",
    ]


def test_the_lab_config_disables_nbgrader_and_keeps_a_trainees_news_choice(tmp_path):
    root = copy_course(tmp_path / "course")
    config, settings = write_lab_config(load_course(root))
    server = json.loads((config / "jupyter_server_config.d" / "repairlab-trainee.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False
    hidden = json.loads((config / "jupyter_server_config.json").read_text())["ContentsManager"]["hide_globs"]
    assert {"solutions", "nbgrader_config.py", "__pycache__"} <= set(hidden) and "tests" not in hidden  # no tests/ here
    page = json.loads((config / "labconfig" / "page_config.json").read_text())
    assert set(AUTHORING_PLUGINS) <= set(page["disabledExtensions"]) == set(NBGRADER_LAB_PLUGINS)
    # the plugin ids are nbgrader's own: each is in its installed JupyterLab extension
    bundle = Path(sys.prefix, "share", "jupyter", "labextensions", "@jupyter", "nbgrader", "static")
    shipped = "".join(p.read_text(errors="ignore") for p in bundle.glob("*.js"))
    assert [p for p in NBGRADER_LAB_PLUGINS if f'"{p}"' not in shipped and f"'{p}'" not in shipped] == []
    news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    assert json.loads(news.read_text())["fetchNews"] == "false"
    news.write_text('{"fetchNews": "true"}')
    write_lab_config(load_course(root))
    assert json.loads(news.read_text())["fetchNews"] == "true"


def test_open_in_the_edition_says_root_and_starts_jupyterlab(edition, tmp_path):
    """`repairlab open` from the edition's own package: the workspace copy, the root line, and JupyterLab
    answering `--version` (which it refuses as root without --allow-root only when serving)."""
    root = Path(shutil.copytree(edition.dest, tmp_path / "trainee-clone"))
    env = {**os.environ, "PYTHONPATH": str(root)}
    where = subprocess.run([sys.executable, "-c", "import repairlab; print(repairlab.__file__)"],
                           cwd=root, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(root)
    run = subprocess.run([sys.executable, "-m", "repairlab", "open", "--version"], cwd=root, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (root / "workspace" / "owning-your-part" / "owning-your-part.ipynb").is_file()
    assert (ROOT_LINE in run.stdout.splitlines()) == ROOT
    assert re.match(r"4\.\d+\.\d+", run.stdout.strip().splitlines()[-1])


def _said_once_open(log: Path) -> list[str]:
    """The launcher's lines once it has said how to stop: it polls the server itself, so the test's own
    readiness check can see the server answer a moment before the launcher prints."""
    deadline = time.monotonic() + 30
    while KEEP_OPEN not in (said := log.read_text(errors="replace").splitlines()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return said


@pytest.fixture
def lab(tmp_path):
    servers = []

    def start(root: Path, package: Path | None = None) -> TraineeLab:
        server = TraineeLab(root, tmp_path / f"lab-state-{len(servers)}", package)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.mark.server
def test_the_editions_lab_has_no_authoring_ui_no_news_prompt_and_starts_as_root(edition, tmp_path, lab):
    root = Path(shutil.copytree(edition.dest, tmp_path / "trainee-clone"))
    server = lab(root, package=root)
    assert server.get("/formgrader")[0] == 404
    assert server.get("/formgrader/api/assignments")[0] == 404
    status, page = server.get("/lab")
    assert status == 200
    config = json.loads(
        re.search(rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S).group(1)
    )
    assert set(AUTHORING_PLUGINS) <= set(config["disabledExtensions"])
    status, body = server.get("/lab/api/settings/@jupyterlab/apputils-extension:notification")
    assert status == 200 and json.loads(body)["settings"]["fetchNews"] == "false"
    assert (root / ".repairlab" / "lab" / "user-settings").is_dir()
    assert server.listing() == {"workspace"}, "only the trainee's own folder is listed"
    # quiet: the address of the course home and how to stop, nothing else (JupyterLab's lines go to a log)
    said = _said_once_open(server.log_path)
    home = f"The course is open at {server.url}/voila/render/modules/home.ipynb"
    assert said == [*([ROOT_LINE] if ROOT else []), home, KEEP_OPEN], said
    assert f"--ServerApp.root_dir={root}" in (root / ".repairlab" / "logs" / "lab.log").read_text(errors="replace")
    status, page = server.get("/voila/render/modules/home.ipynb")
    assert status == 200 and b"application/vnd.jupyter.widget-view+json" in page
    assert b"There was an error" not in page and b"Traceback" not in page


@pytest.mark.server
def test_the_full_courses_lab_hides_supervisor_files(tmp_path, lab):
    """`repairlab open` in a supervisor's or author's clone: solutions/, tests/ and the rest exist on
    disk but are not listed, and the authoring UI is off there too."""
    root = copy_course(tmp_path / "course")  # holds solutions/ and nbgrader_config.py
    for rel in ("tests/grading_matrix.yml", "benchmarks/run.py", "gradebook.db", "roster.csv",
                "solutions/owning-your-part/calibration.yml", "submitted/ana/x.ipynb", "reports/r.html"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("supervisor only")
    server = lab(root)
    names = server.listing()
    assert names == {"workspace"}
    assert not names & {"solutions", "tests", "benchmarks", "nbgrader_config.py", "gradebook.db", "roster.csv",
                        "submitted", "reports", ".repairlab"}, names
    assert server.get("/formgrader")[0] == 404
