"""Answer checks speak to trainees: clear messages, partial credit, nothing on stderr."""

import pytest

from repairlab.checks import (
    NO_REASON,
    ItemResult,
    check_list,
    check_ratings,
    check_selection,
    grade_agreement,
    grade_items,
    grade_ratings,
    score_items,
    score_selection,
)
from repairlab.errors import AnswerError

LABELS = ["owning", "defending", "deflecting", "over-apologising"]


def test_a_good_answer_passes_quietly(capsys):
    assert check_list(["owning", "Defending "], allowed=LABELS, count=2, name="labels") is None
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("owning", "labels has 1 line with an answer; it needs 2"),
        (3, "should be your answers between the two lines of three quotes"),
        (["owning"], "labels has 1 answer; it needs 2, one answer per item in order."),
        (["owning", 3], "Answer 2 of labels is 3 (int); write it as text"),
        (["owning", "owing"], 'Did you mean "owning"?'),
        (["owning", "blaming"], "Allowed: owning, defending, deflecting, over-apologising"),
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
    assert lines == ["AnswerError: statement_labels has 0 answers; it needs 8, one answer per item in order. "
                     "Allowed answers: owning, defending, deflecting, over-apologising"]


@pytest.mark.parametrize(
    "answer, expected",
    [
        ([], "is empty: choose at least one"),
        (["A", "a"], "names option \"a\" again"),
        ("\nA\n\na\n", "picks, line 3 names option \"a\" again \\(line 1 already has it\\)"),
        (7, "should be your answers"),
        (["G"], "not an allowed"),
    ],
)
def test_selection_checks(answer, expected):
    with pytest.raises(AnswerError, match=expected):
        check_selection(answer, allowed=["A", "B", "C"], name="picks")


def test_score_items_gives_partial_credit_and_prints_what_was_said_about_the_answer_given(capsys):
    key = [("owning", "why one"), ("defending", "why two"), ("deflecting", "why three"), ("owning", "why four")]
    said = {"owning": "what owning would need", "deflecting": "what deflecting would need"}
    assert score_items(["owning", "owning", "deflecting", "OWNING"], key, points=4, label_checks=said) == 3
    out, err = capsys.readouterr()
    assert "Item 2: owning, not as the key. what owning would need" in out
    assert "why" not in out and err == "", "neither the key's why of a missed item nor a matched one's is printed"
    assert "defending" not in out, "the key's label is never printed"


def test_items_are_data_and_a_missed_one_never_carries_the_keys_why():
    key = [("B", "why B"), ("C", "why C")]
    chosen = [{"A": "what A does", "C": "what C does", "D": "what D does"},
              {"A": "A here", "B": "B here", "D": "D here"}]
    graded = grade_items("\nb\nD\n", key, points=2, item="Situation", chosen=chosen)
    assert graded.score == 1 and graded.summary == "1 of 2 as the key."
    assert graded.items == [ItemResult("Situation", 1, "b", True, "why B"),
                            ItemResult("Situation", 2, "D", False, "D here")]
    # no sentence for the answer given: a neutral pointer, never the key's why
    assert grade_items(["B", "A"], key, points=2).items[1].reason == NO_REASON


def test_a_missed_label_gets_the_check_for_the_label_chosen_and_the_items_pointer():
    key = [("withdrawal", "why w"), ("none", "why n")]
    graded = grade_agreement(["confrontation", "none"], key, points=1,
                             label_checks={"confrontation": "Moves against?", "withdrawal": "Moves away?"},
                             look_again=["Look at her last words.", "Look at the car."])
    assert graded.items[0] == ItemResult("Turn", 1, "confrontation", False, "Moves against? Look at her last words.")
    assert graded.items[1].reason == "why n" and "50%" in graded.summary


def test_score_selection_counts_options_judged_as_the_key(capsys):
    key = {"A": (True, "a"), "B": (False, "b"), "C": (True, "c")}
    assert score_selection(["A", "B"], key, points=3, chosen={"B": "what B does", "C": "what C does"}) == 1
    assert score_selection(["A", "C"], key, points=3) == 3
    out = capsys.readouterr().out
    assert "Option B: chosen, not judged as the key. what B does" in out
    assert "Option C: left out, not judged as the key. what C does" in out and "belong" not in out


# Answers as a text block, one per line: what a therapist types, from a keyboard, Word or a phone.
FORGIVING = """
“Owning”
  DEFENDING ,
1. over apologising
‘deflecting’
# a line starting with # is a note, not an answer

over_apologising
"""


def test_a_text_block_tolerates_quotes_case_spacing_and_numbering(capsys):
    check_list(FORGIVING, allowed=LABELS, count=5, name="labels")
    key = [("owning", "a"), ("defending", "b"), ("over-apologising", "c"), ("deflecting", "d"),
           ("over-apologising", "e")]
    assert score_items(FORGIVING, key, points=5) == 5
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("\nowning\ndefending\n", "labels has 2 lines with an answer; it needs 3, one answer per item in order."),
        ("\nowning\nowning, defending\ndeflecting\n",
         'labels, line 2 ("owning, defending") holds more than one answer: put each on a line of its own.'),
        ("\nowning\n\nblamming\ndefending\n",
         'labels, line 3 is "blamming", which is not an allowed answer. Allowed: owning,'),
        ("\nowning\nowing\ndefending\n", 'labels, line 2 is "owing", which is not an allowed answer. '
                                             'Did you mean "owning"?'),
    ],
)
def test_a_malformed_text_block_gets_one_sentence_naming_its_line(answer, expected):
    with pytest.raises(AnswerError) as caught:
        check_list(answer, allowed=LABELS, count=3, name="labels")
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


def test_ratings_as_text_lines():
    check_ratings("\n 2\n5\n“4”\n", count=3, name="ratings")
    assert grade_ratings("\n2\n5\n3\n", [(2, ""), (5, ""), (4, "")], points=3)[0] == 2.5
    with pytest.raises(AnswerError, match='ratings, line 2 is "five"; write a whole number from 1 to 5.'):
        check_ratings("\n2\nfive\n4\n", count=3, name="ratings")
    with pytest.raises(AnswerError, match="ratings has 2 lines with an answer; it needs 3, one rating per item"):
        check_ratings("\n2\n4\n", count=3, name="ratings")
