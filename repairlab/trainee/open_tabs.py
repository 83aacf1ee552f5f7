"""Whether an exercise is open in a JupyterLab tab now, asked of the trainee's own Jupyter server (its
sessions API, with the server's token): starting an exercise again while its tab is open would let a
later save from that tab put the old answers back over the fresh copy."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path


def _servers():
    from jupyter_server.serverapp import list_running_servers

    return list(list_running_servers())


def _sessions(url: str, token: str) -> list[dict]:
    request = urllib.request.Request(url.rstrip("/") + "/api/sessions",
                                     headers={"Authorization": f"token {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=2) as response:
        return json.load(response)


def open_in_lab(notebook: Path, servers=None, environ=None) -> bool:
    """True when a server that serves ``notebook`` has a session on it that a page is connected to (an
    open tab; a session whose browser tab was closed has no connection and does not count); False when
    none has, or when no server can be asked (then the home's sentence about closing the tab is all
    there is)."""
    environ = os.environ if environ is None else environ
    try:
        for server in _servers() if servers is None else servers:
            try:
                path = notebook.resolve().relative_to(Path(server["root_dir"]).resolve()).as_posix()
            except ValueError:
                continue
            token = environ.get("JUPYTER_TOKEN") or server.get("token", "")
            if any(session.get("path") == path and (session.get("kernel") or {}).get("connections", 1)
                   for session in _sessions(server["url"], token)):
                return True
    except (OSError, ValueError, KeyError, ImportError):
        return False
    return False
