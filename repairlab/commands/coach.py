"""``repairlab coach``: the response coach's notes on written answers, for a supervisor to read
before marking. It suggests; it never writes a score."""

from __future__ import annotations

from ..course import load_course

NAME = "coach"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__)
    p.add_argument("exercise")
    p.add_argument("task", help="the written task's grade id, e.g. written-repair")
    p.add_argument("--input", required=True, metavar="FILE.jsonl",
                   help='one answer a line: {"id": ..., "text": ...}')
    p.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    p.set_defaults(func=run)


def run(args) -> int:
    """Element-by-element suggestions on written answers (met, partly, not met or not judged)."""
    from ..coach.report import coach_file

    coach_file(load_course(), args.exercise, args.task, args.input, as_json=args.json)
    return 0
