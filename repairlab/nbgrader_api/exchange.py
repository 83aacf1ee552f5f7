"""nbgrader's exchange (a cohort on JupyterHub), in RepairLab's terms: where the course's exchange
folder is, releasing an exercise and returning feedback through it, and reading its timestamps.
nbgrader's exchange apps and their errors stay here."""

from __future__ import annotations

from pathlib import Path

from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange import ExchangeError, ExchangeFactory
from nbgrader.utils import parse_utc
from traitlets.config import Config, PyFileConfigLoader

from ..course import Course
from ..errors import CourseError
from ..paths import NBGRADER_CONFIG


def exchange_config(course: Course) -> Config:
    """The course's config over the environment's own nbgrader configs (where a hub keeps
    ``c.Exchange.root`` and ``course_id`` for trainees and supervisor alike), merged in the order
    nbgrader's own commands use: the course folder's file wins."""
    from jupyter_core.paths import jupyter_config_path

    merged = Config()
    for folder in reversed(jupyter_config_path()):
        if (Path(folder) / NBGRADER_CONFIG).is_file():
            merged.merge(PyFileConfigLoader(NBGRADER_CONFIG, path=folder).load_config())
    merged.merge(course.nbgrader.config)
    return merged


def exchange_course(course: Course, config: Config | None = None) -> Path:
    """The course's folder in the exchange (``<Exchange.root>/<course_id>``); the exchange must exist."""
    config = config or exchange_config(course)
    if "root" not in config.Exchange:
        raise CourseError("this course has no nbgrader exchange: set c.Exchange.root in nbgrader_config.py "
                          "(`repairlab hub init` sets it for the hub's environment)")
    exchange = Path(config.Exchange.root)
    if not exchange.is_dir():
        raise CourseError(f"the nbgrader exchange {exchange} (c.Exchange.root) does not exist")
    return exchange / config.CourseDirectory.course_id


def _run_exchange(course: Course, exercise: str, kind: str, what: str, **traits) -> None:
    """Run one of nbgrader's exchange apps (``kind``) for the exercise; its error as one sentence."""
    config = exchange_config(course)
    exchange_course(course, config)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = exercise
    for name, value in traits.items():
        setattr(coursedir, name, value)
    app = getattr(ExchangeFactory(config=config), kind)(
        coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    if kind == "ReleaseAssignment":
        app.force = True
    try:
        app.start()
    except ExchangeError as exc:
        raise CourseError(f"nbgrader could not {what}: {exc}") from None


def release_to_exchange(course: Course, exercise: str) -> bool:
    """Copy the exercise's release (``exercises/<id>``) to the exchange, replacing an earlier one;
    True when it replaced one (trainees who fetched before keep their copy)."""
    replaced = (exchange_course(course) / "outbound" / exercise).is_dir()
    _run_exchange(course, exercise, "ReleaseAssignment", f"release {exercise} to the exchange")
    return replaced


def release_feedback_to_exchange(course: Course, exercise: str, trainees: list[str]) -> None:
    """Put each named trainee's feedback for the exercise where their "Fetch Feedback" finds it
    (named by a hash of their submission's secret, so no trainee can find another's)."""
    folder = course.paths.step("feedback")  # one folder per trainee
    others = {p.name for p in folder.iterdir()} - set(trainees) if folder.is_dir() else set()
    _run_exchange(course, exercise, "ReleaseFeedback", f"return the feedback for {exercise} through the exchange",
                  student_id_exclude=",".join(sorted(others)))


def inbound_folder(course: Course) -> Path:
    """Where trainees' submissions wait in the exchange until they are collected."""
    return exchange_course(course) / "inbound"


def parse_exchange_timestamp(text: str):
    """A timestamp as nbgrader writes it into a submission (``timestamp.txt``, inbound names)."""
    return parse_utc(text.strip())
