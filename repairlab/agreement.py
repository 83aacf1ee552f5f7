"""Agreement between two raters: a trainee and an expert key, or a supervisor and the agreed scores."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

DEGENERATE_RULE = (
    "Cohen's kappa is undefined when chance agreement is 1, that is when both raters gave one and the "
    "same category to every item; it is then reported as n/a and agreement is judged by percent alone."
)


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    if len(a) != len(b) or not a:
        raise ValueError("agreement needs two equally long, non-empty lists of ratings")
    return sum(x == y for x, y in zip(a, b)) / len(a)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """(observed - chance) / (1 - chance), chance from each rater's own category shares;
    None in the degenerate case (see DEGENERATE_RULE)."""
    observed = percent_agreement(a, b)
    n = len(a)
    count_a, count_b = Counter(a), Counter(b)
    chance = sum(count_a[c] * count_b[c] for c in count_a) / (n * n)
    if chance == 1:
        return None
    return (observed - chance) / (1 - chance)


def fmt_kappa(kappa: float | None) -> str:
    return "n/a" if kappa is None else f"{kappa:.2f}"


def quadratic_kappa(a: Sequence[float], b: Sequence[float],
                    categories: Sequence[float] = (0.0, 0.5, 1.0)) -> float | None:
    """Cohen's kappa weighted by the squared distance between ordered categories (0, 0.5, 1): a
    half-point disagreement costs a quarter of a full one. None in the degenerate case, when chance
    disagreement is 0 (see DEGENERATE_RULE)."""
    if len(a) != len(b) or not a:
        raise ValueError("agreement needs two equally long, non-empty lists of ratings")
    index = {c: i for i, c in enumerate(categories)}
    k, n = len(categories), len(a)
    weight = [[(i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)]
    observed = sum(weight[index[x]][index[y]] for x, y in zip(a, b)) / n
    count_a, count_b = Counter(index[x] for x in a), Counter(index[y] for y in b)
    chance = sum(weight[i][j] * count_a[i] * count_b[j] for i in range(k) for j in range(k)) / (n * n)
    if chance == 0:
        return None
    return 1 - observed / chance
