"""The trainee server's contents rule: the course's readings, vignettes, released exercises and
manifest cannot be saved over, deleted or renamed (JupyterLab gets 403 and shows them read-only);
the trainee's own workspace and anything outside a course folder saves as usual."""

from __future__ import annotations

import asyncio

import nbformat
import pytest
from tornado.web import HTTPError

from repairlab.trainee.readings_guard import CourseFilesReadOnly, course_file

from helpers import copy_course


@pytest.mark.parametrize(("path", "protected"), [
    ("modules/01-owning-your-part.ipynb", True),
    ("modules/home.ipynb", True),
    ("course.yml", True),
    ("assets/vignettes/owning-your-part.yml", True),
    ("exercises/owning-your-part/owning-your-part.ipynb", True),
    ("workspace/owning-your-part/owning-your-part.ipynb", False),
    ("notes.ipynb", False),
    ("workspace/modules/mine.ipynb", False),  # a folder of the trainee's own that happens to be called modules
])
def test_which_files_are_the_courses(tmp_path, path, protected):
    root = copy_course(tmp_path / "course")
    assert course_file(root, path) is protected


def test_on_a_hub_the_course_folder_in_the_home_is_protected(tmp_path):
    home = tmp_path / "home"
    copy_course(home / "course")
    assert course_file(home, "course/modules/01-owning-your-part.ipynb")
    assert not course_file(home, "owning-your-part/owning-your-part.ipynb")


def test_saving_a_reading_is_refused_and_leaves_it_unchanged(tmp_path):
    root = copy_course(tmp_path / "course")
    manager = CourseFilesReadOnly(root_dir=str(root))
    reading = "modules/01-owning-your-part.ipynb"
    before = (root / reading).read_bytes()
    model = asyncio.run(manager.get(reading))
    assert model["writable"] is False
    edited = nbformat.from_dict(model["content"])
    edited.cells[1].outputs = [nbformat.v4.new_output("stream", text="widget state")]
    for change in (
        lambda: manager.save({"type": "notebook", "content": edited}, reading),
        lambda: manager.delete_file(reading),
        lambda: manager.rename_file(reading, "workspace/mine.ipynb"),
        lambda: manager.rename_file("workspace/mine.ipynb", "modules/mine.ipynb"),
    ):
        with pytest.raises(HTTPError) as refused:
            asyncio.run(change())
        assert refused.value.status_code == 403 and "part of the course" in refused.value.log_message
    assert (root / reading).read_bytes() == before
    (root / "workspace").mkdir()
    saved = asyncio.run(manager.save({"type": "notebook", "content": edited}, "workspace/mine.ipynb"))
    assert saved["writable"] is True and (root / "workspace" / "mine.ipynb").is_file()
