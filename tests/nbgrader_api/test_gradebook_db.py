"""``db_url`` is honoured by every ``repairlab`` command: a PostgreSQL gradebook on loopback, from an
empty database to grades, export and report, and one sentence naming the setting when the database
cannot be opened, reached or holds no gradebook."""

from __future__ import annotations

import csv
import secrets

import pytest
import yaml

from repairlab.cli import main

from helpers import DATA, copy_course, error_sentence
from helpers.hub_postgres import PostgresServer, free_port, require_postgres

pytestmark = [pytest.mark.server, pytest.mark.grading]
EXERCISE = "owning-your-part"


def use_database(root, db_url: str) -> None:
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as fh:
        fh.write(f"\nc.CourseDirectory.db_url = {db_url!r}\n")


@pytest.fixture(scope="module")
def postgres():
    require_postgres()
    server = PostgresServer(f"rlt-{secrets.token_hex(3)}-pg")
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.mark.parametrize("db_url, words", [
    (f"postgresql+psycopg2://sam:s3cret-word@127.0.0.1:{free_port()}/gradebook", "cannot be reached"),
    ("postgresql://sam:s3cret-word@127.0.0.1:5432/gradebook", "write postgresql+psycopg2://"),
])
def test_a_gradebook_database_that_cannot_be_used_is_one_sentence(tmp_path, monkeypatch, capsys, db_url, words):
    root = copy_course(tmp_path / "course")
    use_database(root, db_url)
    monkeypatch.chdir(root)
    assert main(["pending"]) == 2
    err = error_sentence(capsys.readouterr().err)
    assert err.startswith("repairlab: the gradebook database postgresql"), err
    assert words in err and "c.CourseDirectory.db_url in" in err
    assert "s3cret-word" not in err, "the password is never printed"


def test_every_command_uses_a_postgresql_gradebook(postgres, tmp_path, monkeypatch, capsys):
    root = copy_course(tmp_path / "course")
    use_database(root, postgres.create_database("rlt_supervisor", "rlt_gradebook"))
    monkeypatch.chdir(root)

    assert main(["pending"]) == 2
    assert "holds no gradebook: import the roster first" in capsys.readouterr().err

    assert main(["demo-cohort", "demo", "--size", "3"]) == 0
    assert main(["roster", "import", "demo/roster.csv"]) == 0
    assert "Imported 3 trainee(s)" in capsys.readouterr().out
    assert main(["collect", "demo/submissions", "--exercise", EXERCISE]) == 0
    assert "Placed 3 submission(s)" in capsys.readouterr().out
    assert main(["grade", EXERCISE]) == 0
    out = capsys.readouterr().out
    assert "Autograded 3 of 3 submission(s)." in out and "Registered" not in out, "the gradebook knew every exercise"

    scores = dict(line.split("|") for line in postgres.sql(
        "SELECT a.student_id, sum(g.auto_score) FROM grade g JOIN submitted_notebook n ON g.notebook_id = n.id "
        "JOIN submitted_assignment a ON n.assignment_id = a.id JOIN assignment x ON a.assignment_id = x.id "
        f"WHERE x.name = '{EXERCISE}' GROUP BY a.student_id", "rlt_gradebook").splitlines())
    expected = yaml.safe_load((DATA / "cohort_expected.yml").read_text())[EXERCISE]
    assert {t: float(s) for t, s in scores.items()} == {
        "t01": expected["complete"], "t02": expected["partial"], "t03": expected["blank"]}

    assert main(["export", "--to", "grades.csv"]) == 0
    with open(root / "grades.csv", newline="", encoding="utf-8-sig") as fh:
        exported = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(fh)}
    assert (
        exported[("t03", EXERCISE)]["score_so_far"] == "0" and exported[("t01", EXERCISE)]["status"] == "needs grading"
    )
    assert main(["report"]) == 0
    assert (root / "reports" / "cohort-report.html").is_file()
    assert not list(root.rglob("*.db")), "no SQLite gradebook was made beside the PostgreSQL one"
