"""No trainee code runs anywhere a supervisor grades: hostile code in every answer and test cell of
every exercise, graded with ``repairlab grade`` on a machine without bubblewrap and turned into
feedback with ``repairlab feedback``, leaves no file, no process and no network connection behind,
and the scores are still right."""

from __future__ import annotations

import shutil
import socket
import sys
import threading
from pathlib import Path

import nbformat
import pytest
import yaml

from repairlab.cli import main
from repairlab.course import load_course
from repairlab.nbgrader_api import cells, open_course
from repairlab.nbgrader_api.parts import exercise_parts
from repairlab.supervisor.demo_cohort import build_submission
from repairlab.supervisor.roster import import_roster

from helpers import DATA, formgrader_gradebook

pytestmark = pytest.mark.grading

EXPECTED = yaml.safe_load((DATA / "cohort_expected.yml").read_text())
SLEEP_SECONDS = "2718281"  # a process started by planted code: `sleep 2718281`
SLEEP = shutil.which("sleep")


def hostile(marker: Path, port: int) -> str:
    """Code that, if it ever ran, writes ``marker``, starts a process and connects to ``port``."""
    return f"""
import socket, subprocess
try:
    open({str(marker)!r}, "w").write("ran")
except Exception:
    pass
try:
    subprocess.Popen([{SLEEP!r}, {SLEEP_SECONDS!r}])
except Exception:
    pass
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).sendall(b"ran")
except Exception:
    pass
"""


class Listener:
    """A TCP port on 127.0.0.1 that counts the connections made to it."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


def sleepers() -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if cmdline.read_bytes().split(b"\0")[:2] == [SLEEP.encode(), SLEEP_SECONDS.encode()]:
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def planted(course_template, tmp_path_factory):
    """Two trainees per exercise: ``in-tests`` keeps the model answers, with hostile code in place of
    every test and setup cell and in a cell after every answer; ``in-answers`` has hostile code
    before the model answer in every answer cell. Graded and turned into feedback with bubblewrap
    (and every other program) off the PATH and a scratch TMPDIR (where any kernel would leave its folder)."""
    base = tmp_path_factory.mktemp("planted")
    root = Path(shutil.copytree(course_template, base / "course"))
    markers, scratch = base / "markers", base / "tmp"
    for folder in (markers, scratch):
        folder.mkdir()
    listener = Listener()
    course = load_course(root)
    (base / "roster.csv").write_text("id,name,email\nin-tests,Trainee One,\nin-answers,Trainee Two,\n")
    import_roster(open_course(root), base / "roster.csv")
    for exercise in course.exercises:
        answers = build_submission(course, exercise, {"start": "solution"})
        tests = build_submission(course, exercise, {"start": "solution"})
        for n, cell in enumerate(answers.cells):
            if cells.is_answer(cell) and cell.cell_type == "code":
                cell.source = hostile(markers / f"{exercise.id}-answer-{n}", listener.port) + cell.source
        planted_cells = []
        for n, cell in enumerate(tests.cells):
            if cell.cell_type == "code" and not cells.is_answer(cell):
                cell.source = hostile(markers / f"{exercise.id}-test-{n}", listener.port)
            planted_cells.append(cell)
            if cells.is_answer(cell) and cell.cell_type == "code":
                planted_cells.append(nbformat.v4.new_code_cell(hostile(markers / f"{exercise.id}-after-{n}",
                                                                       listener.port)))
        tests.cells = planted_cells
        for trainee, nb in (("in-tests", tests), ("in-answers", answers)):
            folder = root / "submitted" / trainee / exercise.id
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / exercise.notebook_name)
    before = set(sleepers())
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        mp.setenv("PATH", str(Path(sys.executable).parent))
        mp.setenv("TMPDIR", str(scratch))
        assert shutil.which("bwrap") is None
        for command in (["grade"], ["feedback"]):
            assert main(command) == 0
    listener.server.close()
    return root, markers, scratch, listener, before


def test_grading_without_bubblewrap_needs_no_flag_and_warns_of_nothing(planted, capsys):
    root = planted[0]
    exercises = load_course(root).exercises
    # the fixture ran `repairlab grade` (asserting exit 0); grading again shows what it prints
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        mp.setenv("PATH", str(Path(sys.executable).parent))
        capsys.readouterr()
        assert main(["grade", "--all"]) == 0
    out, err = capsys.readouterr()
    assert f"Autograded {2 * len(exercises)} of {2 * len(exercises)} submission(s)." in out
    assert "sandbox" not in (out + err).lower() and "bubblewrap" not in (out + err).lower(), out + err


def test_nothing_planted_ran(planted):
    root, markers, scratch, listener, before = planted
    assert list(markers.iterdir()) == [], "planted code wrote a file"
    assert set(sleepers()) <= before, "planted code started a process"
    assert listener.connections == 0, "planted code connected to the network"
    assert not [p.name for p in scratch.iterdir() if p.name.startswith(("rl-sbx-", "rl-k-"))], "a kernel started"


def test_scores_stay_right(planted):
    root = planted[0]
    course = load_course(root)
    with formgrader_gradebook(root) as gb:
        for exercise in course.exercises:
            # the hostile tests were replaced by the real ones and scored the model answers
            tests = gb.find_submission_notebook(exercise.id, exercise.id, "in-tests")
            assert tests.code_score == pytest.approx(EXPECTED[exercise.id]["complete"]), exercise.id
            # an answer cell must hold only the answer: code in it scores nothing, and runs nowhere
            answers = gb.find_submission_notebook(exercise.id, exercise.id, "in-answers")
            assert answers.code_score == 0, exercise.id
            parts = exercise_parts(exercise.id, root / "solutions" / exercise.id / exercise.notebook_name)
            assert len(parts) == len([g for g in answers.grades if g.cell_type == "code"])


def test_feedback_says_why_the_planted_answers_score_nothing(planted):
    root = planted[0]
    for exercise in load_course(root).exercises:
        html = (root / "feedback" / "in-answers" / exercise.id / f"{exercise.id}.html").read_text()
        assert "the answer cell must hold only the answer" in html.lower(), exercise.id
        graded = nbformat.read(root / "autograded" / "in-tests" / exercise.id / exercise.notebook_name, as_version=4)
        for cell in graded.cells:
            if cells.is_test(cell):
                assert "subprocess" not in cell.source and cell.outputs, (exercise.id, cells.grade_id(cell))
            elif cell.cell_type == "code":
                assert cell.outputs == [], "graded from data: nothing ran, so no other cell has an output"
