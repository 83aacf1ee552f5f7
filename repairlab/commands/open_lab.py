"""``repairlab open``: the trainee's course (what ``bin/start`` runs)."""

from __future__ import annotations

import os
import sys

from ..course import load_course

NAME = "open"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__, epilog="Other arguments are passed on to jupyter lab.")
    p.set_defaults(func=run)


def run(args) -> int:
    """Create the trainee's workspace (never overwriting it) and open the course home in JupyterLab."""
    from ..trainee.lab import home_url, trainee_lab
    from ..trainee.launch import PASS_THROUGH, serve
    from ..trainee.workspace import ensure_workspace

    course = load_course()
    ensure_workspace(course)
    launch = trainee_lab(course, args.lab_args)
    for note in launch.notes:
        print(note)
    sys.stdout.flush()
    if any(arg in PASS_THROUGH for arg in args.lab_args):
        os.execve(sys.executable, launch.argv, launch.env)
    return serve(launch, args.lab_args, course.paths.logs / "lab.log", home_url(),
                 say=lambda line: print(line, flush=True), token_file=course.paths.state / "lab-token")
