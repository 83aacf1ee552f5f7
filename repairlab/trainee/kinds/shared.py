"""What several kinds share: options picked by letter."""

from __future__ import annotations

from ...errors import CourseError


def unique_ids(options, field: str, fail) -> None:
    """Responses, choices and thoughts are picked by letter: each letter once."""
    ids = [o.id for o in options]
    if len(set(ids)) != len(ids):
        fail(f"field {field!r} repeats an id: {ids}")


def pick(options, option_id: str, what: str):
    """The option with this letter, or an error that lists the letters there are."""
    for option in options:
        if option.id == option_id:
            return option
    ids = ", ".join(o.id for o in options)
    raise CourseError(f"there is no {what} {option_id!r} here; choose one of {ids}")
