"""Who the report lists: trainees who may benefit from a check-in, and work not submitted yet. The
rule is stated in words (``check_in_rule``) so a supervisor reads exactly what the list means."""

from __future__ import annotations

from dataclasses import dataclass

from .data import NOT_AUTOGRADED, CohortData, Member, fmt_percent

CHECK_IN_BELOW = 60.0  # a skill below this share of the points graded so far
CHECK_IN_MISSING = 2  # this many exercises not submitted (or every exercise, in a shorter course)


@dataclass(frozen=True)
class CheckIn:
    trainee: Member
    reasons: tuple[str, ...]


def check_in_rule() -> str:
    return (
        "A trainee is listed when at least one of these is true: a skill is below "
        f"{CHECK_IN_BELOW:g}% of the points graded so far (skills with nothing graded yet do not count); "
        f"{CHECK_IN_MISSING} or more exercises are not submitted (every exercise, if the course has fewer); "
        "an exercise could not be autograded and is waiting to be graded by hand. "
        "This is a prompt for a supportive conversation, not an assessment: "
        "the numbers do not say why, and the reason may be as simple as a technical problem."
    )


def check_ins(data: CohortData) -> list[CheckIn]:
    """Trainees who may benefit from a check-in, with what the report noticed (``check_in_rule``)."""
    listed = []
    for t in data.trainees:
        reasons = [f"{data.skills[skill]}: {fmt_percent(value)} of the points graded so far"
                   for skill, value in data.skill_percent[t.id].items()
                   if value is not None and value < CHECK_IN_BELOW]
        missing = [ex for ex in data.exercises if not data.result(t.id, ex).submitted]
        if missing and len(missing) >= min(CHECK_IN_MISSING, len(data.exercises)):
            reasons.append(f"not submitted yet: {', '.join(missing)}")
        for ex in data.exercises:
            result = data.result(t.id, ex)
            if result.status == NOT_AUTOGRADED:
                reasons.append(f"{ex} could not be autograded ({result.failure}); it is waiting to be graded by hand")
        if reasons:
            listed.append(CheckIn(t, tuple(reasons)))
    return listed


def not_submitted(data: CohortData) -> list[tuple[Member, list[str]]]:
    """Each trainee with at least one exercise not submitted, and those exercises."""
    rows = []
    for t in data.trainees:
        missing = [ex for ex in data.exercises if not data.result(t.id, ex).submitted]
        if missing:
            rows.append((t, missing))
    return rows
