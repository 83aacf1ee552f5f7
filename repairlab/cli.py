"""``repairlab``: the course's command line, for trainees (open) and course authors and supervisors."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import CourseError
from .manifest import load_course


def cmd_open(args) -> int:
    """Create the trainee's workspace (never overwriting it) and start JupyterLab on the course."""
    from .workspace import ensure_workspace

    course = load_course()
    copied, kept = ensure_workspace(course)
    for path in copied:
        print(f"New exercise copied to your workspace: {path.relative_to(course.root)}")
    if kept:
        print(f"Your own copies of {len(kept)} exercise file(s) were kept as they are.")
    first = course.modules[0].reading.relative_to(course.root)
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={course.root}", str(first), *args.lab_args]
    print("Starting JupyterLab:", " ".join(command[1:]))
    os.execv(sys.executable, command)


def cmd_release(args) -> int:
    """Regenerate exercises/ from solutions/ with nbgrader."""
    from .release import release

    for path in release():
        print(f"released {path}")
    return 0


def cmd_check(args) -> int:
    """Check the manifest and every vignette file; print one line per problem."""
    from .vignettes import load_vignettes

    course = load_course()
    problems = 0
    for module in course.modules:
        try:
            count = len(load_vignettes(module.vignettes))
            print(f"ok  {module.vignettes.relative_to(course.root)} ({count} vignettes)")
        except CourseError as exc:
            problems += 1
            print(f"BAD {exc}")
    return 1 if problems else 0


def _supervisor_course():
    """The course folder the supervisor runs in, with every exercise known to the gradebook."""
    from .coursedb import register_exercises

    course = load_course()
    for exercise in register_exercises(course):
        print(f"Registered {exercise} in the gradebook.")
    return course


def cmd_roster(args) -> int:
    """Import trainees from a CSV with columns id, name, email (all or nothing)."""
    from .roster import import_roster

    course = _supervisor_course()
    trainees = import_roster(course.root, Path(args.csv))
    print(f"Imported {len(trainees)} trainee(s) into the gradebook.")
    return 0


def cmd_collect(args) -> int:
    """Place submissions from a folder or LMS zip into submitted/; originals are never changed."""
    from .collect import collect
    from .roster import roster_ids

    course = _supervisor_course()
    trainees = roster_ids(course.root)
    if not trainees:
        raise CourseError("the roster is empty: run `repairlab roster import FILE.csv` first")
    summary = collect(course, course.root, Path(args.source), trainees, args.exercise)
    print(summary.render())
    return 0


def _submitted(course, exercises) -> list[tuple[str, str]]:
    folder = course.root / "submitted"
    return [
        (ex.id, trainee.name)
        for ex in exercises
        for trainee in sorted(folder.iterdir() if folder.is_dir() else [])
        if (trainee / ex.id / ex.notebook_name).is_file()
    ]


def cmd_grade(args) -> int:
    """Autograde every submission in parallel worker processes, with a progress bar."""
    from .grading import grade_submissions, save_status

    course = _supervisor_course()
    exercises = [course.exercise(e) for e in args.exercise] if args.exercise else list(course.exercises)
    tasks = _submitted(course, exercises)
    if not tasks:
        print("Nothing to grade: submitted/ is empty. Run `repairlab collect` first.")
        return 0
    outcomes = grade_submissions(course.root, tasks, workers=args.workers)
    save_status(course.root, outcomes)
    failed = [o for o in outcomes if not o.graded]
    print(f"Autograded {len(outcomes) - len(failed)} of {len(outcomes)} submission(s).")
    for o in failed:
        print(f"  could not autograde {o.trainee}/{o.exercise}: {o.reason}. "
              f"Their submission is kept in submitted/; grade it by hand.")
    return 0


def cmd_pending(args) -> int:
    """List what still needs grading by hand, per exercise and trainee."""
    from .manual import pending

    course = _supervisor_course()
    rows = pending(course, course.root)
    if not rows:
        print("Nothing is waiting for manual grading.")
    for row in rows:
        print(f"{row.exercise:<28} {row.trainee:<12} {row.what}")
    return 0


def cmd_feedback(args) -> int:
    """Write each trainee's feedback (HTML) into feedback/<trainee>/<exercise>/."""
    from .nbgrader_cli import run_nbgrader

    course = _supervisor_course()
    exercises = args.exercise or [ex.id for ex in course.exercises]
    for exercise in exercises:
        course.exercise(exercise)
        run_nbgrader(course.root, "generate_feedback", exercise, "--force")
    made = sorted((course.root / "feedback").glob("*/*/*.html"))
    print(f"{len(made)} feedback file(s) in feedback/<trainee>/<exercise>/.")
    return 0


def cmd_report(args) -> int:
    """Build the cohort report (HTML and the notebook that makes it) in reports/."""
    from .report import build_report

    course = _supervisor_course()
    path = build_report(course.root, course)
    print(f"Cohort report: {path}")
    return 0


def cmd_export(args) -> int:
    """Export grades to CSV for an LMS."""
    from .nbgrader_cli import run_nbgrader

    course = _supervisor_course()
    run_nbgrader(course.root, "export", "--to", str(Path(args.to).resolve()))
    print(f"Grades written to {args.to}")
    return 0


def cmd_demo_cohort(args) -> int:
    """Make a fictional cohort (roster.csv and submissions/) to try the supervisor tools on."""
    from .synthetic import make_cohort

    folder = Path(args.folder)
    profiles = make_cohort(load_course(), args.size, folder / "submissions", folder / "roster.csv")
    print(f"Wrote {folder / 'roster.csv'} and {folder / 'submissions'} for {len(profiles)} fictional trainees.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="repairlab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("open", help=cmd_open.__doc__, epilog="Other arguments are passed on to jupyter lab.")
    p.set_defaults(func=cmd_open)
    sub.add_parser("release", help=cmd_release.__doc__).set_defaults(func=cmd_release)
    sub.add_parser("check", help=cmd_check.__doc__).set_defaults(func=cmd_check)

    p = sub.add_parser("roster", help=cmd_roster.__doc__)
    p.add_argument("action", choices=["import"])
    p.add_argument("csv")
    p.set_defaults(func=cmd_roster)
    p = sub.add_parser("collect", help=cmd_collect.__doc__)
    p.add_argument("source", help="a folder of trainee notebooks or an LMS zip download")
    p.add_argument("--exercise", help="the exercise these submissions are for (lets a renamed notebook match)")
    p.set_defaults(func=cmd_collect)
    p = sub.add_parser("grade", help=cmd_grade.__doc__)
    p.add_argument("exercise", nargs="*", help="exercise ids (default: all)")
    p.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    p.set_defaults(func=cmd_grade)
    sub.add_parser("pending", help=cmd_pending.__doc__).set_defaults(func=cmd_pending)
    p = sub.add_parser("feedback", help=cmd_feedback.__doc__)
    p.add_argument("exercise", nargs="*", help="exercise ids (default: all)")
    p.set_defaults(func=cmd_feedback)
    sub.add_parser("report", help=cmd_report.__doc__).set_defaults(func=cmd_report)
    p = sub.add_parser("export", help=cmd_export.__doc__)
    p.add_argument("--to", default="grades.csv", help="CSV file to write (default: grades.csv)")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("demo-cohort", help=cmd_demo_cohort.__doc__)
    p.add_argument("folder")
    p.add_argument("--size", type=int, default=8)
    p.set_defaults(func=cmd_demo_cohort)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "open":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.lab_args = extra
    try:
        return args.func(args)
    except CourseError as exc:
        print(f"repairlab: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
