"""``repairlab pending``: what still needs the supervisor's hand."""

from __future__ import annotations

NAME = "pending"


def add(sub) -> None:
    sub.add_parser(NAME, help=run.__doc__).set_defaults(func=run)


def run(args) -> int:
    """List what still needs grading by hand, per exercise and trainee."""
    from ..supervisor.pending import pending
    from .supervisor_course import supervisor_course

    rows = pending(supervisor_course(writes=False))
    if not rows:
        print("Nothing is waiting for manual grading.")
    for row in rows:
        print(f"{row.exercise:<28} {row.trainee:<12} {row.what}")
    return 0
