"""``repairlab release``: two verbs of one name. Without an exercise, the author rebuilds
``exercises/`` from ``solutions/``; with exercise ids, the supervisor releases them to trainees
through nbgrader's exchange (a cohort on JupyterHub)."""

from __future__ import annotations

from ..course import load_course

NAME = "release"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__)
    p.add_argument("exercise", nargs="*", help="exercise ids to release to the trainees through the exchange")
    p.set_defaults(func=run)


def run(args) -> int:
    """Without an exercise: regenerate exercises/ from solutions/ with nbgrader (for authors). With
    exercise ids: release them to the trainees through nbgrader's exchange (a cohort on JupyterHub)."""
    from ..authoring.release import rebuild_exercises
    from ..supervisor.exchange import release
    from .supervisor_course import supervisor_course

    if args.exercise:
        course = supervisor_course()
        for line in release(course, [course.exercise(e) for e in args.exercise]):
            print(line)
        return 0
    for path in rebuild_exercises(load_course()):
        print(f"released {path}")
    return 0
