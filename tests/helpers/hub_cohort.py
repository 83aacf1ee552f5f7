"""Helpers for the JupyterHub cohort tests and the hub benchmark: a cached hub environment, the README's
hub walkthrough as runnable blocks, and a trainee who signs in over HTTP and uses nbgrader's own
Assignments handlers in their server (what the Assignments tab's buttons call)."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import secrets
import subprocess
import threading
import time
import tomllib
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import websocket

from repairlab.hub import accounts

from helpers import REPO

PYTHON = Path("/usr/bin/python3.11")
# The hub's environment is built once per machine and dependency list (~1 min), then reused: each
# run still installs a freshly built trainee edition into it (`repairlab hub init --venv`).
CACHE = Path("/var/cache/repairlab-tests")
TAG = "rlt-"  # every account a test makes starts with this


def require_hub_machine() -> None:
    """Skip on a developer machine that cannot run a hub; on CI (bin/test installs it all) fail."""
    import shutil

    why = None
    if os.geteuid() != 0:
        why = "a hub with real Unix accounts needs root"
    elif not PYTHON.is_file():
        why = f"{PYTHON} (Debian's python3.11) is missing"
    elif shutil.which("configurable-http-proxy") is None:
        why = "configurable-http-proxy is missing (npm install -g configurable-http-proxy)"
    if why and os.environ.get("CI"):
        pytest.fail(f"CI is set but {why}", pytrace=False)
    if why:
        pytest.skip(why)


def hub_venv() -> Path:
    """A world-readable environment with the project's dependencies and JupyterHub, built from
    Debian's Python; keyed by the dependency list, built under a lock."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    deps = sorted(project["dependencies"] + project["optional-dependencies"]["hub"])
    key = hashlib.sha256(json.dumps([str(PYTHON), deps]).encode()).hexdigest()[:12]
    CACHE.mkdir(parents=True, exist_ok=True)
    os.chmod(CACHE, 0o755)
    venv = CACHE / f"hub-venv-{key}"
    with open(CACHE / "hub-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / ".complete").exists():
            subprocess.run(["rm", "-rf", str(venv)], check=True)
            old = os.umask(0o022)
            try:
                subprocess.run([str(PYTHON), "-m", "venv", str(venv)], check=True)
                subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *deps], check=True)
            finally:
                os.umask(old)
            (venv / ".complete").touch()
    return venv


# ---- the README's walkthrough -------------------------------------------------------------------


def readme_blocks(section: str = "## Run a cohort on JupyterHub") -> list[tuple[str, str]]:
    """(who, script) for each ```bash block of the section: who is "root" or "supervisor", from the
    block's first line (``# as root`` / ``# as the supervisor``)."""
    readme = (REPO / "README.md").read_text()
    text = readme.split(section, 1)[1].split("\n## ", 1)[0]
    blocks = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        first = block.splitlines()[0]
        who = (
            "root"
            if first.startswith("# as root")
            else "supervisor"
            if first.startswith("# as the supervisor")
            else None
        )
        assert who, f"a hub walkthrough block must start with '# as root' or '# as the supervisor': {first!r}"
        blocks.append((who, block))
    return blocks


def with_settings(script: str, settings: dict[str, str]) -> str:
    """The block with each ``NAME=value`` setting line given the test's value (and nothing else changed)."""
    for name, value in settings.items():
        script, count = re.subn(rf"^{name}=.*$", f"{name}={value}", script, flags=re.M)
        assert count <= 1, name
    return script


def run_block(who: str, script: str, supervisor: str, venv: Path, env: dict[str, str] | None = None,
              timeout: int = 900) -> subprocess.CompletedProcess:
    """Run a walkthrough block with bash -e: as root (with the project's .venv first on PATH, as
    `sudo .venv/bin/repairlab` would), or as the supervisor in a login-like environment."""
    script = "set -euo pipefail\n" + script
    if who == "root":
        full = {**os.environ, **(env or {}), "PATH": f"{REPO / '.venv' / 'bin'}:{os.environ['PATH']}"}
        return subprocess.run(
            ["bash", "-c", script], cwd=REPO, env=full, capture_output=True, text=True, timeout=timeout
        )
    home = accounts.home(supervisor)
    user_env = {"HOME": str(home), "USER": supervisor, "LOGNAME": supervisor, "LANG": "C.UTF-8",
                "PATH": f"{venv}/bin:/usr/local/bin:/usr/bin:/bin", **(env or {})}
    return subprocess.run(["runuser", "-u", supervisor, "--", "env", "-i", *(f"{k}={v}" for k, v in user_env.items()),
                           "bash", "-c", script], cwd=home, capture_output=True, text=True, timeout=timeout)


# ---- a trainee, over HTTP --------------------------------------------------------------------------


class Trainee:
    """A trainee's browser session, without the browser: PAM login at the hub, an API token of their
    own, their server started by the hub, and nbgrader's Assignments handlers in that server."""

    def __init__(self, hub_url: str, login: str, password: str, course_id: str):
        self.hub, self.login, self.password, self.course_id = hub_url, login, password, course_id
        self.session = requests.Session()
        self.token = ""

    def sign_in(self) -> "Trainee":
        page = self.session.get(f"{self.hub}/hub/login", timeout=30)
        page.raise_for_status()
        xsrf = self.session.cookies.get("_xsrf", "")
        done = self.session.post(f"{self.hub}/hub/login?next=", data={"username": self.login, "password": self.password,
                                                                     "_xsrf": xsrf}, allow_redirects=False, timeout=60)
        assert done.status_code == 302, f"{self.login} could not sign in: HTTP {done.status_code}"
        token = self.session.post(
            f"{self.hub}/hub/api/users/{self.login}/tokens",
            json={"note": "test", "expires_in": 3600},
            headers={"X-XSRFToken": self.session.cookies.get("_xsrf", xsrf)},
            timeout=30,
        )
        token.raise_for_status()
        self.token = token.json()["token"]
        return self

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    def start_server(self, timeout: float = 180) -> float:
        """Ask the hub for this trainee's server; seconds until it answers."""
        started = time.perf_counter()
        reply = requests.post(f"{self.hub}/hub/api/users/{self.login}/server", headers=self.headers, timeout=60)
        assert reply.status_code in (201, 202, 400), reply.text  # 400: already running
        while time.perf_counter() - started < timeout:
            user = requests.get(f"{self.hub}/hub/api/users/{self.login}", headers=self.headers, timeout=30).json()
            server = user.get("servers", {}).get("", {})
            if server.get("ready"):
                return time.perf_counter() - started
            time.sleep(0.3)
        raise AssertionError(f"{self.login}'s server did not start in {timeout} s")

    def url(self, path: str) -> str:
        return f"{self.hub}/user/{self.login}/{path.lstrip('/')}"

    def get(self, path: str, **kw) -> requests.Response:
        return requests.get(self.url(path), headers=self.headers, timeout=120, **kw)

    def assignments(self) -> list[dict]:
        reply = self.get("assignments", params={"course_id": self.course_id})
        reply.raise_for_status()
        body = reply.json()
        assert body["success"], body
        return body["value"]

    def action(self, action: str, exercise: str) -> dict:
        reply = requests.post(self.url(f"assignments/{action}"), headers=self.headers, timeout=180,
                              json={"course_id": self.course_id, "assignment_id": exercise})
        reply.raise_for_status()
        body = reply.json()
        assert body.get("success", True), body
        return body

    def read_notebook(self, path: str) -> dict:
        reply = self.get(f"api/contents/{urllib.parse.quote(path)}", params={"content": "1"})
        reply.raise_for_status()
        return reply.json()["content"]

    def save_notebook(self, path: str, notebook: dict) -> None:
        reply = requests.put(self.url(f"api/contents/{urllib.parse.quote(path)}"), headers=self.headers, timeout=60,
                             json={"type": "notebook", "format": "json", "content": notebook})
        assert reply.status_code in (200, 201), reply.text

    def read_file(self, path: str) -> requests.Response:
        return self.get(f"api/contents/{urllib.parse.quote(path)}", params={"content": "1"})


    def websocket(self, path: str, timeout: float = 30) -> websocket.WebSocket:
        url = self.url(path).replace("http://", "ws://", 1)
        return websocket.create_connection(url, header=[f"Authorization: token {self.token}"], timeout=timeout)

    def run_in_kernel(self, code: str) -> threading.Thread:
        """Start a kernel in this person's server and run ``code`` in it, as a notebook's Run does;
        returns the thread that reads its replies until the kernel is idle again."""
        kernel = requests.post(self.url("api/kernels"), headers=self.headers, json={"name": "python3"}, timeout=120)
        kernel.raise_for_status()
        channel = self.websocket(f"api/kernels/{kernel.json()['id']}/channels", timeout=120)
        session = uuid.uuid4().hex
        header = {"msg_id": uuid.uuid4().hex, "username": self.login, "session": session, "date": "",
                  "msg_type": "execute_request", "version": "5.3"}
        channel.send(
            json.dumps(
                {
                    "header": header,
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "buffers": [],
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                }
            )
        )

        def drain() -> None:
            try:
                while True:
                    message = json.loads(channel.recv())
                    if (
                        message.get("msg_type") == "execute_reply"
                        and message["parent_header"].get("msg_id") == header["msg_id"]
                    ):
                        return
            finally:
                channel.close()

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        return reader


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[=>]")


class Terminal:
    """A terminal of a person's JupyterLab on the hub (File > New > Terminal), typed into over its
    websocket as the Terminal tab does: what a supervisor types runs with exactly what that terminal
    has (its shell, its PATH, its working folder)."""

    def __init__(self, person: Trainee):
        made = requests.post(person.url("api/terminals"), headers=person.headers, timeout=60)
        made.raise_for_status()
        self.socket = person.websocket(f"terminals/websocket/{made.json()['name']}")

    def type(self, block: str, timeout: float = 900) -> tuple[int, str]:
        """Type a README block (in a subshell with bash -e, so a failing line stops it and nothing of
        it changes the terminal); its exit status and what the terminal showed, without escapes."""
        done = f"__typed_{secrets.token_hex(4)}_"
        self.socket.send(json.dumps(["stdin", f"( set -euo pipefail\n{block.strip()}\n); echo {done}$?__\r"]))
        shown, deadline = "", time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = json.loads(self.socket.recv())
            except websocket.WebSocketTimeoutException:
                continue
            if message[0] == "stdout":
                shown += message[1]
                if found := re.search(rf"{done}(\d+)__", shown):
                    text = ANSI.sub("", shown[:found.start()]).replace("\r", "")
                    return int(found.group(1)), text
        raise AssertionError(f"the terminal did not finish within {timeout} s: {ANSI.sub('', shown)[-3000:]}")

    def close(self) -> None:
        self.socket.close()


# What a trainee's account can do against the hub's other accounts' kernels: subscribe to every TCP
# port those accounts listen on (a kernel's iopub is a ZeroMQ PUB socket; argv: seconds, their uids),
# and connect to every Unix kernel socket on the machine. Prints JSON: ports tried, messages received, sockets reached.
KERNEL_SNOOP = r"""
import json, os, re, socket, sys, time
import zmq

def listening(table):
    rows = open(table).read().splitlines()[1:]
    return [(int(r.split()[1].rsplit(":", 1)[1], 16), int(r.split()[7])) for r in rows if r.split()[3] == "0A"]

me, targets = os.getuid(), {int(u) for u in sys.argv[2].split(",")}  # the hub's other accounts
ports = sorted({p for p, uid in listening("/proc/net/tcp") + listening("/proc/net/tcp6") if uid in targets - {me}})
context = zmq.Context()
subscribers = []
for port in ports:
    sub = context.socket(zmq.SUB)
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    sub.setsockopt(zmq.LINGER, 0)
    sub.connect(f"tcp://127.0.0.1:{port}")
    subscribers.append(sub)
received, deadline = [], time.time() + float(sys.argv[1])
while time.time() < deadline:
    for sub in subscribers:
        try:
            received.append(b" ".join(sub.recv_multipart(zmq.NOBLOCK))[-200:].decode(errors="replace"))
        except zmq.Again:
            pass
    time.sleep(0.02)
# a kernel's IPC sockets end in -1 ... -5 after the connection's prefix ("k" here, "kernel-<id>-ipc" by default)
paths = {line.split()[-1] for line in open("/proc/net/unix").read().splitlines()[1:]
         if len(line.split()) >= 8 and re.search(r"(/k|-ipc)-[0-9]+$", line.split()[-1])}
reached = []
for path in sorted(paths):
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(path)
        if os.stat(path).st_uid != me:
            reached.append(path)
    except OSError:
        pass
    finally:
        client.close()
print(json.dumps({"ports": ports, "received": received, "kernel_sockets": len(paths), "reached": reached}))
"""


def kernel_processes() -> list[tuple[int, int, Path]]:
    """(pid, uid, connection file) of every Jupyter kernel running on the machine."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().decode(errors="replace").split("\0")
            uid = proc.stat().st_uid
        except (OSError, ValueError):
            continue
        # the kernel itself, not a sandbox's wrappers (bwrap, setpriv, prlimit) that carry its command line
        if Path(argv[0]).name.startswith("python") and any("ipykernel_launcher" in a for a in argv) and "-f" in argv:
            found.append((int(proc.name), uid, Path(argv[argv.index("-f") + 1])))
    return found


def in_parallel(function, items, workers: int = 8) -> list:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(function, items))


def as_login(login: str, *argv: str, cwd: Path | str = "/") -> subprocess.CompletedProcess:
    """A command run with the rights of ``login`` (uid, gid and groups), as its processes would be."""
    return subprocess.run(["runuser", "-u", login, "--", *argv], capture_output=True, text=True, timeout=60, cwd=cwd)

