"""Unix accounts for a cohort: one per trainee and one for the supervisor, each with a private
(0700) home. Debian's ``useradd`` makes 0755 homes, which would let every trainee read every other
trainee's work, so the mode is set here explicitly."""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path

from ..errors import CourseError

# What Debian's useradd accepts by default, lower case only (JupyterHub lowers user names).
LOGIN = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
TOOLS = ("useradd", "userdel", "chpasswd")


class AccountError(CourseError):
    """An account could not be made or removed; the message names it."""


def login_problem(login: str) -> str | None:
    """Why ``login`` cannot be a Unix account on the hub, or None."""
    if not LOGIN.fullmatch(login):
        return ("must be 1 to 32 lower-case letters, digits, '_' or '-', starting with a letter or '_' "
                "(use --login-prefix when roster ids are numbers, as Canvas ids are)")
    return None


def exists(login: str) -> bool:
    try:
        pwd.getpwnam(login)
        return True
    except KeyError:
        return False


def home(login: str) -> Path:
    return Path(pwd.getpwnam(login).pw_dir)


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def new_password() -> str:
    """A password a trainee can type: 4 groups of 5 letters and digits (about 100 bits)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def _run(*argv: str, stdin: str | None = None) -> None:
    result = subprocess.run(argv, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        raise AccountError(f"{argv[0]} {argv[-1]} failed: "
                           f"{(result.stderr.strip() or f'exit code {result.returncode}').splitlines()[-1]}")


def create(login: str, password: str | None = None, comment: str = "") -> Path:
    """A new account with a private home (0700) and, if given, a password; returns the home."""
    if problem := login_problem(login):
        raise AccountError(f"login {login!r} {problem}")
    _run("useradd", "--create-home", "--user-group", "--shell", "/bin/bash",
         "--comment", comment.replace(":", " ")[:60], login)
    folder = home(login)
    os.chmod(folder, 0o700)
    if password:
        _run("chpasswd", stdin=f"{login}:{password}\n")
    return folder


def make_private(login: str) -> Path:
    """An existing account's home, made 0700 (said by the caller)."""
    folder = home(login)
    os.chmod(folder, 0o700)
    return folder


def processes(login: str) -> list[int]:
    """The ids of the processes running as ``login`` (zombies, already ended, are not counted)."""
    uid = pwd.getpwnam(login).pw_uid
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid and (entry / "stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z":
                    found.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
    return found


def _signal_every_process(account: pwd.struct_passwd, sig: int) -> None:
    """Send ``sig`` to every process of the account at once: kill(-1) as that account, which the
    kernel applies to all its processes in one pass, so none can fork away or change its id in
    between. The signalling child takes the account's ids only for this, and is spared by kill(-1)."""
    if account.pw_uid == 0:
        raise AccountError("refusing to signal every process of root")
    child = os.fork()
    if child == 0:  # pragma: no cover (the child)
        try:
            os.setgroups([])
            os.setgid(account.pw_gid)
            os.setuid(account.pw_uid)
            os.kill(-1, sig)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def end_processes(login: str, timeout: float = 20.0) -> list[int]:
    """End every process of ``login``, including one that forks, changes its id or ignores TERM:
    TERM to all, a moment to exit cleanly, then KILL to all until none is left. Returns the ids that
    were running at first; raises if some still run after ``timeout`` seconds."""
    first = processes(login)
    if not first:
        return []
    account = pwd.getpwnam(login)
    _signal_every_process(account, signal.SIGTERM)
    deadline = time.monotonic() + min(2.0, timeout)
    while processes(login) and time.monotonic() < deadline:
        time.sleep(0.1)
    deadline = time.monotonic() + timeout
    while left := processes(login):
        if time.monotonic() > deadline:
            raise AccountError(f"{login} still has {len(left)} process(es) running after {timeout:.0f} s: {left[:5]}")
        _signal_every_process(account, signal.SIGKILL)
        time.sleep(0.05)
    return first


def delete(login: str, tries: int = 3) -> None:
    """Remove the account, its home and its group; its processes are ended first (again if
    ``userdel`` still finds one, e.g. started in between)."""
    for attempt in range(1, tries + 1):
        if not exists(login):
            return
        end_processes(login)
        uid = pwd.getpwnam(login).pw_uid
        try:
            _run("userdel", "--remove", login)
            remove_leftovers(uid)
            return
        except AccountError:
            if attempt == tries:
                raise
            time.sleep(0.5)


SHARED_TEMP = (Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"))


def remove_leftovers(uid: int) -> list[Path]:
    """What a deleted account left in the shared temporary folders (kernel folders of a killed
    server, its own files): removed without following any link, so no other file can be reached."""
    removed = []
    for base in SHARED_TEMP:
        try:
            entries = list(base.iterdir())
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.lstat()
                if info.st_uid != uid:
                    continue
                if stat.S_ISDIR(info.st_mode):
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
                removed.append(entry)
            except OSError:
                continue
    return removed
