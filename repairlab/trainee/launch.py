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
PASS_THROUGH = ("--version", "--help", "-h", "--help-all", "list", "build", "paths")  # not a server: run as is


def option(args: list[str], name: str) -> str | None:
    """The value of ``--name=V`` or ``--name V`` among jupyter's arguments, if given."""
    for i, arg in enumerate(args):
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
        if arg == name and i + 1 < len(args):
            return args[i + 1]
    return None


def free_port(start: int = 8888, tries: int = 50) -> int:
    for port in range(start, start + tries):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def serve(launch: LabLaunch, lab_args: list[str], log: Path, home: str, say=print) -> int:
    """Start the server, say where it is, and wait; Ctrl+C stops it. Returns the exit code."""
    argv, env = list(launch.argv), dict(launch.env)
    port = option(lab_args, "--port") or option(lab_args, "--ServerApp.port")
    if port is None:
        port = str(free_port())
        argv.append(f"--port={port}")
    given = option(lab_args, "--IdentityProvider.token")
    token = given if given is not None else env.get("JUPYTER_TOKEN") or secrets.token_urlsafe(24)
    if given is None:
        env["JUPYTER_TOKEN"] = token  # in the environment, not the command line, where `ps` would show it
    host = option(lab_args, "--ip") or "localhost"
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
