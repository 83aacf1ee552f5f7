"""The report's three figures, drawn with matplotlib's object API: no pyplot, so no global figure
state in the report kernel, and each figure is shown as a PNG embedded in the HTML."""

from __future__ import annotations

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

STATUS_COLOURS = {GRADED: "#4c72b0", NEEDS_GRADING: "#dd8452", NOT_AUTOGRADED: "#c44e52", NOT_SUBMITTED: "#b8b8b8"}


class PNG:
    """A figure as a PNG that Jupyter displays (a bare ``Figure`` only shows its repr)."""

    def __init__(self, fig: Figure, dpi: int = 100):
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
        self.data = buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.data


def show(fig: Figure) -> PNG:
    return PNG(fig)


def status_figure(data: CohortData) -> Figure:
    """Stacked bars: per exercise, how many trainees are in each submission status."""
    fig = Figure(figsize=(8, 1.2 + 0.6 * max(1, len(data.exercises))), layout="constrained")
    ax = fig.add_subplot()
    ys = list(range(len(data.exercises)))
    left = [0] * len(ys)
    for status in STATUSES:
        counts = [sum(data.result(t.id, ex).status == status for t in data.trainees) for ex in data.exercises]
        bars = ax.barh(ys, counts, left=left, color=STATUS_COLOURS[status], label=status, height=0.6)
        ax.bar_label(bars, labels=[str(c) if c else "" for c in counts], label_type="center", fontsize=9,
                     color="black" if status == NOT_SUBMITTED else "white")
        left = [a + b for a, b in zip(left, counts)]
    ax.set_yticks(ys, data.exercises)
    ax.invert_yaxis()
    ax.set_xlim(0, max(1, len(data.trainees)))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("Trainees")
    ax.set_title(f"Submission status per exercise ({len(data.trainees)} trainees)")
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(ys) < 3 else -0.2), ncol=4, fontsize=8, frameon=False
    )
    return fig


def scores_figure(data: CohortData) -> Figure:
    """Per exercise, the total % of graded points of each trainee with graded work: box and dots."""
    fig = Figure(figsize=(max(5.5, 2.4 * len(data.exercises) + 1.5), 4.2), layout="constrained")
    ax = fig.add_subplot()
    top = 100.0
    labels = []
    for i, ex in enumerate(data.exercises):
        values = [total for t in data.trainees if (total := data.result(t.id, ex).total) is not None]
        labels.append(f"{ex}\n{len(values)} of {len(data.trainees)} trainees")
        if not values:
            ax.text(i, 50, "nothing graded yet", ha="center", va="center", fontsize=9, color="grey")
            continue
        top = max(top, *values)
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
    ax.set_title("Score per exercise: one dot per trainee with graded work\n"
                 "(items that need grading and reflection left out)", fontsize=10)
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
    return fig
