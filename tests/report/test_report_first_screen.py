"""The cohort report's parts, without a gradebook: no box plot under ten scores, statuses that differ
without colour, alt text that says what a figure shows, and no one missing an exercise nobody has
handed in. (The built report's first screen and its axe check are in test_report.py.)"""

from __future__ import annotations

from matplotlib.patches import PathPatch

from repairlab.report import first_screen, not_submitted, scores_figure, status_figure
from repairlab.report.data import CohortData, ExerciseResult, GradedItem, Member
from repairlab.report.figures import STATUS_HATCHES


def cohort(n: int, exercises=("ex-a", "ex-b"), handed_in=("ex-a",)) -> CohortData:
    """``n`` trainees; each handed in ``handed_in`` only, graded n% of one point."""
    trainees = [Member(f"t{k:02d}", f"First{k}", f"Last{k}") for k in range(n)]
    results = {}
    for k, t in enumerate(trainees):
        for ex in exercises:
            item = GradedItem("part", "skill", float(k % 2), 1.0, False)
            results[(t.id, ex)] = ExerciseResult(ex, t.id, ex in handed_in, {"part": item} if ex in handed_in else {})
    return CohortData("Course", list(exercises), {"skill": "A skill"}, trainees, results,
                      {t.id: {"skill": 100.0 * (k % 2)} for k, t in enumerate(trainees)}, {},
                      titles={"ex-a": "Exercise A", "ex-b": "Exercise B"})


def boxes(fig) -> int:
    return sum(isinstance(p, PathPatch) for p in fig.axes[0].patches)


def test_no_box_plot_under_ten_scores_and_one_from_ten():
    assert boxes(scores_figure(cohort(9))) == 0
    assert boxes(scores_figure(cohort(10))) == 1


def test_statuses_differ_by_hatching_and_every_figure_says_what_it_shows():
    assert len(set(STATUS_HATCHES.values())) == len(STATUS_HATCHES)
    fig = status_figure(cohort(4))
    assert {bar.get_hatch() or "" for bar in fig.axes[0].patches} >= {"", ".."}
    assert "Exercise A: 4 needs grading" not in fig.alt_text and "Exercise A: 4 graded" in fig.alt_text
    assert "Exercise B: 4 not submitted" in fig.alt_text
    assert "Exercise A: 4 trainees, from 0% to 100%" in scores_figure(cohort(4)).alt_text


def test_an_exercise_nobody_handed_in_is_not_missing_for_everyone():
    data = cohort(3)
    assert data.released == ["ex-a"]
    assert not_submitted(data) == []
    screen = str(first_screen(data))
    assert "Everyone has handed in every released exercise." in screen
    assert "Not counted: Exercise B" in screen
