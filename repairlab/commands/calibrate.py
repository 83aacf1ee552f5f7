"""``repairlab calibrate``: a marker's blind scoring of a written task's calibration set."""

from __future__ import annotations

from ..course import load_course

NAME = "calibrate"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__)
    p.add_argument("exercise")
    p.add_argument("--task", help="one written task's grade id (default: every task with samples)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Score a written task's sample answers blind, then see agreement with the agreed scores."""
    from ..authoring.calibrate import calibrate

    calibrate(load_course(), args.exercise, task_id=args.task)
    return 0
