"""Helpers for the browser tests: a throwaway JupyterLab server on 127.0.0.1 and a headless Chromium.

Galata and ``npx playwright install`` do not work on this machine (see the engineering notes,
"Browser tests"); Playwright from PyPI drives Debian's ``/usr/bin/chromium`` instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
HOST = "127.0.0.1"

# What a course copy needs: the package finds the course root by searching upwards from the
# notebook's folder for course.yml, and the package itself is installed (editable) in the venv.

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Belt and braces: the page may only ever reach the local server.
    f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {HOST}",
]

# User settings for the throwaway lab: no news or update checks (nothing leaves 127.0.0.1, and no
# toast covers the notebook), and every cell kept in the DOM so the error check sees all outputs.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}

SERVER_START_TIMEOUT = 60.0


def require_chromium() -> None:
    """Skip when there is no browser on a developer machine; on CI a missing browser is a failure."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is not installed (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {message}", pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _jupyter_command() -> list[str]:
    jupyter = Path(sys.executable).with_name("jupyter")
    return [str(jupyter)] if jupyter.exists() else [sys.executable, "-m", "jupyter"]


class LabServer:
    """``jupyter lab`` serving ``root`` on 127.0.0.1 with no token and the app exposed as window.jupyterapp."""

    def __init__(self, root: Path, state_dir: Path):
        self.root = root
        self.state_dir = state_dir
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = state_dir / "jupyter-lab.log"
        self.proc: subprocess.Popen | None = None

    def _env(self) -> dict[str, str]:
        """Isolate the server from the user's Jupyter config, workspaces and settings."""
        env = dict(os.environ)
        dirs = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
            "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
            "IPYTHONDIR": "ipython",
        }
        for var, name in dirs.items():
            path = self.state_dir / name
            path.mkdir(parents=True, exist_ok=True)
            env[var] = str(path)
        for rel, settings in LAB_SETTINGS.items():
            path = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(settings), encoding="utf-8")
        env.pop("JUPYTER_TOKEN", None)
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def _command(self) -> list[str]:
        return [
            *_jupyter_command(), "lab",
            "--no-browser",
            f"--ip={HOST}",
            f"--port={self.port}",
            "--port-retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.disable_check_xsrf=True",
            "--LabApp.expose_app_in_browser=True",
            "--allow-root",
            f"--ServerApp.root_dir={self.root}",
            # Nothing on the server side reaches out either.
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ]

    def start(self, attempts: int = 3) -> "LabServer":
        env = self._env()  # also creates state_dir
        for attempt in range(1, attempts + 1):
            self._log = open(self.log_path, "wb")
            self.proc = subprocess.Popen(
                self._command(), cwd=self.root, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
            try:
                self._wait_until_up()
                return self
            except RuntimeError:
                # free_port() cannot reserve the port; if something else took it meanwhile, try another.
                if attempt == attempts or "already in use" not in self.log_tail().lower():
                    raise
                self.stop()
                self.port = free_port()
                self.url = f"http://{HOST}:{self.port}"
        raise AssertionError("unreachable")

    def shutdown_sessions(self) -> None:
        """Shut down every kernel session, so one notebook's kernel does not slow the next test."""
        with urllib.request.urlopen(f"{self.url}/api/sessions", timeout=5) as response:
            sessions = json.load(response)
        for session in sessions:
            request = urllib.request.Request(f"{self.url}/api/sessions/{session['id']}", method="DELETE")
            with urllib.request.urlopen(request, timeout=10):
                pass

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"(no server log: {exc})"
        return "\n".join(text.splitlines()[-lines:])

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        last_error = "no attempt yet"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"jupyter lab exited with code {self.proc.returncode} before answering on {self.url}\n"
                    f"--- server log ({self.log_path}) ---\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=2) as response:
                    if response.status == 200:
                        return
                    last_error = f"HTTP {response.status}"
            except (urllib.error.URLError, OSError) as exc:
                last_error = str(exc)
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(
            f"jupyter lab did not answer {self.url}/api/status within {SERVER_START_TIMEOUT:.0f} s "
            f"(last error: {last_error})\n--- server log ({self.log_path}) ---\n{self.log_tail()}"
        )

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            # Kernels run in their own process group under the server's session; make sure none linger.
            try:
                os.killpg(proc.pid, 15)
            except (ProcessLookupError, PermissionError):
                pass
        log = getattr(self, "_log", None)
        if log is not None and not log.closed:
            log.close()


@contextlib.contextmanager
def serving(server: LabServer):
    """``server`` started and, whatever happens, stopped; a server that does not come up fails the
    test with its log rather than a traceback."""
    try:
        try:
            server.start()
        except RuntimeError as exc:
            pytest.fail(str(exc), pytrace=False)
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def chromium():
    """Debian's headless Chromium driven by Playwright from PyPI (the flags above), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


# --- accessibility -------------------------------------------------------------------------------

SERIOUS = ("serious", "critical")
AXE_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


def axe_violations(page, context: dict | None = None) -> list[dict]:
    """axe-core's violations on ``page`` (or inside ``context``), with the WCAG 2.1 A/AA and best-practice
    rules; axe-playwright-python bundles axe-core, so this works offline."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, context=context, options=AXE_RULES).response["violations"]


def impacts(violations: list[dict]) -> dict[str, int]:
    """How many elements break a rule, by impact (critical, serious, moderate, minor)."""
    counts: dict[str, int] = {}
    for rule in violations:
        counts[rule["impact"]] = counts.get(rule["impact"], 0) + len(rule["nodes"])
    return counts


def describe(violations: list[dict], levels=SERIOUS) -> list[str]:
    """One line per violation at ``levels``: impact, rule, count and the first element's HTML."""
    return [f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}x) e.g. {v['nodes'][0]['html'][:160]}"
            for v in violations if v["impact"] in levels]


# --- page helpers --------------------------------------------------------------------------------

CURRENT_PANEL_JS = """
(path) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.context || w.context.path !== path) return null;
  return w;
}
"""

KERNEL_IDLE_JS = """
(path) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.context || w.context.path !== path || !w.context.isReady) return false;
  const kernel = w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}
"""

KERNEL_STATE_JS = """
(path) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w) return 'no current widget';
  const kernel = w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return JSON.stringify({
    path: w.context && w.context.path, ready: w.context && w.context.isReady,
    kernel: kernel ? kernel.name : null, status: kernel ? kernel.status : null,
    connection: kernel ? kernel.connectionStatus : null,
  });
}
"""

# Start run-all without awaiting it, so the caller can time the first widget while cells still run;
# the promise (which resolves when the last cell replies) is kept for run_all_finished.
START_RUN_ALL_JS = """
() => {
  window.__repairlabRunAll = null;
  Promise.resolve(window.jupyterapp.commands.execute('notebook:run-all-cells')).then(
    result => { window.__repairlabRunAll = {ok: true, result: String(result)}; },
    error => { window.__repairlabRunAll = {ok: false, result: String(error)}; },
  );
  return true;
}
"""

# Finished: kernel idle and no code cell still queued or running.
EXECUTION_DONE_JS = """
(path) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.context || w.context.path !== path) return false;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const prompts = Array.from(w.node.querySelectorAll('.jp-CodeCell .jp-InputPrompt'));
  return prompts.every(p => !p.textContent.includes('[*]'));
}
"""

CELL_SUMMARY_JS = """
(path) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w) return [];
  return Array.from(w.node.querySelectorAll('.jp-CodeCell')).map((cell, i) => {
    const prompt = cell.querySelector('.jp-InputPrompt');
    return (prompt ? prompt.textContent.trim() : '?');
  });
}
"""

ERROR_OUTPUT = (
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'
)
WIDGET_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.widget-view+json"]'
RENDERED_WIDGET = ".jp-OutputArea-output .jupyter-widgets, .jp-OutputArea-output .widget-toggle-buttons"


def lab_url(server: LabServer, notebook: str) -> str:
    return f"{server.url}/lab/tree/{notebook}"
