"""Answer checks for exercise test cells.

Visible checks say what shape an answer must have (the allowed labels, the expected count) and fail
with one clear sentence. Hidden tests call the ``score_*`` functions with the answer key; they print
why an item was missed, in a supervisor's words (never the key's label), and return the points
earned, which nbgrader reads as partial credit. Nothing here writes to stderr.

The ``grade_*`` functions are the same scoring as pure functions: the supervisor's grader calls them
outside the trainee's kernel, on answers it has read as plain data, so that nothing a trainee's code
does in the kernel can change a score.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from .agreement import cohen_kappa, fmt_kappa, percent_agreement
from .errors import AnswerError

# Agreement with the expert key -> share of the points (the pass mark of the clinical guide is 80%).
AGREEMENT_BANDS = ((0.9, 1.0), (0.8, 0.75), (0.7, 0.5), (0.6, 0.25))
PASS_MARK = 0.8
RATING_SCALE = (1, 2, 3, 4, 5)
RATING_TOLERANCE = 1  # practice: a rating this close to the expert's is "close"


def rating_credit(given: int, expected: int) -> float:
    """A graded rating's credit: full for the expert's rating, half for one point off, none further.
    With full credit for one point off, a rater who only tells bad from good ("2" and "4") or who
    always says the middle would pass without judging how far a rupture was resolved."""
    return {0: 1.0, 1: 0.5}.get(abs(given - expected), 0.0)


def _norm(value: str) -> str:
    return value.strip().lower()


def _labels(allowed: Iterable[str]) -> str:
    return ", ".join(repr(a) for a in allowed)


def _check_item(item, allowed: Sequence[str], where: str) -> None:
    if not isinstance(item, str):
        raise AnswerError(f"{where} is {item!r} ({type(item).__name__}); write it as text in quotes, one of: "
                          f"{_labels(allowed)}")
    if _norm(item) not in {_norm(a) for a in allowed}:
        close = difflib.get_close_matches(_norm(item), [_norm(a) for a in allowed], n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise AnswerError(f"{where} is {item!r}, which is not an allowed answer.{hint} Allowed: {_labels(allowed)}")


def check_list(answer, *, allowed: Sequence[str], count: int, name: str) -> None:
    """One answer per item, in order: a list of ``count`` labels from ``allowed``."""
    if not isinstance(answer, (list, tuple)):
        raise AnswerError(f"{name} should be a list of {count} answers in square brackets, got {type(answer).__name__}")
    if len(answer) != count:
        raise AnswerError(
            f"{name} should have {count} answers, one per item in order; it has {len(answer)}. "
            f"Allowed answers: {_labels(allowed)}"
        )
    for position, item in enumerate(answer, start=1):
        _check_item(item, allowed, f"Answer {position} of {name}")


def check_selection(answer, *, allowed: Sequence[str], name: str) -> None:
    """A choice of one or more options, each at most once, e.g. ``["A", "C"]``."""
    if not isinstance(answer, (list, tuple, set)):
        raise AnswerError(f"{name} should be a list of the options you choose, e.g. [{allowed[0]!r}], got "
                          f"{type(answer).__name__}")
    if not answer:
        raise AnswerError(f"{name} is empty: choose at least one of {_labels(allowed)}")
    for item in answer:
        _check_item(item, allowed, f"An option in {name}")
    normalised = [_norm(item) for item in answer]
    if len(set(normalised)) != len(normalised):
        raise AnswerError(f"{name} names an option more than once: {list(answer)}")


def check_ratings(answer, *, count: int, name: str) -> None:
    """One whole-number rating from 1 to 5 per item, in order."""
    if not isinstance(answer, (list, tuple)):
        raise AnswerError(f"{name} should be a list of {count} ratings in square brackets, got {type(answer).__name__}")
    if len(answer) != count:
        raise AnswerError(f"{name} should have {count} ratings, one per item in order; it has {len(answer)}")
    for position, rating in enumerate(answer, start=1):
        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATING_SCALE:
            raise AnswerError(f"Rating {position} of {name} is {rating!r}; write a whole number from 1 to 5, without "
                              "quotes")


def grade_items(
    answer: Sequence[str], key: Sequence[tuple[str, str]], *, points: float, item: str = "Item"
) -> tuple[float, list[str]]:
    """Points in proportion to the items answered as the key does, and why each missed one was missed.

    ``key`` holds, per item, the expected label and the sentence a supervisor would say about it.
    """
    correct, lines = 0, []
    for position, (given, (expected, why)) in enumerate(zip(answer, key), start=1):
        if _norm(given) == _norm(expected):
            correct += 1
        else:
            lines.append(f"{item} {position}: not as the key. {why}")
    lines.append(f"{correct} of {len(key)} as the key.")
    return round(points * correct / len(key), 2), lines


def grade_selection(
    answer: Iterable[str], key: dict[str, tuple[bool, str]], *, points: float
) -> tuple[float, list[str]]:
    """Points in proportion to the options judged as the key does (chosen or rightly left out).

    ``key`` maps each option to whether it belongs in the answer and why.
    """
    chosen = {_norm(a) for a in answer}
    agreed, lines = 0, []
    for option, (belongs, why) in key.items():
        if (_norm(option) in chosen) == belongs:
            agreed += 1
        else:
            lines.append(f"Option {option}: not judged as the key. {why}")
    lines.append(f"{agreed} of {len(key)} options judged as the key.")
    return round(points * agreed / len(key), 2), lines


def reaches_pass_mark(agreement: float) -> bool:
    """At or above the 80% agreement the clinical guide sets (allowing for float rounding)."""
    return agreement >= PASS_MARK - 1e-9


def band_share(agreement: float) -> float:
    """The share of a coding part's points that an agreement with the key earns."""
    return next((share for floor, share in AGREEMENT_BANDS if agreement >= floor - 1e-9), 0.0)


def grade_agreement(answer: Sequence[str], key: Sequence[tuple[str, str]], *, points: float,
                    item: str = "Turn") -> tuple[float, list[str]]:
    """Points from the band the percent agreement with the expert key falls in; the lines give the
    agreement, Cohen's kappa and why each turn coded differently is coded as the key codes it."""
    given = [_norm(a) for a in answer]
    expected = [_norm(label) for label, _ in key]
    lines = [f"{item} {n}: coded differently. {why}"
             for n, (mine, theirs, (_, why)) in enumerate(zip(given, expected, key), start=1) if mine != theirs]
    agreement = percent_agreement(given, expected)
    share = band_share(agreement)
    verdict = "at or above" if reaches_pass_mark(agreement) else "below"
    lines.append(f"Agreement with the expert key: {agreement:.0%} ({verdict} the {PASS_MARK:.0%} pass mark); "
                 f"Cohen's kappa {fmt_kappa(cohen_kappa(given, expected))}.")
    return round(points * share, 2), lines


def grade_ratings(answer: Sequence[int], key: Sequence[tuple[int, str]], *, points: float,
                  item: str = "Attempt") -> tuple[float, list[str]]:
    """Points in proportion to the credit of each rating (``rating_credit``), and why the expert rated
    each attempt as they did where the trainee's rating differs."""
    credit, lines = 0.0, []
    for position, (given, (expected, why)) in enumerate(zip(answer, key), start=1):
        credit += rating_credit(given, expected)
        reason = f" {why}" if given != expected else ""
        lines.append(f"{item} {position}: you rated {given}, the expert {expected}.{reason}")
    same = sum(given == expected for given, (expected, _) in zip(answer, key))
    lines.append(f"{same} of {len(key)} ratings as the expert's; one point off earns half.")
    return round(points * credit / len(key), 2), lines


def score_items(answer: Sequence[str], key: Sequence[tuple[str, str]], *, points: float, item: str = "Item") -> float:
    """``grade_items`` for a hidden test: prints the reasons, returns the points."""
    score, lines = grade_items(answer, key, points=points, item=item)
    print("\n".join(lines))
    return score


def score_selection(answer: Iterable[str], key: dict[str, tuple[bool, str]], *, points: float) -> float:
    """``grade_selection`` for a hidden test: prints the reasons, returns the points."""
    score, lines = grade_selection(answer, key, points=points)
    print("\n".join(lines))
    return score


def score_agreement(
    answer: Sequence[str], key: Sequence[tuple[str, str]], *, points: float, item: str = "Turn"
) -> float:
    """``grade_agreement`` for a hidden test: prints the agreement and reasons, returns the points."""
    score, lines = grade_agreement(answer, key, points=points, item=item)
    print("\n".join(lines))
    return score


def score_ratings(
    answer: Sequence[int], key: Sequence[tuple[int, str]], *, points: float, item: str = "Attempt"
) -> float:
    """``grade_ratings`` for a hidden test: prints how each rating compares, returns the points."""
    score, lines = grade_ratings(answer, key, points=points, item=item)
    print("\n".join(lines))
    return score
