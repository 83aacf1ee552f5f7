"""Figures for the vignettes. Built on matplotlib's object API (no pyplot state), so a widget can
redraw them as often as a trainee clicks without leaking figures."""

from __future__ import annotations

import io
from collections import Counter

from matplotlib.figure import Figure

from .labels import ATTRIBUTIONS, RESPONSE_CATEGORIES
from .vignettes import Response

STAGES = ["Before", "The client's words", "After your response"]
ILLUSTRATIVE = "Illustrative model of this vignette, not a measurement"


def alliance_figure(paths: list[tuple[Response, list[float]]]) -> Figure:
    """One line per attempt: how the exchange moved the alliance as the vignette models it."""
    fig = Figure(figsize=(6.4, 3.4), layout="constrained")
    ax = fig.add_subplot()
    for attempt, (response, path) in enumerate(paths, start=1):
        style = "-" if response.best else "--"
        kind = RESPONSE_CATEGORIES[response.category].split(" (")[0].lower()
        label = f"Try {attempt}: response {response.id} ({kind})"
        ax.plot(STAGES, path, style, marker="o", label=label)
    ax.set_ylim(0, 10)
    ax.set_ylabel("Alliance (0–10, illustrative)")
    ax.set_title(ILLUSTRATIVE, fontsize=9, style="italic")
    if paths:
        ax.legend(fontsize=8, loc="lower left")
    ax.grid(axis="y", alpha=0.3)
    return fig


def attribution_figure(mine: Counter, key: Counter) -> Figure:
    """Side-by-side bars: where the trainee and the supervisor's key say the evidence points."""
    fig = Figure(figsize=(6.4, 3.0), layout="constrained")
    ax = fig.add_subplot()
    names = list(ATTRIBUTIONS)
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], [mine[n] for n in names], width=0.4, label="You")
    ax.bar([x + 0.2 for x in xs], [key[n] for n in names], width=0.4, label="Supervisor's key")
    ax.set_xticks(list(xs), [ATTRIBUTIONS[n] for n in names])
    ax.set_ylabel("Moments")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Where the evidence points", fontsize=10)
    ax.legend(fontsize=8)
    return fig


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes, for an ``ipywidgets.Image``."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()
