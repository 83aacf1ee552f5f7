"""The coach's learner and its measure: quadratic-weighted kappa against scikit-learn's, ridge
regression on a pattern it must find, and folds that never test on what they trained on."""

from __future__ import annotations

import pytest
from sklearn.metrics import cohen_kappa_score

from repairlab.agreement import quadratic_kappa
from repairlab.coach import model


@pytest.mark.parametrize("a, b", [
    ([0, 0.5, 1, 1, 0, 0.5], [0, 1, 1, 0.5, 0, 0]),
    ([1, 1, 0.5, 0, 0, 1, 0.5], [1, 0.5, 0.5, 0, 0.5, 1, 0]),
    ([0, 0, 1, 1], [1, 1, 0, 0]),
])
def test_quadratic_kappa_is_scikit_learns(a, b):
    expected = cohen_kappa_score([int(x * 2) for x in a], [int(x * 2) for x in b], weights="quadratic",
                                 labels=[0, 1, 2])
    assert quadratic_kappa(a, b) == pytest.approx(expected)


def test_quadratic_kappa_degenerate_and_perfect():
    assert quadratic_kappa([1, 1, 1], [1, 1, 1]) is None
    assert quadratic_kappa([0, 0.5, 1], [0, 0.5, 1]) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        quadratic_kappa([1], [])


def test_fit_finds_the_feature_that_carries_the_score():
    rows = [(i % 2, (i * 7) % 3) for i in range(40)]
    scores = [float(r[0]) for r in rows]
    fitted = model.fit(rows, scores, penalty=0.1)
    assert [fitted.score(r) for r in rows] == scores
    assert abs(fitted.weights[0]) > 5 * abs(fitted.weights[1])
    assert model.Linear.from_data(fitted.as_data()).score((1, 0)) == 1.0


def test_scores_are_rounded_to_halves_and_kept_in_range():
    assert [model.rounded(x) for x in (-0.4, 0.2, 0.3, 0.7, 0.8, 1.6)] == [0, 0, 0.5, 0.5, 1, 1]


def test_held_out_never_trains_on_what_it_predicts():
    groups = model.folds(64)
    assert sorted(i for g in groups for i in g) == list(range(64)) and len(groups) == model.FOLDS
    seen = {}

    def train(indices):
        return frozenset(indices)

    def predict(trained, i):
        seen[i] = trained
        return 0.0

    model.held_out(groups, train, predict)
    assert all(i not in trained and len(trained) == 56 for i, trained in seen.items())
