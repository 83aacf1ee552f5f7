"""The coach on answers it never saw, written like real trainees' (realistic.yml, and fresh.yml
written after the coach's rules were tuned): each element's suggestion falls in the range a
supervisor following the mark scheme would give, or the coach says "not judged" (apart from the
few misses the file names); answers that
differ by a trivial edit (phone/mobile, I'm/I am, don't/do not, i/I) get identical judgements; and
abstaining is not a way out: most elements of the set are judged."""

from __future__ import annotations

from pathlib import Path

import pytest

from repairlab.coach.exercise import exercise_coach
from repairlab.coach.realistic import in_range, load_set, same_judgements, wrong_elements

HERE = Path(__file__).parent
SETS = {name: load_set(HERE / f"{name}.yml") for name in ("realistic", "fresh", "fresh2")
        if (HERE / f"{name}.yml").is_file()}
CASES = [(name, ex, r) for name, tasks in SETS.items() for ex, task in tasks.items() for r in task.responses]
PAIRS = [(name, ex, n) for name, tasks in SETS.items() for ex, task in tasks.items() for n in range(len(task.pairs))]
# Share of the set's elements the coach must judge (rather than abstain on): abstaining everywhere
# would pass every range.
MIN_COVERAGE = 0.5


@pytest.fixture(scope="module")
def coaches(course):
    tasks = {ex: t.task for name in SETS for ex, t in SETS[name].items()}
    return {ex: exercise_coach(course, ex, task) for ex, task in tasks.items()}


@pytest.mark.parametrize("name, exercise, response", CASES, ids=[f"{n}:{e}:{r.id}" for n, e, r in CASES])
def test_each_element_is_in_the_supervisors_range_or_not_judged(name, exercise, response, coaches):
    """Known misses (``misses`` in the file) must stay exactly those: a new one fails, and so does a fixed one."""
    judgements = coaches[exercise].judge(response.text)
    wrong = wrong_elements(response, judgements)
    assert wrong == set(response.misses), [(j.name, j.score, want) for j, want in zip(judgements, response.expect)]


@pytest.mark.parametrize("name, exercise, n", PAIRS, ids=[f"{n}:{e}:pair{i}" for n, e, i in PAIRS])
def test_a_trivial_edit_changes_no_judgement(name, exercise, n, coaches):
    first, second = SETS[name][exercise].pairs[n]
    a, b = coaches[exercise].judge(first), coaches[exercise].judge(second)
    assert same_judgements(a, b), ([(j.score, j.why) for j in a], [(j.score, j.why) for j in b])


@pytest.mark.parametrize("name", sorted(SETS))
def test_most_elements_are_judged_and_good_answers_are_seen(name, coaches):
    judged = total = good_judged = good_total = 0
    for exercise, task in SETS[name].items():
        for response in task.responses:
            scores = [j.score for j in coaches[exercise].judge(response.text)]
            judged += sum(s is not None for s in scores)
            total += len(scores)
            if all(want == ">=0.5" for want in response.expect):
                good_judged += sum(s is not None for s in scores)
                good_total += len(scores)
    assert judged / total >= MIN_COVERAGE, f"{judged}/{total} judged"
    assert good_judged / good_total >= MIN_COVERAGE, f"good answers: {good_judged}/{good_total} judged"


def test_in_range_reads_every_form():
    assert in_range(0, "0") and not in_range(0.5, "0")
    assert in_range(0.5, "0-0.5") and not in_range(1, "0-0.5")
    assert in_range(0.5, ">=0.5") and in_range(1, ">=0.5") and not in_range(0, ">=0.5")
    assert in_range(1, "1") and in_range(0.5, "0.5") and not in_range(1, "0.5")
    with pytest.raises(ValueError):
        in_range(1, "high")
