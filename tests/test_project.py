"""Promises the repository keeps: one source of dependencies, no trainee data in git, clean
notebooks, nothing read from outside the project, citations only from the course bibliography."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib

import pytest
import yaml

from helpers import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def tracked() -> list[str]:
    return subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()


def test_environment_yml_installs_the_package_and_nothing_else():
    """environment.yml must not restate dependencies: it picks Python and installs the package."""
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert sorted(conda) == ["pip", "python=3.11"]
    assert pip == ["-e ."]
    assert PYPROJECT["project"]["requires-python"] == ">=3.11,<3.12"


def test_the_design_card_stack_is_declared():
    deps = " ".join(PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["test"])
    for name in ("jupyterlab", "ipywidgets", "nbgrader", "matplotlib", "nbval", "playwright"):
        assert name in deps


TRAINEE_DATA = [
    "workspace/owning-your-part/owning-your-part.ipynb",
    "submitted/ana/owning-your-part/owning-your-part.ipynb",
    "autograded/ana/owning-your-part/owning-your-part.ipynb",
    "feedback/ana/owning-your-part/owning-your-part.html",
    "downloaded/owning-your-part/archive/ana.ipynb",
    "gradebook.db",
    ".nbgrader.log",
    "nbgrader.log",
    "reports/cohort-report.html",
    ".repairlab/grading-status.json",
    ".repairlab/practice.jsonl",  # the trainee's practice record
    "roster.csv",
    "grades.csv",
    "demo/submissions/t01/owning-your-part.ipynb",
]


@pytest.mark.parametrize("path", TRAINEE_DATA)
def test_trainee_data_is_git_ignored(path):
    result = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=REPO)
    assert result.returncode == 0, f"{path} would be committed"


def test_no_trainee_data_is_tracked():
    top = {"workspace", "submitted", "autograded", "feedback", "downloaded", "reports", ".repairlab", "demo"}
    bad = [p for p in tracked() if p.split("/")[0] in top or p.endswith((".db", ".log"))]
    assert not bad


def test_notebooks_are_committed_without_outputs_and_with_clean_metadata():
    for path in [p for p in tracked() if p.endswith(".ipynb")]:
        nb = json.loads((REPO / path).read_text())
        assert set(nb["metadata"]) <= {"kernelspec", "language_info", "title"}, path  # title: the page's tab
        for cell in nb["cells"]:
            assert not cell.get("outputs") and cell.get("execution_count") is None, f"{path}: {cell.get('id')}"
            allowed = {"nbgrader", "deletable", "editable", "tags", "jupyter"}
            assert set(cell["metadata"]) <= allowed, f"{path}: {cell['metadata']}"
            # only an exercise's checks fold their code away (JupyterLab's source_hidden)
            assert cell["metadata"].get("jupyter", {}) in ({}, {"source_hidden": True}), path


def test_nothing_outside_the_project_is_read():
    needle = re.compile(r"\.\./" + "shared|" + "engineering-" + "notes|clinical-" + "guide")
    hits = [
        p for p in tracked() if not p.endswith((".png", ".db")) and needle.search((REPO / p).read_text(errors="ignore"))
    ]
    assert not hits


CITATION = re.compile(r"([A-Z][\w\-üé]+)(?: et al\.|,? (?:&|and) [A-Z][\w\-üé]+|, [A-Z][\w\-üé]+)*,? "
                      r"\(?((?:19|20)\d\d)\b")


def test_every_citation_is_in_the_course_bibliography(course):
    bibliography = (REPO / "modules" / "references.md").read_text()
    entries = [line for line in bibliography.splitlines() if re.search(r"\((?:19|20)\d\d\)", line)]
    texts = [json.dumps(json.loads(m.reading.read_text())["cells"]) for m in course.modules]
    texts += [(REPO / "solutions" / ex.id / ex.notebook_name).read_text() for ex in course.exercises]
    texts += [m.vignettes.read_text() for m in course.modules]
    cited = {(name, year) for text in texts for name, year in CITATION.findall(text.replace("\\n", " "))}
    assert cited, "no citations found"
    missing = [(n, y) for n, y in sorted(cited) if not any(n in e and f"({y})" in e for e in entries)]
    assert not missing, f"cited but not in modules/references.md: {missing}"


def test_only_the_adapter_imports_nbgrader():
    """One package (repairlab/nbgrader_api/) speaks to nbgrader, so an upgrade touches one package."""
    importing = re.compile(r"^\s*(from nbgrader[\w.]* import|import nbgrader)", re.M)
    package = REPO / "repairlab"
    adapter = package / "nbgrader_api"
    offenders = [str(p.relative_to(REPO)) for p in package.rglob("*.py")
                 if not p.is_relative_to(adapter) and importing.search(p.read_text())]
    assert not offenders
