"""``repairlab edition``: the trainee edition, for course teams to publish."""

from __future__ import annotations

from pathlib import Path

from ..course import load_course

NAME = "edition"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__)
    p.add_argument("dest", help="folder to write (empty, new, or an earlier edition: its .git is kept)")
    p.add_argument("--archive", action="store_true", help="also write DEST.tar.gz next to the folder")
    p.set_defaults(func=run)


def run(args) -> int:
    """Build the trainee edition (no solutions, hidden tests or mark schemes) into a folder to publish."""
    from ..authoring.edition import build_edition

    edition = build_edition(load_course(), Path(args.dest), archive=args.archive)
    print(f"Trainee edition: {edition.dest} ({len(edition.files)} files; no solutions/, tests/, "
          f"calibration sets, gradebook or trainee data; checked for the key).")
    for path, why in edition.skipped:
        print(f"  left out {path}: {why}")
    if edition.archive:
        print(f"Archive: {edition.archive}")
    return 0
