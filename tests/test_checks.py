"""Answer checks speak to trainees: clear messages, partial credit, nothing on stderr."""

import pytest

from repairlab.checks import check_list, check_selection, score_items, score_selection
from repairlab.errors import AnswerError

LABELS = ["owning", "defending", "deflecting", "over-apologising"]


def test_a_good_answer_passes_quietly(capsys):
    assert check_list(["owning", "Defending "], allowed=LABELS, count=2, name="labels") is None
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("owning", "should be a list of 2 answers"),
        (["owning"], "should have 2 answers, one per item in order; it has 1"),
        (["owning", 3], "Answer 2 of labels is 3 (int); write it as text in quotes"),
        (["owning", "owing"], "Did you mean 'owning'?"),
        (["owning", "blaming"], "Allowed: 'owning', 'defending', 'deflecting', 'over-apologising'"),
    ],
)
def test_wrong_answers_get_a_message_naming_what_is_expected(answer, expected):
    with pytest.raises(AnswerError, match=expected.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        check_list(answer, allowed=LABELS, count=2, name="labels")


def test_error_renders_as_one_line_in_a_notebook():
    try:
        check_list([], allowed=LABELS, count=8, name="statement_labels")
    except AnswerError as exc:
        lines = exc._render_traceback_()
    assert lines == ["AnswerError: statement_labels should have 8 answers, one per item in order; it has 0. "
                     "Allowed answers: 'owning', 'defending', 'deflecting', 'over-apologising'"]


@pytest.mark.parametrize(
    "answer, expected",
    [
        ([], "is empty: choose at least one"),
        (["A", "a"], "more than once"),
        ("A", "should be a list"),
        (["G"], "not an allowed"),
    ],
)
def test_selection_checks(answer, expected):
    with pytest.raises(AnswerError, match=expected):
        check_selection(answer, allowed=["A", "B", "C"], name="picks")


def test_score_items_gives_partial_credit_and_says_why(capsys):
    key = [("owning", "why one"), ("defending", "why two"), ("deflecting", "why three"), ("owning", "why four")]
    assert score_items(["owning", "owning", "deflecting", "OWNING"], key, points=4) == 3
    out, err = capsys.readouterr()
    assert "Item 2: not as the key. why two" in out
    assert "why one" not in out and err == ""
    assert "defending" not in out, "the key's label is never printed"


def test_score_selection_counts_options_judged_as_the_key(capsys):
    key = {"A": (True, "a"), "B": (False, "b"), "C": (True, "c")}
    assert score_selection(["A", "B"], key, points=3) == 1
    assert score_selection(["A", "C"], key, points=3) == 3
    out = capsys.readouterr().out
    assert "Option B: not judged as the key. b" in out and "belong" not in out
