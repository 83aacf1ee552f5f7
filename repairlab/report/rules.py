"""Who the report lists: trainees who may benefit from a check-in, and work not submitted yet. The
rule is stated in words (``check_in_rule``) so a supervisor reads exactly what the list means."""

from __future__ import annotations

from dataclasses import dataclass

from ..supervisor.safety import SAFETY_FLAG
from .data import NEEDS_GRADING, NOT_AUTOGRADED, CohortData, Member, fmt_percent

CHECK_IN_BELOW = 60.0  # a skill below this share of the points graded so far
CHECK_IN_MISSING = 2  # this many exercises not submitted (or every exercise, in a shorter course)


@dataclass(frozen=True)
class CheckIn:
    """What the report noticed about one trainee (``check_in_rule``)."""

    trainee: Member
    safety: tuple[tuple[str, str], ...] = ()  # ("Owning your part", "Part B, situation 3")
    low_skills: tuple[str, ...] = ()  # "Own your part: 40%"
    missing: int = 0  # released exercises not handed in
    failed: tuple[str, ...] = ()  # exercise titles that could not be graded automatically

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every reason in full, a missed safety item first."""
        return (*(f"{SAFETY_FLAG}: {title} ({items})" for title, items in self.safety), *self.low_skills,
                *([f"{self.missing} exercise(s) not handed in"] if self.missing else []),
                *([f"could not be graded automatically: {', '.join(self.failed)}"] if self.failed else []))

    @property
    def line(self) -> str:
        """The reasons in one short line, for the report's first screen."""
        parts = []
        if self.safety:
            parts.append(f"{SAFETY_FLAG} ({', '.join(title for title, _ in self.safety)})")
        if self.low_skills:
            parts.append(f"{len(self.low_skills)} skill(s) below {CHECK_IN_BELOW:g}%")
        if self.missing:
            parts.append(f"{self.missing} exercise(s) not handed in")
        if self.failed:
            parts.append(f"{len(self.failed)} exercise(s) could not be graded automatically")
        return f"{self.trainee.label}: {'; '.join(parts)}"


def check_in_rule() -> str:
    return (
        "A trainee is listed when at least one of these is true: a submission missed a graded safety (risk) "
        "item, whatever its total; a skill is below "
        f"{CHECK_IN_BELOW:g}% of the points graded so far (skills with nothing graded yet do not count); "
        f"{CHECK_IN_MISSING} or more released exercises are not handed in (every one, if fewer are released); "
        "an exercise could not be graded automatically and waits to be graded by hand. "
        "This is a prompt for a supportive conversation, not an assessment: "
        "the numbers do not say why, and the reason may be as simple as a technical problem."
    )


def check_ins(data: CohortData) -> list[CheckIn]:
    """Trainees who may benefit from a check-in (``check_in_rule``); those who missed a safety item first."""
    listed = []
    for t in data.trainees:
        missing = missing_exercises(data, t)
        check = CheckIn(
            t,
            safety=tuple((data.title_of(ex), "; ".join(result.safety))
                         for ex in data.exercises if (result := data.result(t.id, ex)).safety),
            low_skills=tuple(f"{data.skills[skill]}: {fmt_percent(value)}"
                             for skill, value in data.skill_percent[t.id].items()
                             if value is not None and value < CHECK_IN_BELOW),
            missing=len(missing) if missing and len(missing) >= min(CHECK_IN_MISSING, len(data.released)) else 0,
            failed=tuple(data.title_of(ex) for ex in data.exercises
                         if data.result(t.id, ex).status == NOT_AUTOGRADED))
        if check.reasons:
            listed.append(check)
    return sorted(listed, key=lambda c: not c.safety)


def missing_exercises(data: CohortData, trainee: Member) -> list[str]:
    """The released exercises (``CohortData.released``) this trainee has not handed in."""
    return [ex for ex in data.released if not data.result(trainee.id, ex).submitted]


def not_submitted(data: CohortData) -> list[tuple[Member, list[str]]]:
    """Each trainee with at least one released exercise not handed in, and those exercises."""
    rows = []
    for t in data.trainees:
        missing = missing_exercises(data, t)
        if missing:
            rows.append((t, missing))
    return rows


def failures(data: CohortData) -> list[tuple[str, list[tuple[Member, str]]]]:
    """What could not be graded automatically, one entry per reason: (reason, [(trainee, exercise)])."""
    found: dict[str, list[tuple[Member, str]]] = {}
    for t in data.trainees:
        for ex in data.exercises:
            result = data.result(t.id, ex)
            if result.status == NOT_AUTOGRADED:
                found.setdefault(result.failure, []).append((t, ex))
    return list(found.items())


def to_mark(data: CohortData) -> list[tuple[str, int, int, object]]:
    """Per exercise with something to mark: (exercise, submissions, items, oldest hand-in time), the
    oldest first (exercises whose hand-in time nbgrader does not know keep the course's order)."""
    rows = []
    for n, ex in enumerate(data.exercises):
        waiting = [r for t in data.trainees if (r := data.result(t.id, ex)).status == NEEDS_GRADING]
        if waiting:
            times = [r.handed_in for r in waiting if r.handed_in is not None]
            rows.append((n, ex, len(waiting), sum(len(r.ungraded) for r in waiting), min(times) if times else None))
    rows.sort(key=lambda row: (row[4] is None, row[4] or 0, row[0]))
    return [row[1:] for row in rows]
