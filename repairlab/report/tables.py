"""The report's text and tables, as objects Jupyter displays as HTML. Every value is escaped: names
come from the roster, and failure reasons from nbgrader."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from ..supervisor.safety import SAFETY_FLAG
from .data import (
    GRADED,
    NEEDS_GRADING,
    NOT_AUTOGRADED,
    NOT_SUBMITTED,
    CohortData,
    ExerciseResult,
    fmt_percent,
)
from .rules import check_in_rule, check_ins, failures, not_submitted, to_mark

STYLE = """<style>
.jp-RenderedHTMLCommon.jp-OutputArea-output td, .jp-RenderedHTMLCommon.jp-OutputArea-output th,
.jp-RenderedHTMLCommon.jp-OutputArea-output tr { text-align: left; vertical-align: top; }
.repairlab-first { max-width: 75em; }
.repairlab-first .cards { display: grid; grid-template-columns: 1fr 1fr; gap: 0 2.5em; }
.repairlab-first .wide { grid-column: 1 / -1; }
.repairlab-first .wide ul { columns: 2; column-gap: 2.5em; }
.repairlab-first li { margin: 0.15em 0; break-inside: avoid; }
.repairlab-first h3 { margin: 0.8em 0 0.3em; }
.repairlab-privacy { color: #333333; }
.repairlab-figure { margin: 0; }
.repairlab-figure img { max-width: 100%; height: auto; }
</style>"""
PRIVACY = ("Private to the course team. Made from the gradebook alone (names, scores, statuses): no answer, "
           "grader comment or reflection is shown.")


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


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f"<p><em>{html.escape(empty)}</em></p>"
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def _short(reason: str) -> str:
    """A failure reason without the exception's name and message nbgrader met (those are in the log)."""
    return reason.split(": ")[0] if reason else "no reason given"


def first_screen(data: CohortData) -> Html:
    """What to do first, on one screen: who may need a check-in and why (one short line each; a missed
    safety item first), what to mark (oldest first), what could not be graded, and who has not handed in;
    the privacy note once."""
    rows = to_mark(data)
    dated = any(oldest for *_, oldest in rows)  # nbgrader knows hand-in times from the exchange, not a folder
    head = ["Exercise", "Submissions", "Answers to mark", *(["Oldest hand-in"] if dated else [])]
    marks = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (
        data.title_of(ex), subs, items, *([f"{oldest:%Y-%m-%d}" if oldest else "—"] if dated else []))) + "</tr>"
        for ex, subs, items, oldest in rows)
    marked = (f'<table id="to-mark-table"><thead><tr>{"".join(f"<th>{h}</th>" for h in head)}</tr></thead>'
              f"<tbody>{marks}</tbody></table>" if marks else "<p><em>Nothing to mark.</em></p>")
    released = len(data.released)
    missing = [f"{t.label}: " + (f"all {released} released exercises" if len(exs) == released > 1
                                 else ", ".join(data.title_of(ex) for ex in exs)) for t, exs in not_submitted(data)]
    failed = [f"{len(who)} notebook(s) of {', '.join(sorted({t.label for t, _ in who}))}: {_short(reason)}"
              for reason, who in failures(data)]
    unreleased = [data.title_of(ex) for ex in data.exercises if ex not in data.released]
    sections = [  # a missed safety item heads the check-ins, so it is the first thing on the screen
        ("first-check-in", "wide", "May need a check-in",
         _list([c.line for c in check_ins(data)], "Nobody at the moment.")),
        ("to-mark", "", "To mark", marked),
        ("not-graded", "", "Could not be graded automatically: grade these by hand",
         _list(failed, "Nothing: every notebook handed in was graded.")),
        ("first-not-submitted", "", "Not handed in",
         _list(missing, "Everyone has handed in every released exercise.")
         + (f"<p>Not counted: {html.escape(', '.join(unreleased))} (nobody has handed it in yet, so it is taken as "
            "not released).</p>" if unreleased else "")),
    ]
    body = "".join(f'<section id="{ident}"' + (f' class="{cls}"' if cls else "")
                   + f"><h3>{title}</h3>{content}</section>" for ident, cls, title, content in sections)
    return Html(f"{STYLE}<div class=\"repairlab-first\"><h1>{html.escape(data.title)}: cohort report, "
                f"{date.today().isoformat()}</h1><p class=\"repairlab-privacy\">{html.escape(PRIVACY)}</p>"
                f"<h2>What to do first</h2><div class=\"cards\">{body}</div></div>")


def summary(data: CohortData) -> Html:
    """How to read the numbers below."""
    items = [
        f"{len(data.trainees)} trainees in the gradebook; exercises: "
        f"{', '.join(data.title_of(ex) for ex in data.exercises) or 'none'}.",
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
    items += data.notes
    lis = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return Html(f"<h2>How to read the numbers</h2><ul>{lis}</ul>")


def not_submitted_table(data: CohortData) -> Table:
    return Table("not-submitted", "Not handed in yet", ["Trainee", "ID", "Exercises not handed in"],
                 [[t.name, t.id, [data.title_of(ex) for ex in missing]] for t, missing in not_submitted(data)],
                 note="Only exercises that at least one trainee has handed in count; the others are taken as not "
                      "released yet.",
                 empty="Everyone has handed in every released exercise.")


def check_in_table(data: CohortData) -> Table:
    return Table("check-in", "May benefit from a check-in", ["Trainee", "ID", "What the report noticed"],
                 [[c.trainee.name, c.trainee.id, list(c.reasons)] for c in check_ins(data)],
                 note=check_in_rule(), empty="Nobody at the moment.")


def _status_text(result: ExerciseResult) -> str:
    total = result.total
    score = fmt_percent(total) if total is not None else ""
    if result.status == GRADED:
        text = score or GRADED
    elif result.status == NEEDS_GRADING:
        text = f"{score} so far; {NEEDS_GRADING}" if score else NEEDS_GRADING
    elif result.status == NOT_AUTOGRADED:
        text = f"{NOT_AUTOGRADED} (reason above)"
    else:
        text = NOT_SUBMITTED
    return f"{text}; {SAFETY_FLAG}" if result.safety else text


def overview_table(data: CohortData) -> Table:
    """Every trainee: each exercise's status and total (% of graded points)."""
    return Table("overview", "Every trainee, every exercise", ["Trainee", "ID", *map(data.title_of, data.exercises)],
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
