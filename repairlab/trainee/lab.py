"""The trainee's JupyterLab: what ``repairlab open`` (and so ``bin/start``) runs, in the full course
and in the trainee edition alike: JupyterLab on the course, opening on the course home (a page Voila
renders from ``modules/home.ipynb``), with nbgrader's authoring UI switched off, no news prompt, only
the trainee's own folders in the file browser, the course's files read-only, kernels of closed pages
shut down, and ``--allow-root`` (said in one line) for root."""

from __future__ import annotations

import fnmatch
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..course import Course
from ..paths import DOWNLOADED, GRADEBOOK, HOME_PAGE, MANIFEST, NBGRADER_CONFIG, REPORTS, STEPS

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
# The course's own files at its root: the trainee reaches the readings through the course home, so
# the file browser shows only their own folders (workspace/, and anything they make themselves).
COURSE_ENTRIES = (MANIFEST, "modules", "assets", STEPS["release"], "repairlab", "bin", "pyproject.toml",
                  "environment.yml", "README.md", "deploy")
# Kernels: one whose page was closed (no connection) is shut down after 10 idle minutes; a notebook
# closed in JupyterLab shuts its kernel down at once (its user setting, below).
CULLING = {"cull_idle_timeout": 600, "cull_interval": 60, "cull_connected": False}
NOTEBOOK_SETTINGS = Path("@jupyterlab") / "notebook-extension" / "tracker.jupyterlab-settings"
# JupyterLab's single-key shortcuts that change an exercise's cells when a trainee clicks a cell once and
# types (command mode): insert, delete, cut, copy, paste, change type, merge, split, undo and redo, move,
# hide outputs, restart the kernel. Each is switched off by a user setting that repeats JupyterLab's own
# entry (command, keys, selector) with ``disabled: true``; tests/trainee/test_lab_shortcuts.py checks
# every entry against the installed JupyterLab. Moving between cells, Enter (to write in one) and
# Shift+Enter (to run it) stay.
SHORTCUT_SETTINGS = Path("@jupyterlab") / "shortcuts-extension" / "shortcuts.jupyterlab-settings"
COMMAND_MODE = ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus"
KERNEL_USER = "[data-jp-kernel-user]:not(.jp-mod-readWrite) :focus:not(:read-write)"
WRECKING_SHORTCUTS = (
    *((command, [key], COMMAND_MODE) for command, key in (
        ("notebook:insert-cell-above", "A"), ("notebook:insert-cell-below", "B"),
        ("notebook:insert-heading-above", "Shift A"), ("notebook:insert-heading-below", "Shift B"),
        ("notebook:change-cell-to-code", "Y"), ("notebook:change-cell-to-markdown", "M"),
        ("notebook:change-cell-to-raw", "R"), ("notebook:cut-cell", "X"), ("notebook:copy-cell", "C"),
        ("notebook:paste-cell-below", "V"), ("notebook:merge-cells", "Shift M"),
        ("notebook:merge-cell-above", "Ctrl Backspace"), ("notebook:merge-cell-below", "Ctrl Shift M"),
        ("notebook:undo-cell-action", "Z"), ("notebook:redo-cell-action", "Shift Z"),
        ("notebook:move-cell-up", "Ctrl Shift ArrowUp"), ("notebook:move-cell-down", "Ctrl Shift ArrowDown"),
        ("notebook:toggle-render-side-by-side-current", "Shift R"))),
    ("notebook:delete-cell", ["D", "D"], COMMAND_MODE),
    *((f"notebook:change-cell-to-heading-{n}", [str(n)],
       ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) .jp-MarkdownCell:focus") for n in range(1, 7)),
    ("notebook:split-cell-at-cursor", ["Ctrl Shift -"], ".jp-Notebook.jp-mod-editMode"),
    ("kernelmenu:restart", ["0", "0"], KERNEL_USER),
)
# anywidget carries the vignettes' accessibility layer (names, live feedback, focus): without it a page
# works by mouse but reads "A", "B" to a screen reader.
VOILA_EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8", "anywidget"]
# What a reading page says instead of a traceback (Voila's own advice names its command-line options).
PAGE_ERROR = ("This part of the page could not be shown. Reload the page; if it happens again, tell your supervisor "
              "which module it was.")
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
    """The hide_globs for this course folder: jupyter_server's defaults, and the course's and
    supervisor's entries present."""
    present = sorted(
        entry.name for entry in root.iterdir()
        if any(fnmatch.fnmatch(entry.name, pattern) for pattern in (*SUPERVISOR_ENTRIES, *COURSE_ENTRIES))
    )
    return [*DEFAULT_HIDE_GLOBS, *ALWAYS_HIDDEN, *present]


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


# Settings a JSON file cannot hold (a function), in a Python config file beside it.
PYTHON_SETTINGS = ("# Written by RepairLab: reading pages set the XSRF cookie (repairlab.trainee.lab.page_cookie),\n"
                   "# and Voila finds the course's page template (repairlab.trainee.lab.find_page_template).\n"
                   "from repairlab.trainee.lab import find_page_template, page_cookie\n\n"
                   "c.VoilaConfiguration.prelaunch_hook = page_cookie  # noqa: F821\n"
                   "find_page_template()\n")
# The course's Voila template (page_template/voila/templates/repairlab): Voila's own, with each page's
# content in a main landmark and its links underlined.
PAGE_TEMPLATE = "repairlab"
PAGE_TEMPLATE_ROOT = Path(__file__).with_name("page_template")


def find_page_template() -> None:
    """Voila looks for templates only on the Jupyter data path: put the course's first on it, in the
    server's own process (its configuration runs before Voila loads)."""
    paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if str(PAGE_TEMPLATE_ROOT) not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(PAGE_TEMPLATE_ROOT), *paths])


def page_cookie(handler, notebook=None, cwd=None):
    """Voila's hook before a page's kernel starts. Its pages never set Jupyter's XSRF cookie, so the
    call a closing page makes to shut its kernel down is refused and the kernel lingers until culled;
    reading the token makes tornado set the cookie, as JupyterLab's own pages do."""
    handler.xsrf_token  # noqa: B018 (read for its effect: the cookie)
    return None


def write_server_config(folder: Path, hide_globs: list[str]) -> None:
    """The trainee server's settings (``server_settings``) and the page hook, in ``folder`` (a
    configuration folder on JUPYTER_CONFIG_PATH); also a hub trainee's (``repairlab.hub``)."""
    _write_json(folder / "jupyter_server_config.json", server_settings(hide_globs))
    (folder / "jupyter_server_config.py").write_text(PYTHON_SETTINGS, encoding="utf-8")


def server_settings(hide_globs: list[str]) -> dict:
    """The trainee server's settings beyond its extensions (also a hub trainee's: ``repairlab.hub``)."""
    return {
        "ContentsManager": {"hide_globs": hide_globs},
        "ServerApp": {"contents_manager_class": "repairlab.trainee.readings_guard.CourseFilesReadOnly"},
        "MappingKernelManager": CULLING,
        # a page loads only the widget managers among the installed JupyterLab extensions: less to fetch and start
        "VoilaConfiguration": {"show_tracebacks": False, "extension_allowlist": VOILA_EXTENSIONS,
                               "template": PAGE_TEMPLATE},
        "VoilaExecutor": {"cell_error_instruction": PAGE_ERROR},
    }


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
    write_server_config(config, hidden_names(course.root))
    _write_json(config / "labconfig" / "page_config.json",
                {"disabledExtensions": {plugin: True for plugin in NBGRADER_LAB_PLUGINS}})
    _write_json(settings / WIDGET_SETTINGS, {"saveState": False})
    news = settings / NOTIFICATION_SETTINGS
    if not news.exists():
        _write_json(news, NOTIFICATION_DEFAULTS)
    notebooks = settings / NOTEBOOK_SETTINGS
    if not notebooks.exists():
        # long lines in an answer box wrap instead of running off a phone's or a laptop's screen
        _write_json(notebooks, {"kernelShutdown": True, "codeCellConfig": {"lineWrap": True}})
    keep_exercises_whole(settings / SHORTCUT_SETTINGS)
    return config, settings


def keep_exercises_whole(path: Path) -> None:
    """Switch off the shortcuts that wreck an exercise (``WRECKING_SHORTCUTS``), keeping any shortcut the
    trainee set themselves; a settings file JupyterLab's editor left with comments is left as it is."""
    try:
        current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        return
    own = [s for s in current.get("shortcuts", []) if isinstance(s, dict)
           and (s.get("command"), s.get("keys"), s.get("selector")) not in
           [(c, k, sel) for c, k, sel in WRECKING_SHORTCUTS]]
    off = [{"command": c, "keys": k, "selector": sel, "disabled": True} for c, k, sel in WRECKING_SHORTCUTS]
    _write_json(path, {**current, "shortcuts": [*own, *off]})


def trainee_lab(course: Course, lab_args: list[str], *, as_root: bool | None = None,
                environ: dict[str, str] | None = None) -> LabLaunch:
    """The JupyterLab command ``repairlab open`` runs: on the course root, opening the course home,
    with the trainee configuration; ``lab_args`` are passed on to ``jupyter lab``."""
    root = course.root
    config, settings = write_lab_config(course)
    env = dict(os.environ if environ is None else environ)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (str(config), env.get("JUPYTER_CONFIG_PATH", "")) if p)
    argv = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={settings}", f"--LabApp.default_url={home_url()}"]
    notes = []
    if (running_as_root() if as_root is None else as_root) and "--allow-root" not in lab_args:
        notes.append("Running as root, so JupyterLab is started with --allow-root.")
        argv.append("--allow-root")
    argv += lab_args
    return LabLaunch(argv=argv, env=env, notes=notes)


def home_url(folder: str = "") -> str:
    """The course home's address on the server, below its base URL (``folder``: where the course
    sits under the server's root, e.g. ``course`` on a hub)."""
    return "/voila/render/" + "/".join(p for p in (folder, HOME_PAGE) if p)
