"""``repairlab hub start`` and ``stop``: the deployment's JupyterHub as a background process (or in
the foreground, for systemd), its internal ports picked free on 127.0.0.1 at each start."""

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

from . import accounts
from .deployment import Deployment, HubError

PID_FILE = "jupyterhub.pid"
LOG_FILE = "jupyterhub.log"
START_TIMEOUT_S = 90
STOP_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split(")")[-1][:3]


def running_pid(deployment: Deployment) -> int | None:
    path = deployment.state / PID_FILE
    try:
        pid = int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _alive(pid) else None


def command(deployment: Deployment) -> tuple[list[str], dict[str, str]]:
    """The JupyterHub command line and its environment (a fresh proxy token each start)."""
    argv = [f"{deployment.venv}/bin/jupyterhub", "-f", str(deployment.jupyterhub_config),
            f"--JupyterHub.hub_port={_free_port()}",
            f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{_free_port()}"]
    env = {"PATH": f"{deployment.venv}/bin:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
           "HOME": str(deployment.state), "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32)}
    return argv, env


def health_url(deployment: Deployment) -> str:
    host = "127.0.0.1" if deployment.ip in ("0.0.0.0", "") else deployment.ip
    return f"http://{host}:{deployment.port}/hub/health"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start(prefix: Path, foreground: bool = False) -> str:
    """Start the hub and wait until it answers; one line saying where (in the foreground, run it
    until it stops)."""
    if os.geteuid() != 0:
        raise HubError("the hub must start as root: it starts each trainee's server as that trainee's account (use "
                       "sudo)")
    deployment = Deployment.load(prefix)
    if pid := running_pid(deployment):
        return f"The hub is already running at {deployment.url} (pid {pid})."
    argv, env = command(deployment)
    if foreground:
        os.execve(argv[0], argv, {**env, "PYTHONUNBUFFERED": "1"})
    log_path = deployment.logs / LOG_FILE
    with open(log_path, "ab") as log:
        process = subprocess.Popen(argv, cwd=deployment.state, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    (deployment.state / PID_FILE).write_text(str(process.pid))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise HubError(f"the hub stopped at start (exit code {process.returncode}): {_tail(log_path)}")
        if _answers(health_url(deployment)):
            return (f"The hub is running at {deployment.url} (pid {process.pid}; log {log_path}). "
                    f"Trainees sign in with their login and password; the supervisor is {deployment.supervisor}.")
        time.sleep(0.25)
    _terminate(process.pid)
    raise HubError(f"the hub did not answer at {health_url(deployment)} within {START_TIMEOUT_S} s: {_tail(log_path)}")


def _tail(log: Path, lines: int = 3) -> str:
    text = log.read_text(errors="replace").strip().splitlines() if log.exists() else []
    return " | ".join(line.strip() for line in text[-lines:]) + f" (log {log})"


def _terminate(pid: int) -> None:
    """TERM the hub (it stops every server and the proxy), KILL it if it does not end in time."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


def stop(prefix: Path, missing_ok: bool = False) -> list[str]:
    """Stop the hub and its proxy; then no trainee process is left running. One line per thing done."""
    if os.geteuid() != 0:
        raise HubError("stopping the hub needs root, as starting it does (use sudo)")
    deployment = Deployment.load(prefix)
    lines = []
    pid = running_pid(deployment)
    if pid is None:
        if not missing_ok:
            lines.append("The hub was not running.")
    else:
        _terminate(pid)
        lines.append(f"Stopped the hub (pid {pid}) and every server it had started.")
    proxy = deployment.state / "proxy.pid"
    if proxy.is_file():
        try:
            if _alive(proxy_pid := int(proxy.read_text().strip())):
                _terminate(proxy_pid)
                lines.append(f"Stopped the proxy (pid {proxy_pid}).")
        except ValueError:
            pass
        proxy.unlink(missing_ok=True)
    (deployment.state / PID_FILE).unlink(missing_ok=True)
    for login in deployment.logins:
        try:
            if accounts.exists(login) and (ended := accounts.end_processes(login)):
                lines.append(f"Ended {len(ended)} process(es) {login} had left running.")
        except accounts.AccountError as exc:
            lines.append(f"Could not end every process of {login}: {exc}. Run `repairlab hub stop` again.")
    return lines
