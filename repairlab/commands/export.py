"""``repairlab export``: the grades file, for an LMS or a spreadsheet."""

from __future__ import annotations

from pathlib import Path

from ..supervisor.lms import FORMATS

NAME = "export"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__)
    p.add_argument("--to", default="grades.csv", help="CSV file to write (default: grades.csv)")
    p.add_argument("--format", choices=list(FORMATS), default="repairlab",
                   help="one row per trainee and exercise (repairlab, the default), or an LMS's grade import file")
    p.set_defaults(func=run)


def run(args) -> int:
    """Export grades to CSV for an LMS or a spreadsheet: one row per trainee and exercise."""
    from ..supervisor.progress import waiting

    with waiting("Reading the gradebook"):  # before loading nbgrader: the clock moves at once
        from ..supervisor.export import export_grades
        from ..supervisor.grades import GRADED, NOT_SUBMITTED, row_waiting
        from .supervisor_course import supervisor_course

        rows = export_grades(supervisor_course(writes=False), Path(args.to), args.format)
    count = {status: sum(row.status == status for row in rows) for status in (GRADED, NOT_SUBMITTED)}
    print(f"Grades written to {args.to}: {count[GRADED]} graded, {row_waiting(rows)}, {count[NOT_SUBMITTED]} "
          "not submitted.")
    return 0
