"""``repairlab collect``: submissions into submitted/, from a folder, an LMS zip or the exchange."""

from __future__ import annotations

from pathlib import Path

from ..errors import CourseError

NAME = "collect"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__)
    p.add_argument("source", nargs="?", help="a folder of trainee notebooks or an LMS zip download")
    p.add_argument("--from-exchange", action="store_true",
                   help="collect each trainee's newest submission from nbgrader's exchange (a cohort on JupyterHub)")
    p.add_argument("--exercise", help="the exercise these submissions are for (lets a renamed notebook match)")
    p.set_defaults(func=run, announce="Collecting submissions…")


def run(args) -> int:
    """Place submissions from a folder, an LMS zip or nbgrader's exchange into submitted/; originals
    are never changed."""
    from ..supervisor.collect import collect, collect_from_exchange
    from ..supervisor.roster import roster_ids
    from .supervisor_course import supervisor_course

    if (args.source is None) == (not args.from_exchange):
        raise CourseError("give a folder or zip to collect from, or --from-exchange (not both)")
    course = supervisor_course(writes=False)
    trainees = roster_ids(course)
    if not trainees:
        raise CourseError("the roster is empty: run `repairlab roster import FILE.csv` first")
    if args.from_exchange:
        summary = collect_from_exchange(course, trainees, args.exercise)
    else:
        summary = collect(course, Path(args.source), trainees, args.exercise)
    print(summary.render())
    return 0
