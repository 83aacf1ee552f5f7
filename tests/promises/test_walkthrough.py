"""The README's supervisor walkthrough runs exactly as written, from an empty course to a report."""

from __future__ import annotations

import csv
import re
import subprocess
import sys

import pytest

from repairlab.course import load_course

from helpers import REPO, copy_course

pytestmark = pytest.mark.grading


def walkthrough_script() -> str:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Supervisor walkthrough", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    assert len(blocks) >= 2, "the walkthrough lost its command blocks"
    return "set -euo pipefail\n" + "\n".join(blocks)


def test_readme_walkthrough_runs_from_an_empty_course_to_a_report(tmp_path):
    root = copy_course(tmp_path / "course")
    (root / ".venv").symlink_to(sys.prefix)
    run = subprocess.run(["bash", "-c", walkthrough_script()], cwd=root, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout
    assert "Imported 8 trainee(s)" in out
    exercises = len(load_course(root).exercises)
    # 8 trainees: t08 hands nothing in, t05's notebooks have damaged grading metadata (demo_cohort)
    assert f"Placed {7 * exercises} submission(s)" in out and "No submission for owning-your-part from: t08" in out
    assert f"Autograded {6 * exercises} of {7 * exercises} submission(s)." in out
    assert (f"{exercises} could not be autograded, t05 ({exercises} exercises): "
            "Part A's answer cell has damaged grading information") in out
    assert "written answer(s) to mark: Part C" in out and "safety item missed — review (Part B, situation 3)" in out
    assert len(list((root / "feedback").glob("*/*/*.html"))) == 6 * exercises
    report = (root / "reports" / "cohort-report.html").read_text()
    assert "data:image/png;base64" in report
    with open(root / "grades.csv", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 8 * exercises  # every trainee and exercise, missing ones included
    untracked = subprocess.run(
        [
            "git",
            "check-ignore",
            "--no-index",
            "submitted/t01/x.ipynb",
            "autograded/t01/x.ipynb",
            "feedback/t01/x.html",
            "reports/cohort-report.html",
            "gradebook.db",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert len(untracked) == 5, "the walkthrough's outputs must all be git-ignored"
