"""Starting the course as a therapist does, with bin/start: a Python outside the supported range gets
one sentence saying how to get a supported one (and no stray shell error), and a start prints the
course's address and how to stop it, nothing else; Ctrl+C stops the server it started."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import REPO, copy_course
from helpers.browser_lab import free_port

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

FAKE_PYTHON = """#!/bin/sh
# a Python 3.12: says so when asked, fails RepairLab's version check
case "$1" in --version) echo "Python 3.12.1";; *) exit 1;; esac
"""


def test_an_unsupported_python_gets_one_sentence_saying_how_to_get_one(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").write_text(FAKE_PYTHON)
    (bin_dir / "python3").chmod(0o755)
    for tool in ("sha256sum", "cut", "cat", "head", "dirname"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    course = tmp_path / "course"
    (course / "bin").mkdir(parents=True)
    shutil.copy(REPO / "bin" / "start", course / "bin" / "start")
    shutil.copy(REPO / "bin" / "_env.sh", course / "bin" / "_env.sh")
    shutil.copy(REPO / "pyproject.toml", course / "pyproject.toml")
    run = subprocess.run(["/bin/bash", "bin/start"], cwd=course, env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("RepairLab needs Python 3.11 (this computer has Python 3.12.1): install it from")
    assert "python.org" in lines[0] and "conda" in lines[0]
    assert not (course / ".venv").exists()


@pytest.mark.server
def test_bin_start_prints_the_address_and_how_to_stop_and_nothing_else(tmp_path):
    """In a course folder whose environment is set up (here: this checkout's), a start says two
    things (three as root); JupyterLab's own lines go to .repairlab/logs/lab.log."""
    stamp = Path(sys.prefix) / ".repairlab-installed"
    wanted = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()[:16]
    if not (stamp.is_file() and stamp.read_text().startswith(wanted)):  # else bin/start reinstalls it, from the copy
        pytest.fail(f"{sys.prefix} was set up for another pyproject.toml: run `source bin/_env.sh && "
                    'ensure_env "[test]"` in the checkout first', pytrace=False)
    root = copy_course(tmp_path / "course")
    (root / "bin").mkdir()
    for name in ("start", "_env.sh"):
        shutil.copy(REPO / "bin" / name, root / "bin" / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    (root / ".venv").symlink_to(Path(sys.prefix))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "VIRTUAL_ENV"))}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    start = subprocess.Popen(["bin/start", "--no-browser", f"--port={port}"], cwd=root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        said = []
        deadline = time.monotonic() + 120
        while len(said) < 2 + ROOT and time.monotonic() < deadline and start.poll() is None:
            said.append(start.stdout.readline().rstrip("\n"))
        expected = [*(["Running as root, so JupyterLab is started with --allow-root."] if ROOT else []),
                    re.compile(rf"The course is open at http://localhost:{port}/voila/render/modules/home\.ipynb"
                               r"\?token=[\w-]{20,}$"),
                    "Keep this window open; Ctrl+C stops the course."]
        assert len(said) == len(expected), said
        for line, want in zip(said, expected):
            assert (want.match(line) if isinstance(want, re.Pattern) else line == want), said
        assert "ServerApp" in (root / ".repairlab" / "logs" / "lab.log").read_text()
    finally:
        start.send_signal(signal.SIGINT)  # Ctrl+C
        out, err = start.communicate(timeout=60)
    assert start.returncode == 0 and out == "" and err == "", (out, err)
    assert not list((tmp_path / "runtime").glob("jpserver-*.json")), "the server is still running"
