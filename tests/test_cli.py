"""The command line's one catch: an unexpected error is one sentence for the supervisor and a log
that no other account can read or redirect."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from repairlab import cli


def test_the_error_log_never_follows_a_link_planted_at_a_predictable_name(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    victim = tmp_path / "victim.txt"
    victim.write_text("the supervisor's file")
    for pid in range(os.getpid() - 5, os.getpid() + 5):  # what an attacker plants for the next pids
        (tmp_path / f"repairlab-error-{pid}.log").symlink_to(victim)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        log = cli._log_traceback()
    assert victim.read_text() == "the supervisor's file"
    info = log.lstat()
    assert stat.S_ISREG(info.st_mode) and info.st_mode & 0o077 == 0, "a new file only its owner can read"
    assert "RuntimeError: boom" in Path(log).read_text()
