"""Answer checks speak to trainees: clear messages, partial credit, nothing on stderr."""

import pytest

from repairlab import checks
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
        ("owning", "There is 1 answer; 2 are needed, one per item, in order."),
        (3, "should be typed between the two lines of three quotes"),
        (["owning"], "There is 1 answer; 2 are needed, one per item, in order."),
        (["owning", 3], "Answer 2 (3) should be written as text"),
        (["owning", "owing"], 'did you mean "owning"?'),
        (["owning", "blaming"], "Allowed answers: owning, defending, deflecting, over-apologising."),
    ],
)
def test_wrong_answers_get_a_message_naming_what_is_expected(answer, expected):
    with pytest.raises(AnswerError, match=expected.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        check_list(answer, allowed=LABELS, count=2, name="labels")


def test_error_renders_as_one_plain_line_in_a_notebook():
    try:
        check_list([], allowed=LABELS, count=8, name="statement_labels")
    except AnswerError as exc:
        lines = exc._render_traceback_()
    assert lines == ["Your answer is still blank: type your 8 answers in the box above, one per line. "
                     "Allowed answers: owning, defending, deflecting, over-apologising."]


def test_every_problem_is_listed_at_once_without_code_words():
    with pytest.raises(AnswerError) as caught:
        check_list("\nowning\nowing\nowning, defending\nblamming\n", allowed=LABELS, count=6, name="statement_labels")
    lines = caught.value._render_traceback_()
    assert lines == ["4 things to fix in your answer above:",
                     '• Line 2 ("owing") is not one of the four labels; did you mean "owning"?',
                     '• Line 3 ("owning, defending") holds more than one answer: put each on a line of its own.',
                     '• Line 4 ("blamming") is not one of the four labels.',
                     "• There are 4 answers; 6 are needed, one per item, in order.",
                     "Allowed answers: owning, defending, deflecting, over-apologising."]
    assert not any(word in str(caught.value) for word in ("statement_labels", "AnswerError", "Error", "[", "_"))


def test_a_passing_check_says_so_in_the_trainees_kernel_only(capsys, monkeypatch):
    monkeypatch.setattr(checks, "trainee_shell", lambda: object())  # as in a trainee's kernel
    check_list("\nA\nd\n", allowed=["A", "B", "C", "D"], count=2, name="best_repair")
    assert capsys.readouterr().out == ("Looks complete: 2 answers, each one of the letters A to D (this check cannot "
                                       "say whether they are right; your supervisor's grading does).\n")
    check_ratings("\n2\n4\n", count=2, name="r")
    assert capsys.readouterr().out.startswith("Looks complete: 2 ratings, each a whole number from 1 to 5")
    monkeypatch.undo()  # grading, or a supervisor's command: nothing is printed
    check_list("\nA\nd\n", allowed=["A", "B", "C", "D"], count=2, name="best_repair")
    assert capsys.readouterr().out == ""


def test_a_check_run_before_its_answer_says_what_to_do(capsys):
    """In a trainee's kernel, a check that meets an answer not run yet says so in a sentence."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(shell, "kernel", object(), raising=False)  # a kernel's shell has one
            mp.delenv("NBGRADER_EXECUTION", raising=False)
            checks._explain_missing_answers()
        shell.run_cell("check_list(labels_not_run_yet, allowed=['A'], count=1, name='x')")
        assert capsys.readouterr().out.strip() == checks.MISSING_ANSWER
        assert "NameError" not in checks.MISSING_ANSWER and "Shift+Enter" in checks.MISSING_ANSWER
    finally:
        InteractiveShell.clear_instance()


@pytest.mark.parametrize(
    "answer, expected",
    [
        ([], "is still blank: choose at least one"),
        (["A", "a"], "names option \"a\" again"),
        ("\nA\n\na\n", "Line 3 names option \"a\" again \\(line 1 already has it\\)"),
        (7, "should be typed"),
        (["G"], "not one of the letters A to C"),
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
    assert "Item 2: owning, differs from the course's answer. what owning would need" in out
    assert "why" not in out and err == "", "neither the key's why of a missed item nor a matched one's is printed"
    assert "defending" not in out, "the key's label is never printed"


def test_items_are_data_and_a_missed_one_never_carries_the_keys_why():
    key = [("B", "why B"), ("C", "why C")]
    chosen = [{"A": "what A does", "C": "what C does", "D": "what D does"},
              {"A": "A here", "B": "B here", "D": "D here"}]
    graded = grade_items("\nb\nD\n", key, points=2, item="Situation", chosen=chosen)
    assert graded.score == 1 and graded.summary == "1 of 2 match the course's answers."
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
    assert "Option B: chosen, differs from the course's answer. what B does" in out
    assert "Option C: left out, differs from the course's answer. what C does" in out and "belong" not in out


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
        ("\nowning\ndefending\n", "There are 2 answers; 3 are needed, one per item, in order."),
        ("\nowning\nowning, defending\ndeflecting\n",
         'Line 2 ("owning, defending") holds more than one answer: put each on a line of its own.'),
        ("\nowning\n\nblamming\ndefending\n",
         'Line 3 ("blamming") is not one of the four labels. Allowed answers: owning,'),
        ("\nowning\nowing\ndefending\n", 'Line 2 ("owing") is not one of the four labels; did you mean "owning"?'),
    ],
)
def test_a_malformed_text_block_gets_one_sentence_naming_its_line(answer, expected):
    with pytest.raises(AnswerError) as caught:
        check_list(answer, allowed=LABELS, count=3, name="labels")
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value), "one problem, one line"


def test_ratings_as_text_lines():
    check_ratings("\n 2\n5\n“4”\n", count=3, name="ratings")
    assert grade_ratings("\n2\n5\n3\n", [(2, ""), (5, ""), (4, "")], points=3)[0] == 2.5
    with pytest.raises(AnswerError, match='Line 2 \\("five"\\) is not a whole number from 1 to 5.'):
        check_ratings("\n2\nfive\n4\n", count=3, name="ratings")
    with pytest.raises(AnswerError, match="There are 2 ratings; 3 are needed, one per item"):
        check_ratings("\n2\n4\n", count=3, name="ratings")


def test_nothing_is_said_or_changed_outside_a_trainees_kernel(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        monkeypatch.setattr(shell, "kernel", object(), raising=False)
        monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
        assert checks.trainee_shell() is None, "nbgrader grading or validating"
        monkeypatch.delenv("NBGRADER_EXECUTION")
        assert checks.trainee_shell() is shell
        monkeypatch.delattr(shell, "kernel")
        assert checks.trainee_shell() is None, "a terminal IPython, not a kernel"
    finally:
        InteractiveShell.clear_instance()
