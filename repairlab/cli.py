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
    from .edition import trainee_lab
    from .workspace import ensure_workspace

    course = load_course()
    copied, kept = ensure_workspace(course)
    for path in copied:
        print(f"New exercise copied to your workspace: {path.relative_to(course.root)}")
    if kept:
        print(f"Your own copies of {len(kept)} exercise file(s) were kept as they are.")
    launch = trainee_lab(course, args.lab_args)
    for note in launch.notes:
        print(note)
    print("Starting JupyterLab:", " ".join(launch.argv[1:]))
    sys.stdout.flush()
    os.execve(sys.executable, launch.argv, launch.env)


def cmd_edition(args) -> int:
    """Build the trainee edition (no solutions, hidden tests or mark schemes) into a folder to publish."""
    from .edition import build_edition

    edition = build_edition(Path(args.dest), archive=args.archive)
    print(f"Trainee edition: {edition.dest} ({len(edition.files)} files; no solutions/, tests/, "
          f"calibration sets, gradebook or trainee data; checked for the key).")
    for path, why in edition.skipped:
        print(f"  left out {path}: {why}")
    if edition.archive:
        print(f"Archive: {edition.archive}")
    return 0


def cmd_release(args) -> int:
    """Without an exercise: regenerate exercises/ from solutions/ with nbgrader (for authors). With
    exercise ids: release them to the trainees through nbgrader's exchange (a cohort on JupyterHub)."""
    if args.exercise:
        from .hub.exchange import release as release_to_trainees

        course = _supervisor_course()
        for line in release_to_trainees(course.root, [course.exercise(e) for e in args.exercise]):
            print(line)
        return 0
    from .release import release

    for path in release():
        print(f"released {path}")
    return 0


def cmd_check(args) -> int:
    """Check the manifest, every vignette file and the item audit; print one line per problem."""
    from .audit import report_lines
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
    if problems:
        return 1
    lines, failures = report_lines(course)
    print("\n".join(lines))
    return 1 if failures else 0


def cmd_calibrate(args) -> int:
    """Score a written task's sample answers blind, then see agreement with the agreed scores."""
    from .calibrate import calibrate

    calibrate(load_course(), args.exercise, task_id=args.task)
    return 0


def _supervisor_course(writes: bool = True, new_gradebook: bool = False):
    """The course folder the supervisor runs in (the current folder or one above it, never the
    installed copy). The gradebook must be healthy; commands that grade register any exercise the
    gradebook does not know yet; read-only commands write nothing."""
    from .coursedb import register_exercises
    from .manifest import course_root
    from .nbgrader_api import check_gradebook

    course = load_course(course_root(installed=False))
    check_gradebook(course.root, must_exist=not new_gradebook)
    if writes:
        for exercise in register_exercises(course):
            print(f"Registered {exercise} in the gradebook.")
    return course


def cmd_roster(args) -> int:
    """Import trainees (all or nothing) from a CSV with columns id, name, email, a Canvas Grades
    export or a Moodle participants download."""
    from .roster import import_roster

    course = _supervisor_course(new_gradebook=True)
    roster = import_roster(course.root, Path(args.csv), args.format)
    source = "" if roster.format == "repairlab" else f" from a {roster.format.capitalize()} file"
    print(f"Imported {len(roster.trainees)} trainee(s) into the gradebook{source}.")
    for skipped in roster.skipped:
        print(f"  skipped {skipped}")
    return 0


def cmd_collect(args) -> int:
    """Place submissions from a folder, an LMS zip or nbgrader's exchange into submitted/; originals
    are never changed."""
    from .collect import collect, collect_from_exchange
    from .roster import roster_ids

    if (args.source is None) == (not args.from_exchange):
        raise CourseError("give a folder or zip to collect from, or --from-exchange (not both)")
    course = _supervisor_course(writes=False)
    trainees = roster_ids(course.root)
    if not trainees:
        raise CourseError("the roster is empty: run `repairlab roster import FILE.csv` first")
    if args.from_exchange:
        summary = collect_from_exchange(course, course.root, trainees, args.exercise)
    else:
        summary = collect(course, course.root, Path(args.source), trainees, args.exercise)
    print(summary.render())
    return 0


def _submitted(course, exercises) -> list[tuple[str, str]]:
    from .nbgrader_api import CoursePaths
    from .roster import roster_ids

    paths = CoursePaths(course.root)
    return [
        (ex.id, trainee)
        for ex in exercises
        for trainee in roster_ids(course.root)
        if (paths.submitted(trainee, ex.id) / ex.notebook_name).is_file()
    ]


def cmd_grade(args) -> int:
    """Autograde every submission in parallel worker processes, each trainee's code in a sandbox."""
    from .grading import grade_submissions
    from .sandbox import unavailable_reason

    course = _supervisor_course()
    why = unavailable_reason()
    if why and not args.no_sandbox:
        raise CourseError(
            f"trainee code cannot be sandboxed here: {why}. Without a sandbox a trainee's notebook could change "
            "anyone's grades or read the answer key. Install it, or pass --no-sandbox if you trust every submission."
        )
    if args.no_sandbox:
        print("Grading WITHOUT a sandbox: trainee code runs with your rights (--no-sandbox).")
    exercises = [course.exercise(e) for e in args.exercise] if args.exercise else list(course.exercises)
    tasks = _submitted(course, exercises)
    if not tasks:
        print("Nothing to grade: submitted/ is empty. Run `repairlab collect` first.")
        return 0
    outcomes = grade_submissions(course.root, tasks, workers=args.workers, sandbox=not args.no_sandbox)
    failed = [o for o in outcomes if not o.graded]
    print(f"Autograded {len(outcomes) - len(failed)} of {len(outcomes)} submission(s).")
    for o in failed:
        print(f"  could not autograde {o.trainee}/{o.exercise}: {o.reason}. "
              f"Their submission is kept in submitted/; grade it by hand.")
    for o in outcomes:
        if o.cleared:
            print(f"  {o.trainee}/{o.exercise}: the answer to {', '.join(o.cleared)} changed since you marked it; "
                  "your mark was cleared, see `repairlab pending`.")
    return 0


def cmd_pending(args) -> int:
    """List what still needs grading by hand, per exercise and trainee."""
    from .manual import pending

    course = _supervisor_course(writes=False)
    rows = pending(course, course.root)
    if not rows:
        print("Nothing is waiting for manual grading.")
    for row in rows:
        print(f"{row.exercise:<28} {row.trainee:<12} {row.what}")
    return 0


def cmd_feedback(args) -> int:
    """Write each trainee's feedback (HTML) into feedback/<trainee>/<exercise>/: their answers,
    scores, the reasons and your comments; never the hidden tests, mark scheme or model answer."""
    from .nbgrader_api import CoursePaths
    from .nbgrader_cli import run_nbgrader
    from .roster import roster_ids

    course = _supervisor_course()
    paths = CoursePaths(course.root)
    exercises = [course.exercise(e) for e in args.exercise] if args.exercise else list(course.exercises)
    for exercise in exercises:
        if any((paths.autograded(t, exercise.id) / exercise.notebook_name).is_file() for t in roster_ids(course.root)):
            run_nbgrader(course.root, "generate_feedback", exercise.id, "--force")
        else:
            print(f"No autograded submissions for {exercise.id} yet: no feedback to write.")
    made = sorted((course.root / "feedback").glob("*/*/*.html"))
    print(f"{len(made)} feedback file(s) in feedback/<trainee>/<exercise>/.")
    if args.to_exchange:
        from .hub.exchange import return_feedback

        for line in return_feedback(course.root, exercises, roster_ids(course.root)):
            print(line)
    return 0


def cmd_report(args) -> int:
    """Build the cohort report (HTML and the notebook that makes it) in reports/."""
    from .report import build_report

    course = _supervisor_course(writes=False)
    path = build_report(course.root, course)
    print(f"Cohort report: {path}")
    return 0


def cmd_export(args) -> int:
    """Export grades to CSV for an LMS or a spreadsheet: one row per trainee and exercise."""
    from .export import GRADED, NEEDS_GRADING, NOT_SUBMITTED, export_grades

    course = _supervisor_course(writes=False)
    rows = export_grades(course.root, course, Path(args.to), args.format)
    count = {status: sum(row.status == status for row in rows) for status in (GRADED, NEEDS_GRADING, NOT_SUBMITTED)}
    print(f"Grades written to {args.to}: {count[GRADED]} graded, {count[NEEDS_GRADING]} still need grading "
          f"(no final score yet), {count[NOT_SUBMITTED]} not submitted.")
    return 0


def cmd_hub(args) -> int:
    """A cohort on this machine's JupyterHub: init (accounts, exchange, the supervisor's private
    course, the hub's environment), start, stop, remove. Needs root."""
    from .hub import deploy, service

    if args.action == "init":
        if not (args.roster and args.supervisor):
            raise CourseError("hub init needs --roster FILE and --supervisor LOGIN")
        from .manifest import course_root

        report = deploy.init_hub(course_root(installed=False), Path(args.prefix), Path(args.roster), args.supervisor,
                                 args.address, login_prefix=args.login_prefix, db_url=args.db_url,
                                 python=Path(args.python), venv=Path(args.venv) if args.venv else None)
        d = report.deployment
        print(f"Hub ready in {d.root}: {len(d.logins)} trainee account(s), the exchange in {d.exchange}, "
              f"the supervisor's course in {d.course} (only {d.supervisor} can read it).")
        for note in report.notes:
            print(note)
        if report.supervisor_password:
            print(f"The supervisor's login is {d.supervisor}, password {report.supervisor_password} (shown once; "
                  f"change it with `passwd {d.supervisor}`).")
        print(f"The trainees' logins and first passwords are in {report.logins_file} (readable by {d.supervisor} only).")
        print(f"Start it with: repairlab hub start {d.root}")
    elif args.action == "start":
        print(service.start(Path(args.prefix), foreground=args.foreground))
    elif args.action == "stop":
        print("\n".join(service.stop(Path(args.prefix))))
    else:
        print("\n".join(deploy.remove_hub(Path(args.prefix), delete_supervisor=args.delete_supervisor)))
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
    p = sub.add_parser("release", help=cmd_release.__doc__)
    p.add_argument("exercise", nargs="*", help="exercise ids to release to the trainees through the exchange")
    p.set_defaults(func=cmd_release)
    p = sub.add_parser("edition", help=cmd_edition.__doc__)
    p.add_argument("dest", help="folder to write (empty, new, or an earlier edition: its .git is kept)")
    p.add_argument("--archive", action="store_true", help="also write DEST.tar.gz next to the folder")
    p.set_defaults(func=cmd_edition)
    sub.add_parser("check", help=cmd_check.__doc__).set_defaults(func=cmd_check)

    p = sub.add_parser("roster", help=cmd_roster.__doc__)
    p.add_argument("action", choices=["import"])
    p.add_argument("csv")
    p.add_argument("--format", choices=["repairlab", "canvas", "moodle"],
                   help="the file's format (default: told by its header)")
    p.set_defaults(func=cmd_roster)
    p = sub.add_parser("collect", help=cmd_collect.__doc__)
    p.add_argument("source", nargs="?", help="a folder of trainee notebooks or an LMS zip download")
    p.add_argument("--from-exchange", action="store_true",
                   help="collect each trainee's newest submission from nbgrader's exchange (a cohort on JupyterHub)")
    p.add_argument("--exercise", help="the exercise these submissions are for (lets a renamed notebook match)")
    p.set_defaults(func=cmd_collect)
    p = sub.add_parser("grade", help=cmd_grade.__doc__)
    p.add_argument("exercise", nargs="*", help="exercise ids (default: all)")
    p.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run trainee code unsandboxed (only where bubblewrap is unavailable and every submission is trusted)")
    p.set_defaults(func=cmd_grade)
    sub.add_parser("pending", help=cmd_pending.__doc__).set_defaults(func=cmd_pending)
    p = sub.add_parser("calibrate", help=cmd_calibrate.__doc__)
    p.add_argument("exercise")
    p.add_argument("--task", help="one written task's grade id (default: every task with samples)")
    p.set_defaults(func=cmd_calibrate)
    p = sub.add_parser("feedback", help=cmd_feedback.__doc__)
    p.add_argument("exercise", nargs="*", help="exercise ids (default: all)")
    p.add_argument("--to-exchange", action="store_true",
                   help="also return each file to its trainee through nbgrader's exchange (Fetch Feedback)")
    p.set_defaults(func=cmd_feedback)
    sub.add_parser("report", help=cmd_report.__doc__).set_defaults(func=cmd_report)
    p = sub.add_parser("export", help=cmd_export.__doc__)
    p.add_argument("--to", default="grades.csv", help="CSV file to write (default: grades.csv)")
    p.add_argument("--format", choices=["repairlab", "canvas", "moodle"], default="repairlab",
                   help="one row per trainee and exercise (repairlab, the default), or an LMS's grade import file")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("hub", help=cmd_hub.__doc__)
    p.add_argument("action", choices=["init", "start", "stop", "remove"])
    p.add_argument("prefix", help="the deployment's folder, e.g. /srv/repairlab-hub")
    p.add_argument("--roster", help="init: the roster (RepairLab, Canvas or Moodle CSV); one account per trainee")
    p.add_argument("--supervisor", help="init: the supervisor's login (made if it does not exist)")
    p.add_argument("--address", default="127.0.0.1:8000", help="init: where the hub listens (default 127.0.0.1:8000)")
    p.add_argument("--login-prefix", default="", help="init: logins are this prefix + the roster id (e.g. for numeric Canvas ids)")
    p.add_argument("--db-url", help="init: the gradebook database, e.g. postgresql+psycopg2://USER:PASSWORD@HOST:5432/DB "
                                     "(default: gradebook.db in the supervisor's course)")
    p.add_argument("--python", default="/usr/bin/python3.11",
                   help="init: a Python 3.11 every user can run, for the hub's environment (default /usr/bin/python3.11)")
    p.add_argument("--venv", default=os.environ.get("REPAIRLAB_HUB_VENV"),
                   help="init: use this existing environment (world-readable, with JupyterHub) instead of building "
                        "PREFIX/venv; the trainee edition is installed into it (default: $REPAIRLAB_HUB_VENV)")
    p.add_argument("--foreground", action="store_true", help="start: run in the foreground (for systemd)")
    p.add_argument("--delete-supervisor", action="store_true",
                   help="remove: also delete the supervisor's account and course, if init made them")
    p.set_defaults(func=cmd_hub)
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
    except Exception as exc:  # the one catch: a sentence for the supervisor, the traceback in a log
        log = _log_traceback()
        print(f"repairlab: unexpected error, {type(exc).__name__}: {exc}. Details: {log}", file=sys.stderr)
        return 3


def _log_traceback() -> Path:
    import tempfile
    import traceback

    log = Path(tempfile.gettempdir()) / f"repairlab-error-{os.getpid()}.log"
    log.write_text(traceback.format_exc())
    return log


if __name__ == "__main__":
    sys.exit(main())
