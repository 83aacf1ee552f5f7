"""``repairlab roster import``: the trainees, into the gradebook."""

from __future__ import annotations

from pathlib import Path

from ..supervisor.lms import FORMATS

NAME = "roster"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__)
    p.add_argument("action", choices=["import"])
    p.add_argument("csv")
    p.add_argument("--format", choices=list(FORMATS), help="the file's format (default: told by its header)")
    p.set_defaults(func=run, announce="Reading the roster…")


def run(args) -> int:
    """Import trainees (all or nothing) from a CSV with columns id, name, email, a Canvas Grades
    export or a Moodle participants download."""
    from ..supervisor.roster import import_roster, load_roster
    from .supervisor_course import supervisor_course

    load_roster(Path(args.csv), args.format)  # a bad file is said at once, before the gradebook is set up
    course = supervisor_course(new_gradebook=True)
    roster = import_roster(course, Path(args.csv), args.format)
    source = "" if roster.format == "repairlab" else f" from a {FORMATS[roster.format].title} file"
    print(f"Imported {len(roster.trainees)} trainee(s) into the gradebook{source}.")
    for skipped in roster.skipped:
        print(f"  skipped {skipped}")
    return 0
