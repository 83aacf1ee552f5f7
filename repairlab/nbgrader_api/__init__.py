"""The one package that imports nbgrader, and speaks RepairLab to the rest: a course's nbgrader
settings read once (``config``), the gradebook as trainees, submissions and grades (``gradebook``),
autograding one submission (``autograde``), the exchange (``exchange``), nbgrader's cell metadata
(``cells``), an exercise's graded parts (``parts``), nbgrader's command line (``runner``), and the
preprocessors nbgrader_config.py names by dotted path (``preprocessors``, ``sanitize``, ``formgrader``).

An nbgrader upgrade touches this package only; an import-linter contract keeps it that way. The
names below are loaded on first use, so reading cell metadata or an exercise's parts (the item
audit) does not load nbgrader itself.
"""

import warnings
from importlib import import_module

# nbgrader's ORM under SQLAlchemy 2 warns "Object of type <SubmittedAssignment> not in session" while it
# saves grades; the grades are right (the grading tests check them in the gradebook). Every process that
# grades (the grading workers too) imports this package, so the supervisor never sees those blocks.
warnings.filterwarnings("ignore", message=r"Object of type <\w+> not in session")

# name -> the module that defines it; nbgrader_config.py names the preprocessors as
# repairlab.nbgrader_api.<Name>
EXPORTS = {
    "SandboxedExecute": "preprocessors", "PrivateExecute": "preprocessors", "TrustedScores": "preprocessors",
    "SaveGrades": "preprocessors", "SanitizeSubmission": "sanitize", "ReadableMarkScheme": "formgrader",
    "FeedbackExporter": "feedback_page", "clean_markdown": "sanitize",
    "Nbgrader": "config", "open_course": "config", "GradebookError": "gradebook", "check_gradebook": "gradebook",
    "NbgraderFailed": "runner", "run_nbgrader": "runner",
}
__all__ = sorted(EXPORTS)


def __getattr__(name: str):
    if name not in EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{EXPORTS[name]}", __name__), name)
