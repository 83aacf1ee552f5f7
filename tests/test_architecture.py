"""The package's shape, checked on every run of the suite: the import-linter contracts in
pyproject.toml (layers in order, trainee code free of supervisor code and nbgrader, only
repairlab.nbgrader_api importing nbgrader, no import cycles) and ruff (the line length the code
keeps, unused code, import order)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import REPO

BIN = Path(sys.executable).parent


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=REPO, capture_output=True, text=True)


def test_the_import_contracts_are_kept():
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_ruff_finds_nothing():
    result = run(str(BIN / "ruff"), "check", "--no-cache", "repairlab", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
