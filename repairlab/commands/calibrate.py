"""``repairlab calibrate``: a marker's blind scoring of a written task's calibration set, kept."""

from __future__ import annotations

import getpass

from ..course import load_course

NAME = "calibrate"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__)
    p.add_argument("exercise", nargs="?")
    p.add_argument("--task", help="one written task's grade id (default: every task with samples)")
    p.add_argument("--supervisor", help="whose session this is (default: your login name)")
    p.add_argument("--summary", action="store_true",
                   help="show each supervisor's agreement over time and between supervisors, per element")
    p.set_defaults(func=run)


def run(args) -> int:
    """Score a written task's sample answers blind, then see agreement with the agreed scores."""
    from ..errors import CourseError
    from ..supervisor.calibrate import calibrate, show_summary
    from ..supervisor.terminal import Stop, Terminal

    course, term = load_course(), Terminal()
    if args.summary:
        show_summary(course, term, args.exercise)
        return 0
    if args.exercise is None:
        raise CourseError("name the exercise to calibrate on (repairlab calibrate EXERCISE), or use --summary")
    try:
        calibrate(course, args.exercise, term, args.supervisor or _login(), task_id=args.task)
    except Stop:
        pass  # what was scored is saved, and calibrate said where
    except KeyboardInterrupt:  # between two questions
        term.say(f"Stopped. Every sample scored so far is saved in {course.paths.calibrations}.")
    return 0


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name for this user id (some containers)
        return "supervisor"
