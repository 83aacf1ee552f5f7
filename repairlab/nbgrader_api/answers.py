"""An answer cell read as data, never run: the one reader the trusted scores and the safety gate share.
It lives in ``repairlab.checks`` (import-light, no nbgrader), so the trainee's hand-in check reads answers
the same way; supervisor code imports it from here."""

from __future__ import annotations

from ..checks import answer_value

__all__ = ["answer_value"]
