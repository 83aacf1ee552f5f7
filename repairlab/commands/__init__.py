"""One module per ``repairlab`` command, in the order ``repairlab --help`` lists them. Each module
has ``add(subparsers)``, which declares the command and its options, and ``run(args)``, which builds
the ``Course`` once and hands it to the package that does the work. ``repairlab.cli`` dispatches.

A command imports its work inside ``run``, so that ``repairlab open`` (every ``bin/start``) starts
without loading nbgrader, and every ``repairlab`` command without loading the others' libraries."""

from . import (
               calibrate,
               check,
               coach,
               collect,
               demo_cohort,
               edition,
               export,
               feedback,
               grade,
               hub,
               mark,
               open_lab,
               pending,
               release,
               report,
               roster,
)

COMMANDS = (open_lab, release, edition, check, roster, collect, grade, pending, mark, calibrate, coach, feedback,
            report, export, hub, demo_cohort)
