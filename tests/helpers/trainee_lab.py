"""The trainee's own server in tests: JupyterLab as ``repairlab open`` starts it (its configuration,
its quiet start, its root handling), on a free loopback port with no browser and no token."""

from __future__ import annotations

import json
import shutil
import sys
import urllib.error
import urllib.request
from pathlib import Path

from helpers.browser_lab import HOST, LabServer


class TraineeLab(LabServer):
    """JupyterLab started by `repairlab open` itself (so with its configuration and its own root
    handling: no --allow-root from here), on a free loopback port with no browser and no token."""

    def __init__(self, root: Path, state_dir: Path, package: Path | None = None):
        super().__init__(root, state_dir)
        self.package = package

    def _env(self) -> dict[str, str]:
        env = super()._env()
        # browser_lab turns the news off in its own settings folder; empty it, so only open's setting counts
        shutil.rmtree(env["JUPYTERLAB_SETTINGS_DIR"])
        Path(env["JUPYTERLAB_SETTINGS_DIR"]).mkdir()
        env.pop("JUPYTER_CONFIG_PATH", None)
        if self.package:
            env["PYTHONPATH"] = str(self.package)
        return env

    def _command(self) -> list[str]:
        return [
            sys.executable, "-m", "repairlab", "open",
            "--no-browser", f"--ip={HOST}", f"--port={self.port}", "--port-retries=0",
            "--IdentityProvider.token=",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"{self.url}{path}", timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def listing(self, path: str = "") -> set[str]:
        status, body = self.get(f"/api/contents/{path}")
        assert status == 200, body
        return {entry["name"] for entry in json.loads(body)["content"]}

    def stop(self) -> None:
        """Stop `repairlab open`, which stops its server; a server left behind (its runtime file says
        which) is stopped too, so no test leaves one running."""
        super().stop()
        import os
        import signal

        for runtime in (self.state_dir / "runtime").glob("jpserver-*.json"):
            pid = json.loads(runtime.read_text()).get("pid")
            if pid:
                try:
                    os.kill(pid, signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    pass
