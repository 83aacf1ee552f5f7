"""Roster import: all or nothing, every bad row named; ids that are safe folder names in any script
and unique ignoring case."""

from __future__ import annotations

import pytest

from repairlab.nbgrader_api import open_course
from repairlab.supervisor.ids import MAX_ID_LENGTH, id_problem
from repairlab.supervisor.lms import RosterError
from repairlab.supervisor.roster import import_roster, read_roster, roster_ids

from helpers import formgrader_gradebook


def write(folder, text, name="r.csv"):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- with the gradebook (moved from test_supervisor.py) ----------------------------------------


@pytest.mark.grading
def test_roster_import_adds_every_trainee(scratch_course):
    (scratch_course / "r.csv").write_text("id,name,email\nana,Ana Lima,ana@example.org\nwei,Wei Tan,\n")
    import_roster(open_course(scratch_course), scratch_course / "r.csv")
    with formgrader_gradebook(scratch_course) as gb:
        ana = gb.find_student("ana")
        assert (ana.first_name, ana.last_name, ana.email) == ("Ana", "Lima", "ana@example.org")
        assert [s.id for s in gb.students] == ["ana", "wei"]


@pytest.mark.grading
@pytest.mark.parametrize(
    "text, message",
    [
        ("id,name\nana,Ana Lima\n", "missing column(s) email"),
        ("id,name,email\nana,Ana,a@x.org\nbo,Bo,b@x.org\nana,Ana Again,c@x.org\n", "row 4: duplicate id 'ana' (first "
                                                                                   "on row 2)"),
        ("id,name,email\nana lima,Ana,a@x.org\n", "row 2: id 'ana lima' must be letters"),
        ("id,name,email\nana,Ana,not-an-email\nbo,,b@x.org\n", "row 2: email 'not-an-email' is not an email address\n  "
                                                               "row 3: name is empty"),
        ("id,name,email\nana,Ana,a@x.org,extra\n", "row 2: has more cells than the header"),
        ("id,name,email\nana,Ana,a@x.org\nAna,Ana Again,c@x.org\n", "row 3: id 'Ana' is the same as 'ana' on row 2 "
                                                                    "except for case"),
    ],
)
def test_a_bad_roster_names_the_row_and_imports_nothing(scratch_course, text, message):
    (scratch_course / "good.csv").write_text("id,name,email\nzoe,Zoe Ng,zoe@example.org\n")
    import_roster(open_course(scratch_course), scratch_course / "good.csv")
    (scratch_course / "bad.csv").write_text(text)
    with pytest.raises(RosterError) as info:
        import_roster(open_course(scratch_course), scratch_course / "bad.csv")
    assert message in str(info.value)
    assert "missing column" in message or "nothing was imported" in str(info.value)
    assert roster_ids(open_course(scratch_course)) == ["zoe"]


@pytest.mark.grading
def test_non_latin_ids_are_imported_as_written(scratch_course):
    path = write(scratch_course, "id,name,email\n지우,박지우 Park,jiwoo@example.org\n王芳,王 芳,\nJosé,José "
                                 "Silva,\nfatima_z,فاطمة الزهراء,\n")
    import_roster(open_course(scratch_course), path)
    assert roster_ids(open_course(scratch_course)) == sorted(["지우", "王芳", "José", "fatima_z"])
    with formgrader_gradebook(scratch_course) as gb:
        assert gb.find_student("fatima_z").first_name == "فاطمة"


@pytest.mark.grading
def test_an_id_differing_only_in_case_from_one_in_the_gradebook_is_refused(scratch_course):
    import_roster(open_course(scratch_course), write(scratch_course, "id,name,email\nana,Ana Lima,\n"))
    with pytest.raises(RosterError, match=r"id 'ANA' is the same as 'ana', already in the gradebook, except for case"):
        import_roster(
            open_course(scratch_course),
            write(scratch_course, "id,name,email\nbo,Bo Chen,\nANA,Ana Lima,\n", "again.csv"),
        )
    assert roster_ids(open_course(scratch_course)) == ["ana"]
    import_roster(
        open_course(scratch_course), write(scratch_course, "id,name,email\nana,Ana Lima-Costa,\n", "update.csv")
    )  # same id: an update
    assert roster_ids(open_course(scratch_course)) == ["ana"]


# ---- the id rules (no gradebook) ---------------------------------------------------------------


@pytest.mark.parametrize("good", ["ana", "t01", "ana.lima", "ana_lima", "ana-lima", "지우", "王芳", "José", "Zoë",
                                  "अनिल", "_x", "a" * MAX_ID_LENGTH])
def test_ids_in_any_script_are_accepted(good):
    assert id_problem(good) is None


@pytest.mark.parametrize("bad, why", [
    ("ana lima", "must be letters"), ("a/b", "must be letters"), ("a\\b", "must be letters"), ("..", "must not start "
                                                                                                     "with '.'"),
    (".hidden", "must not start with '.'"), ("-rf", "must not start with '.' or '-'"), ("a:b", "must be letters"),
    ("a" * (MAX_ID_LENGTH + 1), "at most 64"), ("", "is empty"), ("=1+1", "must be letters"),
])
def test_ids_that_are_no_safe_folder_name_are_refused(bad, why):
    assert why in id_problem(bad)


def test_case_insensitive_duplicates_name_both_rows(tmp_path):
    path = write(tmp_path, "id,name,email\nana,Ana Lima,\nbo,Bo Chen,\nAna,Ana Costa,\nBO,Bo Again,\n")
    with pytest.raises(RosterError) as info:
        read_roster(path)
    text = str(info.value)
    assert "row 4: id 'Ana' is the same as 'ana' on row 2 except for case" in text
    assert "row 5: id 'BO' is the same as 'bo' on row 3 except for case" in text
    assert text.startswith("r.csv: nothing was imported")


def test_a_300_character_id_is_one_clear_error(tmp_path):
    path = write(tmp_path, "id,name,email\n" + "x" * 300 + ",Long Id,\nana,Ana Lima,\n")
    with pytest.raises(RosterError) as info:
        read_roster(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 2, lines
    assert lines[1].strip() == "row 2: id '" + "x" * 32 + "…' is 300 characters long; an id has at most 64"


def test_ids_are_stored_in_composed_form(tmp_path):
    decomposed = "Jose\u0301"  # as macOS may type it
    trainees = read_roster(write(tmp_path, f"id,name,email\n{decomposed},José Silva,\n"))
    assert [t.id for t in trainees] == ["José"]
