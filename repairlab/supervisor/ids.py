"""Trainee ids: an id becomes a folder name in submitted/, autograded/ and feedback/, so what it may
hold is checked once, here, for the roster and for collect alike."""

from __future__ import annotations

import unicodedata

MAX_ID_LENGTH = 64  # characters; an id is a folder name in submitted/, autograded/ and feedback/
MAX_ID_BYTES = 255  # what one folder name may take on common file systems (UTF-8)


def id_key(value: str) -> str:
    """What makes two ids the same trainee: ids that differ only in case (or in Unicode form, such as
    a full-width letter) would share a folder on macOS and Windows and look alike to a supervisor."""
    return unicodedata.normalize("NFKC", value).casefold()


def _id_char(ch: str, first: bool) -> bool:
    category = unicodedata.category(ch)
    if category[0] == "L" or category == "Nd":  # letters of any script, digits
        return True
    if first:
        return ch == "_"
    return category[0] == "M" or ch in "._-"  # combining marks (needed by many scripts), punctuation


def id_problem(value: str) -> str | None:
    """Why ``value`` cannot be a trainee id, or None. An id becomes a folder name, so it holds letters
    of any script (Hangul, Han, accented Latin ...), digits and '.', '_', '-': no spaces, no path
    separators, not starting with '.' or '-', at most MAX_ID_LENGTH characters."""
    if not value:
        return "is empty"
    if len(value) > MAX_ID_LENGTH:
        return f"is {len(value)} characters long; an id has at most {MAX_ID_LENGTH}"
    if len(value.encode("utf-8")) > MAX_ID_BYTES:
        return f"takes {len(value.encode('utf-8'))} bytes as a folder name; at most {MAX_ID_BYTES}"
    if value[0] in ".-":
        return "must not start with '.' or '-'"
    bad = sorted({ch for n, ch in enumerate(value) if not _id_char(ch, n == 0)})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad[:5])
        return f"must be letters (of any script), digits, '.', '_' or '-', with no spaces or slashes (found {shown})"
    return None


def shown_id(value: str) -> str:
    """An id as quoted in a message: a very long one is cut short."""
    return repr(value if len(value) <= 40 else value[:32] + "…")
