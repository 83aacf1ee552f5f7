"""The LMS formats RepairLab reads and writes, in one registry: roster import tells a file by its
header, collect reads each LMS's submission names, the grade export writes each LMS's import file,
and the command line offers these names for ``--format``.

A new LMS: a module here supplying an ``LmsFormat`` (see ``base``), and one line below.
"""

from __future__ import annotations

from . import canvas, moodle, repairlab
from .base import LmsFormat, RosterError, RosterFile, Trainee

FORMATS: dict[str, LmsFormat] = {f.name: f for f in (repairlab.FORMAT, canvas.FORMAT, moodle.FORMAT)}
LMS = [f for f in FORMATS.values() if f.name != repairlab.FORMAT.name]  # the LMSs, in the order files are told apart


def detect_format(header: list[str]) -> str:
    """An LMS's file by its documented column names; anything else is RepairLab's own CSV."""
    names = {h.strip() for h in header}
    return next((f.name for f in LMS if f.detect(names)), repairlab.FORMAT.name)


__all__ = ["FORMATS", "LMS", "LmsFormat", "RosterError", "RosterFile", "Trainee", "detect_format"]
