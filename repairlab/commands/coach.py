"""``repairlab coach``: the response coach's notes on written answers, for a supervisor to read
before marking. It suggests; it never writes a score."""

from __future__ import annotations

import argparse
import re

from ..course import course_root, load_course
from ..errors import CourseError

NAME = "coach"
TASK_LINE = re.compile(r"^task:\s*(\S+)", re.M)


def written_tasks() -> str:
    """The exercises and written tasks the coach knows (those with a labelled bank), for --help."""
    try:
        root = course_root(installed=False)
    except CourseError:
        return "Run it inside the course folder to see the exercises and written tasks it knows."
    rows = []
    for bank in sorted(root.glob("solutions/*/coach-bank.yml")):
        task = TASK_LINE.search(bank.read_text(encoding="utf-8"))
        if task:
            rows.append(f"  {bank.parent.name:28} {task.group(1)}")
    return "Exercises and written tasks it knows:\n" + "\n".join(rows) if rows else ""


def add(sub) -> None:
    p = sub.add_parser(
        NAME, help=run.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Suggestions only: per mark-scheme element, met, partly, not met or not judged, with the "
                    "words the coach reacted to and why. You decide every score; the coach never writes one.",
        epilog=written_tasks())
    p.add_argument("exercise", help="the exercise's id, e.g. owning-your-part")
    p.add_argument("task", help="the written task's grade id, e.g. written-repair")
    p.add_argument("--input", required=True, metavar="FILE.jsonl",
                   help='one answer a line: {"id": ..., "text": ...}')
    p.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    p.set_defaults(func=run)


def run(args) -> int:
    """Suggestions only: element-by-element notes on written answers (met, partly, not met, not judged)."""
    from ..coach.report import coach_file

    coach_file(load_course(), args.exercise, args.task, args.input, as_json=args.json)
    return 0
