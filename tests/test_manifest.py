"""The manifest is the one place a module is registered; everything it names must exist."""

import shutil

import nbformat
import pytest

from conftest import REPO
from repairlab.errors import ManifestError
from repairlab.manifest import load_course


def test_manifest_lists_the_two_core_modules_in_order(course):
    assert [m.id for m in course.modules][:2] == ["owning-your-part", "projection-or-contribution"]


def test_skill_map_names_real_grade_cells(course):
    """Each grade id the manifest maps to a skill is a graded cell or task in the solution."""
    for ex in course.exercises:
        nb = nbformat.read(REPO / "solutions" / ex.id / ex.notebook_name, as_version=4)
        graded = {
            c.metadata["nbgrader"]["grade_id"]
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade") or c.metadata.get("nbgrader", {}).get("task")
        }
        assert set(ex.skills) == graded, ex.id


def test_every_module_reading_uses_its_own_vignettes(course):
    for module in course.modules:
        sources = "\n".join(c.source for c in nbformat.read(module.reading, as_version=4).cells)
        assert f'practise("{module.id}"' in sources, module.reading


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("reading: modules/01-owning-your-part.ipynb", "reading: modules/missing.ipynb", "modules/missing.ipynb, which does not exist"),
        ("classify-statements: own-your-part", "classify-statements: empathy", "unknown skill 'empathy'"),
        ("  - id: projection-or-contribution\n    title", "  - id: owning-your-part\n    title", "module 'owning-your-part' is listed twice"),
    ],
)
def test_a_broken_manifest_says_what_is_wrong(tmp_path, old, new, message):
    for name in ("modules", "assets"):
        shutil.copytree(REPO / name, tmp_path / name)
    text = (REPO / "course.yml").read_text()
    assert old in text
    (tmp_path / "course.yml").write_text(text.replace(old, new))
    with pytest.raises(ManifestError, match=message):
        load_course(tmp_path)
