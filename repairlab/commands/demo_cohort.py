"""``repairlab demo-cohort``: a fictional cohort to practise the supervisor tools on."""

from __future__ import annotations

from pathlib import Path

from ..course import load_course

NAME = "demo-cohort"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__)
    p.add_argument("folder")
    p.add_argument("--size", type=int, default=8)
    p.set_defaults(func=run)


def run(args) -> int:
    """Make a fictional cohort (roster.csv and submissions/) to try the supervisor tools on."""
    from ..supervisor.demo_cohort import make_cohort

    folder = Path(args.folder)
    profiles = make_cohort(load_course(), args.size, folder / "submissions", folder / "roster.csv")
    print(f"Wrote {folder / 'roster.csv'} and {folder / 'submissions'} for {len(profiles)} fictional trainees.")
    return 0
