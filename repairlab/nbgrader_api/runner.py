"""Run nbgrader's own command line in a folder (a subprocess), for what RepairLab does not do
in-process: generating releases and feedback, registering exercises."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from ..errors import CourseError
from ..paths import CoursePaths


class NbgraderFailed(CourseError):
    """An nbgrader command failed; the message names its error line and the full log."""


def with_interpreter_bin(path: str) -> str:
    """nbgrader runs ``alembic`` to create a gradebook: this interpreter's must be found first."""
    bin_dir = str(Path(sys.executable).parent)
    return path if path.split(os.pathsep)[0] == bin_dir else f"{bin_dir}{os.pathsep}{path}"


def nbgrader_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = with_interpreter_bin(env.get("PATH", ""))
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    return env


def _run(command: list[str], folder: Path, on_line) -> subprocess.CompletedProcess:
    """The command's output, handing each line of its log to ``on_line`` as it comes (for progress)."""
    if on_line is None:
        return subprocess.run(command, cwd=folder, env=nbgrader_env(), capture_output=True, text=True)
    lines = []
    with subprocess.Popen(command, cwd=folder, env=nbgrader_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as process:
        for line in process.stdout:
            lines.append(line)
            on_line(line)
    return subprocess.CompletedProcess(command, process.returncode, "", "".join(lines))


def run_nbgrader(folder: Path, *args: str, check: bool = True, on_line=None) -> subprocess.CompletedProcess:
    """``nbgrader ARGS`` with ``folder`` as the working directory (where nbgrader_config.py is).
    A failure is one sentence: nbgrader's own error line and the log that holds the rest.
    ``on_line`` gets each line nbgrader logs, as it logs it."""
    result = _run([sys.executable, "-m", "nbgrader", *args], folder, on_line)
    if check and result.returncode != 0:
        log = CoursePaths(Path(folder)).logs / f"nbgrader-{args[0]}-{time.strftime('%Y%m%d-%H%M%S')}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f"$ nbgrader {' '.join(args)}\n{result.stdout}\n{result.stderr}")
        errors = [line.strip() for line in (result.stderr + result.stdout).splitlines() if "ERROR" in line]
        line = errors[0] if errors else f"exit code {result.returncode}"
        raise NbgraderFailed(f"nbgrader {' '.join(args)} failed: {line}. Full log: {log}")
    return result
