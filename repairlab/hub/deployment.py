"""A deployment of a cohort hub: everything under one folder (PREFIX), described by the deployment
file ``PREFIX/hub.json`` that ``init`` writes, ``start``, ``stop`` and ``remove`` read, and the hub
itself reads through ``config``. (The supervisor's course keeps the login map apart, in
``.repairlab/login-map.json``.)"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import CourseError

DEPLOYMENT_FILE = "hub.json"
DEFAULT_PYTHON = "/usr/bin/python3.11"  # world-readable, unlike a pyenv Python under /root


class HubError(CourseError):
    """The deployment cannot be made or used; the message says what is missing."""


@dataclass
class Deployment:
    prefix: str
    ip: str
    port: int
    supervisor: str
    course: str
    course_id: str
    logins: dict[str, str] = field(default_factory=dict)  # trainee login -> roster id
    created: list[str] = field(default_factory=list)  # accounts `init` made (and `remove` deletes)
    proxy: str = ""
    venv: str = ""

    @property
    def root(self) -> Path:
        return Path(self.prefix)

    @property
    def file(self) -> Path:
        """The deployment's own description, read by the hub itself (``hub.config``)."""
        return self.root / DEPLOYMENT_FILE

    @property
    def jupyterhub_config(self) -> Path:
        return self.root / "jupyterhub_config.py"

    @property
    def edition(self) -> Path:
        """The trainee edition the hub's environment is installed from."""
        return self.root / "edition"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def trainee_config(self) -> Path:
        return self.root / "trainee-config"

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def url(self) -> str:
        return f"http://{self.ip}:{self.port}"

    def save(self) -> None:
        path = self.file
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)

    @classmethod
    def load(cls, prefix: Path) -> "Deployment":
        path = Path(prefix).resolve() / DEPLOYMENT_FILE
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise HubError(f"{prefix} is not a RepairLab hub: there is no {DEPLOYMENT_FILE} (make one with "
                           "`repairlab hub init`)") from None
        except (ValueError, TypeError) as exc:
            raise HubError(f"{path} is damaged ({exc})") from None
