"""``repairlab collect``: notebooks from a folder or an LMS zip go to submitted/<trainee>/<exercise>/
only when collect is sure whose and which they are; everything else is listed, never dropped, and
the originals never change. Each attack from issue 9 ("collect can place work under the wrong
trainee or exercise") is a test here that asserts the safe outcome."""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import nbformat
import pytest

from repairlab.course import load_course
from repairlab.errors import CourseError
from repairlab.nbgrader_api import open_course
from repairlab.supervisor.collect import (
    MAX_NOTEBOOK_BYTES,
    collect,
    fingerprints,
    unique_cells,
)
from repairlab.supervisor.demo_cohort import build_submission
from repairlab.supervisor.roster import import_roster, roster_ids

from helpers import copy_course

OWN, PROJ = "owning-your-part", "projection-or-contribution"


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def write_tree(folder: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return folder


def placed(summary) -> dict[tuple[str, str], str]:
    return {(p.trainee, p.exercise): p.how for p in summary.placed}


def submitted(root: Path) -> set[str]:
    folder = root / "submitted"
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


@pytest.fixture(scope="module")
def nb(course):
    """Complete notebooks of every exercise, as trainees hand them in."""
    return {ex.id: nbformat.writes(build_submission(course, ex, {"start": "solution"})) for ex in course.exercises}


@pytest.fixture
def root(tmp_path):
    """A supervisor's course folder to collect into (collect itself needs no gradebook; its paths
    come from the course's nbgrader_config.py)."""
    return copy_course(tmp_path / "course")


ROSTER = ["ana", "bo", "chen", "cy", "di"]

# ---- moved from test_supervisor.py (real roster import into the gradebook) -----------------------


@pytest.fixture
def collecting(scratch_course, course):
    (scratch_course / "r.csv").write_text(
        "id,name,email\n" + "".join(f"{t},Trainee {t},\n" for t in ["ana", "bo", "cy", "di", "ed"])
    )
    import_roster(open_course(scratch_course), scratch_course / "r.csv")
    complete = {ex.id: nbformat.writes(build_submission(course, ex, {"start": "solution"})) for ex in course.exercises}
    return scratch_course, load_course(scratch_course), complete


@pytest.mark.grading
def test_collect_from_a_folder_matches_renamed_notebooks_and_reports_the_rest(collecting, tmp_path):
    root, course, nb = collecting
    inbox = tmp_path / "inbox"
    files = {
        "ana/owning-your-part.ipynb": nb["owning-your-part"],
        "ana/projection-or-contribution.ipynb": nb["projection-or-contribution"],
        "bo/my answers (1).ipynb": nb["owning-your-part"],  # renamed: its exercise cells tell
        "cy/notes.txt": "not a notebook",
        "cy/owning-your-part.ipynb": "{ this is not json",
        "di/owning-your-part.ipynb": "",
        "stranger/owning-your-part.ipynb": nb["owning-your-part"],
    }
    for rel, text in files.items():
        (inbox / rel).parent.mkdir(parents=True, exist_ok=True)
        (inbox / rel).write_text(text)
    (inbox / "ed").mkdir()
    before = tree_digest(inbox)
    summary = collect(open_course(root), inbox, roster_ids(open_course(root)))
    assert tree_digest(inbox) == before, "the originals must never change"
    placed = {(p.trainee, p.exercise): p.how for p in summary.placed}
    assert set(placed) == {
        ("ana", "owning-your-part"),
        ("ana", "projection-or-contribution"),
        ("bo", "owning-your-part"),
    }
    assert "matched by its exercise cells" in placed[("bo", "owning-your-part")]
    problems = dict(summary.problems)
    assert "not a notebook" in problems["cy/notes.txt"]
    assert "not a readable notebook" in problems["cy/owning-your-part.ipynb"]
    assert "empty file" in problems["di/owning-your-part.ipynb"]
    assert "unknown trainee" in problems["stranger/owning-your-part.ipynb"]
    assert "empty folder" in problems["ed/"]
    assert summary.not_submitted["owning-your-part"] == ["cy", "di", "ed"]
    assert (root / "submitted/bo/owning-your-part/owning-your-part.ipynb").read_text() == nb["owning-your-part"]
    text = summary.render()
    for where in problems:
        assert where in text


@pytest.mark.grading
def test_collect_a_renamed_notebook_without_cells_when_it_is_the_only_one(collecting, tmp_path):
    root, course, nb = collecting
    stripped = nbformat.reads(nb["owning-your-part"], as_version=4)
    for cell in stripped.cells:
        cell.metadata.pop("nbgrader", None)  # pasted into a fresh notebook: the cells are gone
    (tmp_path / "in" / "ana").mkdir(parents=True)
    nbformat.write(stripped, tmp_path / "in" / "ana" / "Untitled.ipynb")
    (tmp_path / "in" / "bo").mkdir()
    nbformat.write(stripped, tmp_path / "in" / "bo" / "a.ipynb")
    nbformat.write(stripped, tmp_path / "in" / "bo" / "b.ipynb")
    without = collect(open_course(root), tmp_path / "in", roster_ids(open_course(root)))
    assert not without.placed  # without the exercise named, nothing to go on
    summary = collect(open_course(root), tmp_path / "in", roster_ids(open_course(root)), "owning-your-part")
    assert [(p.trainee, p.how) for p in summary.placed] == [("ana", "renamed Untitled.ipynb; the trainee's only "
                                                                    "notebook")]
    assert sum("could not tell which exercise" in why for _, why in summary.problems) == 2


@pytest.mark.grading
def test_collect_from_an_lms_zip_with_nested_folders(collecting, tmp_path):
    """Changed from the old test: bo's file was ``bo_1234_owning-your-part.ipynb`` and matched because
    one '_' part equalled an id (the attack below); a real Canvas name has the id as <userid>. cy's
    folder was four levels above the file; a trainee folder counts only at the first level (inside the
    zip's one wrapping folder) or right above the file, so a deeper one is now reported."""
    root, course, nb = collecting
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("submissions/section-a/ana/owning-your-part.ipynb", nb["owning-your-part"])
        z.writestr("submissions/chenbo_bo_5678_owning-your-part.ipynb", nb["owning-your-part"])
        z.writestr("submissions/section-b/cy/owning-your-part.ipynb", nb["owning-your-part"])
        z.writestr("submissions/section-b/di/deep/er/owning-your-part.ipynb", nb["owning-your-part"])
        z.writestr("__MACOSX/submissions/._owning-your-part.ipynb", b"\x00\x01")
        z.writestr("submissions/zed/owning-your-part.ipynb", nb["owning-your-part"])
    before = archive.read_bytes()
    summary = collect(open_course(root), archive, roster_ids(open_course(root)), "owning-your-part")
    assert archive.read_bytes() == before
    assert sorted(p.trainee for p in summary.placed) == ["ana", "bo", "cy"]
    problems = dict(summary.problems)
    assert "system file" in problems["download.zip:__MACOSX/submissions/._owning-your-part.ipynb"]
    assert "unknown trainee" in problems["download.zip:submissions/zed/owning-your-part.ipynb"]
    assert "unknown trainee" in problems["download.zip:submissions/section-b/di/deep/er/owning-your-part.ipynb"]


@pytest.mark.grading
def test_collect_names_a_missing_source(collecting, tmp_path):
    root, course, _ = collecting
    with pytest.raises(CourseError, match="does not exist"):
        collect(open_course(root), tmp_path / "nowhere", roster_ids(open_course(root)))


# ---- whose work: exact LMS conventions only ------------------------------------------------------


@pytest.mark.parametrize("path", [
    "Ana Chen_5678_assignsubmission_file_/owning-your-part.ipynb",  # Moodle: the id is 5678, not chen
    "Ana Chen_5678_9999_owning-your-part.ipynb",  # Canvas-like: <userid> is 5678
    "anachen_5678_9999_owning-your-part.ipynb",
    "chen_5678_9999_owning-your-part.ipynb",  # chen is the <name> part, not the <userid>
    "chen_1234_owning-your-part.ipynb",  # no submission id: not a Canvas name at all
    "Ana_Chen/owning-your-part.ipynb",
    "ana-chen/owning-your-part.ipynb",
    "x/Ana Chen/chen_notes/owning-your-part.ipynb",
])
def test_a_name_part_equal_to_an_id_never_names_the_trainee(course, root, nb, tmp_path, path):
    inbox = write_tree(tmp_path / "inbox", {path: nb[OWN], "other/readme.txt": "keeps the inbox from having one "
                                                                               "wrapping folder"})
    summary = collect(open_course(root), inbox, ROSTER)
    assert not summary.placed
    assert submitted(root) == set()
    assert "unknown trainee" in dict(summary.problems)[path]


def test_the_three_documented_patterns_place_work(course, root, nb, tmp_path):
    inbox = write_tree(tmp_path / "inbox", {
        "ana/owning-your-part.ipynb": nb[OWN],  # 1: a folder named after the id
        "section-x/CY/projection-or-contribution.ipynb": nb[PROJ],  # 1: right above the file, any case
        "anachen_chen_9999_owning-your-part.ipynb": nb[OWN],  # 2: Canvas, the id as <userid>
        "bochen_LATE_bo_1234_owning-your-part-1.ipynb": nb[OWN],  # 2: Canvas, late and resubmitted
        "Di Silva_di_assignsubmission_file_/projection-or-contribution.ipynb": nb[PROJ],  # 3: Moodle
        "Ana Lima_ana_assignsubmission_file_/sub/projection-or-contribution.ipynb": nb[PROJ],  # 3: first level
    })
    summary = collect(open_course(root), inbox, ROSTER)
    assert not summary.problems
    assert placed(summary) == {("ana", OWN): "by name", ("cy", PROJ): "by name", ("chen", OWN): "by name",
                               ("bo", OWN): "by name", ("di", PROJ): "by name", ("ana", PROJ): "by name"}
    assert (root / "submitted/cy/projection-or-contribution/projection-or-contribution.ipynb").read_text() == nb[PROJ]


def test_two_patterns_naming_different_trainees_are_reported_not_guessed(course, root, nb, tmp_path):
    inbox = write_tree(tmp_path / "inbox", {
        "bo/ana/owning-your-part.ipynb": nb[OWN],  # bo's folder holds a folder named ana
        "ana/bochen_bo_1_owning-your-part.ipynb": nb[OWN],  # ana's folder, a Canvas name for bo
    })
    summary = collect(open_course(root), inbox, ROSTER)
    assert not summary.placed and submitted(root) == set()
    problems = dict(summary.problems)
    assert "names several trainees: ana (folder ana); bo (folder bo)" in problems["bo/ana/owning-your-part.ipynb"]
    assert "names several trainees" in problems["ana/bochen_bo_1_owning-your-part.ipynb"]


def test_ids_differing_only_in_case(course, root, nb, tmp_path):
    inbox = write_tree(
        tmp_path / "inbox", {"ANA/owning-your-part.ipynb": nb[OWN], "Bo/owning-your-part.ipynb": nb[OWN]}
    )
    summary = collect(open_course(root), inbox, ROSTER)
    assert placed(summary) == {("ana", OWN): "by name", ("bo", OWN): "by name"}  # the roster's spelling
    assert submitted(root) == {
        "ana/owning-your-part/owning-your-part.ipynb",
        "bo/owning-your-part/owning-your-part.ipynb",
    }

    other = copy_course(root.parent / "other")
    clash = collect(open_course(other), inbox, ["ana", "Ana", "bo"])  # a roster from before the rule
    assert placed(clash) == {("bo", OWN): "by name"}
    assert (
        "the roster has ids that differ only in case (Ana, ana)" in dict(clash.problems)["ANA/owning-your-part.ipynb"]
    )


def test_a_300_character_id_on_the_roster_does_not_crash_collect(course, root, nb, tmp_path):
    long_id = "x" * 300
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"{long_id}/owning-your-part.ipynb", nb[OWN])
        z.writestr("ana/owning-your-part.ipynb", nb[OWN])
    summary = collect(open_course(root), archive, ["ana", long_id])
    assert placed(summary) == {("ana", OWN): "by name"}
    why = dict(summary.problems)[f"download.zip:{long_id}/owning-your-part.ipynb"]
    assert "is 300 characters long" in why and "fix the roster" in why
    assert long_id not in summary.render().replace(f"download.zip:{long_id}/", "")  # named, cut short
    assert summary.not_submitted[OWN] == []


# ---- which exercise: cells unique to one exercise only -------------------------------------------


def shared_only(course, text: str) -> str:
    """The notebook with only the nbgrader cells that both exercises have (intro, part-a ...)."""
    prints = fingerprints(course)
    shared = prints[OWN] & prints[PROJ]
    notebook = nbformat.reads(text, as_version=4)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") not in shared:
            cell.metadata.pop("nbgrader", None)
    return nbformat.writes(notebook)


def test_cell_ids_shared_by_exercises_count_for_neither(course):
    prints = fingerprints(course)
    shared = prints[OWN] & prints[PROJ]
    assert shared, "the course's exercises share cell ids such as intro; this test needs some"
    unique = unique_cells(prints)
    assert not shared & (unique[OWN] | unique[PROJ])
    assert unique[OWN] and unique[PROJ]


def test_a_notebook_of_another_exercise_is_not_collected_for_the_named_one(course, root, nb, tmp_path):
    inbox = write_tree(tmp_path / "inbox", {
        "ana/answers.ipynb": nb[PROJ],  # renamed notebook of the other exercise (shares intro, part-a ...)
        "bo/owning-your-part.ipynb": nb[PROJ],  # named like one exercise, cells of the other
        "cy/mine.ipynb": shared_only(course, nb[OWN]),  # only shared cells: nothing tells
        "cy/other.ipynb": shared_only(course, nb[PROJ]),
    })
    summary = collect(open_course(root), inbox, ROSTER, OWN)
    assert not summary.placed and submitted(root) == set()
    problems = dict(summary.problems)
    assert f"a notebook of {PROJ}" in problems["ana/answers.ipynb"] and f"not of {OWN}" in problems["ana/answers.ipynb"]
    assert f"named like {OWN} but holds cells only {PROJ} has" in problems["bo/owning-your-part.ipynb"]
    assert "could not tell which exercise" in problems["cy/mine.ipynb"]
    assert "could not tell which exercise" in problems["cy/other.ipynb"]

    without = collect(open_course(root), inbox, ROSTER)  # without --exercise the renamed one goes where it belongs
    assert placed(without) == {("ana", PROJ): "renamed answers.ipynb; matched by its exercise cells"}


# ---- symlinks, special files, traversal names ------------------------------------------------------


def test_symlinks_in_a_folder_are_refused_and_listed_never_followed(course, root, nb, tmp_path):
    key = write_tree(
        tmp_path / "key", {"owning-your-part.ipynb": (course.root / "solutions" / OWN / f"{OWN}.ipynb").read_text()}
    )
    inbox = write_tree(tmp_path / "inbox", {"ana/owning-your-part.ipynb": nb[OWN]})
    (inbox / "bo").mkdir()
    (inbox / "bo" / "owning-your-part.ipynb").symlink_to(inbox / "ana" / "owning-your-part.ipynb")  # another trainee's
    (inbox / "cy").mkdir()
    (inbox / "cy" / "owning-your-part.ipynb").symlink_to(key / "owning-your-part.ipynb")  # the key
    (inbox / "di").symlink_to(key, target_is_directory=True)  # a whole folder
    (inbox / "chen").mkdir()
    (inbox / "chen" / "owning-your-part.ipynb").symlink_to(tmp_path / "nowhere.ipynb")  # dangling
    summary = collect(open_course(root), inbox, ROSTER)
    assert placed(summary) == {("ana", OWN): "by name"}
    assert submitted(root) == {"ana/owning-your-part/owning-your-part.ipynb"}
    problems = dict(summary.problems)
    for where in ("bo/owning-your-part.ipynb", "cy/owning-your-part.ipynb", "di/", "chen/owning-your-part.ipynb"):
        assert "symbolic link" in problems[where] and "never followed" in problems[where], where
    assert summary.not_submitted[OWN] == ["bo", "chen", "cy", "di"]


def test_a_fifo_is_refused_without_blocking(course, root, nb, tmp_path):
    inbox = write_tree(tmp_path / "inbox", {"ana/owning-your-part.ipynb": nb[OWN]})
    (inbox / "bo").mkdir()
    os.mkfifo(inbox / "bo" / "owning-your-part.ipynb")
    summary = collect(open_course(root), inbox, ROSTER)
    assert placed(summary) == {("ana", OWN): "by name"}
    assert "not a regular file" in dict(summary.problems)["bo/owning-your-part.ipynb"]


def test_symlink_entries_in_a_zip_are_refused(course, root, nb, tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ana/owning-your-part.ipynb", nb[OWN])
        for trainee, target in (("bo", "../../solutions/owning-your-part/owning-your-part.ipynb"), ("cy", nb[OWN])):
            link = zipfile.ZipInfo(f"{trainee}/owning-your-part.ipynb")
            link.create_system = 3
            link.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(link, target)
    summary = collect(open_course(root), archive, ROSTER)
    assert placed(summary) == {("ana", OWN): "by name"}
    problems = dict(summary.problems)
    for trainee in ("bo", "cy"):
        assert "refused: a symbolic link in the zip" in problems[f"download.zip:{trainee}/owning-your-part.ipynb"]


def test_path_traversal_names_in_a_zip_stay_harmless(course, root, nb, tmp_path):
    archive = tmp_path / "download.zip"
    names = ["../../ana/owning-your-part.ipynb", "/etc/bo/owning-your-part.ipynb",
             "cy/../../../../../escaped.ipynb", "..\\..\\di\\owning-your-part.ipynb", "../../../owning-your-part.ipynb"]
    with zipfile.ZipFile(archive, "w") as z:
        for name in names:
            z.writestr(zipfile.ZipInfo(name), nb[OWN])
    before = {p for p in tmp_path.parent.rglob("*") if root not in p.parents}
    summary = collect(open_course(root), archive, ROSTER)
    assert {p for p in tmp_path.parent.rglob("*") if root not in p.parents} == before, (
        "nothing written outside the course"
    )
    assert submitted(root) == {f"{t}/owning-your-part/owning-your-part.ipynb" for t in ("ana", "bo", "cy", "di")}
    assert "unknown trainee" in dict(summary.problems)["download.zip:../../../owning-your-part.ipynb"]


# ---- size: streaming reads with a cap --------------------------------------------------------------


@pytest.fixture(scope="module")
def zeros_deflated():
    """A raw deflate stream of 256 MiB of zeros (about 1.1 MB), made a MiB at a time."""
    size, block = 256 << 20, bytes(1 << 20)
    compressor, parts, crc = zlib.compressobj(1, zlib.DEFLATED, -15), [], 0
    for _ in range(size >> 20):
        parts.append(compressor.compress(block))
        crc = zlib.crc32(block, crc)
    parts.append(compressor.flush())
    return b"".join(parts), size, crc


def bomb_zip(path: Path, name: str, stream: bytes, size: int, crc: int, claimed: int | None = None) -> Path:
    """A one-entry zip whose headers claim ``claimed`` bytes (default: the true size)."""
    claimed = size if claimed is None else claimed
    fname = name.encode()
    local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(stream), claimed, len(fname), 0) + fname
    central = struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(stream), claimed,
                          len(fname), 0, 0, 0, 0, 0, 0) + fname
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(stream), 0)
    path.write_bytes(local + stream + central + end)
    return path


@pytest.mark.parametrize("claimed, why", [
    (None, "refused: larger than the 20 MB limit"),  # honest header
    (0xFFFFFFF0, "refused: larger than the 20 MB limit"),  # claims 4 GB
    (1000, "could not be read from the zip"),  # claims 1 KB: more data than claimed is never taken
])
def test_a_zip_bomb_is_refused_within_a_few_tens_of_mb(course, root, tmp_path, zeros_deflated, claimed, why):
    stream, size, crc = zeros_deflated
    archive = bomb_zip(tmp_path / "bomb.zip", "ana/owning-your-part.ipynb", stream, size, crc, claimed)
    assert archive.stat().st_size < 1.3e6
    tracemalloc.start()
    try:
        summary = collect(open_course(root), archive, ROSTER)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert why in dict(summary.problems)["bomb.zip:ana/owning-your-part.ipynb"]
    assert not summary.placed and submitted(root) == set()
    assert peak < 2 * MAX_NOTEBOOK_BYTES + (8 << 20), f"peak {peak / 2**20:.0f} MiB"


def test_an_oversized_file_in_a_folder_is_refused(course, root, nb, tmp_path):
    inbox = write_tree(tmp_path / "inbox", {"ana/owning-your-part.ipynb": nb[OWN]})
    (inbox / "bo").mkdir()
    with open(inbox / "bo" / "owning-your-part.ipynb", "wb") as fh:
        fh.truncate(MAX_NOTEBOOK_BYTES + 1)  # sparse: costs no disk
    summary = collect(open_course(root), inbox, ROSTER)
    assert placed(summary) == {("ana", OWN): "by name"}
    assert (
        "refused: larger than the 20 MB limit for one notebook" in dict(summary.problems)["bo/owning-your-part.ipynb"]
    )


# ---- collecting again ------------------------------------------------------------------------------


def test_collecting_again_reports_what_it_replaces_and_keeps_the_earlier_file(course, root, nb, tmp_path):
    first = write_tree(
        tmp_path / "first", {"ana/owning-your-part.ipynb": nb[OWN], "bo/owning-your-part.ipynb": nb[OWN]}
    )
    assert set(placed(collect(open_course(root), first, ROSTER))) == {("ana", OWN), ("bo", OWN)}

    again = collect(open_course(root), first, ROSTER)
    assert not again.placed and [(p.trainee, p.how) for p in again.unchanged] == [
        ("ana", "unchanged"),
        ("bo", "unchanged"),
    ]
    assert not (root / "submitted" / ".replaced").exists()

    later = nb[OWN] + "\n"  # handed in again, changed
    second = write_tree(
        tmp_path / "second", {"ana/owning-your-part.ipynb": later, "bo/owning-your-part.ipynb": nb[OWN]}
    )
    summary = collect(open_course(root), second, ROSTER)
    assert [(p.trainee, p.exercise) for p in summary.placed] == [("ana", OWN)]
    kept = root / summary.placed[0].replaced
    assert kept.read_text() == nb[OWN], "the earlier submission is kept, not overwritten"
    assert kept.relative_to(root / "submitted" / ".replaced").parts[1:] == ("ana", OWN, f"{OWN}.ipynb")
    assert (root / "submitted/ana/owning-your-part/owning-your-part.ipynb").read_text() == later
    assert [p.trainee for p in summary.unchanged] == ["bo"]
    assert f"replaces the earlier submission of ana for {OWN}" in summary.render()
    lines = summary.render().splitlines()
    assert "Unchanged (1): already in submitted/ with the same content." in lines
    assert not [line for line in lines if "bo" in line.split()], "an unchanged submission is counted, not listed"
    assert not list((root / "submitted").rglob(".*.collecting"))


def test_identical_copies_are_placed_once_different_ones_never(course, root, nb, tmp_path):
    inbox = write_tree(tmp_path / "inbox", {
        "ana/owning-your-part.ipynb": nb[OWN], "ana/copy/owning-your-part.ipynb": nb[OWN],
        "bo/owning-your-part.ipynb": nb[OWN], "bo/v2/owning-your-part.ipynb": nb[OWN] + "\n",
    })
    summary = collect(open_course(root), inbox, ROSTER)
    assert placed(summary) == {("ana", OWN): "by name"}
    assert "bo handed in 2 different notebooks" in dict(summary.problems)["bo/owning-your-part.ipynb, "
                                                                          "bo/v2/owning-your-part.ipynb"]


# ---- from nbgrader's exchange (the hub) -------------------------------------------------------------


def _submission(inbound: Path, login: str, stamp: str, notebook: str, owner: str) -> Path:
    """A folder as nbgrader's submit makes it, owned by ``owner``'s account."""
    import pwd

    folder = inbound / f"{login}+{OWN}+{stamp}+{stamp[:4]}"
    write_tree(folder, {f"{OWN}.ipynb": notebook, "timestamp.txt": stamp})
    account = pwd.getpwnam(owner)
    for path in (folder, *folder.iterdir()):
        os.chown(path, account.pw_uid, account.pw_gid)
    return folder


@pytest.mark.skipif(os.geteuid() != 0, reason="planting folders owned by other accounts needs root")
def test_a_forged_newer_or_future_folder_never_hides_a_real_submission(course, root, nb, tmp_path):
    """Two real accounts stand for two trainees (daemon = t1, nobody = t2). t2 plants a folder named
    as t1's newer submission; t1's own folder dated in the future is set aside too: t1's real, older
    submission is the one collected, and both are listed."""
    from repairlab.supervisor.collect import collect_from_exchange

    exchange = tmp_path / "exchange"
    inbound = exchange / "repairlab" / "inbound"
    inbound.mkdir(parents=True)
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as fh:
        fh.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    write_tree(root / ".repairlab", {"login-map.json": '{"logins": {"daemon": "t1", "nobody": "t2"}}'})
    real = nb[OWN]
    _submission(inbound, "daemon", "2026-12-01 10:00:00.000000 UTC", real, owner="daemon")
    forged = _submission(inbound, "daemon", "2026-12-02 10:00:00.000000 UTC", "{}", owner="nobody")
    future = _submission(inbound, "daemon", "2099-01-01 00:00:00.000000 UTC", "{}", owner="daemon")

    summary = collect_from_exchange(open_course(root), ["t1", "t2"], OWN)
    assert (root / "submitted/t1" / OWN / f"{OWN}.ipynb").read_text() == real
    problems = dict(summary.problems)
    assert "claims to be from daemon but belongs to nobody" in problems[f"exchange:{forged.name}"]
    assert "in the future" in problems[f"exchange:{future.name}"]
    assert summary.not_submitted[OWN] == ["t2"]


@pytest.mark.skipif(os.geteuid() != 0, reason="planting folders owned by other accounts needs root")
def test_a_folder_that_vanishes_while_collect_reads_is_listed_not_a_crash(course, root, nb, tmp_path, monkeypatch):
    """A trainee who makes and removes folders in inbound in a loop must not stop collect for everyone:
    the folder gone by the time collect looks at it is listed, the others are collected."""
    from repairlab.supervisor import exchange as exchange_module
    from repairlab.supervisor.collect import collect_from_exchange

    exchange = tmp_path / "exchange"
    inbound = exchange / "repairlab" / "inbound"
    inbound.mkdir(parents=True)
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as fh:
        fh.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    write_tree(root / ".repairlab", {"login-map.json": '{"logins": {"daemon": "t1", "nobody": "t2"}}'})
    _submission(inbound, "daemon", "2026-12-01 10:00:00.000000 UTC", nb[OWN], owner="daemon")
    racing = _submission(inbound, "nobody", "2026-12-01 11:00:00.000000 UTC", "{}", owner="nobody")
    real_check = exchange_module._owner_problem

    def removed_first(found):
        if found.folder == racing:  # the trainee's loop removes it between the listing and the look
            import shutil

            shutil.rmtree(racing)
        return real_check(found)

    monkeypatch.setattr(exchange_module, "_owner_problem", removed_first)
    summary = collect_from_exchange(open_course(root), ["t1", "t2"], OWN)
    assert (root / "submitted/t1" / OWN / f"{OWN}.ipynb").read_text() == nb[OWN]
    assert "could not be looked at" in dict(summary.problems)[f"exchange:{racing.name}"]


def test_names_a_trainee_chose_cannot_drive_the_supervisors_terminal():
    """Folder names reach collect's report; escape sequences, carriage returns and newlines in them are
    shown as text, so a name cannot clear the screen, change the title or fake a line."""
    from repairlab.supervisor.collect.summary import Summary

    hostile = "ta-t03\x1b]0;PWNED\x07\x1b[2J\x1b[31m+owning-your-part+x\r\x1b[2K\n  t03  owning-your-part  from REAL"
    shown = Summary(problems=[(f"exchange:{hostile}", f"refused: {hostile}")]).render()
    assert "\x1b" not in shown and "\r" not in shown and "\x07" not in shown
    assert not any(line.startswith("  t03") for line in shown.splitlines()), "no faked line"
    assert "\\x1b[2J" in shown, "the name is still shown, as text"
