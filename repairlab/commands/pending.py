"""``repairlab pending``: what still needs the supervisor's hand."""

from __future__ import annotations

NAME = "pending"


def add(sub) -> None:
    sub.add_parser(NAME, help=run.__doc__).set_defaults(func=run)


def run(args) -> int:
    """List what still needs your hand, per exercise with totals: written answers to mark, notebooks
    to grade by hand and safety items missed."""
    from ..supervisor.progress import waiting

    with waiting("Reading the gradebook"):  # before loading nbgrader: the clock moves at once
        from ..supervisor.pending import pending, pending_lines
        from .supervisor_course import supervisor_course

        course = supervisor_course(writes=False)
        lines = pending_lines(course, pending(course))
    for line in lines:
        print(line)
    return 0
