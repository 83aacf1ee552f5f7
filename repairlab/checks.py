"""Answer checks for exercise test cells.

Visible checks say what shape an answer must have (the allowed labels, the expected count) and fail
with one clear sentence. Hidden tests call the ``score_*`` functions with the answer key; they print
why an item was missed, in a supervisor's words (never the key's label), and return the points
earned, which nbgrader reads as partial credit. Nothing here writes to stderr.

The ``grade_*`` functions are the same scoring as pure functions: the supervisor's grader calls them
outside the trainee's kernel, on answers it has read as plain data, so that nothing a trainee's code
does in the kernel can change a score.

An answer is a text block with one answer per line, between two lines of three quotes, so that a therapist
needs no Python syntax: quotes of any kind (Word's and phones' curly ones too), case, spacing, a
trailing comma and numbering ("1.") are tolerated, and a line that cannot be read is named by its
number. A Python list of strings (the older form) is still read.
"""

from __future__ import annotations

import difflib
import re
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


QUOTES = "\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2032\u2033"
NUMBERING = re.compile(r"^\(?\d{1,2}\s*[.):]\s+")  # "1. C", "(2) C", "3) C"; not a bare rating "4"
JOINERS = re.compile(r"[\s_\u2010-\u2015-]+")  # spaces, underscores and any dash join a label's words


def _norm(value: str) -> str:
    """A label as compared: no quotes or outer spaces, lower case, words joined by one hyphen."""
    return JOINERS.sub("-", value.strip().strip(QUOTES).strip().lower()).strip("-")


def label_of(value) -> str:
    """An answer as the scorers compare it (what a supervisor's tool must compare too)."""
    return _norm(str(value))


def _entry(line: str) -> str:
    """One line of a text block as the answer it holds: without numbering, quotes or a trailing comma."""
    return NUMBERING.sub("", line.strip().rstrip(",;").strip()).strip().strip(QUOTES).strip().rstrip(",;").strip()


def answer_lines(text: str) -> list[tuple[int, str]]:
    """(line number, answer) for each line of a text block that holds one; line 1 is the first line
    under the opening quotes. Blank lines and lines starting with ``#`` are skipped."""
    lines = text.split("\n")
    if lines and not lines[0].strip():
        lines = lines[1:]
    return [(number, _entry(line)) for number, line in enumerate(lines, start=1)
            if _entry(line) and not line.strip().startswith("#")]


def _lines(answer, name: str) -> list[tuple[str, str]]:
    """(where, item) for each answer: from a text block by its line, from a list by its position."""
    if isinstance(answer, str):
        found = answer_lines(answer)
        for number, item in found:
            if re.search(r"\S\s*[,;]\s*\S", item):
                raise AnswerError(f"{name}, line {number} (\"{item}\") holds more than one answer: put each on a "
                                  "line of its own.")
        return [(f"{name}, line {number}", item) for number, item in found]
    if isinstance(answer, (list, tuple, set)):
        return [(f"Answer {position} of {name}", item) for position, item in enumerate(answer, start=1)]
    raise AnswerError(f"{name} should be your answers between the two lines of three quotes (\"\"\"), one per line; "
                      f"got {type(answer).__name__}")


def as_answers(answer) -> list:
    """The answers of a text block (one per line) or of a list, in order."""
    return [item for _, item in answer_lines(answer)] if isinstance(answer, str) else list(answer)


def _labels(allowed: Iterable[str]) -> str:
    return ", ".join(str(a) for a in allowed)


def _check_item(item, allowed: Sequence[str], where: str) -> None:
    if not isinstance(item, str):
        raise AnswerError(f"{where} is {item!r} ({type(item).__name__}); write it as text, one of: "
                          f"{_labels(allowed)}")
    if _norm(item) not in {_norm(a) for a in allowed}:
        close = difflib.get_close_matches(_norm(item), [_norm(a) for a in allowed], n=1)
        hint = f" Did you mean \"{close[0]}\"?" if close else ""
        raise AnswerError(f"{where} is \"{item}\", which is not an allowed answer.{hint} Allowed: {_labels(allowed)}")


def _count_error(name: str, found: int, count: int, what: str, answer) -> AnswerError:
    plural = "" if found == 1 else "s"
    form = f"line{plural} with an answer" if isinstance(answer, str) else f"{what[:-1]}{plural}"
    return AnswerError(f"{name} has {found} {form}; it needs {count}, one {what[:-1]} per item in order.")


def check_list(answer, *, allowed: Sequence[str], count: int, name: str) -> None:
    """One answer per item, in order: ``count`` labels from ``allowed``, one per line."""
    items = _lines(answer, name)
    for where, item in items:
        _check_item(item, allowed, where)
    if len(items) != count:
        raise AnswerError(str(_count_error(name, len(items), count, "answers", answer))
                          + f" Allowed answers: {_labels(allowed)}")


def check_selection(answer, *, allowed: Sequence[str], name: str) -> None:
    """A choice of one or more options, each at most once, one per line (or a list such as ``["A", "C"]``)."""
    items = _lines(answer, name)
    if not items:
        raise AnswerError(f"{name} is empty: choose at least one of {_labels(allowed)}")
    for where, item in items:
        _check_item(item, allowed, where)
    seen: dict[str, str] = {}
    for where, item in items:
        if _norm(item) in seen:
            raise AnswerError(f"{where} names option \"{item}\" again ({seen[_norm(item)]} already has it).")
        seen[_norm(item)] = where.split(", ")[-1]


def _rating(item):
    """A rating as written: a whole number, also when typed as text ("4")."""
    if isinstance(item, str) and item.strip().isdigit():
        return int(item.strip())
    return item


def check_ratings(answer, *, count: int, name: str) -> None:
    """One whole-number rating from 1 to 5 per item, in order, one per line."""
    items = _lines(answer, name)
    for where, item in items:
        rating = _rating(item)
        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATING_SCALE:
            raise AnswerError(f"{where} is \"{item}\"; write a whole number from 1 to 5.")
    if len(items) != count:
        raise _count_error(name, len(items), count, "ratings", answer)


def grade_items(
    answer: Sequence[str], key: Sequence[tuple[str, str]], *, points: float, item: str = "Item"
) -> tuple[float, list[str]]:
    """Points in proportion to the items answered as the key does, and why each missed one was missed.

    ``key`` holds, per item, the expected label and the sentence a supervisor would say about it.
    """
    correct, lines = 0, []
    for position, (given, (expected, why)) in enumerate(zip(as_answers(answer), key), start=1):
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
    chosen = {_norm(a) for a in as_answers(answer)}
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
    given = [_norm(a) for a in as_answers(answer)]
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
    answer = [_rating(a) for a in as_answers(answer)]
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
