"""The supervisor's cohort report: who has submitted what, scores per exercise and per skill, and who
may benefit from a check-in.

Everything comes from nbgrader's gradebook (names, scores, whether an item still needs grading) plus
the autograde outcomes that ``repairlab.supervisor.status`` keeps (why a submission could not be autograded)
and which graded risk items a submission missed (``repairlab.supervisor.safety``: worked out before the
report's kernel forbids trainees' files, from those items' answers read as data, and passed in as
labels). The report's kernel never opens a submitted, autograded or feedback notebook, never reads a
grader's comment and never shows answer text. Reflection items (skill ``reflect``) count for completion only.

One module per part of the report: ``privacy`` (trainees' folders cannot be opened while it runs),
``data`` (what it reads from the gradebook), ``rules`` (who is listed and why), ``tables`` and
``figures`` (what it shows), ``build`` (running ``cohort_report.ipynb`` and exporting it to HTML).
This module re-exports what that notebook, the CLI and the tests use.
"""

from ..nbgrader_api import open_course
from .build import NOTEBOOK, build_report
from .data import REFLECT, cohort_data, load, safety_flags
from .figures import scores_figure, show, skills_figure, status_figure
from .privacy import (
    TraineeFilesForbidden,
    forbid_trainee_files,
    trainee_files_forbidden,
)
from .rules import check_ins, failures, not_submitted, to_mark
from .tables import (
    check_in_table,
    first_screen,
    not_submitted_table,
    overview_table,
    reflection_table,
    summary,
)

__all__ = [
    "NOTEBOOK",
    "REFLECT",
    "TraineeFilesForbidden",
    "build_report",
    "check_in_table",
    "check_ins",
    "cohort_data",
    "failures",
    "first_screen",
    "forbid_trainee_files",
    "load",
    "not_submitted",
    "open_course",
    "not_submitted_table",
    "overview_table",
    "reflection_table",
    "safety_flags",
    "scores_figure",
    "show",
    "skills_figure",
    "status_figure",
    "summary",
    "to_mark",
    "trainee_files_forbidden",
]
