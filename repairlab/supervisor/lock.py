"""One grading run at a time per course: a second one stops with a clear message instead of
deleting the first one's autograded folders."""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager

from ..course import Course
from ..errors import CourseError


@contextmanager
def grading_lock(course: Course):
    path = course.paths.grading_lock
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise CourseError(f"another grading run is in progress in this course ({holder}); "
                              "wait for it to finish, then run this again") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {time.strftime('%H:%M:%S')}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
