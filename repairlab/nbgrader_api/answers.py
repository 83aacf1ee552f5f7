"""An answer cell read as data, never run: the one reader the trusted scores and the safety gate share.
It lives in ``repairlab.checks`` (import-light, no nbgrader), so the trainee's hand-in check reads answers
the same way; supervisor code imports it from here."""

from __future__ import annotations

from ..checks import answer_value

__all__ = ["answer_value", "CANNOT_READ", "NOT_ONLY", "NOT_VALUE", "NOT_PLAIN"]

# what each refusal of ``answer_value`` says (in repairlab.checks), so the supervisor's lists can tell an
# answer that was not a plain answer
CANNOT_READ, NOT_ONLY, NOT_VALUE = ("the answer cell cannot be read", "the answer cell must hold only the answer",
                                    "the answer must be a plain value, not code")
NOT_PLAIN = (CANNOT_READ, NOT_ONLY, NOT_VALUE)
