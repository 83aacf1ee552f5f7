"""``repairlab feedback``: each trainee's feedback file, optionally returned through the exchange."""

from __future__ import annotations

NAME = "feedback"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__)
    p.add_argument("exercise", nargs="*", help="exercise ids (default: all)")
    p.add_argument("--to-exchange", action="store_true",
                   help="also return each file to its trainee through nbgrader's exchange (Fetch Feedback)")
    p.add_argument("--with-reasons", action="store_true",
                   help="also say, for each missed item, what the trainee's own answer does; keys can be worked "
                        "out from those sentences, so use it once nobody will hand the exercise in again")
    p.set_defaults(func=run, announce="Writing feedback…")


def run(args) -> int:
    """Write each trainee's feedback (HTML) into feedback/<trainee>/<exercise>/: their answers,
    scores, the reasons and your comments; never the hidden tests, mark scheme or model answer."""
    from ..supervisor.exchange import return_feedback
    from ..supervisor.feedback import write_feedback
    from ..supervisor.roster import roster_ids
    from .supervisor_course import chosen_exercises, supervisor_course

    course = supervisor_course()
    exercises = chosen_exercises(course, args.exercise)
    lines, _ = write_feedback(course, exercises, with_reasons=args.with_reasons)
    if not args.with_reasons:
        print("Missed items say only that they differ, not why: the reasons let a trainee work out the course's "
              "answers. Once nobody will hand these exercises in again, `repairlab feedback --with-reasons` adds them.")
    for line in lines:
        print(line)
    if args.to_exchange:
        for line in return_feedback(course, exercises, roster_ids(course)):
            print(line)
    return 0
