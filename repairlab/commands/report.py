"""``repairlab report``: the cohort report."""

from __future__ import annotations

NAME = "report"


def add(sub) -> None:
    sub.add_parser(NAME, help=run.__doc__).set_defaults(func=run, announce="Building the cohort report…")


def run(args) -> int:
    """Build the cohort report (HTML and the notebook that makes it) in reports/."""
    from ..supervisor.progress import Progress

    with Progress(1, "Building the report", "step") as bar:  # before the slow imports: its clock moves at once
        bar.doing("loading the report's tools")
        from ..report.build import build_report
        from .supervisor_course import supervisor_course

        bar.doing("opening the gradebook")
        path = build_report(supervisor_course(writes=False), progress=bar)
    print(f"Cohort report: {path}")
    return 0
