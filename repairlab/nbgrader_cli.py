"""Run real nbgrader commands in a course folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def with_interpreter_bin(path: str) -> str:
    """nbgrader runs ``alembic`` to create a gradebook: this interpreter's must be found first."""
    bin_dir = str(Path(sys.executable).parent)
    return path if path.split(os.pathsep)[0] == bin_dir else f"{bin_dir}{os.pathsep}{path}"


def nbgrader_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = with_interpreter_bin(env.get("PATH", ""))
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    return env


def run_nbgrader(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """``nbgrader ARGS`` with ``course`` as the working directory (where nbgrader_config.py is)."""
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course, env=nbgrader_env(), capture_output=True, text=True,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result
