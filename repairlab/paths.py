"""Where everything lives in a course folder: the one module that names each folder and state file.

A trainee's folder for a grading step is found as nbgrader's ``CourseDirectory.format_path`` finds it,
``<root>/<step folder>/<trainee>/<exercise>``, with the step folders ``nbgrader_config.py`` names
(read once, by ``repairlab.nbgrader_api.open_course``) or RepairLab's own names where there is no
such file (a trainee edition). Every other path a command uses is a property here, as in pipx's one
paths context, so a folder is named once and renamed in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "course.yml"
NBGRADER_CONFIG = "nbgrader_config.py"
GRADEBOOK = "gradebook.db"  # nbgrader's gradebook when db_url names no other database
# nbgrader's steps and the folders RepairLab keeps them in (nbgrader_config.py says the same)
STEPS = {"source": "solutions", "release": "exercises", "submitted": "submitted", "autograded": "autograded",
         "feedback": "feedback"}
DIRECTORY_STRUCTURE = "{nbgrader_step}/{student_id}/{assignment_id}"  # nbgrader's default
REPORTS = "reports"
WORKSPACE = "workspace"  # the trainee's own copy of the exercises
DOWNLOADED = "downloaded"  # nbgrader's zip_collect downloads
STATE = ".repairlab"  # local state, never committed
PRACTICE = "practice.jsonl"  # in STATE: the trainee's own practice record, never collected
HOME_PAGE = "modules/home.ipynb"  # the trainee's course home, rendered by Voila
REFERENCES_PAGE = "modules/references.ipynb"  # the reading list (modules/references.md) as a page
REPLACED = ".replaced"  # in submitted/: earlier submissions a later collect replaced


@dataclass(frozen=True)
class CoursePaths:
    root: Path
    steps: Mapping[str, str] = field(default_factory=lambda: dict(STEPS))  # step -> folder
    directory_structure: str = DIRECTORY_STRUCTURE

    def format_path(self, step: str, trainee: str, exercise: str) -> Path:
        """A trainee's folder of an exercise at one of nbgrader's steps (``STEPS``)."""
        return self.root / self.directory_structure.format(
            nbgrader_step=self.steps[step], student_id=trainee, assignment_id=exercise)

    def step(self, step: str) -> Path:
        """The folder of a step: ``solutions/``, ``submitted/`` ..."""
        return self.root / self.steps[step]

    # -- nbgrader's folders ------------------------------------------------------------------------
    def source(self, exercise: str) -> Path:
        """An exercise's source: answers, hidden tests, mark schemes, calibration set."""
        return self.format_path("source", ".", exercise)

    def calibration(self, exercise: str) -> Path:
        """An exercise's calibration set for markers: beside its source, never released."""
        return self.source(exercise) / "calibration.yml"

    def coach_bank(self, exercise: str) -> Path:
        """An exercise's labelled responses for the response coach: beside its source, never released."""
        return self.source(exercise) / "coach-bank.yml"

    def release(self, exercise: str) -> Path:
        """An exercise as trainees get it."""
        return self.format_path("release", ".", exercise)

    def submitted(self, trainee: str, exercise: str) -> Path:
        return self.format_path("submitted", trainee, exercise)

    def autograded(self, trainee: str, exercise: str) -> Path:
        return self.format_path("autograded", trainee, exercise)

    def feedback(self, trainee: str, exercise: str) -> Path:
        return self.format_path("feedback", trainee, exercise)

    @property
    def solutions(self) -> Path:
        return self.step("source")

    @property
    def exercises(self) -> Path:
        return self.step("release")

    @property
    def replaced(self) -> Path:
        return self.step("submitted") / REPLACED

    # -- the course's own files ----------------------------------------------------------------------
    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST

    @property
    def nbgrader_config(self) -> Path:
        return self.root / NBGRADER_CONFIG

    @property
    def gradebook(self) -> Path:
        return self.root / GRADEBOOK

    @property
    def reports(self) -> Path:
        return self.root / REPORTS

    @property
    def workspace(self) -> Path:
        return self.root / WORKSPACE

    @property
    def trainee_folders(self) -> list[Path]:
        """Folders that hold trainees' own work: handed in, graded, fed back, downloaded, their copy."""
        return [self.step("submitted"), self.step("autograded"), self.step("feedback"), self.root / DOWNLOADED,
                self.workspace]

    # -- local state in .repairlab/ ------------------------------------------------------------------
    @property
    def state(self) -> Path:
        return self.root / STATE

    @property
    def backups(self) -> Path:
        """Gradebook backups taken before each grading run."""
        return self.state / "backups"

    @property
    def grading_lock(self) -> Path:
        return self.state / "grading.lock"

    @property
    def grading_status(self) -> Path:
        """The latest autograde outcome per submission."""
        return self.state / "grading-status.json"

    @property
    def lms_roster(self) -> Path:
        """What an LMS roster import kept for the LMS grade export."""
        return self.state / "lms-roster.json"

    @property
    def login_map(self) -> Path:
        """Hub login -> roster id, written by ``repairlab hub init`` for ``collect --from-exchange``."""
        return self.state / "login-map.json"

    @property
    def legacy_login_map(self) -> Path:
        """Where hubs made before the login map had its own name kept it (``hub.json``, as the
        deployment's own file is called)."""
        return self.state / "hub.json"

    @property
    def calibrations(self) -> Path:
        """Each calibration session a supervisor ran: who, when, the exercise, the scores given."""
        return self.state / "calibration"

    @property
    def practice(self) -> Path:
        """What the trainee chose in the vignettes (repairlab.trainee.practice_log): private to them."""
        return self.state / PRACTICE

    @property
    def lab(self) -> Path:
        """The trainee JupyterLab's configuration and settings."""
        return self.state / "lab"

    @property
    def logs(self) -> Path:
        return self.state / "logs"

    @property
    def formgrader_config(self) -> Path:
        """On a hub: the Jupyter configuration that tells the supervisor's Formgrader where the course is."""
        return self.state / "jupyter"
