"""``repairlab mark``: mark written answers element by element, into nbgrader's gradebook."""

from __future__ import annotations

NAME = "mark"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__)
    p.add_argument("exercise", nargs="?", help="the exercise to mark (default: say what is left in each)")
    p.add_argument("--trainee", help="mark (or mark again) every written answer of this trainee")
    p.add_argument("--task", help="one written task's grade id (default: every written task)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Mark written answers element by element; the total and a comment go into the gradebook."""
    from ..errors import CourseError
    from ..supervisor.terminal import Terminal

    if args.exercise is None and (args.trainee or args.task):
        option = f"--trainee {args.trainee}" if args.trainee else f"--task {args.task}"
        raise CourseError(f"name the exercise too, e.g. `repairlab mark owning-your-part {option}` "
                          "(`repairlab mark` lists the exercises with written answers)")
    term = Terminal()
    try:
        with term.working("Opening the course and its gradebook…"):
            from ..supervisor.marking import mark, summary
            from .supervisor_course import supervisor_course

            course = supervisor_course(writes=False)
            lines = summary(course) if args.exercise is None else []
        if args.exercise is None:
            for line in lines or ["No exercise has written answers."]:
                term.say(line)
            return 0
        mark(course, args.exercise, term, trainee=args.trainee, task_id=args.task)
    except KeyboardInterrupt:  # outside a question: every answer finished is already in the gradebook
        term.say("Stopped. Every answer marked so far is saved.")
    return 0
