"""Run real nbgrader commands in a course folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def nbgrader_env() -> dict[str, str]:
    """nbgrader runs ``alembic`` to create a gradebook, so the interpreter's bin must be on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
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
