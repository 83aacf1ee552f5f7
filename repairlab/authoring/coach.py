"""The response coach's data, for course authors: import a labelled bank into the solutions, report
how far its two blind raters agreed, measure the coach against the settled scores (held out, whole
responses at a time), and build the practice model trainees' "Write it yourself" steps use.

    python -m repairlab.authoring.coach import DIR      # DIR/bank, DIR/ratings/rater-*, DIR/settled (+ RULES.md)
    python -m repairlab.authoring.coach agreement       # raters: quadratic-weighted kappa, exact agreement
    python -m repairlab.authoring.coach evaluate        # coach: cross-validated kappa and coverage
    python -m repairlab.authoring.coach practice-model  # writes repairlab/coach/practice-model.json
    python -m repairlab.authoring.coach check FILE      # a set it never trained on: in range, abstained, pairs
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..agreement import fmt_kappa, percent_agreement, quadratic_kappa
from ..coach import model
from ..coach.exercise import Bank, CoachError, bank_coach, cross_validate, judged_pairs, load_bank, read_yaml
from ..coach.judge import judged
from ..coach.patterns import FEATURES
from ..coach.practice import MODEL
from ..coach.realistic import in_range, load_set, same_judgements, wrong_elements
from ..course import Course, load_course

ADJUDICATION = "coach-adjudication.md"
HEADER = "# The response coach's labelled bank: never released (nbgrader_config.py ignores it). See README.\n"


def _jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise CoachError(f"{path} is missing")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise CoachError(f"{path.name}, line {n}: not JSON ({exc.msg})") from None
    return out


def import_bank(course: Course, folder: Path, exercise_id: str) -> Path:
    """Fill ``coach-bank.yml``'s responses from the bank, both raters and the settled scores; its
    header (task, client, elements and their cue words) is the author's and stays as it is."""
    path = course.paths.coach_bank(exercise_id)
    data = read_yaml(path)
    raters = sorted(p.name for p in (folder / "ratings").iterdir() if (p / f"{exercise_id}.jsonl").is_file())
    rated = {r: {x["id"]: x for x in _jsonl(folder / "ratings" / r / f"{exercise_id}.jsonl")} for r in raters}
    settled = {x["id"]: x for x in _jsonl(folder / "settled" / f"{exercise_id}.jsonl")}
    responses = []
    for item in _jsonl(folder / "bank" / f"{exercise_id}.jsonl"):
        rid = item["id"]
        if rid not in settled or any(rid not in rated[r] for r in raters):
            raise CoachError(f"{exercise_id}: response {rid!r} has no settled score or lacks a rater's scores")
        responses.append({
            "id": rid, "text": item["text"],
            "raters": {r: rated[r][rid]["scores"] for r in raters},
            "notes": {r: rated[r][rid].get("note", "") for r in raters},
            "settled": settled[rid]["scores"], "settled_by": settled[rid]["settled_by"],
            "why": settled[rid].get("why", ""),
        })
    data["responses"] = responses
    path.write_text(HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")
    load_bank(course, exercise_id)  # the imported file must load
    return path


def banks(course: Course) -> list[Bank]:
    return [load_bank(course, ex.id) for ex in course.exercises if course.paths.coach_bank(ex.id).is_file()]


@dataclass(frozen=True)
class Row:
    exercise: str
    element: str
    kappa: float | None
    exact: float
    coverage: float = 1.0


def rater_agreement(bank: Bank) -> list[Row]:
    """The first two raters, per element: quadratic-weighted kappa and exact agreement."""
    first, second = sorted(bank.responses[0].raters)[:2]
    rows = []
    for e, element in enumerate(bank.elements):
        a = [r.raters[first][e] for r in bank.responses]
        b = [r.raters[second][e] for r in bank.responses]
        rows.append(Row(bank.exercise, element.name, quadratic_kappa(a, b), percent_agreement(a, b)))
    return rows


def coach_agreement(course: Course, bank: Bank) -> tuple[list[Row], float | None, float]:
    """Per element: cross-validated kappa against the settled scores and exact agreement, both on
    the responses the coach judged, and coverage (the share it judged); then, over the task's
    judged elements, pooled kappa and coverage (the share of all its element judgements made)."""
    evaluation = cross_validate(bank, bank_coach(course, bank))
    rows, pooled_p, pooled_s, made = [], [], [], 0
    for e, element in enumerate(bank.elements):
        predicted, settled = judged_pairs([p[e] for p in evaluation.predicted], [r.settled[e] for r in bank.responses])
        exact = percent_agreement(predicted, settled) if predicted else 0.0
        rows.append(Row(bank.exercise, element.name, evaluation.kappas[e], exact, evaluation.coverage[e]))
        if judged(evaluation.kappas[e]):
            pooled_p += predicted
            pooled_s += settled
            made += len(predicted)
    coverage = made / (len(bank.elements) * len(bank.responses))
    return rows, (quadratic_kappa(pooled_p, pooled_s) if pooled_p else None), coverage


def practice_model(course: Course, all_banks: list[Bank]) -> dict:
    """One learner per kind of element, fitted on every exercise's elements of that kind; its kappa
    is measured with one whole task held out at a time (a prompt it has never seen)."""
    by_kind: dict[str, list[tuple[str, list, list, list]]] = {}
    for bank in all_banks:
        coach = bank_coach(course, bank)
        for e, element in enumerate(bank.elements):
            rows = [coach.see(r.text, e).values for r in bank.responses]
            settled = [r.settled[e] for r in bank.responses]
            predict = [(coach, e, r.text) for r in bank.responses]
            by_kind.setdefault(element.kind, []).append((f"{bank.exercise}: {element.name}", rows, settled, predict))
    kinds = {}
    for kind, parts in sorted(by_kind.items()):
        kappa, coverage = None, None
        if len(parts) > 1:
            predicted, truth = [], []
            for k, (_, _, settled, predict) in enumerate(parts):
                others = [p for j, p in enumerate(parts) if j != k]
                fitted = model.fit([x for p in others for x in p[1]], [y for p in others for y in p[2]])
                predicted += [c.judge_element(text, e, fitted).score for c, e, text in predict]
                truth += settled
            made, truth = judged_pairs(predicted, truth)
            kappa = quadratic_kappa(made, truth)
            coverage = len(made) / len(predicted)
        fitted = model.fit([x for p in parts for x in p[1]], [y for p in parts for y in p[2]])
        kinds[kind] = {**fitted.as_data(), "kappa": None if kappa is None else round(kappa, 3),
                       "coverage": None if coverage is None else round(coverage, 3),
                       "from": [p[0] for p in parts]}
    return {"features": list(FEATURES), "bar": model.KAPPA_BAR, "kinds": kinds}


def check(course: Course, path: Path) -> None:
    """Per task of a set the coach never trained on (``tests/coach/realistic.yml``): elements whose
    suggestion is in the supervisor's range, not judged, or wrong; and trivial-edit pairs that differ."""
    from ..coach.exercise import exercise_coach

    print(f"{'exercise':28} {'in range':>8} {'not judged':>10} {'wrong':>6} {'coverage':>8} {'pairs same':>10}")
    totals, full = [0, 0, 0], [0, 0]
    for exercise, task in load_set(path).items():
        coach = exercise_coach(course, exercise, task.task)
        counts, wrong = [0, 0, 0], []
        for case in task.responses:
            for j, want in zip(coach.judge(case.text), case.expect):
                kind = 1 if j.score is None else 0 if in_range(j.score, want) else 2
                if set(case.expect) == {">=0.5"} and j.score is not None:  # a good answer: credited in full?
                    full = [full[0] + 1, full[1] + (j.score == 1)]
                counts[kind] += 1
                if kind == 2:
                    wrong.append(f"    {case.id}: {j.name[:40]} {j.score} (expected {want})")
        for case in task.responses:
            if case.misses and not wrong_elements(case, coach.judge(case.text)) >= case.misses:
                wrong.append(f"    {case.id}: a miss listed in the file is fixed; delete it there")
        same = sum(same_judgements(coach.judge(a), coach.judge(b)) for a, b in task.pairs)
        n = sum(counts)
        print(f"{exercise:28} {counts[0]:8} {counts[1]:10} {counts[2]:6} {(counts[0] + counts[2]) / n:8.0%} "
              f"{same:>5}/{len(task.pairs)}")
        if wrong:
            print("\n".join(wrong))
        totals = [t + c for t, c in zip(totals, counts)]
    n = sum(totals)
    print(f"{'all':28} {totals[0]:8} {totals[1]:10} {totals[2]:6} {(totals[0] + totals[2]) / n:8.0%}   "
          f"in range or not judged: {(totals[0] + totals[1]) / n:.0%}")
    if full[0]:
        print(f"good answers: {full[1]} of the {full[0]} elements judged were credited in full "
              f"({full[1] / full[0]:.0%})")


def main(argv: list[str]) -> int:
    course = load_course()
    verb = argv[0] if argv else ""
    if verb == "import" and len(argv) == 2:
        rules = Path(argv[1]) / "settled" / "RULES.md"
        if rules.is_file():  # the adjudicator's rules where the schemes were silent, kept with the banks
            target = course.paths.solutions / ADJUDICATION
            target.write_text(rules.read_text(encoding="utf-8"), encoding="utf-8")
            print(f"imported {target.relative_to(course.root)}")
        for ex in course.exercises:
            if course.paths.coach_bank(ex.id).is_file():
                print(f"imported {import_bank(course, Path(argv[1]), ex.id).relative_to(course.root)}")
    elif verb == "agreement":
        print(f"{'exercise':28} {'element':52} {'QW kappa':>8} {'exact':>6}")
        for bank in banks(course):
            for row in rater_agreement(bank):
                print(f"{row.exercise:28} {row.element[:52]:52} {fmt_kappa(row.kappa):>8} {row.exact:6.0%}")
    elif verb == "evaluate":
        print(f"{'exercise':28} {'element':52} {'QW kappa':>8} {'exact':>6} {'coverage':>8}  judged")
        for bank in banks(course):
            rows, pooled, coverage = coach_agreement(course, bank)
            for row in rows:
                print(f"{row.exercise:28} {row.element[:52]:52} {fmt_kappa(row.kappa):>8} {row.exact:6.0%} "
                      f"{row.coverage:8.0%}  {'yes' if judged(row.kappa) else 'no'}")
            print(f"{bank.exercise:28} {'(task: judged elements pooled)':52} {fmt_kappa(pooled):>8}  coverage "
                  f"{coverage:.0%}")
    elif verb == "practice-model":
        MODEL.write_text(json.dumps(practice_model(course, banks(course)), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL.name}")
    elif verb == "check" and len(argv) == 2:
        check(course, Path(argv[1]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
