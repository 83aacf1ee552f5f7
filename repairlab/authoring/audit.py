"""The item audit: can a trainee who knows nothing but reads surface cues find the keys?

A test constructor's check (Rules for assessment items): across a module's items the key must not be
systematically the longest option, the only question, the only one in the first person or the only
tentative one, nor sit in one position; and a cue-only test taker must score no more than a third of
an exercise's autograded points. The cue-only taker is deliberately generous (on labelling parts it
is told which other label is most common), so the figure is an upper bound.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from ..checks import band_share, rating_credit
from ..course import Course, Module
from ..items import Item
from ..labels import CUE_FAVOURED
from ..nbgrader_api.parts import Part, exercise_parts
from ..trainee.kinds import kind_of
from ..trainee.vignettes import load_vignettes
from . import style_learner

MAX_CUE_RATE = 0.5
MAX_CUE_ONLY_SHARE = 1 / 3

_FIRST_PERSON = re.compile(r"\b(I|I'm|I've|I'd|I'll|me|my|mine|myself)\b|\bI’(m|ve|d|ll)\b")
_TENTATIVE = re.compile(
    r"\b(may|might|perhaps|maybe|wonder|wondering|wondered|could|possibly|seems?|sounds like|I think|not sure|guess)\b",
    re.IGNORECASE,
)
CUES = {
    "question": lambda text: "?" in text,
    "first-person": lambda text: bool(_FIRST_PERSON.search(text)),
    "tentative": lambda text: bool(_TENTATIVE.search(text)),
}
CUE_NAMES = ("longest", *CUES, "position")


def words(text: str) -> int:
    return len(text.split())


def singled_out(options: tuple[str, ...], cue: str) -> int | None:
    """The one option a cue points at: the strictly longest, or the only option with the cue."""
    if cue == "longest":
        lengths = [words(o) for o in options]
        top = max(lengths)
        return lengths.index(top) if lengths.count(top) == 1 else None
    marked = [i for i, option in enumerate(options) if CUES[cue](option)]
    return marked[0] if len(marked) == 1 else None


def favoured(label_set) -> object | None:
    """The label a test-wise taker pairs with a cue; None when no label of the set invites it."""
    return next((label for label in CUE_FAVOURED if label in label_set), None)


def _has_cue(item: Item, cue: str, median: float) -> bool:
    return words(item.text) > median if cue == "longest" else CUES[cue](item.text)


def cue_predicts(items: list[Item], cue: str) -> list[bool]:
    """Per item, whether the cue alone points to the key."""
    labelled = [i for i in items if i.kind == "labelling"]
    median = statistics.median(words(i.text) for i in labelled) if labelled else 0
    out = []
    for item in items:
        if item.kind == "single-best":
            out.append(singled_out(item.options, cue) == item.key_index)
        elif item.kind == "labelling":
            fav = favoured(item.labels)
            out.append(fav is not None and _has_cue(item, cue, median) and item.key == fav)
        else:  # a rating has no options for a surface cue to single out
            out.append(False)
    return out


@dataclass
class ModuleAudit:
    module: str
    items: int
    rates: dict[str, float]  # cue -> share of items it predicts (position: of single-best items)
    problems: list[str]


def vignette_items(file: str, vignettes: dict[str, object]) -> list[Item]:
    """The items of a vignette file, as each vignette's kind lists them (a kind cannot leave this out:
    ``Kind.items`` is required)."""
    return [item for v in vignettes.values() for item in kind_of(v).items(f"{file}, vignette {v.id!r}", v)]


def module_items(course: Course, module: Module) -> list[Item]:
    items = vignette_items(module.vignettes.name, load_vignettes(module.vignettes))
    for exercise in module.exercises:
        source = course.paths.source(exercise.id) / exercise.notebook_name
        items += [item for part in exercise_parts(exercise.id, source) for item in part.items]
    return items


def audit_module(course: Course, module: Module) -> ModuleAudit:
    return audit_items(module.id, module_items(course, module))


def audit_items(module_id: str, items: list[Item]) -> ModuleAudit:
    rates: dict[str, float] = {}
    # labelling sets are measured set by set (a "long" statement is long for its own set)
    for cue in CUE_NAMES[:-1]:
        hits = 0
        for group in _label_sets(items):
            hits += sum(cue_predicts(group, cue))
        rates[cue] = hits / len(items) if items else 0.0
    single = [i for i in items if i.kind == "single-best"]
    positions = Counter(i.key for i in single)
    rates["position"] = max(positions.values()) / len(single) if single else 0.0
    problems = [
        f"the cue '{cue}' points to the key in {rate:.0%} of the items (limit {MAX_CUE_RATE:.0%})"
        for cue, rate in rates.items()
        if rate > MAX_CUE_RATE
    ]
    return ModuleAudit(module_id, len(items), rates, problems)


def _label_sets(items: list[Item]) -> list[list[Item]]:
    """Single-best items each on their own; labelling items grouped by where they come from."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        key = item.where.rsplit(", ", 1)[0] if item.kind == "labelling" else item.where
        groups.setdefault(key, []).append(item)
    return list(groups.values())


@dataclass
class Learned:
    """The style learner trained on every module but the one a part belongs to (None: too little
    to learn from), so its picks on the part are those of a test-wise trainee who has done the rest."""

    single: object | None = None
    labelling: object | None = None


def trained_without(items_by_module: dict[str, list[Item]], module_id: str) -> Learned:
    train = [i for m, items in items_by_module.items() if m != module_id for i in items]
    single = [i for i in train if i.kind == "single-best" and len(i.options) > 1]
    return Learned(style_learner.single_best_model(single) if single else None, style_learner.labelling_model(train))


def cue_only_fraction(part: Part, learned: Learned | None = None) -> tuple[float, str]:
    """The best share of a part a cue-only taker scores, and the rule that scores it: single cues,
    constant answers, and the style learner trained on the other modules."""
    items = list(part.items)
    learned = learned or Learned()
    if items[0].kind == "single-best":
        rules = {}
        for cue in CUE_NAMES[:-1]:
            picks = [singled_out(i.options, cue) for i in items]
            picks = [p if p is not None else _longest_first(i.options) for p, i in zip(picks, items)]
            rules[f"pick by {cue}"] = sum(p == i.key_index for p, i in zip(picks, items)) / len(items)
        for letter in "ABCD":
            rules[f"always {letter}"] = sum(i.key == letter for i in items) / len(items)
        if learned.single is not None:
            hits = sum(style_learner.pick(learned.single, i) == i.key_index for i in items)
            rules["the style learner's pick"] = hits / len(items)
    elif items[0].kind == "rating":
        rules = {f"always rate {r}": sum(rating_credit(r, i.key) for i in items) / len(items) for r in part.allowed}
    else:
        rules = {f"always '{label}'": sum(i.key == label for i in items) / len(items) for label in part.label_set}
        fav = favoured(part.label_set)
        if fav is not None:
            others = Counter(i.key for i in items if i.key != fav)
            fallback = others.most_common(1)[0][0] if others else next(lb for lb in part.label_set if lb != fav)
            median = statistics.median(words(i.text) for i in items)
            for cue in CUE_NAMES[:-1]:
                answers = [fav if _has_cue(i, cue, median) else fallback for i in items]
                agreed = sum(a == i.key for a, i in zip(answers, items))
                rules[f"'{fav}' when {cue}, else '{fallback}'"] = agreed / len(items)
            if learned.labelling is not None:
                answers = [fav if style_learner.says_favoured(learned.labelling, i) else fallback for i in items]
                agreed = sum(a == i.key for a, i in zip(answers, items))
                rules[f"'{fav}' when the style learner says so, else '{fallback}'"] = agreed / len(items)
    if part.scorer == "score_agreement":  # agreement earns points by band, not in proportion
        rules = {rule: band_share(agreement) for rule, agreement in rules.items()}
    rule = max(rules, key=rules.get)
    return rules[rule], rule


def _longest_first(options: tuple[str, ...]) -> int:
    lengths = [words(o) for o in options]
    return lengths.index(max(lengths))


@dataclass
class ExerciseAudit:
    exercise: str
    points: float
    cue_only: float
    rules: dict[str, str]  # grade id -> the best cue rule for it

    @property
    def ok(self) -> bool:
        return self.cue_only <= self.points * MAX_CUE_ONLY_SHARE + 1e-9


def audit_exercise(course: Course, exercise_id: str, learned: Learned | None = None) -> ExerciseAudit:
    exercise = course.exercise(exercise_id)
    parts = exercise_parts(exercise.id, course.paths.source(exercise.id) / exercise.notebook_name)
    total, score, rules = 0.0, 0.0, {}
    for part in parts:
        fraction, rule = cue_only_fraction(part, learned)
        total += part.points
        score += part.points * fraction
        rules[part.grade_id] = f"{rule}: {part.points * fraction:.2f} of {part.points:g}"
    return ExerciseAudit(exercise.id, total, round(score, 2), rules)


def report_lines(course: Course) -> tuple[list[str], int]:
    """One line per module and exercise for ``repairlab check``, then the style learner's result per
    held-out module; and the number of failures."""
    lines, failures = [], 0
    items_by_module = {module.id: module_items(course, module) for module in course.modules}
    for module in course.modules:
        result = audit_items(module.id, items_by_module[module.id])
        rates = ", ".join(f"{cue} {rate:.0%}" for cue, rate in result.rates.items())
        verdict = "ok " if not result.problems else "BAD"
        lines.append(f"audit {verdict} module {module.id} ({result.items} items): {rates}")
        lines += [f"      {p}" for p in result.problems]
        failures += bool(result.problems)
        learned = trained_without(items_by_module, module.id)
        for exercise in module.exercises:
            ex = audit_exercise(course, exercise.id, learned)
            verdict = "ok " if ex.ok else "BAD"
            lines.append(
                f"audit {verdict} exercise {ex.exercise}: a cue-only taker scores {ex.cue_only:g} of {ex.points:g} "
                f"autograded points (limit {ex.points * MAX_CUE_ONLY_SHARE:.2f})"
            )
            lines += [f"      {grade_id}: {rule}" for grade_id, rule in ex.rules.items()]
            failures += not ex.ok
    learner, learner_failures = learner_lines(items_by_module)
    return lines + learner, failures + learner_failures


def learner_lines(items_by_module: dict[str, list[Item]]) -> tuple[list[str], int]:
    """The style learner on each module it was not trained on, and on all of them together; a module
    fails when the learner beats chance by more than 10 points and that is unlikely to be luck."""
    results = style_learner.leave_one_module_out(items_by_module)
    whole = style_learner.pooled(results)
    lines, failures = [], 0
    for r in [*results, whole]:
        verdict = "BAD" if r.beats_chance else "ok "
        failures += r.beats_chance
        lines.append(f"audit {verdict} style learner on {r.module}: {r.hits} of {r.items} keys ({r.accuracy:.0%}; "
                     f"chance {r.chance:.0%}; {r.excess * 100:+.0f} points, p = {r.p_value:.3f})")
    everything = [i for items in items_by_module.values() for i in items]
    leaning = ", ".join(f"{name} {w:+.2f}" for name, w in style_learner.heaviest_features(everything))
    lines.append(f"      its heaviest features (+ toward the key): {leaning}")
    return lines, failures


def learner_picks(course: Course, module_id: str) -> list[str]:
    """For an author rewriting a module: each single-best item the learner (trained on the other
    modules) finds by style alone."""
    items_by_module = {module.id: module_items(course, module) for module in course.modules}
    learned = trained_without(items_by_module, module_id)
    lines = []
    for item in items_by_module[module_id]:
        if item.kind == "single-best" and len(item.options) > 1 and learned.single is not None:
            chosen = style_learner.pick(learned.single, item)
            verdict = "FOUND BY STYLE" if chosen == item.key_index else "not found"
            lines.append(f"{verdict}: {item.where} (key {item.key}, the learner picks {chr(ord('A') + chosen)})")
    return lines


if __name__ == "__main__":  # python -m repairlab.authoring.audit MODULE: which items style alone gives away
    import sys

    from ..course import load_course

    print("\n".join(learner_picks(load_course(), sys.argv[1])))
