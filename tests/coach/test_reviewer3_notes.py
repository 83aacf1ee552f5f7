"""The third user-seat reviewer's findings (tests/coach/reviewer3.yml), each as a test that fails if the
coach goes back: a non-apology, a justification or a fresh stereotype earns nothing and is named as what
it is; misspelt or non-native English never gets a confident "not met"; a plain check-in is recognised;
evidence comes from the sentence doing the element's work."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from repairlab.coach.exercise import exercise_coach

SET = yaml.safe_load((Path(__file__).parent / "reviewer3.yml").read_text(encoding="utf-8"))
TEXT = {r["id"]: r["text"] for task in SET.values() for r in task["responses"]}
TASKS = {"t": "owning-your-part", "b": "cultural-ruptures", "h": "repair-strategies"}


@pytest.fixture(scope="module")
def judge(course):
    coaches = {ex: exercise_coach(course, ex, SET[ex]["task"]) for ex in TASKS.values()}
    return lambda answer_id: coaches[TASKS[answer_id[0]]].judge(TEXT[answer_id])


def test_a_non_apology_earns_nothing_and_is_named(judge):
    for j in judge("t18"):
        assert j.score == 0 and "non-apology" in j.why and "\u201csorry you felt\u201d" in j.why, (j.name, j.why)


@pytest.mark.parametrize("answer_id, words", [("t20", "so I had to"), ("h02", "That's how this therapy works")])
def test_a_justification_earns_nothing_even_beside_a_question(answer_id, words, judge):
    for j in judge(answer_id):
        assert j.score == 0 and "justify" in j.why and words in j.evidence, (j.name, j.why, j.evidence)


def test_a_fresh_stereotype_is_flagged_as_not_owning(judge):
    for j in judge("b03"):
        assert j.score == 0 and "generalisation about a group" in j.why and "I know Asian culture" in j.why


def test_over_apology_is_named_as_over_apology(judge):
    for j in judge("t06"):
        assert j.score == 0 and "over-apology" in j.why and "defend" not in j.why


def test_misspelt_non_native_owning_is_never_a_confident_not_met(judge):
    assert all(j.score != 0 for j in judge("b05")), [(j.name, j.score) for j in judge("b05")]


@pytest.mark.parametrize("answer_id", ["t16", "t23", "t26", "h03"])
def test_a_plain_question_about_their_experience_is_a_check_in(answer_id, judge):
    assert judge(answer_id)[3].score == 1, judge(answer_id)[3]


def test_moving_on_is_not_a_check_in(course):
    coach = exercise_coach(course, "owning-your-part", "written-repair")
    text = "I looked at my phone, that was my mistake. What would you like to talk about now?"
    assert coach.judge(text)[3].score != 1


def test_evidence_comes_from_the_sentence_doing_the_elements_work(judge):
    act, _, _, checkin = judge("t16")
    assert "notifications" not in act.evidence and "train" not in checkin.evidence


def test_shall_we_go_on_is_not_said_to_work_against_a_change(judge):
    change = judge("t15")[2]
    assert "Shall we go on" not in change.why and "Shall we go on" not in change.evidence
