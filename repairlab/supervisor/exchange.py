"""The supervisor's side of nbgrader's exchange on a hub: releasing an exercise to every trainee,
returning feedback, and finding each trainee's newest submission to collect (``collect`` places it).
Trainees fetch and submit from the Assignment List of their own JupyterLab, with nbgrader's own
handlers.

A submission is taken only from a folder the login's own Unix account made (a trainee cannot hand in
for another), dated no later than now, and only the notebook, ``timestamp.txt`` and
``submission_secret.txt`` (which the feedback needs), each a regular file read without following
links.
"""

from __future__ import annotations

import json
import os
import pwd
import stat
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..course import Course, Exercise
from ..errors import CourseError
from ..nbgrader_api import exchange as nbgrader_exchange
from .safe_read import MAX_NOTEBOOK_BYTES, MAX_SMALL_FILE_BYTES, read_own

EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")  # kept beside the notebook from the exchange
CLOCK_SKEW = timedelta(minutes=5)  # an exchange timestamp later than now by more than this was not made by submit


def release(course: Course, exercises: list[Exercise]) -> list[str]:
    """Put each exercise's release (``exercises/<id>``) in the exchange; one line per exercise."""
    lines = []
    for exercise in exercises:
        replaced = nbgrader_exchange.release_to_exchange(course, exercise.id)
        lines.append(f"Released {exercise.id} to the trainees" + (
            " (it replaces the earlier release; trainees who fetched that one keep their copy)." if replaced else "."))
    return lines


def return_feedback(course: Course, exercises: list[Exercise], trainees: list[str]) -> list[str]:
    """Return each trainee's feedback file through the exchange, where their "Fetch Feedback" finds it.
    Feedback on a submission that did not come through the exchange (a zip or folder collect) has no
    submission secret to file it under: it is listed for the supervisor to send another way."""
    lines = []
    for exercise in exercises:
        ready, elsewhere = [], []
        for trainee in trainees:
            folder = course.paths.feedback(trainee, exercise.id)
            if not (folder / exercise.notebook_name.replace(".ipynb", ".html")).is_file():
                continue
            (ready if (folder / "submission_secret.txt").is_file() else elsewhere).append(trainee)
        if ready:
            nbgrader_exchange.release_feedback_to_exchange(course, exercise.id, ready)
            lines.append(f"Returned feedback on {exercise.id} to {len(ready)} trainee(s) through the exchange "
                         "(each sees it with Fetch Feedback in the Assignment List).")
        if elsewhere:
            lines.append(f"  {exercise.id}: not handed in through the exchange, so send their feedback file yourself: "
                         f"{', '.join(elsewhere)}")
    return lines


@dataclass
class Inbound:
    """One submission in the exchange: the folder nbgrader's submit wrote, named
    ``<login>+<exercise>+<timestamp>+<random>``."""

    login: str
    folder: Path
    timestamp: datetime
    stamp: str



def login_map(course: Course, roster_ids: list[str]) -> dict[str, str]:
    """Hub login -> roster id: ``repairlab hub init``'s map, else each roster id is its own login."""
    path = course.paths.login_map
    if not path.is_file() and course.paths.legacy_login_map.is_file():
        path = course.paths.legacy_login_map
    if path.is_file():
        try:
            logins = json.loads(path.read_text(encoding="utf-8"))["logins"]
        except (ValueError, KeyError, TypeError) as exc:
            raise CourseError(f"{path}: not the login map `repairlab hub init` writes ({exc})") from None
        return {login: trainee for login, trainee in logins.items() if trainee in roster_ids}
    return {trainee: trainee for trainee in roster_ids}


def inbound_submissions(course: Course, exercise: str, problems: list) -> list[Inbound]:
    """Each login's newest submission of ``exercise`` in the exchange. A folder the login's own
    account did not make, or dated in the future, is listed and set aside *before* the newest is
    chosen, so a forged newer folder can never hide a trainee's real submission."""
    inbound = nbgrader_exchange.inbound_folder(course)
    if not inbound.is_dir():
        return []
    now = datetime.now(timezone.utc) + CLOCK_SKEW
    newest: dict[str, Inbound] = {}
    for entry in sorted(inbound.iterdir()):
        parts = entry.name.rsplit("+", 3)
        if len(parts) < 3 or parts[1] != exercise:
            continue
        where = f"exchange:{entry.name}"
        try:
            timestamp = nbgrader_exchange.parse_exchange_timestamp(parts[2])
        except (ValueError, OverflowError):
            problems.append((where, "not placed: its name holds no timestamp nbgrader wrote"))
            continue
        found = Inbound(parts[0], entry, timestamp, parts[2])
        try:
            why = _owner_problem(found)
        except OSError as exc:  # made and removed again while collect looked: a trainee cannot stop collect
            why = f"not placed: it could not be looked at ({exc.strerror or type(exc).__name__}); collect again later"
        if why:
            problems.append((where, why))
            continue
        if _as_utc(timestamp) > now:
            problems.append(
                (
                    where,
                    f"set aside: dated {parts[2]}, in the future, so nbgrader's submit did not "
                    f"date it; the newest submission of {found.login} dated before now is taken",
                )
            )
            continue
        if found.login not in newest or newest[found.login].timestamp < timestamp:
            newest[found.login] = found
    return [newest[login] for login in sorted(newest)]


def _as_utc(moment: datetime) -> datetime:
    """nbgrader's parsed timestamps are naive UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _owner_problem(found: Inbound) -> str | None:
    """Why the folder cannot be the login's own submission, or None."""
    try:
        uid = pwd.getpwnam(found.login).pw_uid
    except KeyError:
        return f"no Unix account {found.login!r} on this machine handed it in"
    info = os.lstat(found.folder)
    if not stat.S_ISDIR(info.st_mode):
        return "refused: not a folder nbgrader's submit made (a link or a file)"
    if info.st_uid != uid:
        try:
            owner = pwd.getpwuid(info.st_uid).pw_name
        except KeyError:
            owner = f"user id {info.st_uid}"
        return f"refused: it claims to be from {found.login} but belongs to {owner}"
    return None




def submission_files(found: Inbound, exercise: Exercise) -> dict[str, bytes]:
    """The notebook and nbgrader's files beside it, each a plain file of the login's own; raises
    ``Refused`` for anything else and FileNotFoundError when the notebook is missing."""
    uid = os.lstat(found.folder).st_uid
    files = {exercise.notebook_name: read_own(found.folder / exercise.notebook_name, uid, MAX_NOTEBOOK_BYTES)}
    for name in EXCHANGE_FILES:
        if (found.folder / name).exists() or (found.folder / name).is_symlink():
            files[name] = read_own(found.folder / name, uid, MAX_SMALL_FILE_BYTES)
    return files


def collected_timestamp(folder: Path) -> datetime | None:
    """When the submission already in ``folder`` was handed in, if it came from the exchange."""
    stamp_file = folder / "timestamp.txt"
    try:
        return nbgrader_exchange.parse_exchange_timestamp(stamp_file.read_text()) if stamp_file.is_file() else None
    except (ValueError, OverflowError):
        return None
