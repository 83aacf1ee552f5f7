"""The report's text and tables, as objects Jupyter displays as HTML. Every value is escaped: names
come from the roster, and failure reasons from nbgrader."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from .data import (
    GRADED,
    NEEDS_GRADING,
    NOT_AUTOGRADED,
    NOT_SUBMITTED,
    CohortData,
    ExerciseResult,
    fmt_percent,
)
from .rules import check_in_rule, check_ins, not_submitted


class Html(str):
    def _repr_html_(self) -> str:
        return str(self)


def _cell(value) -> str:
    if isinstance(value, (list, tuple)):
        return "<br>".join(html.escape(str(v)) for v in value)
    return html.escape(str(value))


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[list]  # plain-text cells; a list in a cell is shown one entry per line
    note: str = ""
    empty: str = "Nobody."

    def to_html(self) -> str:
        parts = [f'<section class="repairlab-table" id="section-{self.id}">', f"<h3>{html.escape(self.title)}</h3>"]
        if self.note:
            parts.append(f"<p>{html.escape(self.note)}</p>")
        if not self.rows:
            parts.append(f"<p><em>{html.escape(self.empty)}</em></p>")
        else:
            head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
            body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in self.rows)
            parts.append(f'<table id="{self.id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
        parts.append("</section>")
        return Html("\n".join(parts))

    _repr_html_ = to_html


def summary(data: CohortData) -> Html:
    """What the report covers and how to read it."""
    items = [
        f"{len(data.trainees)} trainees in the gradebook; exercises: {', '.join(data.exercises) or 'none'}.",
        "Percentages are the share of points on the items that have a final score. Items that need "
        "grading (written answers not graded yet, and answers nbgrader flagged for review, such as a "
        "resubmitted answer that still carries an earlier manual score) are left out of both the score "
        f"and the maximum ({data.ungraded_items} such item(s) in this cohort right now), so a "
        "percentage can change once they are graded.",
        "A skill with nothing graded yet shows as 'no grade', never as 0%.",
    ]
    if data.reflection:
        items.append("Reflection is graded on completion only: it appears as complete or not, never as "
                     "a percentage, and it is left out of exercise totals and of the skill chart.")
    items.append("This report uses only names, scores and statuses from the gradebook. It never opens "
                 "a trainee's notebook and shows no answers and no grader comments.")
    items += data.notes
    lis = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return Html(f"<h2>{html.escape(data.title)}: cohort report, {date.today().isoformat()}</h2><ul>{lis}</ul>")


def not_submitted_table(data: CohortData) -> Table:
    return Table("not-submitted", "Not submitted yet", ["Trainee", "ID", "Exercises not submitted"],
                 [[t.name, t.id, missing] for t, missing in not_submitted(data)],
                 empty="Everyone has submitted every exercise.")


def check_in_table(data: CohortData) -> Table:
    return Table("check-in", "May benefit from a check-in", ["Trainee", "ID", "What the report noticed"],
                 [[c.trainee.name, c.trainee.id, list(c.reasons)] for c in check_ins(data)],
                 note=check_in_rule(), empty="Nobody at the moment.")


def _status_text(result: ExerciseResult) -> str:
    total = result.total
    score = fmt_percent(total) if total is not None else ""
    if result.status == GRADED:
        return score or GRADED
    if result.status == NEEDS_GRADING:
        return f"{score} so far; {NEEDS_GRADING}" if score else NEEDS_GRADING
    if result.status == NOT_AUTOGRADED:
        return f"{NOT_AUTOGRADED}: {result.failure}"
    return NOT_SUBMITTED


def overview_table(data: CohortData) -> Table:
    """Every trainee: each exercise's status and total (% of graded points)."""
    return Table("overview", "Every trainee, every exercise", ["Trainee", "ID", *data.exercises],
                 [[t.name, t.id, *(_status_text(data.result(t.id, ex)) for ex in data.exercises)]
                  for t in data.trainees],
                 note="Totals are % of the points graded so far, reflection items and items that need "
                      "grading left out.",
                 empty="No trainees in the gradebook yet.")


def reflection_table(data: CohortData) -> Table:
    if not data.reflection:
        return Table("reflection", "Reflection (completion only)", [], [],
                     empty="No exercise in course.yml is mapped to the reflection skill.")
    return Table("reflection", "Reflection (completion only)", ["Trainee", "ID", "Reflection"],
                 [[t.name, t.id, data.reflection[t.id].label] for t in data.trainees],
                 note="Complete means submitted and given a final non-zero score. What a trainee wrote is "
                      "never shown or summarised here.")
