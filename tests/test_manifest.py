"""The manifest is the one place a module is registered; everything it names must exist."""

import shutil
from pathlib import Path

import nbformat
import pytest

from repairlab.course import load_course
from repairlab.errors import ManifestError

from helpers import REPO


def test_manifest_lists_the_six_modules_in_order(course):
    assert [m.id for m in course.modules] == [
        "owning-your-part", "projection-or-contribution", "reading-the-markers", "repair-strategies",
        "cultural-ruptures", "when-you-get-it-wrong"]
    assert [m.reading.name[:2] for m in course.modules] == ["01", "02", "03", "04", "05", "06"]


def test_every_skill_of_the_guide_has_a_graded_item(course):
    """Each of the eight skills is evidenced by at least one grade cell or task with points."""
    points = {}
    for ex in course.exercises:
        nb = nbformat.read(REPO / "solutions" / ex.id / ex.notebook_name, as_version=4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("points"):
                skill = ex.skills[meta["grade_id"]]
                points.setdefault(skill, []).append(f"{ex.id}/{meta['grade_id']}")
    assert len(course.skills) == 8
    missing = sorted(set(course.skills) - set(points))
    assert not missing, f"skills with no graded item: {missing}"


def test_no_module_or_exercise_is_named_in_the_package(course):
    """Report, pending, feedback, export and grading find modules through course.yml alone: adding
    one needs no code change. (The walkthrough and grading tests run them over every module.)"""
    package = Path(REPO / "repairlab")
    sources = {p: p.read_text(encoding="utf-8") for p in package.rglob("*.py")}
    for ident in {m.id for m in course.modules} | {e.id for e in course.exercises}:
        named = [p.name for p, text in sources.items() if f'"{ident}"' in text or f"'{ident}'" in text]
        assert not named, f"{ident} is named in {named}"


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


def test_exercises_are_graded_from_data_unless_the_manifest_says_sandbox(course, tmp_path):
    assert {ex.grading for ex in course.exercises} == {"data"}
    for name in ("modules", "assets"):
        shutil.copytree(REPO / name, tmp_path / name)
    text = (REPO / "course.yml").read_text()
    (tmp_path / "course.yml").write_text(text.replace("      - id: cultural-ruptures\n",
                                                      "      - id: cultural-ruptures\n        grading: sandbox\n"))
    assert {ex.id: ex.grading for ex in load_course(tmp_path).exercises}["cultural-ruptures"] == "sandbox"


def test_every_module_reading_uses_its_own_vignettes(course):
    for module in course.modules:
        sources = "\n".join(c.source for c in nbformat.read(module.reading, as_version=4).cells)
        assert f'practise("{module.id}"' in sources, module.reading


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "reading: modules/01-owning-your-part.ipynb",
            "reading: modules/missing.ipynb",
            "modules/missing.ipynb, which does not exist",
        ),
        ("classify-statements: own-your-part", "classify-statements: empathy", "unknown skill 'empathy'"),
        (
            "  - id: projection-or-contribution\n    title",
            "  - id: owning-your-part\n    title",
            "module 'owning-your-part' is listed twice",
        ),
        (
            "      - id: owning-your-part\n",
            "      - id: owning-your-part\n        grading: docker\n",
            "exercise 'owning-your-part' has grading 'docker'; allowed: data, sandbox",
        ),
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
