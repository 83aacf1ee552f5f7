"""The course's own files are read-only in a trainee's server: saving (Ctrl+S, autosave), deleting or
renaming anything in a course's readings, vignettes, released exercises or manifest is refused with a
sentence saying where their own work goes. JupyterLab then opens such a notebook as read-only. A
reading opened as a page (Voila) is never saved anyway; this also covers a reading opened in
JupyterLab, e.g. from a layout saved before the course home existed."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado.web import HTTPError

from ..paths import MANIFEST, STEPS

PROTECTED = (MANIFEST, "modules", "assets", STEPS["release"])
REFUSAL = ("{path} is part of the course and cannot be changed; your answers go in your own copy of the "
           "exercise, and your practice is kept for you.")


def course_file(root: Path, api_path: str) -> bool:
    """Whether ``api_path`` (relative to the server's ``root``) lies in a protected part of a course
    folder (one with a course.yml) at or above it."""
    target = Path(root, *PurePosixPath(api_path.strip("/")).parts)
    for folder in (target.parent, *target.parent.parents):
        if folder == Path(root).parent:
            return False
        if (folder / MANIFEST).is_file():
            return target.relative_to(folder).parts[0] in PROTECTED
    return False


class CourseFilesReadOnly(AsyncLargeFileManager):
    """jupyter_server's default contents manager, refusing to change the course's own files."""

    def _refuse(self, path: str) -> None:
        if course_file(Path(self.root_dir), path):
            raise HTTPError(403, REFUSAL.format(path=path))

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if model.get("type") != "directory" and course_file(Path(self.root_dir), path):
            model["writable"] = False
        return model

    async def save(self, model, path=""):
        self._refuse(path)
        return await super().save(model, path)

    async def delete_file(self, path):
        self._refuse(path)
        return await super().delete_file(path)

    async def rename_file(self, old_path, new_path):
        self._refuse(old_path)
        self._refuse(new_path)
        return await super().rename_file(old_path, new_path)
