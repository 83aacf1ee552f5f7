"""The trainee's practice, kept privately: every choice a person makes in a vignette, one JSON line
each in ``.repairlab/practice.jsonl`` of their own course folder (0600, in a 0700 folder).

Only what was chosen is kept (module, vignette, kind, step, the option's id or label, and when):
never free text. It is not a course file, nothing collects or grades it, and a trainee can clear it
from the course home. A line is appended in one write, so a crash loses at most that line, and a
line that cannot be read (a half-written one) is skipped rather than losing the rest.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path


@dataclass(frozen=True)
class Attempt:
    module: str
    vignette: str
    kind: str  # the vignette's kind, e.g. "choose-response"
    step: str  # what was answered: "notice", "choice", "rating", "weigh 2", "code 5", ...
    choice: str  # the option chosen (its id or label), never text the trainee wrote
    time: str  # ISO 8601, UTC


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class PracticeLog:
    """One trainee's practice record in ``path`` (``CoursePaths.practice``)."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def record(self, attempt: Attempt) -> None:
        """Append one attempt. The folder is made private (0700) and the file 0600 the first time."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        line = (json.dumps(asdict(attempt), ensure_ascii=False) + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)

    def attempts(self) -> list[Attempt]:
        """Every attempt in the order made; unreadable lines are skipped."""
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return []
        found = []
        for line in lines:
            try:
                found.append(Attempt(**json.loads(line)))
            except (ValueError, TypeError):
                continue
        return found

    def by_vignette(self, module: str) -> dict[str, list[Attempt]]:
        """A module's attempts, per vignette id, in the order first practised."""
        found: dict[str, list[Attempt]] = {}
        for attempt in self.attempts():
            if attempt.module == module:
                found.setdefault(attempt.vignette, []).append(attempt)
        return found

    def clear(self) -> None:
        """Forget everything practised."""
        self.path.unlink(missing_ok=True)
