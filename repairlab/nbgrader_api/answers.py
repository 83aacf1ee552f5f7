"""An answer cell read as data, never run: the one reader the trusted scores and the safety gate share.
Import-light (no nbgrader), so every supervisor command can use it without loading nbgrader."""

from __future__ import annotations

import ast

from ..checks import AnswerError

# what each refusal below says, so the supervisor's lists can tell an answer that was not a plain answer
CANNOT_READ, NOT_ONLY, NOT_VALUE = ("the answer cell cannot be read", "the answer cell must hold only the answer",
                                    "the answer must be a plain value, not code")
NOT_PLAIN = (CANNOT_READ, NOT_ONLY, NOT_VALUE)


def answer_value(source: str, variable: str):
    """The answer cell read as data: exactly ``variable = <literal>``, never run."""
    hint = f"keep `{variable} = \"\"\"` and the closing `\"\"\"`, with one answer per line between them"
    try:
        body = ast.parse(source).body
    except SyntaxError as exc:
        raise AnswerError(f"{variable}: {CANNOT_READ} at line {exc.lineno}; {hint}") from None
    if not (len(body) == 1 and isinstance(body[0], ast.Assign) and len(body[0].targets) == 1
            and isinstance(body[0].targets[0], ast.Name) and body[0].targets[0].id == variable):
        raise AnswerError(f"{variable}: {NOT_ONLY}; {hint}")
    try:
        return ast.literal_eval(body[0].value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise AnswerError(f"{variable}: {NOT_VALUE}; {hint}") from None
