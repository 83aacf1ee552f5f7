"""``repairlab report``: the cohort report."""

from __future__ import annotations

NAME = "report"


def add(sub) -> None:
    sub.add_parser(NAME, help=run.__doc__).set_defaults(func=run, announce="Building the cohort report…")


def run(args) -> int:
    """Build the cohort report (HTML and the notebook that makes it) in reports/."""
    from ..report import build_report
    from .supervisor_course import supervisor_course

    path = build_report(supervisor_course(writes=False), progress=True)
    print(f"Cohort report: {path}")
    return 0
