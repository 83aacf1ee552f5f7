"""nbgrader's settings for a course, read once: ``open_course`` reads ``nbgrader_config.py`` a single
time per command and hands the ``Course`` its paths (from the config's folders) and an ``Nbgrader``
holding the settings and the gradebook."""

from __future__ import annotations

import copy
import dataclasses
import warnings
from contextlib import contextmanager
from pathlib import Path

from traitlets.config import Config, PyFileConfigLoader

from ..course import Course, course_root, load_course
from ..errors import CourseError
from ..paths import DIRECTORY_STRUCTURE, GRADEBOOK, NBGRADER_CONFIG, STEPS, CoursePaths

# SQLite waits this long for a lock instead of failing at once, so parallel graders can share the
# gradebook (nbgrader turns a lock error into a failed grade).
BUSY_TIMEOUT_S = 60
SANDBOXED = "repairlab.nbgrader_api.SandboxedExecute"
UNSANDBOXED = "repairlab.nbgrader_api.PrivateExecute"


def read_config(root: Path) -> Config:
    """The course's own nbgrader_config.py, rooted at ``root`` (resolved). Its ``db_url`` is honoured;
    without one, the gradebook is ``gradebook.db`` in the course folder."""
    root = Path(root).resolve()
    if not (root / NBGRADER_CONFIG).is_file():
        raise CourseError(f"{root} has no {NBGRADER_CONFIG}: run repairlab in the course folder")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader's traits warn under newer traitlets; the values are right
        config = PyFileConfigLoader(NBGRADER_CONFIG, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    if "db_url" not in config.CourseDirectory:
        config.CourseDirectory.db_url = f"sqlite:///{root / GRADEBOOK}?timeout={BUSY_TIMEOUT_S}"
    return config


class Nbgrader:
    """nbgrader's settings for one course (``nbgrader_config.py`` as read once) and its gradebook."""

    def __init__(self, config: Config):
        self.config = config

    @property
    def root(self) -> Path:
        return Path(self.config.CourseDirectory.root)

    @property
    def db_url(self) -> str:
        return self.config.CourseDirectory.db_url

    @property
    def course_id(self) -> str:
        return self.config.CourseDirectory.course_id

    @property
    def gradebook_file(self) -> Path | None:
        """The SQLite file of the course's gradebook; None when ``db_url`` names another database."""
        if not self.db_url.startswith("sqlite:///"):
            return None
        return Path(self.db_url[len("sqlite:///"):].split("?", 1)[0])

    def paths(self) -> CoursePaths:
        """The course's folders as nbgrader_config.py names them."""
        directories = self.config.CourseDirectory
        steps = {step: directories.get(f"{step}_directory", default) for step, default in STEPS.items()}
        structure = directories.get("directory_structure", DIRECTORY_STRUCTURE)
        return CoursePaths(self.root, steps, structure)

    def autograde_config(self, sandbox: bool = True) -> Config:
        """The config autograde runs with; ``sandbox=False`` runs trainee kernels unsandboxed (the
        supervisor asked for it explicitly)."""
        config = copy.deepcopy(self.config)
        if not sandbox:
            config.Autograde.autograde_preprocessors = [
                UNSANDBOXED if p == SANDBOXED else p for p in config.Autograde.autograde_preprocessors
            ]
        return config

    @contextmanager
    def gradebook(self):
        """A session on the gradebook, in RepairLab's terms (``repairlab.nbgrader_api.gradebook``)."""
        from .gradebook import session

        with session(self) as gradebook:
            yield gradebook


def open_course(root: Path | None = None) -> Course:
    """The supervisor's course in ``root`` (default: the current folder or one above it, never the
    installed copy), with nbgrader_config.py read once: its paths and its gradebook."""
    root = Path(root).resolve() if root is not None else course_root(installed=False)
    nbgrader = Nbgrader(read_config(root))
    course = load_course(root, nbgrader.paths())
    return dataclasses.replace(course, nbgrader=nbgrader)
