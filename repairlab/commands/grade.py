"""``repairlab grade``: autograde every submission, from the answers as data; exercises the manifest
marks ``grading: sandbox`` run each trainee's notebook in a sandbox."""

from __future__ import annotations

from ..errors import CourseError

NAME = "grade"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__)
    p.add_argument("exercise", nargs="*", help="exercise ids (default: all)")
    p.add_argument("--all", action="store_true",
                   help="grade every submission again, also those unchanged since their last autograde (after the "
                        "exercise's tests or key changed)")
    p.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="for exercises marked `grading: sandbox`: run trainee code unsandboxed (only where bubblewrap "
                        "is unavailable and every submission is trusted)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Autograde every submission in parallel worker processes, from the answers as data: no trainee code runs
    (an exercise marked `grading: sandbox` runs each notebook in a sandbox)."""
    from ..supervisor.progress import Progress

    with Progress(1, "Autograding", "submission") as bar:  # before loading nbgrader: its clock moves at once
        bar.doing("loading nbgrader")
        from ..supervisor.grading import grade_submissions
        from ..supervisor.roster import roster_ids
        from .supervisor_course import chosen_exercises, supervisor_course

        bar.doing("opening the gradebook")
        course = supervisor_course()
        exercises = chosen_exercises(course, args.exercise)
        trainees = roster_ids(course)
        tasks = [(ex.id, trainee) for ex in exercises for trainee in trainees
                 if (course.paths.submitted(trainee, ex.id) / ex.notebook_name).is_file()]
        handed_in, left = bool(tasks), ""
        if tasks and not args.all:
            bar.doing("finding what changed since the last autograde")
            tasks, left = changed_only(course, tasks)
        run_code = sorted({ex.id for ex in exercises if ex.grading == "sandbox"} & {exercise for exercise, _ in tasks})
        if run_code:
            check_sandbox(run_code, args.no_sandbox)
        outcomes = grade_submissions(course, tasks, workers=args.workers, sandbox=not args.no_sandbox, bar=bar) \
            if tasks else []
    if not handed_in:
        print("Nothing to grade: submitted/ is empty. Run `repairlab collect` first.")
        return 0
    if left:
        print(left)
    if not tasks:
        return 0
    report(outcomes)
    return 0


def changed_only(course, tasks: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], str]:
    """The submissions new or changed since their last autograde (or whose last one failed or was cut
    short), and a line saying how many are left as they are ("" when none)."""
    from ..supervisor.autograde_state import unchanged_since_autograde

    same = unchanged_since_autograde(course, tasks)
    left = ""
    if same:
        count = "all" if len(same) == len(tasks) else f"{len(same)} of {len(tasks)}"
        left = (f"Left as graded: {count} submission(s), unchanged since their last autograde "
                "(`repairlab grade --all` grades them again).")
    return [task for task in tasks if task not in same], left


def check_sandbox(exercises: list[str], no_sandbox: bool) -> None:
    """Exercises graded by running trainee code need the sandbox, or the supervisor's explicit word."""
    from ..sandbox import unavailable_reason

    why = unavailable_reason()
    if why and not no_sandbox:
        raise CourseError(
            f"{', '.join(exercises)} must run trainee code to be graded, and it cannot be sandboxed here: {why}. "
            "Without a sandbox a trainee's notebook could change anyone's grades or read the answer key. Install "
            "it, or pass --no-sandbox if you trust every submission."
        )
    if no_sandbox:
        print(f"Grading {', '.join(exercises)} WITHOUT a sandbox: trainee code runs with your rights (--no-sandbox).")


def report(outcomes) -> None:
    failed = [o for o in outcomes if not o.graded]
    print(f"Autograded {len(outcomes) - len(failed)} of {len(outcomes)} submission(s).")
    for reason, who in failed_by_reason(failed).items():
        count = sum(len(exercises) for exercises in who.values())
        names = ", ".join(f"{trainee} ({exercises[0] if len(exercises) == 1 else f'{len(exercises)} exercises'})"
                          for trainee, exercises in who.items())
        print(f"  {count} could not be autograded, {names}: {reason}.")
    if failed:
        print("  Each is kept in submitted/; `repairlab pending` says what to do.")
    for o in outcomes:
        if o.cleared:
            print(f"  {o.trainee}/{o.exercise}: the answer to {', '.join(o.cleared)} changed since you marked it; "
                  "your mark was cleared, see `repairlab pending`.")


def failed_by_reason(failed) -> dict[str, dict[str, list[str]]]:
    """Reason -> trainee -> the exercises that failed for it: one line per reason, not per notebook."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for o in sorted(failed, key=lambda o: (o.trainee, o.exercise)):
        grouped.setdefault(o.reason or "nbgrader gave no reason", {}).setdefault(o.trainee, []).append(o.exercise)
    return grouped
