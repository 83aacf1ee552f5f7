"""A cohort on a real JupyterHub on this machine, on 127.0.0.1 only: the README's "Run a cohort on
JupyterHub" walkthrough run as written (its settings aside), with real Unix accounts, PAM sign-in,
LocalProcessSpawner, configurable-http-proxy, nbgrader's exchange and a PostgreSQL gradebook.
Trainees are played over HTTP through nbgrader's own Assignment List handlers in their servers, and
once in a real browser. Every account made here starts with ``rlt-``; all are deleted at the end."""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pytest
import requests
import yaml

from repairlab.authoring.key import course_key, readable_text
from repairlab.course import load_course
from repairlab.hub import accounts
from repairlab.supervisor.demo_cohort import build_submission, profile_spec

from helpers import DATA, formgrader_gradebook, sign_answers
from helpers.hub_cohort import (
    KERNEL_SNOOP,
    REPO,
    TAG,
    Terminal,
    Trainee,
    as_login,
    hub_venv,
    in_parallel,
    kernel_processes,
    readme_blocks,
    require_hub_machine,
    run_block,
    with_settings,
)
from helpers.hub_postgres import PostgresServer, free_port

pytestmark = [pytest.mark.server, pytest.mark.hub]
EXERCISE = "owning-your-part"
PROFILES = {"t01": "complete", "t02": "partial", "t03": "blank"}  # repairlab demo-cohort --size 3
EXPECTED = yaml.safe_load((DATA / "cohort_expected.yml").read_text())[EXERCISE]


def clone_course(dest: Path) -> Path:
    """What a supervisor's clone holds: every file git sees (tracked, or untracked and not ignored),
    and the project's environment as .venv."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, dest / name)
    (dest / ".venv").symlink_to(REPO / ".venv")
    return dest


class Cohort:
    """The deployment the README's first block made, and what the tests need to drive it."""

    def __init__(self, folder: Path, tag: str, postgres: PostgresServer):
        self.folder, self.tag, self.postgres = folder, tag, postgres
        self.clone = clone_course(folder / "clone")
        self.venv = hub_venv()
        self.port = free_port()
        self.supervisor = f"{TAG}{tag}-sup"
        self.db_url = postgres.create_database(f"{TAG}{tag}-sup", f"{TAG}{tag}-gradebook")
        self.settings = {"HUB": str(folder / "hub"), "SUPERVISOR": self.supervisor, "ADDRESS": f"127.0.0.1:{self.port}",
                         "LOGIN_PREFIX": f"{TAG}{tag}-", "DB_URL": self.db_url}
        self.url = f"http://127.0.0.1:{self.port}"
        self.blocks = readme_blocks()
        self.timings: dict[str, float] = {}
        self.trainees: dict[str, Trainee] = {}
        self.supervisor_password = ""
        self._supervisor: Trainee | None = None
        self._terminal: Terminal | None = None

    @property
    def course(self) -> Path:
        return accounts.home(self.supervisor) / "course"

    def login(self, trainee: str) -> str:
        return f"{TAG}{self.tag}-{trainee}"

    def run(self, index: int, **settings) -> str:
        """Run the walkthrough's block ``index`` as written, where the README says to type it: root's in
        a root shell, the supervisor's in a terminal of their JupyterLab on the hub. Its output (it
        must succeed)."""
        who, script = self.blocks[index]
        if who == "supervisor":
            return self.type_as_supervisor(script)
        script = with_settings(script, self.settings) if index == 0 else script
        env = {**self.settings, "REPAIRLAB_HUB_VENV": str(self.venv), **settings}
        run = run_block(who, script, self.supervisor, self.venv, env)
        assert run.returncode == 0, f"README block {index} ({who}) failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
        return run.stdout

    def supervisor_session(self) -> Trainee:
        """The supervisor, signed in at the hub with their server running (started once)."""
        if self._supervisor is None:
            self._supervisor = Trainee(self.url, self.supervisor, self.supervisor_password, "repairlab").sign_in()
            self._supervisor.start_server()
        return self._supervisor

    def type_as_supervisor(self, block: str) -> str:
        """Type ``block`` into a terminal of the supervisor's JupyterLab; what it showed (it must succeed)."""
        if self._terminal is None:
            self._terminal = Terminal(self.supervisor_session())
        status, shown = self._terminal.type(block)
        assert status == 0, f"typed in the supervisor's hub terminal, this failed (exit {status}):\n{shown[-4000:]}"
        return shown

    def deploy(self) -> None:
        started = time.perf_counter()
        out = self.run(0)
        self.timings["init_and_start_s"] = time.perf_counter() - started
        self.supervisor_password = re.search(r"password (\S+) \(shown once", out).group(1)
        with open(accounts.home(self.supervisor) / "hub-logins.csv", newline="") as fh:
            for row in csv.DictReader(fh):
                self.trainees[row["roster id"]] = Trainee(self.url, row["login"], row["password"], "repairlab")

    def signed_in(self, trainee: str) -> Trainee:
        """The trainee, signed in, with their server running (started once)."""
        person = self.trainees[trainee]
        if not person.token:
            person.sign_in()
            self.timings[f"spawn_{trainee}_s"] = person.start_server()
        return person


@pytest.fixture(scope="module")
def cohort():
    require_hub_machine()
    tag = secrets.token_hex(2)
    folder = Path(tempfile.mkdtemp(prefix=f"{TAG}{tag}-"))
    os.chmod(folder, 0o755)  # the hub's folder must be reachable by trainees
    postgres = PostgresServer(f"{TAG}{tag}-pg")
    made = None
    try:
        postgres.start()
        made = Cohort(folder, tag, postgres)
        made.deploy()
        yield made
    finally:
        try:
            if made is not None and (folder / "hub" / "hub.json").exists():
                made.run(len(made.blocks) - 1)  # the README's last block: hub stop, hub remove
        finally:
            for login in [u.split(":")[0] for u in Path("/etc/passwd").read_text().splitlines()]:
                if login.startswith(f"{TAG}{tag}-") and not login.endswith("-pg"):
                    accounts.delete(login)  # the supervisor's account (hub remove keeps it)
            postgres.stop()
            shutil.rmtree(folder, ignore_errors=True)
    leftovers = [u for u in Path("/etc/passwd").read_text().splitlines() if u.startswith(f"{TAG}{tag}-")]
    assert not leftovers, f"accounts left behind: {leftovers}"
    running = [p for p in Path("/proc").iterdir() if p.name.isdigit() and str(folder) in _cmdline(p)]
    assert not running, f"processes left behind: {[_cmdline(p) for p in running]}"


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def answers_for(course, trainee: str, profile: str, signature: str) -> dict:
    """The notebook a trainee of this profile hands in, as the JSON the contents API takes."""
    exercise = course.exercise(EXERCISE)
    nb = build_submission(course, exercise, profile_spec(course, exercise, profile, trainee))
    if profile != "blank":
        sign_answers(nb, signature)
    return json.loads(nbformat.writes(nb))


def hand_in(cohort: Cohort, trainee: str, notebook: dict, fetch: bool = True) -> None:
    person = cohort.signed_in(trainee)
    if fetch:
        person.action("fetch", EXERCISE)
    person.save_notebook(f"{EXERCISE}/{EXERCISE}.ipynb", notebook)
    person.action("submit", EXERCISE)


def autograded_scores(cohort: Cohort) -> dict[str, float]:
    """Each trainee's autograded points on the exercise, from the gradebook (PostgreSQL)."""
    with formgrader_gradebook(cohort.course) as gb:
        return {s.student_id: sum(float(g.auto_score or 0) for nb in s.notebooks for g in nb.grades)
                for s in gb.find_assignment(EXERCISE).submissions}


def mark_in_formgrader(cohort: Cohort, trainee: str, grade_id: str, score: float) -> float:
    """The supervisor's Formgrader on the hub lists every graded submission, with the gradebook's
    scores, and a written answer marked there is stored in that gradebook; returns the score."""
    supervisor = cohort.supervisor_session()
    listed = supervisor.get(f"formgrader/api/submissions/{EXERCISE}")
    assert listed.status_code == 200, listed.text[:500]
    submissions = {s["student"]: s for s in listed.json()}
    assert set(submissions) == set(PROFILES), f"Formgrader lists {sorted(submissions)}"
    assert all(s["autograded"] for s in submissions.values()), "Formgrader shows the submissions as autograded"
    notebooks = supervisor.get(f"formgrader/api/submitted_notebooks/{EXERCISE}/{EXERCISE}").json()
    notebook = next(n for n in notebooks if n["student"] == trainee)
    grades = supervisor.get("formgrader/api/grades", params={"submission_id": notebook["id"]}).json()
    grade = next(g for g in grades if g["name"] == grade_id)
    assert grade["needs_manual_grade"], f"{grade_id} waits for the supervisor's mark"
    put = requests.put(supervisor.url(f"formgrader/api/grade/{grade['id']}"), headers=supervisor.headers, timeout=60,
                       json={"manual_score": score})
    assert put.status_code == 200, put.text[:500]
    with formgrader_gradebook(cohort.course) as gb:
        stored = gb.find_grade(grade_id, EXERCISE, EXERCISE, trainee)
        assert stored.manual_score == score and not stored.needs_manual_grade
    return score


def test_the_readme_walkthrough_runs_a_cohort_from_release_to_feedback(cohort):
    course = load_course(cohort.clone)
    opened = cohort.type_as_supervisor("pwd")
    assert f"\n{cohort.course}\n" in opened, f"the supervisor's terminal opens in ~/course: {opened[-300:]}"
    started = time.perf_counter()
    assert "Released owning-your-part to the trainees." in cohort.run(1)
    in_parallel(lambda t: hand_in(cohort, t, answers_for(course, t, PROFILES[t], t)), list(PROFILES))

    out = cohort.run(2)
    assert "Placed 3 submission(s) in submitted/." in out and "Autograded 3 of 3 submission(s)." in out
    assert "written answer(s) to mark: Part C" in out
    assert autograded_scores(cohort) == {t: float(EXPECTED[p]) for t, p in PROFILES.items()}

    # t02 resubmits, complete this time: collecting again replaces the first submission and says so
    hand_in(cohort, "t02", answers_for(course, "t02", "complete", "t02 second try"), fetch=False)
    out = cohort.run(2)
    assert "Placed 1 submission(s)" in out and "replaces the earlier submission of t02 for owning-your-part" in out
    assert "Unchanged (2)" in out
    assert autograded_scores(cohort)["t02"] == float(EXPECTED["complete"])
    marked = mark_in_formgrader(cohort, "t02", "written-repair", 3.0)

    out = cohort.run(3)
    assert "Returned feedback on owning-your-part to 3 trainee(s) through the exchange" in out
    for trainee in PROFILES:
        person = cohort.signed_in(trainee)
        person.action("fetch_feedback", EXERCISE)
        folder = person.read_file(f"{EXERCISE}/feedback").json()["content"]
        assert len(folder) == 1, f"{trainee} has one feedback folder"
        html = person.read_file(f"{folder[0]['path']}/{EXERCISE}.html").json()["content"]
        others = [t for t in PROFILES if t != trainee]
        if PROFILES[trainee] != "blank":
            signature = "t02 second try" if trainee == "t02" else trainee
            assert f"Written answer by {signature}" in html, "the feedback is on the trainee's own (latest) work"
        assert not any(f"Written answer by {t} " in html for t in others)
        assert "BEGIN HIDDEN TESTS" not in html and "MARK SCHEME" not in html
    cohort.timings["release_to_feedback_3_trainees_s"] = time.perf_counter() - started

    with open(cohort.course / "grades.csv", newline="", encoding="utf-8-sig") as fh:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(fh)}
    assert len(rows) == 3 * len(course.exercises)
    assert rows[("t01", EXERCISE)]["score_so_far"] == f"{EXPECTED['complete']:g}"
    marked_row = rows[("t02", EXERCISE)]
    assert (marked_row["status"], marked_row["raw_score"]) == ("graded", f"{EXPECTED['complete'] + marked:g}"), (
        f"the export sees Formgrader's mark: {marked_row}")
    assert (cohort.course / "reports" / "cohort-report.html").is_file()
    print(f"\nhub timings (s): {json.dumps({k: round(v, 1) for k, v in cohort.timings.items()})}")


def test_a_trainee_cannot_reach_the_key_the_gradebook_or_another_trainee(cohort):
    course, ana, bo = cohort.course, cohort.login("t01"), cohort.login("t02")
    if not (course / "submitted").exists():  # run on its own: make one release and one submission
        cohort.run(1)
        hand_in(cohort, "t02", answers_for(load_course(cohort.clone), "t02", "partial", "t02"))
    solution = course / "solutions" / EXERCISE / f"{EXERCISE}.ipynb"
    assert solution.is_file()
    for path in (solution, course / "nbgrader_config.py", accounts.home(cohort.supervisor) / "hub-logins.csv"):
        denied = as_login(ana, "cat", str(path))
        assert denied.returncode != 0 and "Permission denied" in denied.stderr, f"{ana} could read {path}"
    for folder in (accounts.home(cohort.supervisor), accounts.home(bo), cohort.postgres.folder,
                   Path(cohort.settings["HUB"]) / "exchange" / "repairlab" / "inbound"):
        listed = as_login(ana, "ls", str(folder))
        assert listed.returncode != 0 and "Permission denied" in listed.stderr, f"{ana} could list {folder}"
    # the gradebook database: reachable on 127.0.0.1, but not as the supervisor without the password
    psql = cohort.postgres.bin / "psql"
    refused = as_login(
        ana,
        str(psql),
        "-w",
        "-h",
        "127.0.0.1",
        "-p",
        str(cohort.postgres.port),
        "-U",
        cohort.supervisor,
        "-d",
        f"{TAG}{cohort.tag}-gradebook",
        "-c",
        "SELECT count(*) FROM grade",
    )
    assert refused.returncode != 0 and "password" in refused.stderr, refused.stderr
    # the installed course has no solutions, and is not an editable install of the supervisor's clone
    installed = as_login(ana, f"{cohort.venv}/bin/python", "-c",
                         "import repairlab, pathlib; print(pathlib.Path(repairlab.__file__).parent)")
    package = Path(installed.stdout.strip())
    assert package.parent.name == "site-packages", installed
    assert not list(cohort.venv.rglob("solutions")), "no solutions folder anywhere in the hub's environment"
    key = course_key(load_course(REPO))
    leaks = [p for p in package.rglob("*") if p.is_file() and p.suffix != ".pyc" and key.found_in(readable_text(p))]
    assert not leaks, f"the installed package gives away the key: {leaks}"
    direct = next(cohort.venv.glob("lib/python3.11/site-packages/repairlab-*.dist-info/direct_url.json"))
    assert not json.loads(direct.read_text()).get("dir_info", {}).get("editable"), (
        "the trainee edition is installed non-editable"
    )

    # the readings are in the trainee's own home, and a vignette builds there as the trainee
    readings = accounts.home(ana) / "course" / "modules"
    practise = as_login(ana, f"{cohort.venv}/bin/python", "-c",
                        "from repairlab.widgets import practise; print(type(practise('reading-the-markers', "
                        "'four-of-six')).__name__)",
                        cwd=readings)
    assert practise.stdout.strip() == "TranscriptCodingWidget", practise.stderr[-2000:]
    assert not (accounts.home(ana) / "course" / "solutions").exists()

    person = cohort.signed_in("t01")
    assert person.get("formgrader").status_code == 404, "Formgrader is off in a trainee's server"
    assert person.get("api/status").status_code == 200
    supervisor = cohort.supervisor_session()
    assert supervisor.get("formgrader").status_code == 200, "the supervisor's Formgrader works"
    theirs = requests.get(f"{cohort.url}/user/{cohort.supervisor}/formgrader", headers=person.headers, timeout=30,
                          allow_redirects=False)
    assert theirs.status_code == 403, f"a trainee opening the supervisor's Formgrader got HTTP {theirs.status_code}"
    admin = requests.get(f"{cohort.url}/hub/api/users", headers=person.headers, timeout=30)
    assert admin.status_code == 403
    other = requests.get(
        f"{cohort.url}/user/{bo}/api/contents", headers=person.headers, timeout=30, allow_redirects=False
    )
    assert other.status_code == 403, "a trainee cannot use another trainee's server"


def test_a_forged_linked_or_future_submission_never_replaces_a_real_one(cohort):
    """t03 hands in for real; then t01 plants a *newer* folder under t03's name, one dated in the
    future under their own, and one of their own whose notebook is a link to the supervisor's
    solution. Collect takes t03's real submission, and none of the planted ones."""
    cohort.run(1)
    ana, bo = cohort.login("t01"), cohort.login("t03")
    fetched = cohort.signed_in("t03").read_file(EXERCISE).status_code == 200
    hand_in(cohort, "t03", answers_for(load_course(cohort.clone), "t03", "complete", "t03 for real"), fetch=not fetched)
    inbound = Path(cohort.settings["HUB"]) / "exchange" / "repairlab" / "inbound"
    newer = (datetime.now(timezone.utc) + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    forged = inbound / f"{bo}+{EXERCISE}+{newer}+forged"
    future = inbound / f"{ana}+{EXERCISE}+2099-01-01 00:00:00.000000 UTC+future"
    linked = inbound / f"{ana}+{EXERCISE}+{newer}+linked"
    solution = cohort.course / "solutions" / EXERCISE / f"{EXERCISE}.ipynb"
    script = (f"mkdir '{forged}' '{future}' '{linked}' && echo '{{}}' > '{forged}/{EXERCISE}.ipynb' && "
              f"echo '{{}}' > '{future}/{EXERCISE}.ipynb' && ln -s '{solution}' '{linked}/{EXERCISE}.ipynb'")
    made = as_login(ana, "bash", "-c", script)
    assert made.returncode == 0, made.stderr
    out = cohort.type_as_supervisor(f"cd ~/course\nrepairlab collect --from-exchange --exercise {EXERCISE}")
    assert f"claims to be from {bo} but belongs to {ana}" in out
    assert "in the future" in out and "a symbolic link is never followed" in out
    placed = (cohort.course / "submitted" / "t03" / EXERCISE / f"{EXERCISE}.ipynb").read_text()
    assert "Written answer by t03 for real" in placed, (
        "t03's real submission was collected, not hidden by the forged one"
    )
    submitted = cohort.course / "submitted" / "t01" / EXERCISE / f"{EXERCISE}.ipynb"
    assert not submitted.exists() or "BEGIN HIDDEN TESTS" not in submitted.read_text()


def sign_in_at_the_hub(browser, hub_url: str, login: str, password: str):
    """A new page of ``browser``, signed in at the hub's login form, once the server's first page has
    opened (JupyterLab for the supervisor, the course home for a trainee)."""
    page = browser.new_page()
    page.goto(f"{hub_url}/hub/login", timeout=60_000)
    page.fill("#username_input", login)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{login}/(lab|voila/render/)"), timeout=180_000)
    return page


def test_a_browser_signs_a_trainee_in_and_shows_the_assignment_list(cohort, tmp_path):
    from playwright.sync_api import sync_playwright

    from helpers.browser_lab import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    cohort.run(1)
    trainee = cohort.trainees["t03"]
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        browser = pw.chromium.launch_persistent_context(profile, executable_path=str(CHROMIUM), headless=True,
                                                        args=CHROMIUM_ARGS)
        try:
            page = sign_in_at_the_hub(browser, cohort.url, trainee.login, trainee.password)
            assert page.url.endswith("/voila/render/course/modules/home.ipynb"), page.url
            page.get_by_text("Nbgrader ▸ Assignment List").first.wait_for(timeout=120_000)  # the home says how
            page.screenshot(path=str(tmp_path / "hub-course-home.png"))
            page.goto(f"{cohort.url}/user/{trainee.login}/lab", timeout=120_000)
            page.get_by_text("Nbgrader", exact=True).click(timeout=120_000)
            page.get_by_text("Assignment List", exact=True).click()
            page.get_by_text("Released assignments").wait_for(timeout=60_000)
            row = page.locator(".list_item", has_text=EXERCISE).first
            row.wait_for(timeout=60_000)
            assert "repairlab" in row.inner_text()
            assert page.get_by_text("Formgrader", exact=True).count() == 0
            page.screenshot(path=str(tmp_path / "hub-assignment-list.png"))
        finally:
            browser.close()


def test_no_account_can_subscribe_to_another_accounts_kernel(cohort):
    """Every kernel on the hub talks over Unix sockets in a folder only its owner can enter. While a
    trainee's kernel prints a secret and the supervisor builds the cohort report (names, statuses,
    check-ins), another trainee subscribes to every TCP port other accounts listen on and connects to
    every Unix socket on the machine: nothing arrives, nothing is reached."""
    if not (cohort.course / "submitted").exists():
        cohort.run(1)
    snooper, victim = cohort.login("t01"), cohort.signed_in("t02")
    secret = f"kernel-secret-{secrets.token_hex(4)}"
    printing = victim.run_in_kernel(f"import time\nfor i in range(200):\n    print('{secret}', i, flush=True)\n    "
                                    "time.sleep(0.05)")
    with ThreadPoolExecutor(1) as pool:
        report = pool.submit(cohort.type_as_supervisor, "cd ~/course\nrepairlab report")
        time.sleep(1)
        others = ",".join(str(accounts.home(login).stat().st_uid) for login in (victim.login, cohort.supervisor))
        snoop = as_login(snooper, f"{cohort.venv}/bin/python", "-c", KERNEL_SNOOP, "8", others)
        kernels = kernel_processes()
        shown = report.result(timeout=600)
    printing.join(timeout=60)
    assert snoop.returncode == 0, snoop.stderr[-2000:]
    found = json.loads(snoop.stdout)
    assert found["ports"], "the snooper saw the ports the other accounts listen on (their servers)"
    assert not found["received"], f"{snooper} read another account's kernel: {found['received'][:3]}"
    assert found["kernel_sockets"] and not found["reached"], f"{snooper} reached others' kernels: {found['reached']}"
    assert "reports/cohort-report.html" in shown
    assert any(uid == accounts.home(victim.login).stat().st_uid for _, uid, _ in kernels), (
        "the trainee's kernel is running"
    )
    logins = [t.login for t in cohort.trainees.values()] + [cohort.supervisor]
    hub_uids = {accounts.home(login).stat().st_uid for login in logins}
    for pid, uid, connection in kernels:
        if uid not in hub_uids or not connection.exists():  # another user's (this machine's tests), or ended since
            continue
        info = json.loads(connection.read_text())
        assert info["transport"] == "ipc", f"kernel {pid} (uid {uid}) listens on {info['transport']}"
        folder = connection.parent.stat()
        assert folder.st_uid == uid and folder.st_mode & 0o077 == 0, (
            f"kernel {pid}'s sockets are in {connection.parent}"
        )


def test_the_exchange_belongs_to_the_supervisor_before_any_trainee_signs_in(cohort):
    """hub init makes the exchange's course folders as the supervisor, with nbgrader's modes: a
    trainee cannot make a release of their own, own inbound or file feedback."""
    course = Path(cohort.settings["HUB"]) / "exchange" / "repairlab"
    supervisor_uid = accounts.home(cohort.supervisor).stat().st_uid
    modes = {".": 0o755, "outbound": 0o755, "inbound": 0o3733, "feedback": 0o711}
    for name, mode in modes.items():
        info = (course / name).stat()
        assert info.st_uid == supervisor_uid and info.st_mode & 0o7777 == mode, f"exchange/repairlab/{name}"
    ana = cohort.login("t01")
    for target in (course / "outbound" / "planted", course / "feedback" / "planted", course / "planted",
                   course.parent / "repairlab-2"):
        made = as_login(ana, "mkdir", str(target))
        if target.parent == course.parent:  # the exchange's root is 1777, as nbgrader needs: another course is harmless
            assert made.returncode == 0 and not (course / target.name).exists()
            as_login(ana, "rmdir", str(target))
            continue
        assert made.returncode != 0 and "Permission denied" in made.stderr, f"{ana} could make {target}"
    for name in modes:
        moved = as_login(ana, "mv", str(course / name), str(course.parent / "stolen"))
        assert moved.returncode != 0, f"{ana} could move exchange/repairlab/{name}"


HOPPER = """
import os, signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
while True:
    if os.fork():
        os._exit(0)
    time.sleep(0.05)
"""


def test_a_process_that_changes_its_id_and_ignores_term_is_ended(tmp_path):
    """A trainee's process that forks a new one and exits every 50 ms (so its pid is never the same
    twice) and ignores TERM: ending the account's processes ends it, and the account can be deleted."""
    require_hub_machine()
    login = f"{TAG}{secrets.token_hex(2)}-hop"
    accounts.create(login)
    try:
        subprocess.Popen(["runuser", "-u", login, "--", "/usr/bin/python3", "-c", HOPPER], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not accounts.processes(login) and time.monotonic() < deadline:
            time.sleep(0.05)
        seen = {pid for _ in range(5) for pid in accounts.processes(login) if not time.sleep(0.06)}
        assert len(seen) >= 3, f"the process changes its id: {sorted(seen)}"
        assert accounts.end_processes(login)
        time.sleep(0.5)
        assert accounts.processes(login) == [], "nothing of the account is left running"
    finally:
        accounts.delete(login)
    assert not accounts.exists(login)


def test_hub_stop_and_remove_end_a_trainee_process_that_hops(cohort):
    """A trainee leaves a pid-hopping process running; the README's last block (hub stop, hub remove),
    run when the cohort ends, must end it and delete the account (the fixture checks nothing is left)."""
    login = cohort.login("t03")
    subprocess.Popen(["runuser", "-u", login, "--", "/usr/bin/python3", "-c", HOPPER], start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not accounts.processes(login) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert accounts.processes(login), "the hopping process runs until the cohort ends"


def test_the_supervisor_marks_in_formgrader_from_the_nbgrader_menu(cohort, tmp_path):
    """The README says: mark the written answers in Nbgrader > Formgrader in your JupyterLab on the hub.
    JupyterLab shows Formgrader in a frame, which JupyterHub's default policy forbids; the supervisor's
    server allows its own pages to frame it, and the list of assignments appears there."""
    from playwright.sync_api import sync_playwright

    from helpers.browser_lab import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    cohort.supervisor_session()  # the server is running
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        browser = pw.chromium.launch_persistent_context(profile, executable_path=str(CHROMIUM), headless=True,
                                                        args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900})
        try:
            page = sign_in_at_the_hub(browser, cohort.url, cohort.supervisor, cohort.supervisor_password)
            page.get_by_text("Nbgrader", exact=True).click(timeout=120_000)
            page.get_by_text("Formgrader", exact=True).click()
            frame = page.frame_locator("iframe").first
            frame.get_by_text("Manage Assignments").first.wait_for(timeout=120_000)
            frame.get_by_text(EXERCISE).first.wait_for(timeout=60_000)
            page.screenshot(path=str(tmp_path / "hub-supervisor-formgrader.png"))
        finally:
            browser.close()
