"""nbgrader_config.py is read once per command: the Course the command opens carries its paths and
settings down to every function that needs them."""

from __future__ import annotations

import pytest

from repairlab.cli import main
from repairlab.nbgrader_api import config

pytestmark = pytest.mark.grading  # a scratch course with a real gradebook


@pytest.fixture
def reads(monkeypatch):
    """How many times a command reads the course's nbgrader_config.py."""
    count = []
    real = config.read_config

    def counting(root):
        count.append(root)
        return real(root)

    monkeypatch.setattr(config, "read_config", counting)
    return count


@pytest.mark.parametrize("argv", [["pending"], ["export", "--to", "grades.csv"], ["grade"], ["collect", "inbox"]])
def test_a_command_reads_nbgrader_config_once(scratch_course, monkeypatch, reads, argv):
    (scratch_course / "roster.csv").write_text("id,name,email\nana,Ana Lima,\n", encoding="utf-8")
    (scratch_course / "inbox").mkdir()
    monkeypatch.chdir(scratch_course)
    assert main(["roster", "import", "roster.csv"]) == 0
    reads.clear()
    assert main(argv) == 0
    assert len(reads) == 1
