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
