"""The coach's learner: for each mark-scheme element, a ridge regression from the features a text
shows (``patterns``) to the score the raters settled on, rounded to 0, 0.5 or 1. Linear, so every
judgement can be traced to the words behind it; small enough to fit in milliseconds with numpy
(already installed with matplotlib), and to store as plain numbers for trainees' practice."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..agreement import quadratic_kappa

PENALTY = 2.0
FOLDS = 8
# A score is judged only where held-out agreement with the settled scores reaches this (issue 18).
KAPPA_BAR = 0.60


@dataclass(frozen=True)
class Linear:
    """score = intercept + sum(weight * feature), then rounded to the nearest half and kept in 0..1."""

    intercept: float
    weights: tuple[float, ...]

    def raw(self, values) -> float:
        return self.intercept + sum(w * v for w, v in zip(self.weights, values))

    def score(self, values) -> float:
        return rounded(self.raw(values))

    def as_data(self) -> dict:
        return {"intercept": round(self.intercept, 6), "weights": [round(w, 6) for w in self.weights]}

    @classmethod
    def from_data(cls, data: dict) -> Linear:
        return cls(float(data["intercept"]), tuple(float(w) for w in data["weights"]))


def rounded(raw: float) -> float:
    return min(1.0, max(0.0, round(raw * 2) / 2))


def fit(rows: list[tuple[float, ...]], scores: list[float], penalty: float = PENALTY) -> Linear:
    """Ridge regression with an unpenalised intercept (features and scores centred first)."""
    x, y = np.asarray(rows, dtype=float), np.asarray(scores, dtype=float)
    mean_x, mean_y = x.mean(axis=0), y.mean()
    xc = x - mean_x
    w = np.linalg.solve(xc.T @ xc + penalty * np.eye(x.shape[1]), xc.T @ (y - mean_y))
    return Linear(float(mean_y - mean_x @ w), tuple(float(v) for v in w))


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
