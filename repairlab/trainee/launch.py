"""Running the trainee's server quietly: JupyterLab's own lines go to ``.repairlab/logs/lab.log``;
the trainee sees the address and how to stop, and a sentence (with the log's last lines) only if
the server does not come up or stops by itself."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from .lab import LabLaunch

STARTUP_SECONDS = 120
KEEP_OPEN = "Keep this window open; Ctrl+C stops the course."
# The course's usual port (Jupyter's own 8888 is often taken by a trainee's other notebooks).
COURSE_PORT = 8765
PASS_THROUGH = ("--version", "--help", "-h", "--help-all", "list", "build", "paths")  # not a server: run as is


def option(args: list[str], name: str) -> str | None:
    """The value of ``--name=V`` or ``--name V`` among jupyter's arguments, if given."""
    for i, arg in enumerate(args):
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
        if arg == name and i + 1 < len(args):
            return args[i + 1]
    return None


def port_is_free(host: str, port: int) -> bool:
    """Whether the server could listen on ``port`` now. SO_REUSEADDR, as the server itself binds: the
    connections a stopped course leaves behind (TIME_WAIT, about a minute) do not make its port look
    taken, which moved the course to a new address on every quick restart."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def course_port(host: str = "127.0.0.1") -> tuple[int, str | None]:
    """The course's own port when it is free, so the address (and a trainee's bookmark) is the same on
    every start; otherwise any free port, with a sentence saying why the address changed."""
    if port_is_free(host, COURSE_PORT):
        return COURSE_PORT, None
    with socket.socket() as sock:
        sock.bind((host, 0))
        port = sock.getsockname()[1]
    return port, (f"Port {COURSE_PORT}, the course's usual address, is taken (is the course already open in another "
                  f"window?), so this time it is on port {port}; your bookmarks work again once that one is stopped.")


def course_token(path: Path) -> str:
    """The course folder's own login token: made once, kept private (0600) in ``path``, the same on every
    start, so the printed address (and a bookmark of it) signs in from any browser, not just the one that
    already has the login cookie."""
    try:
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        token = ""
    if token:
        return token
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(token + "\n")
    return token


def _answers(url: str, token: str) -> bool:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _tail(log: Path, lines: int = 8) -> str:
    text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return "\n".join(f"  {line}" for line in text[-lines:])


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def serve(launch: LabLaunch, lab_args: list[str], log: Path, home: str, say=print, token_file: Path | None = None
          ) -> int:
    """Start the server, say where it is, and wait; Ctrl+C stops it. Returns the exit code. The login token
    is the one kept in ``token_file`` (made the first time), unless one is given."""
    argv, env = list(launch.argv), dict(launch.env)
    host = option(lab_args, "--ip") or "localhost"
    port = option(lab_args, "--port") or option(lab_args, "--ServerApp.port")
    if port is None:
        chosen, moved = course_port("127.0.0.1" if host == "localhost" else host)
        port = str(chosen)
        # no silent move to the next port either: the address said below is the one the server has
        argv += [f"--port={port}", "--ServerApp.port_retries=0"]
        if moved:
            say(moved)
    given = option(lab_args, "--IdentityProvider.token")
    token = given if given is not None else env.get("JUPYTER_TOKEN") or (
        course_token(token_file) if token_file is not None else secrets.token_urlsafe(24))
    if given is None:
        env["JUPYTER_TOKEN"] = token  # in the environment, not the command line, where `ps` would show it
    log.parent.mkdir(parents=True, exist_ok=True)
    for stop in ("SIGTERM", "SIGHUP"):  # a closed window or `kill` stops the server too, as Ctrl+C does
        if hasattr(signal, stop):
            signal.signal(getattr(signal, stop), _interrupt)
    with open(log, "wb") as out:
        out.write(("Started: " + " ".join(argv) + "\n").encode())
        out.flush()
        server = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  start_new_session=os.name == "posix")
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(f"http://{'127.0.0.1' if host == 'localhost' else host}:{port}/api/status", token):
            if server.poll() is not None or time.monotonic() > deadline:
                say(f"The course did not start. The last lines of its log ({log}):\n{_tail(log)}")
                return 1
            time.sleep(0.2)
        say(f"The course is open at http://{host}:{port}{home}" + (f"?token={token}" if token else ""))
        say(KEEP_OPEN)
        code = server.wait()
        if code:
            say(f"The course stopped unexpectedly. The last lines of its log ({log}):\n{_tail(log)}")
        return code
    except KeyboardInterrupt:
        return 0
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)  # the server shuts its kernels down on SIGTERM
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
