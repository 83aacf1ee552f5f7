"""Answer checks for exercise test cells.

Visible checks say what shape an answer must have (the allowed labels, the expected count) and fail
with one clear sentence. Hidden tests call the ``score_*`` functions with the answer key and, for each
wrong answer an item can get, a sentence about that answer; they print the missed items (never the
key's label or why) and return the points earned, which nbgrader reads as partial credit. Nothing here writes to stderr.

The ``grade_*`` functions are the same scoring as pure functions: the supervisor's grader calls them
outside the trainee's kernel, on answers it has read as plain data, so that nothing a trainee's code
does in the kernel can change a score. They return each item as data (``ItemResult``), which the
feedback page reads, so what a trainee is told is chosen from data, never filtered from prose.

An answer is a text block with one answer per line, between two lines of three quotes, so that a therapist
needs no Python syntax: quotes of any kind (Word's and phones' curly ones too), case, spacing, a
trailing comma and numbering ("1.") are tolerated, and a line that cannot be read is named by its
number. A Python list of strings (the older form) is still read.
"""

from __future__ import annotations

import ast
import difflib
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

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


def _lines(answer, problems: list[str]) -> list[tuple[str, str]]:
    """(where, item) for each answer: from a text block by its line, from a list by its position. A line
    holding more than one answer, or an answer that is neither, goes into ``problems``."""
    if isinstance(answer, str):
        found = answer_lines(answer)
        for number, item in found:
            if re.search(r"\S\s*[,;]\s*\S", item):
                problems.append(f"Line {number} (\"{item}\") holds more than one answer: put each on a line of its "
                                "own.")
        return [(f"Line {number}", item) for number, item in found if not re.search(r"\S\s*[,;]\s*\S", item)]
    if isinstance(answer, (list, tuple, set)):
        return [(f"Answer {position}", item) for position, item in enumerate(answer, start=1)]
    problems.append("Your answer should be typed between the two lines of three quotes (\"\"\"), one per line.")
    return []


def as_answers(answer) -> list:
    """The answers of a text block (one per line) or of a list, in order."""
    return [item for _, item in answer_lines(answer)] if isinstance(answer, str) else list(answer)


def answer_value(source: str, variable: str):
    """An answer cell read as data: exactly ``variable = <literal>``, never run. The one reader the
    trusted scores, the safety gate and the trainee's hand-in check share."""
    hint = f"keep `{variable} = \"\"\"` and the closing `\"\"\"`, with one answer per line between them"
    try:
        body = ast.parse(source).body
    except SyntaxError as exc:
        raise AnswerError(f"{variable}: the answer cell cannot be read at line {exc.lineno}; {hint}") from None
    if not (len(body) == 1 and isinstance(body[0], ast.Assign) and len(body[0].targets) == 1
            and isinstance(body[0].targets[0], ast.Name) and body[0].targets[0].id == variable):
        raise AnswerError(f"{variable}: the answer cell must hold only the answer; {hint}")
    try:
        return ast.literal_eval(body[0].value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise AnswerError(f"{variable}: the answer must be a plain value, not code; {hint}") from None


def _labels(allowed: Iterable[str]) -> str:
    return ", ".join(str(a) for a in allowed)


NUMBER_WORDS = dict(enumerate(("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                               "eleven", "twelve")))


def _kinds(allowed: Sequence[str]) -> str:
    """"the five labels", "the letters A to D": what the allowed answers are, for a sentence."""
    if allowed and all(len(str(a)) == 1 for a in allowed):
        return f"the letters {allowed[0]} to {allowed[-1]}"
    return f"the {NUMBER_WORDS.get(len(allowed), len(allowed))} labels"


def _item_problem(item, allowed: Sequence[str], where: str) -> str | None:
    if not isinstance(item, str):
        return f"{where} ({item!r}) should be written as text: one of {_labels(allowed)}."
    if _norm(item) in {_norm(a) for a in allowed}:
        return None
    close = difflib.get_close_matches(_norm(item), [_norm(a) for a in allowed], n=1)
    hint = f"; did you mean \"{close[0]}\"?" if close else "."
    return f"{where} (\"{item}\") is not one of {_kinds(allowed)}{hint}"


def _count_problem(found: int, count: int, what: str) -> str | None:
    if found == count:
        return None
    if not found:
        return f"Your answer is still blank: type your {count} {what}s in the box above, one per line."
    return (f"There {'is' if found == 1 else 'are'} {found} {what}{'' if found == 1 else 's'}; {count} are needed, "
            "one per item, in order.")


def trainee_shell():
    """The IPython shell of a trainee's own kernel, or None: in a kernel (a shell with a ``kernel``) that
    nbgrader is not grading or validating (it sets NBGRADER_EXECUTION), so what a check says to the
    trainee never enters a graded copy or feedback. IPython is never imported here: a supervisor's
    command that uses these checks starts no faster for it."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or getattr(shell, "kernel", None) is None or os.environ.get("NBGRADER_EXECUTION"):
        return None
    return shell


def _verdict(problems: list[str], allowed: str, passed: str) -> None:
    """Every problem at once, one sentence each and by line, or (in the trainee's kernel) that the answer
    looks complete."""
    problems = sorted(problems, key=lambda p: int(m.group(1)) if (m := re.match(r"(?:Line|Answer) (\d+)", p)) else 1e9)
    if len(problems) == 1:
        raise AnswerError(f"{problems[0]} {allowed}".strip())
    if problems:
        raise AnswerError("\n".join([f"{len(problems)} things to fix in your answer above:",
                                     *(f"• {p}" for p in problems), allowed]).strip())
    if trainee_shell() is not None:
        print(passed)


def check_list(answer, *, allowed: Sequence[str], count: int, name: str) -> None:
    """One answer per item, in order: ``count`` labels from ``allowed``, one per line. ``name`` is the
    answer's variable (kept for the item readers; trainees are never shown it)."""
    problems: list[str] = []
    items = _lines(answer, problems)
    problems += [p for where, item in items if (p := _item_problem(item, allowed, where))]
    found = len(items) + sum("holds more than one answer" in p for p in problems)
    problems += [p for p in [_count_problem(found, count, "answer")] if p]
    _verdict(problems, f"Allowed answers: {_labels(allowed)}.",
             f"Looks complete: {count} answers, each one of {_kinds(allowed)} (this check cannot say whether they "
             "are right; your supervisor's grading does).")


def check_selection(answer, *, allowed: Sequence[str], name: str) -> None:
    """A choice of one or more options, each at most once, one per line (or a list such as ``["A", "C"]``)."""
    problems: list[str] = []
    items = _lines(answer, problems)
    if not items and not problems:
        problems.append(f"Your answer is still blank: choose at least one of {_labels(allowed)}, one per line.")
    problems += [p for where, item in items if (p := _item_problem(item, allowed, where))]
    seen: dict[str, str] = {}
    for where, item in items:
        if isinstance(item, str) and _norm(item) in seen:
            problems.append(f"{where} names option \"{item}\" again ({seen[_norm(item)].lower()} already has it).")
        seen.setdefault(_norm(str(item)), where)
    _verdict(problems, f"Allowed answers: {_labels(allowed)}.",
             f"Looks complete: {len(items)} option{'' if len(items) == 1 else 's'} chosen, each one of "
             f"{_kinds(allowed)} (this check cannot say whether they are right; your supervisor's grading does).")


def _rating(item):
    """A rating as written: a whole number, also when typed as text ("4")."""
    if isinstance(item, str) and item.strip().isdigit():
        return int(item.strip())
    return item


def check_ratings(answer, *, count: int, name: str) -> None:
    """One whole-number rating from 1 to 5 per item, in order, one per line."""
    problems: list[str] = []
    items = _lines(answer, problems)
    for where, item in items:
        rating = _rating(item)
        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATING_SCALE:
            problems.append(f"{where} (\"{item}\") is not a whole number from 1 to 5.")
    found = len(items) + sum("holds more than one answer" in p for p in problems)
    problems += [p for p in [_count_problem(found, count, "rating")] if p]
    _verdict(problems, "", f"Looks complete: {count} rating{'' if count == 1 else 's'}, each a whole number from 1 "
                           "to 5 (this check cannot say whether they are right; your supervisor's grading does).")


@dataclass(frozen=True)
class ItemResult:
    """One item as graded, as data: the feedback page decides what a trainee reads.

    ``reason`` speaks about the trainee's own choice: for an item answered as the key, the key's why
    (which is about that same choice); for a missed one, what the option they chose does, or how to
    check their label against the item's words. A missed item's reason never holds the key's why."""

    item: str  # "Situation", "Statement", "Turn", "Attempt", "Option"
    number: int  # counted from 1, as the exercise numbers its items
    given: str  # the trainee's answer as they wrote it; for an option of a selection, "chosen" or "left out"
    matched: bool
    reason: str


class Graded(NamedTuple):
    """A part's points, each item as data, and one line that sums it up (agreement, count as the key)."""

    score: float
    items: list[ItemResult]
    summary: str


MATCHES = "matches the course's answer"  # what a trainee reads beside an item, never "the key"
DIFFERS = "differs from the course's answer"
NO_REASON = "Go through this item again with the module, or with your supervisor."


def missed_reason(position: int, given, *, chosen=None, label_checks=None, look_again=None) -> str:
    """What the trainee reads about a missed item: the sentence the hidden test gives for the answer
    they chose (``chosen``: per item, option -> sentence), or the check for their label
    (``label_checks``: label -> sentence) and the item's own pointer (``look_again``: per item). Never
    the key's why, which describes the keyed move."""
    if chosen is not None:
        found = {_norm(str(k)): v for k, v in chosen[position - 1].items()}.get(_norm(str(given)))
        return found or NO_REASON
    parts = []
    if label_checks is not None:
        parts.append({_norm(str(k)): v for k, v in label_checks.items()}.get(_norm(str(given)), ""))
    if look_again is not None:
        parts.append(look_again[position - 1])
    return " ".join(p for p in parts if p) or NO_REASON


def grade_items(
    answer: Sequence[str], key: Sequence[tuple[str, str]], *, points: float, item: str = "Item", **feedback
) -> Graded:
    """Points in proportion to the items answered as the key does, and each item as data.

    ``key`` holds, per item, the expected label and the sentence a supervisor would say about it;
    ``feedback`` (``chosen``, ``label_checks``, ``look_again``) what to say about a missed one.
    """
    results = []
    for position, (given, (expected, why)) in enumerate(zip(as_answers(answer), key), start=1):
        matched = _norm(given) == _norm(expected)
        reason = why if matched else missed_reason(position, given, **feedback)
        results.append(ItemResult(item, position, str(given).strip(), matched, reason))
    correct = sum(r.matched for r in results)
    summary = f"{correct} of {len(key)} match the course's answers."
    return Graded(round(points * correct / len(key), 2), results, summary)


def grade_selection(
    answer: Iterable[str], key: dict[str, tuple[bool, str]], *, points: float, chosen: dict[str, str] | None = None
) -> Graded:
    """Points in proportion to the options judged as the key does (chosen or rightly left out).

    ``key`` maps each option to whether it belongs in the answer and why; ``chosen`` maps an option to
    what it does, said when it was wrongly chosen or wrongly left out.
    """
    picked = {_norm(a) for a in as_answers(answer)}
    results = []
    for position, (option, (belongs, why)) in enumerate(key.items(), start=1):
        included = _norm(option) in picked
        matched = included == belongs
        reason = why if matched else (chosen or {}).get(option, NO_REASON)
        results.append(ItemResult(f"Option {option}", position, "chosen" if included else "left out", matched, reason))
    agreed = sum(r.matched for r in results)
    summary = f"{agreed} of {len(key)} options chosen or left out as the course's answer does."
    return Graded(round(points * agreed / len(key), 2), results, summary)


def as_lines(graded: Graded) -> list[str]:
    """A hidden test's printed lines (what the supervisor sees in the graded copy): each missed item
    with the trainee's answer and what was said about it, then the summary. Like the page, it never
    prints a missed item's key."""
    return [f"{r.item} {r.number}: {r.given}, {DIFFERS}. {r.reason}" if not r.item.startswith("Option")
            else f"{r.item}: {r.given}, {DIFFERS}. {r.reason}"
            for r in graded.items if not r.matched] + [graded.summary]


def reaches_pass_mark(agreement: float) -> bool:
    """At or above the 80% agreement the clinical guide sets (allowing for float rounding)."""
    return agreement >= PASS_MARK - 1e-9


def band_share(agreement: float) -> float:
    """The share of a coding part's points that an agreement with the key earns."""
    return next((share for floor, share in AGREEMENT_BANDS if agreement >= floor - 1e-9), 0.0)


def grade_agreement(answer: Sequence[str], key: Sequence[tuple[str, str]], *, points: float,
                    item: str = "Turn", **feedback) -> Graded:
    """Points from the band the percent agreement with the expert key falls in; each turn as data
    (``feedback`` as in ``grade_items``) and a summary with the agreement and Cohen's kappa."""
    given = [_norm(a) for a in as_answers(answer)]
    expected = [_norm(label) for label, _ in key]
    results = []
    for n, (raw, mine, theirs, (_, why)) in enumerate(zip(as_answers(answer), given, expected, key), start=1):
        reason = why if mine == theirs else missed_reason(n, raw, **feedback)
        results.append(ItemResult(item, n, str(raw).strip(), mine == theirs, reason))
    agreement = percent_agreement(given, expected)
    verdict = "at or above" if reaches_pass_mark(agreement) else "below"
    summary = (f"Agreement with the course's expert coding: {agreement:.0%} ({verdict} the {PASS_MARK:.0%} pass mark); "
               f"Cohen's kappa {fmt_kappa(cohen_kappa(given, expected))}.")
    return Graded(round(points * band_share(agreement), 2), results, summary)


def grade_ratings(answer: Sequence[int], key: Sequence[tuple[int, str]], *, points: float,
                  item: str = "Attempt", **feedback) -> Graded:
    """Points in proportion to the credit of each rating (``rating_credit``), and each rating as data:
    the expert's why where it is the expert's rating, else the check for the trainee's own rating
    (``feedback`` as in ``grade_items``), never the expert's rating."""
    answer = [_rating(a) for a in as_answers(answer)]
    credit = sum(rating_credit(given, expected) for given, (expected, _) in zip(answer, key))
    results = [ItemResult(item, n, str(given), given == expected,
                          why if given == expected else missed_reason(n, given, **feedback))
               for n, (given, (expected, why)) in enumerate(zip(answer, key), start=1)]
    same = sum(r.matched for r in results)
    return Graded(round(points * credit / len(key), 2), results,
                  f"{same} of {len(key)} ratings match the course's; one point off earns half.")


def _printed(graded: Graded) -> float:
    print("\n".join(as_lines(graded)))
    return graded.score


def score_items(answer: Sequence[str], key: Sequence[tuple[str, str]], *, points: float, item: str = "Item",
                **feedback) -> float:
    """``grade_items`` for a hidden test: prints the missed items, returns the points."""
    return _printed(grade_items(answer, key, points=points, item=item, **feedback))


def score_selection(answer: Iterable[str], key: dict[str, tuple[bool, str]], *, points: float,
                    chosen: dict[str, str] | None = None) -> float:
    """``grade_selection`` for a hidden test: prints the options misjudged, returns the points."""
    return _printed(grade_selection(answer, key, points=points, chosen=chosen))


def score_agreement(answer: Sequence[str], key: Sequence[tuple[str, str]], *, points: float, item: str = "Turn",
                    **feedback) -> float:
    """``grade_agreement`` for a hidden test: prints the agreement and the turns coded differently."""
    return _printed(grade_agreement(answer, key, points=points, item=item, **feedback))


def score_ratings(answer: Sequence[int], key: Sequence[tuple[int, str]], *, points: float, item: str = "Attempt",
                  **feedback) -> float:
    """``grade_ratings`` for a hidden test: prints the ratings that differ, returns the points."""
    return _printed(grade_ratings(answer, key, points=points, item=item, **feedback))


MISSING_ANSWER = ("This check needs your answer first: click in the box with your answer just above, press "
                  "Shift+Enter (or the ▶ button at the top), then run this check again.")


def _explain_missing_answers() -> None:
    """A check run before its answer box meets a name Python does not know yet: in a trainee's kernel,
    say what to do instead of showing a NameError traceback. A check cell imports this module first, so
    the explanation is in place before its check runs."""
    shell = trainee_shell()
    if shell is not None:
        shell.set_custom_exc((NameError,), _missing_answer)


def _missing_answer(shell, etype, value, _tb, tb_offset=None) -> None:
    """IPython's handler for a NameError in the trainee's kernel: shown as the cell's error, in one sentence
    (IPython leaves the showing to the handler)."""
    shell._showtraceback(etype, value, [MISSING_ANSWER])


_explain_missing_answers()
