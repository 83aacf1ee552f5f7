"""Errors that speak to trainees and supervisors in one clear line instead of a traceback."""


class CourseError(Exception):
    """An error whose message is the whole story.

    IPython calls ``_render_traceback_`` to display an exception, so in a notebook the trainee sees
    only the message; nbgrader still records the cell as failed.
    """

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


class AnswerError(CourseError, AssertionError):
    """An answer that is missing, of the wrong type or uses an unknown label. A trainee sees only the
    message, without the error's name: it is what to fix, not a failure of the course."""

    def _render_traceback_(self):
        return str(self).splitlines()


class VignetteError(CourseError, ValueError):
    """A vignette file that does not match the schema; names the file, the vignette and the field."""


class ManifestError(CourseError, ValueError):
    """The course manifest is malformed or points at something that does not exist."""
