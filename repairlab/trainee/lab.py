"""The trainee's JupyterLab: what ``repairlab open`` (and so ``bin/start``) runs, in the full course
and in the trainee edition alike: JupyterLab on the course with nbgrader's authoring UI switched off,
no news prompt, supervisor files hidden from the file browser, and ``--allow-root`` (said in one line)
for root."""

from __future__ import annotations

import fnmatch
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..course import Course
from ..paths import DOWNLOADED, GRADEBOOK, NBGRADER_CONFIG, REPORTS, STEPS

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
# Widget state is never saved into a notebook: what a trainee types in practice ("Write it yourself")
# stays on the page and never lands in a course file (JupyterLab's default, pinned on every start).
WIDGET_SETTINGS = Path("@jupyter-widgets") / "jupyterlab-manager" / "plugin.jupyterlab-settings"

# Supervisor files and trainee data that may sit in a supervisor's or author's clone. Those present at
# the course root are hidden from the file browser (ContentsManager.hide_globs matches names, so
# only names that exist are added: in the edition, where none exist, a trainee's own "tests" folder
# stays visible).
SUPERVISOR_ENTRIES = (
    STEPS["source"], "tests", "benchmarks", NBGRADER_CONFIG, STEPS["submitted"], STEPS["autograded"],
    STEPS["feedback"], DOWNLOADED, REPORTS, "demo", "release", GRADEBOOK, "*.db", "*.sqlite", "*.csv", "*.log",
    "*.egg-info", "build",
)
# beside the solutions, or wherever found: markers' calibration sets and the response coach's labelled banks
ALWAYS_HIDDEN = ("calibration*.yml", "calibration*.yaml", "coach-bank*.yml", "coach-bank*.yaml")
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


def write_lab_config(course: Course) -> tuple[Path, Path]:
    """Write the trainee lab's config folder (for JUPYTER_CONFIG_PATH) and user-settings folder under
    ``.repairlab/lab/``; returns both. The config is rewritten on every start; the news setting is
    written only once, so a trainee who later opts in to news keeps that choice."""
    state = course.paths.lab
    config, settings = state / "config", state / "user-settings"
    # A user-level `jupyter labextension disable` cannot override what the environment enables; a
    # config folder on JUPYTER_CONFIG_PATH ranks above the environment's own, so this does.
    _write_json(config / "jupyter_server_config.d" / "repairlab-trainee.json",
                {"ServerApp": {"jpserver_extensions": {name: False for name in NBGRADER_SERVER_EXTENSIONS}}})
    # jupyter_server reads only jpserver_extensions from the .d folder; other settings go here.
    _write_json(config / "jupyter_server_config.json", {"ContentsManager": {"hide_globs": hidden_names(course.root)}})
    _write_json(config / "labconfig" / "page_config.json",
                {"disabledExtensions": {plugin: True for plugin in NBGRADER_LAB_PLUGINS}})
    _write_json(settings / WIDGET_SETTINGS, {"saveState": False})
    news = settings / NOTIFICATION_SETTINGS
    if not news.exists():
        _write_json(news, NOTIFICATION_DEFAULTS)
    return config, settings


def trainee_lab(course: Course, lab_args: list[str], *, as_root: bool | None = None,
                environ: dict[str, str] | None = None) -> LabLaunch:
    """The JupyterLab command ``repairlab open`` runs: on the course root, opening module 1, with the
    trainee configuration; ``lab_args`` are passed on to ``jupyter lab``."""
    root = course.root
    config, settings = write_lab_config(course)
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
