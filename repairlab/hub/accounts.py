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
        raise AccountError(f"{argv[0]} {argv[-1]} failed: {(result.stderr.strip() or f'exit code {result.returncode}').splitlines()[-1]}")


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
    """The ids of the processes running as ``login``."""
    uid = pwd.getpwnam(login).pw_uid
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
            except FileNotFoundError:
                continue
    return found


def end_processes(login: str, timeout: float = 10.0) -> list[int]:
    """Stop each process of ``login`` by its id (TERM, then KILL to those still running as
    ``login``); the ids that were running."""
    first = processes(login)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in (first if sig == signal.SIGTERM else [p for p in processes(login) if p in first]):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and set(processes(login)) & set(first):
            time.sleep(0.1)
    return first


def delete(login: str) -> None:
    """Remove the account, its home and its group; its processes are stopped first."""
    if not exists(login):
        return
    end_processes(login)
    _run("userdel", "--remove", login)
