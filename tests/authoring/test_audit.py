"""Items and keys read as data from the files the widgets and hidden tests use, and the item audit
that keeps surface cues from giving the key away."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from repairlab.authoring.audit import (
    audit_exercise,
    audit_items,
    audit_module,
    cue_only_fraction,
    cue_predicts,
    report_lines,
)
from repairlab.cli import main
from repairlab.items import Item
from repairlab.nbgrader_api.parts import ItemError, exercise_parts


def single(key, *options):
    return Item("t", "single-best", key, options=options)


def test_cues_are_measured_as_a_test_wise_trainee_reads_them():
    items = [
        single("A", "I got it wrong and I am sorry, how was that for you?", "No.", "Fine then.", "Carry on."),
        single("B", "We could stop.", "I may have rushed you?", "You always do this to people.", "Fine."),
    ]
    assert cue_predicts(items, "longest") == [True, False]
    assert cue_predicts(items, "question") == [True, True]
    assert cue_predicts(items, "first-person") == [True, True]
    assert cue_predicts(items, "tentative") == [False, False]  # two options hedge in item 2: no single one


def test_a_labelling_cue_predicts_only_the_favoured_label():
    items = [Item("s", "labelling", "owning", text="I was late; that's on me.", labels=("owning", "defending")),
             Item("s", "labelling", "defending", text="I had a good reason.", labels=("owning", "defending"))]
    assert cue_predicts(items, "first-person") == [True, False]


def _part(tmp_path, markdown, answer, test):
    nb = new_notebook(
        cells=[
            new_markdown_cell(
                markdown,
                metadata={
                    "nbgrader": {
                        "grade": False,
                        "solution": False,
                        "locked": True,
                        "grade_id": "items",
                        "schema_version": 3,
                    }
                },
            ),
            new_code_cell(
                answer,
                metadata={
                    "nbgrader": {
                        "grade": False,
                        "solution": True,
                        "locked": False,
                        "grade_id": "ans",
                        "schema_version": 3,
                    }
                },
            ),
            new_code_cell(
                test,
                metadata={
                    "nbgrader": {
                        "grade": True,
                        "solution": False,
                        "locked": True,
                        "grade_id": "test",
                        "points": 2,
                        "schema_version": 3,
                    }
                },
            ),
        ]
    )
    path = tmp_path / "ex.ipynb"
    nbformat.write(nb, path)
    return path


SINGLE_BEST = """**Situation 1.** A client says something.

- **A.** A long, long answer that is the key here, would you say?
- **B.** Short one.
- **C.** Another short.
- **D.** Last.

**Situation 2.** Another client.

- **A.** Somewhat longer distractor text here.
- **B.** The key.
- **C.** Hm.
- **D.** Eh.
"""
TEST = '''from repairlab.checks import check_list
check_list(picks, allowed=["A", "B", "C", "D"], count=2, name="picks")
### BEGIN HIDDEN TESTS
from repairlab.checks import score_items
score_items(picks, points=2, item="Situation", key=[("A", "Why A."), ("B", "Why B.")])
### END HIDDEN TESTS
'''


def test_a_single_best_part_is_read_with_its_key_and_options(tmp_path):
    [part] = exercise_parts("ex", _part(tmp_path, SINGLE_BEST, "picks = []", TEST))
    assert (part.grade_id, part.answer_id, part.variable, part.points, part.count) == ("test", "ans", "picks", 2.0, 2)
    assert [i.key for i in part.items] == ["A", "B"]
    assert part.items[0].options[0].startswith("A long, long answer")
    assert part.key[1] == ("B", "Why B.")
    fraction, rule = cue_only_fraction(part)
    assert fraction == 0.5 and rule in {"pick by longest", "pick by question", "always A", "always B"}


def test_a_labelling_part_reads_the_therapist_statement(tmp_path):
    markdown = ("Label each.\n\n1. *Client:* You were late.\n   *Therapist:* \"I was late; that's on me.\"\n"
                "2. *Client:* Hm.\n   *Therapist:* \"Traffic.\"\n")
    test = TEST.replace('allowed=["A", "B", "C", "D"]', 'allowed=["owning", "defending"]').replace(
        'key=[("A", "Why A."), ("B", "Why B.")]', 'key=[("owning", "w"), ("defending", "w")]')
    [part] = exercise_parts("ex", _part(tmp_path, markdown, "picks = []", test))
    assert [(i.text, i.key) for i in part.items] == [("I was late; that's on me.", "owning"), ("Traffic.", "defending")]
    assert cue_only_fraction(part)[0] == 1.0  # "I" marks the owning one: a giveaway the audit reports


TRANSCRIPT = """**T1.** *Therapist:* "How was the week?"

**C1.** *Client:* "Fine."

**T2.** *Therapist:* "And the homework?"

**C2.** *Client:* "You always ask that.
It goes on."

**C3.** *Client:* "Sorry. It was OK."
"""
CODING_TEST = """from repairlab.checks import check_list
from repairlab.labels import MARKERS
check_list(codes, allowed=list(MARKERS), count=3, name="codes")
### BEGIN HIDDEN TESTS
from repairlab.checks import score_agreement
score_agreement(codes, points=2, key=[("withdrawal", "w"), ("confrontation", "c"), ("none", "n")])
### END HIDDEN TESTS
"""
RATING_TEST = """from repairlab.checks import check_ratings
check_ratings(r, count=3, name="r")
### BEGIN HIDDEN TESTS
from repairlab.checks import score_ratings
score_ratings(r, points=3, key=[(1, "a"), (5, "b"), (4, "c")])
### END HIDDEN TESTS
"""


def test_a_transcript_part_reads_client_turns_and_scores_a_constant_coder_by_band(tmp_path):
    [part] = exercise_parts("ex", _part(tmp_path, TRANSCRIPT, "codes = []", CODING_TEST))
    assert part.scorer == "score_agreement" and part.allowed == ("none", "withdrawal", "confrontation")
    assert [(i.text, i.key) for i in part.items] == [
        ("Fine.", "withdrawal"), ('You always ask that. It goes on.', "confrontation"), ("Sorry. It was OK.", "none")]
    # coding every turn alike agrees on a third: under the lowest band, so no points
    assert cue_only_fraction(part)[0] == 0.0


def test_a_rating_part_reads_attempts_and_a_constant_rater_gets_full_credit_only_when_exact(tmp_path):
    markdown = (
        "**Attempt 1.** The therapist names it.\n\n**Attempt 2.** She defends.\n\n**Attempt 3.** They agree a plan.\n"
    )
    [part] = exercise_parts("ex", _part(tmp_path, markdown, "r = []", RATING_TEST))
    assert [(i.kind, i.key) for i in part.items] == [("rating", 1), ("rating", 5), ("rating", 4)]
    assert part.allowed == (1, 2, 3, 4, 5) and part.item_word == "Attempt"
    assert cue_only_fraction(part) == (0.5, "always rate 4")  # 0 + 1/2 (5, one off) + 1 (4), of 3


def test_a_part_whose_items_and_key_disagree_is_named(tmp_path):
    with pytest.raises(ItemError, match="ex.ipynb, part 'test': 1 groups of options but the key has 2"):
        exercise_parts("ex", _part(tmp_path, SINGLE_BEST.split("**Situation 2.**")[0], "picks = []", TEST))


def test_the_course_passes_the_item_audit(course):
    lines, failures = report_lines(course)
    assert failures == 0, "\n".join(lines)
    for module in course.modules:
        assert audit_module(course, module).items >= 8
    for exercise in course.exercises:
        result = audit_exercise(course, exercise.id)
        assert result.points > 0 and result.cue_only <= result.points / 3


def test_the_audit_fails_when_a_cue_or_a_position_gives_the_key_away():
    giveaway = [single("A", "the longest option of all of them, is it?", "short", "short.", "short!")] * 3
    result = audit_items("m", giveaway + [single("B", "a", "bb cc", "c", "d")])
    assert result.rates["longest"] == 1.0 and result.rates["position"] == 0.75
    assert any("'longest' points to the key in 100%" in p for p in result.problems)
    assert any("'position'" in p for p in result.problems)
    varied = [single(k, "one two three", "one two", "one two three four", "one") for k in "ABCD"]
    assert not audit_items("m", varied).problems


def test_check_runs_the_item_audit_and_the_panel(capsys, monkeypatch, course):
    monkeypatch.chdir(course.root)
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert out.count("audit ok  module") == len(course.modules)
    assert out.count("audit ok  exercise") == len(course.exercises)
    assert out.count("panel ok ") == len(course.modules) + len(course.exercises)


def _styled_items(module: str, n: int, key_style: str, seed: int):
    """Single-best items whose key carries ``key_style`` (added to one option) or, with "", none."""
    import random

    from repairlab.items import Item

    rng = random.Random(seed)
    plain = ["Let us look at the plan for this week together.", "Tell me what happened at work on Monday.",
             "We could go back to the list from last time.", "What do you want to start with today then."]
    items = []
    for k in range(n):
        options = rng.sample(plain, 4)
        key = rng.randrange(4)
        if key_style:
            options[key] = options[key] + key_style
        items.append(Item(f"{module} item {k}", "single-best", "ABCD"[key], options=tuple(options)))
    return items


def test_the_style_learner_finds_a_planted_cue_in_a_module_it_never_saw():
    """A cue the key carries in every module (here: a hedged second sentence) is learned from the
    others and found in the held-out one, so the audit fails; with no cue it stays near chance."""
    from repairlab.authoring.audit import learner_lines
    from repairlab.authoring.style_learner import leave_one_module_out

    cue = " I wonder if that is right?"
    planted = {f"m{i}": _styled_items(f"m{i}", 10, cue, i) for i in range(4)}
    results = leave_one_module_out(planted)
    assert all(r.accuracy >= 0.9 and r.beats_chance for r in results)
    lines, failures = learner_lines(planted)
    assert failures == len(results) + 1 and any("BAD style learner on all modules" in line for line in lines)

    neutral = {f"m{i}": _styled_items(f"m{i}", 10, "", i) for i in range(4)}
    assert learner_lines(neutral)[1] == 0


def test_the_style_learner_on_the_course_is_a_gate_of_repairlab_check(course):
    from repairlab.authoring.audit import report_lines

    lines, failures = report_lines(course)
    learner = [line for line in lines if "style learner on" in line]
    assert len(learner) == len(course.modules) + 1 and failures == 0, "\n".join(lines)
