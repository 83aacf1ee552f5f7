"""``repairlab hub init``: one machine's JupyterHub deployment for a cohort.

Everything lives under one folder (PREFIX), described by the deployment file ``PREFIX/hub.json``:

- ``venv/``: the hub's Python environment, built from a world-readable interpreter (pyenv's Python
  under /root is unreadable to trainees), with JupyterHub and the **trainee edition** installed
  *non-editable*: trainees import the course's package but never see ``solutions/``. Its
  ``etc/jupyter/nbgrader_config.py`` names the exchange and the course for trainees and supervisor.
- ``exchange/`` (1777): nbgrader's exchange.
- ``trainee-config/``: the Jupyter configuration folder a trainee's server gets (JUPYTER_CONFIG_PATH,
  set by the spawn hook), which switches off Formgrader and Create Assignment.
- ``state/`` and ``logs/`` (0700): the hub's own database, cookie secret, pid and log.

One Unix account per trainee (login = prefix + roster id) and the supervisor's account, each with a
0700 home. The supervisor's home holds the full course (solutions, gradebook) and ``hub-logins.csv``
with the trainees' first passwords (0600). The roster is imported into the supervisor's gradebook as
the supervisor, so ``db_url`` is tried from their account before the hub starts.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..authoring.edition import build_edition
from ..course import Course
from ..paths import NBGRADER_CONFIG, CoursePaths
from ..supervisor.course_folder import copy_course
from ..supervisor.roster import load_roster
from ..trainee.lab import DEFAULT_HIDE_GLOBS, write_server_config
from . import accounts
from .deployment import DEFAULT_PYTHON, Deployment, HubError

LOGINS_FILE = "hub-logins.csv"  # in the supervisor's home: the trainees' first passwords
COURSE_FOLDER = "course"  # in the supervisor's home: the full course and its gradebook
# nbgrader's own modes for the exchange's course folders (its release and release_feedback make them so):
# trainees read outbound, drop submissions into inbound without listing it, and open only the
# feedback file whose name they know; inbound also gets the sticky bit, so no trainee can rename or
# delete another's submission folder there.
EXCHANGE_FOLDERS = {".": 0o755, "outbound": 0o755, "inbound": 0o3733, "feedback": 0o711}
SERVER_CONFIG = {
    # every kernel on the hub talks over Unix sockets in a 0700 folder: no account can subscribe to another's
    "MappingKernelManager": {"kernel_manager_class": "repairlab.kernels.PrivateServerKernelManager"},
    # a terminal is not a login shell: Debian's /etc/profile would reset PATH and lose the hub's environment
    "ServerApp": {"terminado_settings": {"shell_command": ["/bin/bash"]}},
}
NBGRADER_AUTHORING = {
    "server": ["nbgrader.server_extensions.formgrader"],
    "lab": ["@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader"],
}
NEWS_OFF = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}


# ---- what the machine must have ------------------------------------------------------------------


def unreadable_part(path: Path) -> Path | None:
    """The first folder on the way to ``path`` that other users cannot enter, or ``path`` itself if
    they cannot read it; None when trainees can use it."""
    path = Path(path).resolve()
    for folder in reversed(path.parents):
        if not os.stat(folder).st_mode & stat.S_IXOTH:
            return folder
    return None if os.stat(path).st_mode & stat.S_IROTH else path


def parse_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise HubError(f"--address {address!r} must be IP:PORT, e.g. 127.0.0.1:8000")
    return host, int(port)


def requirements(python: Path, prefix: Path, venv: Path | None, runs_code: list[str] = ()) -> list[str]:
    """Everything missing for a deployment, one sentence each. ``runs_code``: the exercises the manifest
    marks ``grading: sandbox``; only they need bubblewrap (the others are graded from data)."""
    from ..sandbox import unavailable_reason

    problems = []
    if os.geteuid() != 0:
        problems.append("it must run as root: it makes a Unix account per trainee, and the hub starts each "
                        "trainee's server as that account (run it with sudo)")
    if missing := accounts.missing_tools():
        problems.append(f"{', '.join(missing)} not found (Debian's passwd package)")
    if not python.is_file():
        problems.append(f"{python} does not exist; give a Python 3.11 every user can run with --python "
                        "(Debian: apt-get install python3.11-venv)")
    elif (part := unreadable_part(python)) is not None:
        problems.append(f"{python} cannot be used by other users ({part} is closed to them; pyenv's Python under "
                        "/root is): give a world-readable Python 3.11 with --python, e.g. /usr/bin/python3.11")
    elif subprocess.run([str(python), "-c", "import sys, ensurepip; sys.exit(sys.version_info[:2] != (3, 11))"],
                        capture_output=True).returncode != 0:
        problems.append(f"{python} is not a Python 3.11 that can make environments (Debian: apt-get install "
                        "python3.11-venv)")
    if venv is not None and not (venv / "bin" / "jupyterhub").is_file():
        problems.append(f"--venv {venv} has no JupyterHub (bin/jupyterhub)")
    if shutil.which("configurable-http-proxy") is None:
        problems.append("configurable-http-proxy (JupyterHub's proxy) is not on PATH: npm install -g "
                        "configurable-http-proxy (Node.js and npm from Debian: apt-get install nodejs npm)")
    if runs_code and (why := unavailable_reason()):
        problems.append(f"{', '.join(runs_code)} must run trainees' notebooks to be graded (grading: sandbox), and "
                        f"they could not run in a sandbox: {why}")
    if prefix.exists() and any(prefix.iterdir()):
        problems.append(f"{prefix} is not empty: choose a new folder (or `repairlab hub remove {prefix}` first)")
    elif (part := unreadable_part(prefix.parent if not prefix.exists() else prefix)) is not None:
        problems.append(f"{prefix} is below {part}, which other users cannot enter; choose a folder such as "
                        "/srv/repairlab-hub")
    return problems


# ---- init ----------------------------------------------------------------------------------------


@dataclass
class Plan:
    """Who gets an account: trainee logins with their roster id and name."""

    trainees: list[tuple[str, str, str]]  # (login, roster id, name)


def plan_accounts(roster_file: Path, login_prefix: str, supervisor: str, fmt: str | None) -> Plan:
    """Every roster id as a login; all problems at once, naming the rows' ids."""
    roster = load_roster(roster_file, fmt)
    problems, seen, trainees = [], {}, []
    for trainee in roster.trainees:
        login = f"{login_prefix}{trainee.id}".lower()
        if why := accounts.login_problem(login):
            problems.append(f"id {trainee.id!r}: the login {login!r} {why}")
        elif login in seen:
            problems.append(f"ids {seen[login]!r} and {trainee.id!r} give the same login {login!r}")
        elif login == supervisor:
            problems.append(f"id {trainee.id!r}: the login {login!r} is the supervisor's")
        elif accounts.exists(login):
            problems.append(f"id {trainee.id!r}: the account {login!r} already exists on this machine; "
                            "choose a --login-prefix no account uses")
        seen.setdefault(login, trainee.id)
        trainees.append((login, trainee.id, trainee.name))
    if why := accounts.login_problem(supervisor):
        problems.append(f"--supervisor {supervisor!r} {why}")
    if problems:
        raise HubError(f"{Path(roster_file).name}: no account was made; " + "; ".join(problems))
    return Plan(trainees)


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)


def _pip(venv: Path, *args: str) -> None:
    result = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *args],
                            capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-5:])
        raise HubError(f"pip could not install into {venv}: {tail}")


def build_environment(deployment: Deployment, course: Course, python: Path, venv: Path | None) -> Path:
    """The hub's environment with the trainee edition installed non-editable; returns it."""
    edition = build_edition(course, deployment.edition).dest
    if venv is None:
        venv = deployment.root / "venv"
        subprocess.run([str(python), "-m", "venv", str(venv)], check=True, capture_output=True)
        _pip(venv, f"{edition}[hub]")
    else:
        _pip(venv, "--no-deps", "--force-reinstall", str(edition))
        _pip(venv, f"{edition}[hub]")
    _write(venv / "etc" / "jupyter" / "nbgrader_config.py",
           "# Written by `repairlab hub init`: this hub's nbgrader exchange, for trainees and supervisor.\n"
           "c = get_config()  # noqa: F821\n"
           f"c.Exchange.root = {str(deployment.exchange)!r}\n"
           f"c.CourseDirectory.course_id = {deployment.course_id!r}\n")
    # the servers read jupyter_server_config.json (the .d folder beside it only enables extensions)
    _write(venv / "etc" / "jupyter" / "jupyter_server_config.json", json.dumps(SERVER_CONFIG, indent=1))
    _write(venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json", json.dumps(NEWS_OFF, indent=1))
    return venv


def supervisor_exchange(deployment: Deployment) -> Path:
    """The exchange's course folders, made and owned by the supervisor with nbgrader's modes before
    any trainee account exists: no trainee can make ``outbound/<exercise>`` (and so hand every other
    trainee a notebook of theirs) or own ``inbound``."""
    account = pwd.getpwnam(deployment.supervisor)
    course = deployment.exchange / deployment.course_id
    for name, mode in EXCHANGE_FOLDERS.items():
        folder = course / name
        folder.mkdir(exist_ok=name == ".")
        os.chown(folder, account.pw_uid, account.pw_gid)
        os.chmod(folder, mode)
    return course


def write_trainee_config(folder: Path) -> None:
    """A trainee's server: no Formgrader (its URL answers 404) and no Create Assignment, whatever the
    environment enables; the Assignment List (fetch, submit, feedback) stays. As on a trainee's own
    machine (``repairlab.trainee.lab``): the course's files read-only, the readings folder not
    listed (the course home links to it), idle kernels of closed pages shut down."""
    _write(
        folder / "jupyter_server_config.d" / "repairlab-trainee.json",
        json.dumps({"ServerApp": {"jpserver_extensions": {e: False for e in NBGRADER_AUTHORING["server"]}}}, indent=1),
    )
    write_server_config(folder, [*DEFAULT_HIDE_GLOBS, READINGS_FOLDER])
    _write(folder / "labconfig" / "page_config.json",
           json.dumps({"disabledExtensions": {p: True for p in NBGRADER_AUTHORING["lab"]}}, indent=1))


def _chown_tree(folder: Path, login: str) -> None:
    account = pwd.getpwnam(login)
    for path in (folder, *folder.rglob("*")):
        os.chown(path, account.pw_uid, account.pw_gid, follow_symlinks=False)


def as_user(login: str, argv: list[str], cwd: Path, venv: Path) -> subprocess.CompletedProcess:
    """Run ``argv`` as ``login`` in a clean environment with the hub's environment first on PATH."""
    env = {"HOME": str(accounts.home(login)), "USER": login, "LOGNAME": login, "LANG": "C.UTF-8",
           "PATH": f"{venv}/bin:/usr/local/bin:/usr/bin:/bin"}
    return subprocess.run(["runuser", "-u", login, "--", "env", "-i", *(f"{k}={v}" for k, v in env.items()), *argv],
                          cwd=cwd, capture_output=True, text=True)


def supervisor_course(deployment: Deployment, source: Course, roster_file: Path, db_url: str | None) -> Path:
    """The full course in the supervisor's private home, its gradebook holding the roster."""
    course = Path(deployment.course)
    copy_course(source.root, course)
    paths = CoursePaths(course)
    if db_url:
        with open(course / "nbgrader_config.py", "a", encoding="utf-8") as fh:
            fh.write(f"\n# The gradebook (repairlab hub init --db-url): only this account can read this file.\n"
                     f"c.CourseDirectory.db_url = {db_url!r}\n")
    _write(paths.login_map, json.dumps({"logins": deployment.logins}, indent=1, sort_keys=True))
    _write(paths.formgrader_config / NBGRADER_CONFIG,
           "# Written by `repairlab hub init`: the supervisor's server starts in the home folder, so Formgrader\n"
           "# is told where the course is, and reads its nbgrader_config.py (paths, db_url) from there.\n"
           "c = get_config()  # noqa: F821\n"
           f"c.CourseDirectory.root = {str(course)!r}\n"
           f"load_subconfig('nbgrader_config.py', path={str(course)!r})  # noqa: F821\n")
    _write(paths.formgrader_config / "jupyter_server_config.py",
           "# Written by `repairlab hub init`, for the supervisor's server only.\n"
           "import os\n\n"
           "c = get_config()  # noqa: F821\n"
           "# JupyterHub starts every server in its home: the supervisor's terminals and nbgrader start in the course\n"
           f"os.chdir({str(course)!r})\n"
           "# JupyterHub forbids framing any page ('none'); JupyterLab shows Formgrader in a frame of its own page\n"
           "c.ServerApp.tornado_settings = {'headers': {'Content-Security-Policy': \"frame-ancestors 'self'\"}}\n")
    shutil.copy(roster_file, course / Path(roster_file).name)
    _chown_tree(course, deployment.supervisor)
    os.chmod(course / "nbgrader_config.py", 0o600)
    run = as_user(
        deployment.supervisor,
        [f"{deployment.venv}/bin/repairlab", "roster", "import", Path(roster_file).name],
        course,
        Path(deployment.venv),
    )
    if run.returncode != 0:
        raise HubError(f"importing the roster as {deployment.supervisor} failed: "
                       f"{(run.stderr.strip() or run.stdout.strip()).splitlines()[-1]}")
    return course


READINGS = ("course.yml", "modules", "assets")  # what a reading's vignettes need, from the trainee edition
READINGS_FOLDER = "course"  # in each trainee's home


def trainee_readings(deployment: Deployment, login: str) -> Path:
    """The readings and their vignettes in the trainee's own home, so `practise()` finds course.yml
    from the notebook's folder; exercises come through the exchange. Their server keeps these files
    read-only (``repairlab.trainee.readings_guard``); their practice record goes in ``course/.repairlab/``."""
    edition, target = deployment.edition, accounts.home(login) / READINGS_FOLDER
    target.mkdir()
    for name in READINGS:
        source = edition / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy(source, target / name)
    _chown_tree(target, login)
    return target


def write_logins(deployment: Deployment, plan: Plan, passwords: dict[str, str]) -> Path:
    """The trainees' logins and first passwords, for the supervisor only (0600 in their home)."""
    import csv
    import io

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["login", "roster id", "name", "password"])
    writer.writerows([login, trainee, name, passwords[login]] for login, trainee, name in plan.trainees)
    path = accounts.home(deployment.supervisor) / LOGINS_FILE
    _write(path, text.getvalue(), 0o600)
    _chown_tree(path, deployment.supervisor)
    return path


@dataclass
class InitReport:
    deployment: Deployment
    supervisor_password: str | None
    logins_file: Path
    notes: list[str]


def init_hub(course: Course, prefix: Path, roster_file: Path, supervisor: str, address: str, *,
             login_prefix: str = "", db_url: str | None = None, python: Path = Path(DEFAULT_PYTHON),
             venv: Path | None = None) -> InitReport:
    """Make the whole deployment (see the module's docstring). Refuses, before changing anything,
    naming everything that is missing."""
    os.umask(0o022)  # trainees must be able to read the environment and the exchange's folders
    prefix = Path(prefix).resolve()
    ip, port = parse_address(address)
    runs_code = [exercise.id for exercise in course.exercises if exercise.grading == "sandbox"]
    if problems := requirements(Path(python), prefix, Path(venv).resolve() if venv else None, runs_code):
        raise HubError("cannot set up the hub: " + "; ".join(problems))
    plan = plan_accounts(Path(roster_file), login_prefix, supervisor, None)  # the format told by the header
    if accounts.exists(supervisor) and (accounts.home(supervisor) / COURSE_FOLDER).exists():
        raise HubError(f"{accounts.home(supervisor) / COURSE_FOLDER} already exists; move it away first "
                       "(hub init puts the supervisor's course there)")
    course_id = course.nbgrader.course_id
    prefix.mkdir(parents=True, exist_ok=True)
    os.chmod(prefix, 0o755)
    deployment = Deployment(prefix=str(prefix), ip=ip, port=port, supervisor=supervisor, course="", course_id=course_id,
                            logins={login: trainee for login, trainee, _ in plan.trainees},
                            proxy=shutil.which("configurable-http-proxy") or "")
    deployment.save()  # from here on, `repairlab hub remove` can undo a half-made deployment
    for folder, mode in ((deployment.exchange, 0o1777), (deployment.state, 0o700), (deployment.logs, 0o700)):
        folder.mkdir()
        os.chmod(folder, mode)
    write_trainee_config(deployment.trainee_config)

    notes, supervisor_password = [], None
    if accounts.exists(supervisor):
        accounts.make_private(supervisor)
        notes.append(f"The account {supervisor} already existed; its password is unchanged and its home is now private "
                     "(0700).")
    else:
        supervisor_password = accounts.new_password()
        accounts.create(supervisor, supervisor_password, comment="RepairLab supervisor")
        deployment.created.append(supervisor)
        deployment.save()
    supervisor_exchange(deployment)
    passwords = {}
    for login, trainee, name in plan.trainees:
        passwords[login] = accounts.new_password()
        accounts.create(login, passwords[login], comment=f"RepairLab trainee {trainee}")
        deployment.created.append(login)
        deployment.save()

    deployment.venv = str(build_environment(deployment, course, Path(python), Path(venv).resolve() if venv else None))
    for login, _, _ in plan.trainees:
        trainee_readings(deployment, login)
    deployment.course = str(accounts.home(supervisor) / COURSE_FOLDER)
    supervisor_course(deployment, course, Path(roster_file), db_url)
    logins_file = write_logins(deployment, plan, passwords)
    _write(deployment.jupyterhub_config,
           "# Written by `repairlab hub init`; the deployment's settings are in hub.json beside this file.\n"
           "from repairlab.hub.config import configure\n\n"
           f"configure(get_config(), {str(deployment.file)!r})  # noqa: F821\n")
    deployment.save()
    return InitReport(deployment, supervisor_password, logins_file, notes)
