"""Figures for the vignettes. Built on matplotlib's object API (no pyplot state), so a widget can
redraw them as often as a trainee clicks without leaking figures."""

from __future__ import annotations

import io
from collections import Counter

from ..agreement import fmt_kappa
from ..labels import ATTRIBUTIONS, MARKERS, RESPONSE_CATEGORIES
from .figure import Figure  # matplotlib is imported when the first figure is drawn

STAGES = ["Before", "The client's words", "After your response"]
ILLUSTRATIVE = "Illustrative model of this vignette, not a measurement"


def alliance_figure(paths: list[tuple[object, list[float]]]) -> Figure:
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


def confusion_figure(result) -> Figure:
    """Expert key (rows) against the trainee's coding (columns), one count per cell."""
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.add_subplot()
    codes = list(MARKERS)
    counts = result.confusion()
    grid = [[counts[(k, m)] for m in codes] for k in codes]
    ax.imshow(grid, cmap="Blues", vmin=0, vmax=max(max(row) for row in grid) or 1)
    names = [MARKERS[c].split(" (")[0] for c in codes]
    ax.set_xticks(range(len(codes)), names, rotation=20, ha="right")
    ax.set_yticks(range(len(codes)), names)
    ax.set_xlabel("Your coding")
    ax.set_ylabel("Expert key")
    for i, row in enumerate(grid):
        for j, count in enumerate(row):
            ax.text(j, i, str(count), ha="center", va="center", fontsize=12,
                    color="white" if count and count >= max(max(r) for r in grid) * 0.6 else "black")
    ax.set_title(f"Client turns: {result.agreement:.0%} agreement, Cohen's kappa {fmt_kappa(result.kappa)}\n"
                 "(the diagonal is agreement)", fontsize=10)
    return fig


def dialogue_alliance_figure(vignette, path: list[str]) -> Figure:
    """The alliance along the path taken so far, as the dialogue models it."""
    fig = Figure(figsize=(6.4, 3.0), layout="constrained")
    ax = fig.add_subplot()
    ax.plot([f"Turn {n}" for n in range(1, len(path) + 1)], [vignette.nodes[n].alliance for n in path],
            "-", marker="o", label="Your path")
    ax.set_ylim(0, 10)
    ax.set_ylabel("Alliance (0–10, illustrative)")
    ax.set_title(ILLUSTRATIVE, fontsize=9, style="italic")
    ax.grid(axis="y", alpha=0.3)
    return fig


def _layout(vignette) -> dict[str, tuple[float, float]]:
    """Each node in the column of its depth (first reached), ordered down the column by where its
    parents sit, so that the map's arrows cross as little as a simple rule allows."""
    depth, parents = {vignette.start: 0}, {}
    queue = [vignette.start]
    while queue:
        node = vignette.nodes[queue.pop(0)]
        for choice in node.choices:
            parents.setdefault(choice.next, []).append(node.id)
            if choice.next not in depth:
                depth[choice.next] = depth[node.id] + 1
                queue.append(choice.next)
    columns: dict[int, list[str]] = {}
    for node_id, d in depth.items():
        columns.setdefault(d, []).append(node_id)
    order: dict[str, float] = {vignette.start: 0.0}
    for d in sorted(columns)[1:]:
        def weight(node_id):
            placed = [order[p] for p in parents[node_id] if p in order]
            return sum(placed) / len(placed)
        columns[d].sort(key=weight)
        order.update({node_id: i for i, node_id in enumerate(columns[d])})
    return {node_id: (d, -(i - (len(ids) - 1) / 2)) for d, ids in columns.items() for i, node_id in enumerate(ids)}


def path_map_figure(vignette, path: list[str]) -> Figure:
    """The whole dialogue as a map: every turn and choice, the path taken drawn bold."""
    pos = _layout(vignette)
    taken = set(zip(path, path[1:]))
    height = max(2.6, 0.9 * max(sum(1 for x, _ in pos.values() if x == col) for col in {x for x, _ in pos.values()}))
    fig = Figure(figsize=(7.2, height), layout="constrained")
    ax = fig.add_subplot()
    for node in vignette.nodes.values():
        for choice in node.choices:
            (x0, y0), (x1, y1) = pos[node.id], pos[choice.next]
            bold = (node.id, choice.next) in taken
            ax.annotate("", (x1, y1), (x0, y0), arrowprops=dict(
                arrowstyle="-|>", color="#1f5fa8" if bold else "#b0b0b0", lw=2.4 if bold else 1,
                shrinkA=14, shrinkB=14))
            ax.text(x0 + (x1 - x0) * 0.3, y0 + (y1 - y0) * 0.3, choice.id, fontsize=8, ha="center", va="center",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    for node_id, (x, y) in pos.items():
        node = vignette.nodes[node_id]
        on_path = node_id in path
        label = f"End\n{node.resolution.rating}/5" if node.ending else ("Start" if node_id == vignette.start else "")
        ax.scatter([x], [y], s=900, color="#1f5fa8" if on_path else "#e6e6e6", edgecolors="#555", zorder=3)
        ax.text(x, y, label, ha="center", va="center", fontsize=7, zorder=4, color="white" if on_path else "black")
    ax.set_xticks(sorted({x for x, _ in pos.values()}), [f"Turn {x + 1}" for x in sorted({x for x, _ in pos.values()})])
    ax.set_yticks([])
    ax.margins(0.15)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title("Path map: your path in blue; letters are the choices; endings show the expert's rating", fontsize=9)
    return fig


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes, for an ``ipywidgets.Image``."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()
