"""``repairlab``: the course's command line, for trainees (open) and course authors and supervisors."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import quick_imports

quick_imports.jsonschema()  # before any command's module brings nbformat in
from .commands import COMMANDS  # noqa: E402
from .errors import CourseError  # noqa: E402


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="repairlab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "open":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.lab_args = extra
    if getattr(args, "announce", ""):  # a slow command says what it is doing before loading its libraries
        print(args.announce, flush=True)
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

    # mkstemp makes a new file (O_EXCL, 0600, a random name): a link another account planted in /tmp
    # can never be followed, and no one else can read the traceback
    fd, name = tempfile.mkstemp(prefix="repairlab-error-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as log:
        log.write(traceback.format_exc())
    return Path(name)


if __name__ == "__main__":
    sys.exit(main())
