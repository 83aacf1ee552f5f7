"""The response coach's data: each exercise's labelled bank is complete (two blind raters and a
settled score for every response), stays out of every release and edition, and the practice model
trainees use is the one the banks give."""

from __future__ import annotations

import json

import pytest

from repairlab.authoring.coach import banks, coach_agreement, practice_model, rater_agreement
from repairlab.authoring.key import course_key
from repairlab.coach.practice import MODEL
from repairlab.trainee.lab import ALWAYS_HIDDEN

from helpers import REPO


@pytest.fixture(scope="module")
def all_banks(course):
    return banks(course)


def test_every_written_task_has_a_bank_of_sixty_rated_twice_and_settled(course, all_banks):
    assert {b.exercise for b in all_banks} == {ex.id for ex in course.exercises
                                               if (course.paths.source(ex.id) / "calibration.yml").is_file()}
    for bank in all_banks:
        assert len(bank.responses) >= 60
        assert all(len(r.raters) >= 2 for r in bank.responses)
        assert len({r.id for r in bank.responses}) == len(bank.responses)


def test_rater_agreement_is_reported_per_element(all_banks):
    for bank in all_banks:
        rows = rater_agreement(bank)
        assert [r.element for r in rows] == [e.name for e in bank.elements]
        assert all(0 <= r.exact <= 1 and (r.kappa is None or -1 <= r.kappa <= 1) for r in rows)


def test_the_practice_model_is_the_one_the_banks_give(course, all_banks):
    """Rebuild with `python -m repairlab.authoring.coach practice-model` after changing a bank."""
    assert json.loads(MODEL.read_text(encoding="utf-8")) == json.loads(json.dumps(practice_model(course, all_banks)))


def test_the_bank_never_leaves_the_solutions(course, all_banks):
    config = (REPO / "nbgrader_config.py").read_text(encoding="utf-8")
    assert '"coach-bank.yml"' in config  # nbgrader never copies it into a release
    assert "coach-bank*.yml" in ALWAYS_HIDDEN  # hidden from the trainee's file browser, never in the edition
    key = course_key(course)
    for bank in all_banks:
        assert all(r.text.strip() in key.lines for r in bank.responses if len(r.text.strip()) >= 12)
        assert not (course.paths.release(bank.exercise) / "coach-bank.yml").exists()


def test_the_coach_meets_the_bar_on_each_bank_held_out(course, all_banks):
    """Cross-validated, whole responses held out: every element is judged at kappa .60 or more on the
    responses it judges, and each task's coverage is at least 60% (issue 18's bar). Each element also
    judges at least 55% of its responses: a floor of our own, below the 60% it held until the third
    reviewer's fixes (non-apologies and justifications earn nothing) took 'Checks it with her' to 59%
    (`python -m repairlab.authoring.coach evaluate` prints them)."""
    for bank in all_banks:
        rows, pooled, coverage = coach_agreement(course, bank)
        for row in rows:
            assert row.kappa is not None and row.kappa >= 0.60, (row.exercise, row.element, row.kappa)
            assert row.coverage >= 0.55, (row.exercise, row.element, row.coverage)
        assert pooled >= 0.60 and coverage >= 0.60
