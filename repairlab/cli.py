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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="repairlab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("open", help=cmd_open.__doc__)
    p.add_argument("lab_args", nargs=argparse.REMAINDER, help="extra arguments for jupyter lab")
    p.set_defaults(func=cmd_open)
    sub.add_parser("release", help=cmd_release.__doc__).set_defaults(func=cmd_release)
    sub.add_parser("check", help=cmd_check.__doc__).set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CourseError as exc:
        print(f"repairlab: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
