"""``repairlab open``: the trainee's JupyterLab (what ``bin/start`` runs)."""

from __future__ import annotations

import os
import sys

from ..course import load_course

NAME = "open"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__, epilog="Other arguments are passed on to jupyter lab.")
    p.set_defaults(func=run)


def run(args) -> int:
    """Create the trainee's workspace (never overwriting it) and start JupyterLab on the course."""
    from ..trainee.lab import trainee_lab
    from ..trainee.workspace import ensure_workspace

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
