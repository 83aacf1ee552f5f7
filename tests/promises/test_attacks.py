"""Grading is a trust boundary: every attack a trainee's notebook (or a careless supervisor) tried
against the grader, re-run against a real course, real nbgrader and the real sandbox, ending safe."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

import repairlab.checks
from repairlab.cli import main
from repairlab.course import load_course
from repairlab.errors import CourseError
from repairlab.nbgrader_api import open_course
from repairlab.nbgrader_api.cells import written_answer_cells
from repairlab.nbgrader_api.parts import exercise_parts
from repairlab.sandbox import UID_BASE, unavailable_reason
from repairlab.supervisor.demo_cohort import build_submission
from repairlab.supervisor.grading import grade_submissions
from repairlab.supervisor.lock import grading_lock
from repairlab.supervisor.roster import import_roster

from helpers import error_sentence, formgrader_gradebook, grade_by_running
from helpers.attacks import attacks

pytestmark = [
    pytest.mark.grading,
    pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason())),
]

EXERCISE = "owning-your-part"
XSS = (
    "<script>window.PWNED=1</script>\n\n<img src=x onerror=\"fetch('/api/kernels',{method:'POST'})\">\n\n"
    "[click me](javascript:alert(document.cookie))\n\n<iframe src=\"https://example.org/evil\"></iframe>\n\n"
    "<a href=\"javascript:alert(1)\">link</a>"
)
PAYLOADS = ("<script", "onerror=", "javascript:", "<iframe")


@pytest.fixture(scope="module")
def attacked(course_template, tmp_path_factory):
    base = tmp_path_factory.mktemp("attacks")
    # the exercise is graded by running it, as one that needs its code run would be: the sandbox
    # must hold (exercises graded from data run nothing: test_data_grading.py)
    root = grade_by_running(Path(shutil.copytree(course_template, base / "course")), EXERCISE)
    course = load_course(root)
    exercise = course.exercise(EXERCISE)
    part = exercise_parts(EXERCISE, root / "solutions" / EXERCISE / exercise.notebook_name)[0]
    specs = attacks(root, part)
    (base / "roster.csv").write_text("id,name,email\n" + "".join(f"{t},Trainee {t},\n" for t in specs))
    import_roster(open_course(root), base / "roster.csv")
    for trainee, spec in specs.items():
        nb = build_submission(course, exercise, spec)
        for cell in written_answer_cells(nb).values():
            cell.source = XSS if trainee == "xss" else f"Written answer by {trainee}."
        folder = root / "submitted" / trainee / EXERCISE
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / exercise.notebook_name)
    package_hash = hashlib.sha256(Path(repairlab.checks.__file__).read_bytes()).hexdigest()
    scratch_before = set(Path("/tmp").glob("rl-sbx-*"))
    outcomes = {
        o.trainee: o for o in grade_submissions(open_course(root), [(EXERCISE, t) for t in specs], progress=False)
    }
    cwd = os.getcwd()
    os.chdir(root)
    try:
        assert main(["feedback"]) == 0
    finally:
        os.chdir(cwd)
    assert set(Path("/tmp").glob("rl-sbx-*")) <= scratch_before, "every sandbox's scratch folder is removed"
    return root, course, part, outcomes, package_hash


def full_marks(root: Path) -> float:
    return sum(p.points for p in exercise_parts(EXERCISE, root / "solutions" / EXERCISE / f"{EXERCISE}.ipynb"))


def score(root: Path, trainee: str) -> float:
    with formgrader_gradebook(root) as gb:
        return gb.find_submission_notebook(EXERCISE, EXERCISE, trainee).code_score


def cell_output(root: Path, trainee: str, needle: str) -> str:
    nb = nbformat.read(root / "autograded" / trainee / EXERCISE / f"{EXERCISE}.ipynb", as_version=4)
    texts = [
        "".join(o.get("text", "")) for c in nb.cells if c.cell_type == "code" and needle in c.source for o in c.outputs
    ]
    return "\n".join(texts) + "\n".join(
        str(o.get("ename", "")) for c in nb.cells if needle in c.source for o in c.get("outputs", [])
    )


def test_trainee_code_cannot_touch_the_gradebook(attacked):
    root, _, _, outcomes, _ = attacked
    assert (root / "gradebook.db").stat().st_size > 0
    assert score(root, "victim") == full_marks(root) and outcomes["victim"].graded
    out = cell_output(root, "gradebook", "sqlite3")
    assert "WROTE" not in out and "REMOVED" not in out and "blocked" in out
    with formgrader_gradebook(root) as gb:
        assert len(gb.students) == 10
        assert all(g.auto_score is None or g.auto_score <= g.max_score for s in gb.students
                   for g in gb.find_submission(EXERCISE, s.id).notebooks[0].grades)


def test_trainee_code_cannot_edit_the_installed_package(attacked):
    _, _, _, _, before = attacked
    assert hashlib.sha256(Path(repairlab.checks.__file__).read_bytes()).hexdigest() == before
    assert "TAMPERED" not in cell_output(attacked[0], "package", "tampered")


def test_trainee_code_cannot_read_the_key_or_other_trainees_work(attacked):
    root = attacked[0]
    out = cell_output(root, "reader", "glob.glob")
    assert "searched" in out and "READ" not in out


def test_nothing_a_trainee_started_outlives_grading(attacked):
    root, _, _, outcomes, _ = attacked
    assert outcomes["daemon"].graded and "forked" in cell_output(root, "daemon", "os.setsid")
    deadline = time.time() + 10  # the kernel's namespace is torn down as it shuts down
    while (left := _sandbox_processes()) and time.time() < deadline:
        time.sleep(0.5)
    assert not left, f"sandbox processes still running: {left}"


def _sandbox_processes() -> list[str]:
    left = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            uid = int(fields["Uid"].split()[0])
        except (OSError, KeyError, ValueError):
            continue
        if UID_BASE <= uid < UID_BASE + 1000 and not fields.get("State", "").strip().startswith("Z"):
            left.append(f"{status.parent.name} {(status.parent / 'cmdline').read_bytes()[:80]!r}")
    return left


def test_memory_and_process_limits_hold_and_grading_goes_on(attacked):
    root, _, _, outcomes, _ = attacked
    assert "ALLOCATED" not in cell_output(root, "memory", "bytearray")
    assert "limited after" in cell_output(root, "forkbomb", "os.fork")
    assert outcomes["forkbomb"].graded and score(root, "forkbomb") == full_marks(root)


def test_a_kernel_that_dies_is_reported_and_the_others_still_graded(attacked):
    root, _, _, outcomes, _ = attacked
    assert not outcomes["killer"].graded
    assert outcomes["killer"].reason.startswith("the kernel died while running the notebook")
    assert outcomes["victim"].graded and score(root, "victim") == full_marks(root)


def test_same_kernel_tricks_do_not_forge_a_score(attacked):
    root = attacked[0]
    assert score(root, "forger") == 0


def test_feedback_holds_no_key(attacked):
    root, course, _, _, _ = attacked
    source = (root / "solutions" / EXERCISE / f"{EXERCISE}.ipynb").read_text()
    scheme_lines = [line.strip() for line in next(c for c in nbformat.reads(source, as_version=4).cells
                                                  if c.metadata.get("nbgrader", {}).get("task")).source.splitlines()
                    if len(line.strip()) > 30 and "Model answer" in line]
    for trainee in ("victim", "forger", "reader"):
        html = (root / "feedback" / trainee / EXERCISE / f"{EXERCISE}.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "BEGIN MARK SCHEME" not in html and "score_items(" not in html
        assert not [line for line in scheme_lines if line[:60] in html]


def test_submissions_are_inert_in_feedback_and_formgrader(attacked, tmp_path):
    from helpers.browser_lab import LabServer

    root = attacked[0]
    autograded = (root / "autograded" / "xss" / EXERCISE / f"{EXERCISE}.ipynb").read_text()
    feedback = (root / "feedback" / "xss" / EXERCISE / f"{EXERCISE}.html").read_text()
    assert "link" in feedback  # the answer is still shown, as text
    with formgrader_gradebook(root) as gb:
        notebook_id = gb.find_submission_notebook(EXERCISE, EXERCISE, "xss").id
    server = LabServer(root, tmp_path / "state").start()
    try:
        page = urllib.request.urlopen(f"{server.url}/formgrader/submissions/{notebook_id}/", timeout=60).read().decode()
    finally:
        server.stop()
    answer = next(
        c.source
        for c in nbformat.reads(autograded, as_version=4).cells
        if "link" in c.source and "nbgrader" not in c.metadata
    )
    assert not [p for p in PAYLOADS if p in answer]
    for text in (feedback, page):  # the pages carry their own scripts; none of the planted markup survives
        assert not [
            p for p in ("window.PWNED=1</script>", "onerror=", "javascript:alert", "example.org/evil\"") if p in text
        ]


def test_a_second_grading_run_stops_with_a_clear_message(attacked):
    root = attacked[0]
    with grading_lock(open_course(root)):
        with pytest.raises(CourseError, match="another grading run is in progress"):
            grade_submissions(open_course(root), [(EXERCISE, "victim")], progress=False)


@pytest.mark.parametrize("damage", ["empty", "corrupt", "missing"])
def test_a_damaged_gradebook_stops_every_command_and_names_the_backup(attacked, tmp_path, damage, monkeypatch, capsys):
    root = Path(shutil.copytree(attacked[0], tmp_path / "course"))
    gradebook = root / "gradebook.db"
    {"empty": lambda: gradebook.write_bytes(b""), "corrupt": lambda: gradebook.write_bytes(b"not a database" * 100),
     "missing": gradebook.unlink}[damage]()
    monkeypatch.chdir(root)
    for command in (["pending"], ["grade"], ["report"], ["export", "--to", "g.csv"]):
        assert main(command) == 2
        err = error_sentence(capsys.readouterr().err)
        assert err.startswith("repairlab: ") and ".repairlab/backups/gradebook-" in err, err


def test_read_only_commands_write_nothing(attacked, tmp_path, monkeypatch, capsys):
    root = Path(shutil.copytree(attacked[0], tmp_path / "course"))
    before = hashlib.sha256((root / "gradebook.db").read_bytes()).hexdigest()
    monkeypatch.chdir(root)
    assert main(["pending"]) == 0
    assert "Registered" not in capsys.readouterr().out
    assert hashlib.sha256((root / "gradebook.db").read_bytes()).hexdigest() == before


def test_commands_outside_a_course_folder_say_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["pending"]) == 2
    assert "not in a course folder" in capsys.readouterr().err
    assert not (tmp_path / "gradebook.db").exists()


def test_a_resubmitted_answer_loses_its_old_manual_score(attacked, tmp_path):
    root = Path(shutil.copytree(attacked[0], tmp_path / "course"))
    task = next(
        iter(written_answer_cells(nbformat.read(root / "exercises" / EXERCISE / f"{EXERCISE}.ipynb", as_version=4)))
    )
    with formgrader_gradebook(root) as gb:
        for trainee in ("victim", "reader"):
            gb.find_grade(task, EXERCISE, EXERCISE, trainee).manual_score = 3
        gb.db.commit()
    path = root / "submitted" / "victim" / EXERCISE / f"{EXERCISE}.ipynb"
    nb = nbformat.read(path, as_version=4)
    next(iter(written_answer_cells(nb).values())).source = "A new, different answer."
    nbformat.write(nb, path)
    grade_submissions(open_course(root), [(EXERCISE, "victim"), (EXERCISE, "reader")], progress=False)
    with formgrader_gradebook(root) as gb:
        changed = gb.find_grade(task, EXERCISE, EXERCISE, "victim")
        unchanged = gb.find_grade(task, EXERCISE, EXERCISE, "reader")
        assert changed.manual_score is None and changed.needs_manual_grade
        assert unchanged.manual_score == 3
    assert list((root / ".repairlab" / "backups").glob("gradebook-*.db"))


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        for child in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
            for c in child.read_text().split():
                found.add(int(c))
                todo.append(int(c))
    return found


def _alive(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def test_kill_9_during_grading_leaves_no_process(attacked, tmp_path):
    root = Path(shutil.copytree(attacked[0], tmp_path / "course"))
    proc = subprocess.Popen([sys.executable, "-m", "repairlab", "grade"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    children: set[int] = set()
    while time.time() < deadline and not any("bwrap" in Path(f"/proc/{c}/cmdline").read_text(errors="ignore")
                                             for c in children if Path(f"/proc/{c}").exists()):
        time.sleep(0.5)
        children |= _descendants(proc.pid)
    assert children, "grading never started a worker"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 20  # workers get SIGKILL at once; the kernel tears its sandbox down
    while (alive := [c for c in children if _alive(c)]) and time.time() < deadline:
        time.sleep(0.5)
    assert not alive, [Path(f"/proc/{c}/cmdline").read_bytes()[:120] for c in alive if Path(f"/proc/{c}").exists()]


def test_grade_refuses_without_a_sandbox_unless_asked(attacked, tmp_path, monkeypatch, capsys):
    root = Path(shutil.copytree(attacked[0], tmp_path / "course"))
    monkeypatch.chdir(root)
    monkeypatch.setattr("repairlab.sandbox.unavailable_reason", lambda: "bubblewrap is not installed")
    before = hashlib.sha256((root / "gradebook.db").read_bytes()).hexdigest()
    assert main(["grade"]) == 2
    err = capsys.readouterr().err
    assert "cannot be sandboxed here: bubblewrap is not installed" in err and "--no-sandbox" in err
    assert hashlib.sha256((root / "gradebook.db").read_bytes()).hexdigest() == before
