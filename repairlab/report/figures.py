"""The report's three figures, drawn with matplotlib's object API: no pyplot, so no global figure
state in the report kernel. Each is shown as a PNG embedded in the HTML with alt text that says what
it shows in words (the numbers are also in the tables). Statuses differ by hatching and labels as
well as by colour (Okabe-Ito colours, told apart under colour-vision deficiencies), and a box plot is
drawn only from ten scores up: below that, the points alone."""

from __future__ import annotations

import base64
import html
import io
import textwrap

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .data import (
    GRADED,
    NEEDS_GRADING,
    NOT_AUTOGRADED,
    NOT_SUBMITTED,
    STATUSES,
    CohortData,
    fmt_percent,
)
from .rules import CHECK_IN_BELOW

STATUS_COLOURS = {GRADED: "#0072b2", NEEDS_GRADING: "#e69f00", NOT_AUTOGRADED: "#d55e00", NOT_SUBMITTED: "#d9d9d9"}
STATUS_HATCHES = {GRADED: "", NEEDS_GRADING: "//", NOT_AUTOGRADED: "xx", NOT_SUBMITTED: ".."}

BOX_FROM = 10  # fewer scores than this: the points alone, no box


class PNG:
    """A figure as a PNG inside an ``<img>`` with real alt text (nbconvert would write a placeholder)."""

    def __init__(self, fig: Figure, alt: str, dpi: int = 100):
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
        self.data = buffer.getvalue()
        self.alt = alt

    def _repr_html_(self) -> str:
        encoded = base64.b64encode(self.data).decode("ascii")
        return (f'<figure class="repairlab-figure"><img src="data:image/png;base64,{encoded}" '
                f'alt="{html.escape(self.alt, quote=True)}"></figure>')


def show(fig: Figure) -> PNG:
    return PNG(fig, getattr(fig, "alt_text", ""))


def status_figure(data: CohortData) -> Figure:
    """Stacked bars: per exercise, how many trainees are in each submission status."""
    fig = Figure(figsize=(8, 1.2 + 0.6 * max(1, len(data.exercises))), layout="constrained")
    ax = fig.add_subplot()
    ys = list(range(len(data.exercises)))
    left = [0] * len(ys)
    for status in STATUSES:
        counts = [sum(data.result(t.id, ex).status == status for t in data.trainees) for ex in data.exercises]
        bars = ax.barh(ys, counts, left=left, color=STATUS_COLOURS[status], label=status, height=0.6,
                       hatch=STATUS_HATCHES[status], edgecolor="#333333", linewidth=0.6)
        ax.bar_label(bars, labels=[str(c) if c else "" for c in counts], label_type="center", fontsize=9,
                     color="black", bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
        left = [a + b for a, b in zip(left, counts)]
    ax.set_yticks(ys, [data.title_of(ex) for ex in data.exercises])
    ax.invert_yaxis()
    ax.set_xlim(0, max(1, len(data.trainees)))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("Trainees")
    ax.set_title(f"Submission status per exercise ({len(data.trainees)} trainees)")
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(ys) < 3 else -0.2), ncol=4, fontsize=8, frameon=False
    )
    counts = "; ".join(
        f"{data.title_of(ex)}: " + ", ".join(f"{n} {status}" for status in STATUSES
                                         if (n := sum(data.result(t.id, ex).status == status for t in data.trainees)))
        for ex in data.exercises)
    fig.alt_text = f"Bar chart of submission status per exercise, {len(data.trainees)} trainees. {counts}."
    return fig


def scores_figure(data: CohortData) -> Figure:
    """Per exercise, the total % of graded points of each trainee with graded work: box and dots."""
    fig = Figure(figsize=(max(5.5, 2.4 * len(data.exercises) + 1.5), 4.2), layout="constrained")
    ax = fig.add_subplot()
    top = 100.0
    labels, described = [], []
    for i, ex in enumerate(data.exercises):
        values = [total for t in data.trainees if (total := data.result(t.id, ex).total) is not None]
        labels.append(f"{textwrap.fill(data.title_of(ex), 16)}\n{len(values)} of {len(data.trainees)} trainees")
        if not values:
            ax.text(i, 50, "nothing graded yet", ha="center", va="center", fontsize=9, color="#404040")
            described.append(f"{data.title_of(ex)}: nothing graded yet")
            continue
        top = max(top, *values)
        ordered = sorted(values)
        described.append(f"{data.title_of(ex)}: {len(values)} trainees, from {fmt_percent(ordered[0])} to "
                         f"{fmt_percent(ordered[-1])}, median {fmt_percent(ordered[len(ordered) // 2])}")
        if len(values) >= BOX_FROM:
            ax.boxplot([values], positions=[i], widths=0.5, showfliers=False, patch_artist=True,
                       boxprops={"facecolor": "#dbe6f4", "edgecolor": "#4c72b0"},
                       medianprops={"color": "#1f3b63", "linewidth": 2},
                       whiskerprops={"color": "#4c72b0"}, capprops={"color": "#4c72b0"})
        jitter = [((k % 5) - 2) * 0.07 for k in range(len(values))]
        ax.scatter([i + j for j in jitter], values, s=30, color="#1f3b63", zorder=3, alpha=0.8)
    ax.set_xticks(range(len(data.exercises)), labels, fontsize=9)
    ax.set_xlim(-0.7, len(data.exercises) - 0.3)
    ax.set_ylim(-5, top + 5)
    ax.set_ylabel("Total (% of graded points)")
    ax.grid(axis="y", alpha=0.3)
    ax.set_title("Score per exercise: one dot per trainee with graded work (a box from 10 trainees up)\n"
                 "(items that need grading and reflection left out)", fontsize=10)
    fig.alt_text = ("Dot plot of each trainee's total per exercise, as % of the points graded so far. "
                    + "; ".join(described) + ".")
    return fig


def skills_figure(data: CohortData) -> Figure:
    """Heatmap trainee × skill of % of graded points; cells with nothing graded are grey, hatched."""
    import numpy as np
    from matplotlib import colormaps

    skills = list(data.skills)
    trainees = data.trainees
    fig = Figure(figsize=(max(6.0, 1.5 * len(skills) + 3.5), 1.9 + 0.42 * max(1, len(trainees))), layout="constrained")
    ax = fig.add_subplot()
    values = np.array([[data.skill_percent[t.id][s] if data.skill_percent[t.id][s] is not None else np.nan
                        for s in skills] for t in trainees], dtype=float).reshape(len(trainees), len(skills))
    cmap = colormaps["viridis"].with_extremes(bad="#e6e6e6")
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=0, vmax=100, aspect="auto")
    for row, t in enumerate(trainees):
        for col, s in enumerate(skills):
            value = data.skill_percent[t.id][s]
            if value is None:
                ax.add_patch(
                    Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, hatch="//", edgecolor="#a0a0a0", linewidth=0)
                )
                ax.text(col, row, "no grade", ha="center", va="center", fontsize=8, color="#404040")
            else:
                ax.text(col, row, fmt_percent(value), ha="center", va="center", fontsize=9,
                        color="white" if value < 55 else "black")
    ax.set_xticks(range(len(skills)), [textwrap.fill(data.skills[s], 18) for s in skills], fontsize=8)
    ax.set_yticks(range(len(trainees)), [t.label for t in trainees], fontsize=9)
    ax.tick_params(top=True, labeltop=True, bottom=False, labelbottom=False, length=0)
    ax.set_xticks([x - 0.5 for x in range(1, len(skills))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(trainees))], minor=True)
    ax.tick_params(which="minor", length=0)
    ax.grid(which="minor", color="white", linewidth=2)
    colorbar = fig.colorbar(image, ax=ax, shrink=0.8)
    colorbar.set_label("% of graded points")
    ax.set_title("Skills: % of the points graded so far, per trainee\n"
                 "grey 'no grade': nothing graded yet (not submitted, needs grading, "
                 "or not autograded)", fontsize=10)
    low = {t.label: [f"{data.skills[s]} {fmt_percent(v)}" for s in skills
                     if (v := data.skill_percent[t.id][s]) is not None and v < CHECK_IN_BELOW] for t in trainees}
    below = "; ".join(f"{who}: {', '.join(found)}" for who, found in low.items() if found) or "nobody"
    fig.alt_text = (f"Heatmap of {len(trainees)} trainees by {len(skills)} skills, each cell the % of the points "
                    f"graded so far, or 'no grade'. Below {CHECK_IN_BELOW:g}%: {below}. Every trainee's totals are "
                    "also in the table 'Every trainee, every exercise'.")
    return fig
