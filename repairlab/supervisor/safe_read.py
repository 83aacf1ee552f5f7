"""Reading what trainees hand in without trusting it: in chunks, refused past a size limit whatever
a zip header claims, never following a symbolic link, and (from the exchange) only plain files the
trainee's own account owns."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024  # one notebook; larger entries are refused, whatever they claim
MAX_SMALL_FILE_BYTES = 64 * 1024  # nbgrader's timestamp.txt and submission_secret.txt
CHUNK_BYTES = 1024 * 1024


class Refused(Exception):
    """An entry that is not read: the message says why."""


def read_capped(stream, limit: int | None = None) -> bytes:
    """Read a stream in chunks; Refused as soon as it passes ``limit`` bytes (a zip's header is
    never asked how big an entry is)."""
    limit = MAX_NOTEBOOK_BYTES if limit is None else limit
    buffer = bytearray()
    while chunk := stream.read(min(CHUNK_BYTES, limit + 1 - len(buffer))):
        buffer += chunk
        if len(buffer) > limit:
            raise Refused(f"refused: larger than the {limit / 1024 / 1024:g} MB limit for one notebook")
    return bytes(buffer)


def read_file(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Refused(f"refused: could not open it ({exc.strerror}); a symbolic link is never followed") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused("refused: not a regular file")
        return read_capped(fh)


def read_own(path: Path, uid: int, limit: int) -> bytes:
    """A regular file owned by ``uid``, read without following a link and capped at ``limit``."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise  # a missing file is the caller's to report
    except OSError as exc:
        raise Refused(
            f"refused {path.name}: could not open it ({exc.strerror}); a symbolic link is never followed"
        ) from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != uid:
            raise Refused(f"refused {path.name}: not a plain file of the trainee's own")
        return read_capped(fh, limit)
