"""Where submissions come from: a folder or an LMS zip download, as entries (a path and a capped way
to read it). Symbolic links and special files are refused and listed, never followed."""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ...errors import CourseError
from ..safe_read import Refused, read_capped, read_file

SYSTEM_FILES = re.compile(r"(^|/)(__MACOSX|\.DS_Store|Thumbs\.db|\.ipynb_checkpoints)(/|$)")


@dataclass
class Entry:
    """One file handed in: where it is, its path inside the source, and how to read it (capped)."""

    where: str
    parts: tuple[str, ...]
    read: Callable[[], bytes] | None  # None: refused before reading
    refused: str = ""



def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(info) as fh:
            return read_capped(fh)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError) as exc:
        raise Refused(f"could not be read from the zip ({exc})") from None


def split_parts(name: str) -> tuple[str, ...]:
    """The folders and file name of a zip entry or relative path; '/' and '\\' both separate."""
    return tuple(p for p in name.replace("\\", "/").split("/") if p not in ("", "."))


def folder_entries(source: Path) -> tuple[list[Entry], list[tuple[str, str]]]:
    """Every file below ``source`` (symbolic links listed as refused, never followed) and every empty folder."""
    entries, empty = [], []

    def unreadable(exc: OSError) -> None:
        rel = Path(os.path.relpath(exc.filename, source)).as_posix() if exc.filename else "."
        empty.append((f"{rel}/", f"could not read this folder ({exc.strerror}); nothing in it was collected"))

    for dirpath, dirnames, filenames in os.walk(source, onerror=unreadable):  # never descends into linked folders
        here = Path(dirpath)
        rel = here.relative_to(source)
        dirnames.sort()
        if rel.parts and not dirnames and not filenames:
            empty.append((f"{rel.as_posix()}/", "empty folder: nothing was handed in here"))
        for name in list(dirnames):
            if (here / name).is_symlink():
                dirnames.remove(name)
                entries.append(Entry(f"{(rel / name).as_posix()}/", (*rel.parts, name), None,
                                     f"refused: a symbolic link to {os.readlink(here / name)}, never followed"))
        for name in sorted(filenames):
            path = here / name
            mode = os.lstat(path).st_mode
            where, parts = (rel / name).as_posix(), (*rel.parts, name)
            if stat.S_ISLNK(mode):
                entries.append(Entry(where, parts, None, f"refused: a symbolic link to {os.readlink(path)}, never "
                                                         "followed"))
            elif not stat.S_ISREG(mode):
                entries.append(Entry(where, parts, None, "refused: not a regular file"))
            else:
                entries.append(Entry(where, parts, lambda path=path: read_file(path)))
    return entries, empty


def zip_entries(archive: zipfile.ZipFile, label: str) -> list[Entry]:
    entries = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        where, parts = f"{label}:{info.filename}", split_parts(info.filename)
        if not parts:
            entries.append(Entry(where, (info.filename,), None, "refused: the entry has no file name"))
        elif stat.S_ISLNK(info.external_attr >> 16):
            entries.append(Entry(where, parts, None, "refused: a symbolic link in the zip, never followed"))
        else:
            entries.append(Entry(where, parts, lambda info=info: _read_member(archive, info)))
    return entries



def open_source(source: Path, stack: ExitStack) -> tuple[list[Entry], list[tuple[str, str]]]:
    """The entries of a folder or zip (kept open in ``stack``), system files left out, and the
    problems found on the way (empty folders, unreadable ones, system files skipped)."""
    if source.is_file() and zipfile.is_zipfile(source):
        archive = stack.enter_context(zipfile.ZipFile(source))
        entries, problems = zip_entries(archive, source.name), []
    elif source.is_dir():
        entries, problems = folder_entries(source)
    elif source.exists():
        raise CourseError(f"{source} is neither a folder nor a zip file")
    else:
        raise CourseError(f"{source} does not exist")
    kept = []
    for entry in entries:
        if SYSTEM_FILES.search("/".join(entry.parts)):
            problems.append((entry.where, "system file, skipped"))
        else:
            kept.append(entry)
    return kept, problems
