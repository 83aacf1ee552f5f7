"""The coach's learner: for each mark-scheme element, a ridge regression from what a text shows
(``patterns``: the pattern families and the element's cue words, plus, for an exercise, the words
and word pairs that recur in its bank) to the score the raters settled on, rounded to 0, 0.5 or 1.
Linear, so every judgement can be traced to the trainee's words behind it; small enough to fit in
milliseconds with numpy (already installed with matplotlib), and to store as plain numbers for
trainees' practice (there without the bank's words: a practice prompt has no bank)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..agreement import quadratic_kappa

PENALTY = 5.0
FOLDS = 8
# A word or word pair is a feature if at least this many training responses use it; its indicator is
# scaled down so that the pattern families, which generalise, weigh more than single words.
MIN_RESPONSES = 4
WORD_SCALE = 0.3
# Ridge pulls every prediction towards the mean score; stretching them back by this factor lets
# clear answers reach 0 and 1 (chosen once for all tasks, on held-out agreement).
STRETCH = 1.3
# A score is judged only where held-out agreement with the settled scores reaches this (issue 18).
KAPPA_BAR = 0.60


@dataclass(frozen=True)
class Linear:
    """score = intercept + sum(weight * feature) + the weights of the words present, then rounded to
    the nearest half and kept in 0..1."""

    intercept: float
    weights: tuple[float, ...]
    words: dict[str, float]

    def raw(self, values, terms: frozenset[str] = frozenset()) -> float:
        return (self.intercept + sum(w * v for w, v in zip(self.weights, values))
                + sum(w for term, w in self.words.items() if term in terms))

    def score(self, values, terms: frozenset[str] = frozenset()) -> float:
        return rounded(self.raw(values, terms))

    def as_data(self) -> dict:
        return {"intercept": round(self.intercept, 6), "weights": [round(w, 6) for w in self.weights]}

    @classmethod
    def from_data(cls, data: dict) -> Linear:
        return cls(float(data["intercept"]), tuple(float(w) for w in data["weights"]), {})


def rounded(raw: float) -> float:
    return min(1.0, max(0.0, round(raw * 2) / 2))


def fit(rows: list[tuple[float, ...]], scores: list[float], terms: list[frozenset[str]] | None = None,
        penalty: float = PENALTY, stretch: float = STRETCH) -> Linear:
    """Ridge regression with an unpenalised intercept (features and scores centred first), on the
    rows' features and, given ``terms``, the words that at least MIN_RESPONSES of them use."""
    vocabulary: list[str] = []
    if terms is not None:
        counts: dict[str, int] = {}
        for t in terms:
            for term in t:
                counts[term] = counts.get(term, 0) + 1
        vocabulary = sorted(term for term, n in counts.items() if n >= MIN_RESPONSES)
    x = np.asarray(rows, dtype=float)
    if vocabulary:
        x = np.hstack([x, WORD_SCALE * np.asarray([[term in t for term in vocabulary] for t in terms], dtype=float)])
    y = np.asarray(scores, dtype=float)
    mean_x, mean_y = x.mean(axis=0), y.mean()
    xc = x - mean_x
    if xc.shape[1] <= xc.shape[0]:
        w = np.linalg.solve(xc.T @ xc + penalty * np.eye(xc.shape[1]), xc.T @ (y - mean_y))
    else:  # more features than responses (the bank's words): the same solution, through the responses
        w = xc.T @ np.linalg.solve(xc @ xc.T + penalty * np.eye(xc.shape[0]), y - mean_y)
    w = stretch * w  # the prediction stretched about the mean score
    intercept = float(mean_y - mean_x @ w)
    n = len(rows[0])
    return Linear(intercept, tuple(float(v) for v in w[:n]),
                  {term: float(WORD_SCALE * v) for term, v in zip(vocabulary, w[n:])})


def folds(n: int, k: int = FOLDS) -> list[list[int]]:
    """Whole responses held out together, in a fixed interleaved order (so reruns agree)."""
    return [list(range(i, n, k)) for i in range(min(k, n))]


def held_out(groups: list[list[int]], train, predict) -> dict[int, float]:
    """Each item's prediction from a model that never saw it: ``train(indices)`` then
    ``predict(model, index)`` for the indices held out."""
    out = {}
    everything = sorted(i for g in groups for i in g)
    for group in groups:
        model = train([i for i in everything if i not in set(group)])
        for i in group:
            out[i] = predict(model, i)
    return out


def kappa(predicted: list[float], settled: list[float]) -> float | None:
    return quadratic_kappa(predicted, settled)
