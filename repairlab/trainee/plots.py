"""Figures for the vignettes. Built on matplotlib's object API (no pyplot state), so a widget can
redraw them as often as a trainee clicks without leaking figures.

Each figure has a ``*_text`` twin: the text alternative a screen reader reads, saying what the figure
shows. Figures are readable for all: text of 10 pt or more, a marker per try, and colours from the
Okabe-Ito palette, which stays distinct under deuteranopia and protanopia (tests/trainee/test_plots.py)."""

from __future__ import annotations

import io

from ..agreement import fmt_kappa
from ..labels import ATTRIBUTIONS, MARKERS, RESOLUTION_ANCHORS, RESPONSE_CATEGORIES
from .figure import Figure  # matplotlib is imported when the first figure is drawn

STAGES = ["Before", "The client's words", "After your response"]
ILLUSTRATIVE = "Illustrative model of this vignette, not a measurement"
# From Okabe & Ito's colour-blind-safe palette, in the order whose first four stay furthest apart under
# deuteranopia and protanopia with 3:1 contrast on white: blue, vermilion, black, bluish green, then more.
PALETTE = ["#0072B2", "#D55E00", "#000000", "#009E73", "#CC79A7", "#E69F00"]
MARKERS_BY_TRY = ["o", "s", "^", "D", "v", "P"]
TEXT_PT = 10


def _kind(response) -> str:
    return RESPONSE_CATEGORIES[response.category].split(" (")[0].lower()


def alliance_figure(paths: list[tuple[object, list[float]]]) -> Figure:
    """One line per attempt: how the exchange moved the alliance as the vignette models it."""
    fig = Figure(figsize=(6.4, 3.4), layout="constrained")
    ax = fig.add_subplot()
    for attempt, (response, path) in enumerate(paths, start=1):
        style = "-" if response.best else "--"
        label = f"Try {attempt}: response {response.id} ({_kind(response)})"
        n = (attempt - 1) % len(PALETTE)
        ax.plot(STAGES, path, style, marker=MARKERS_BY_TRY[n], markersize=8, color=PALETTE[n], label=label)
    ax.set_ylim(0, 10)
    ax.set_ylabel("Alliance (0–10, illustrative)", fontsize=TEXT_PT)
    ax.set_title(ILLUSTRATIVE, fontsize=TEXT_PT, style="italic")
    ax.tick_params(labelsize=TEXT_PT)
    if paths:
        ax.legend(fontsize=TEXT_PT, loc="lower left")
    ax.grid(axis="y", alpha=0.3)
    return fig


def alliance_text(paths: list[tuple[object, list[float]]]) -> str:
    tries = "; ".join(
        f"try {n}, response {response.id} ({_kind(response)}): "
        + ", ".join(f"{stage.lower()} {value:g}" for stage, value in zip(STAGES, path))
        for n, (response, path) in enumerate(paths, start=1))
    return f"Line chart of the alliance (0 to 10, an illustrative model, not a measurement) for each try: {tries}."


def attribution_figure(moments, answers: dict[int, str]) -> Figure:
    """Moment by moment, where the trainee and the supervisor say the evidence points: one row per
    moment, a filled circle for the trainee and an open square for the supervisor (same place: you agree)."""
    names = list(ATTRIBUTIONS)
    fig = Figure(figsize=(6.4, 0.55 * len(moments) + 1.4), layout="constrained")
    ax = fig.add_subplot()
    rows = range(len(moments), 0, -1)
    ax.scatter([names.index(answers[i]) for i in range(len(moments)) if i in answers],
               [r for i, r in enumerate(rows) if i in answers], s=90, color=PALETTE[0], marker="o", label="You",
               zorder=3)
    ax.scatter([names.index(m.points_to) for m in moments], list(rows), s=260, facecolors="none",
               edgecolors=PALETTE[1], linewidths=2, marker="s", label="Supervisor", zorder=2)
    ax.set_xticks(range(len(names)), [ATTRIBUTIONS[n] for n in names], fontsize=TEXT_PT)
    ax.set_yticks(list(rows), [f"Moment {i + 1}" for i in range(len(moments))], fontsize=TEXT_PT)
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.set_ylim(0.4, len(moments) + 0.6)
    ax.grid(alpha=0.3)
    ax.set_title("Moment by moment: where the evidence points", fontsize=TEXT_PT)
    ax.legend(fontsize=TEXT_PT, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    return fig


def attribution_text(moments, answers: dict[int, str]) -> str:
    rows = "; ".join(
        f"moment {i + 1}: you, {ATTRIBUTIONS[answers[i]].lower() if i in answers else 'not weighed'}; "
        f"supervisor, {ATTRIBUTIONS[m.points_to].lower()}" for i, m in enumerate(moments))
    agree = sum(answers.get(i) == m.points_to for i, m in enumerate(moments))
    return (f"Chart, moment by moment, of where you and the supervisor say the evidence points: {rows}. "
            f"You agree on {agree} of {len(moments)}.")


def confusion_figure(result) -> Figure:
    """Expert key (rows) against the trainee's coding (columns), one count per cell."""
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.add_subplot()
    codes = list(MARKERS)
    counts = result.confusion()
    grid = [[counts[(k, m)] for m in codes] for k in codes]
    ax.imshow(grid, cmap="Blues", vmin=0, vmax=max(max(row) for row in grid) or 1)
    names = [MARKERS[c].split(" (")[0] for c in codes]
    ax.set_xticks(range(len(codes)), names, rotation=20, ha="right", fontsize=TEXT_PT)
    ax.set_yticks(range(len(codes)), names, fontsize=TEXT_PT)
    ax.set_xlabel("Your coding", fontsize=TEXT_PT)
    ax.set_ylabel("Expert key", fontsize=TEXT_PT)
    for i, row in enumerate(grid):
        for j, count in enumerate(row):
            ax.text(j, i, str(count), ha="center", va="center", fontsize=12,
                    color="white" if count and count >= max(max(r) for r in grid) * 0.6 else "black")
    ax.set_title(f"Client turns: {result.agreement:.0%} agreement, Cohen's kappa {fmt_kappa(result.kappa)}\n"
                 "(the diagonal is agreement)", fontsize=TEXT_PT)
    return fig


def confusion_text(result) -> str:
    codes = list(MARKERS)
    counts = result.confusion()
    rows = "; ".join(
        f"expert key {MARKERS[k].split(' (')[0].lower()}: "
        + ", ".join(f"you coded {MARKERS[m].split(' (')[0].lower()} {counts[(k, m)]}" for m in codes)
        for k in codes)
    return (f"Table of client turns, the expert key against your coding, {result.agreement:.0%} agreement, "
            f"Cohen's kappa {fmt_kappa(result.kappa)}: {rows}.")


def dialogue_alliance_figure(vignette, path: list[str]) -> Figure:
    """The alliance along the path taken so far, as the dialogue models it."""
    fig = Figure(figsize=(6.4, 3.0), layout="constrained")
    ax = fig.add_subplot()
    ax.plot([f"Turn {n}" for n in range(1, len(path) + 1)], [vignette.nodes[n].alliance for n in path],
            "-", marker="o", markersize=8, color=PALETTE[0], label="Your path")
    ax.set_ylim(0, 10)
    ax.set_ylabel("Alliance (0–10, illustrative)", fontsize=TEXT_PT)
    ax.set_title(ILLUSTRATIVE, fontsize=TEXT_PT, style="italic")
    ax.tick_params(labelsize=TEXT_PT)
    ax.grid(axis="y", alpha=0.3)
    return fig


def dialogue_alliance_text(vignette, path: list[str]) -> str:
    values = ", ".join(f"turn {n}: {vignette.nodes[node].alliance:g}" for n, node in enumerate(path, start=1))
    return f"Line chart of the alliance along your path (0 to 10, an illustrative model, not a measurement): {values}."


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
            ax.text(x0 + (x1 - x0) * 0.33, y0 + (y1 - y0) * 0.33, choice.id, fontsize=TEXT_PT, ha="center",
                    va="center", fontweight="bold" if bold else "normal",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    for node_id, (x, y) in pos.items():
        node = vignette.nodes[node_id]
        on_path = node_id in path
        label = f"End\n{node.resolution.rating}/5" if node.ending else ("Start" if node_id == vignette.start else "")
        ax.scatter([x], [y], s=1500, color="#1f5fa8" if on_path else "#e6e6e6", edgecolors="#555", zorder=3)
        ax.text(x, y, label, ha="center", va="center", fontsize=TEXT_PT, zorder=4,
                color="white" if on_path else "black")
    ax.set_xticks(sorted({x for x, _ in pos.values()}), [f"Turn {x + 1}" for x in sorted({x for x, _ in pos.values()})],
                  fontsize=TEXT_PT)
    ax.set_yticks([])
    ax.margins(0.15)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title("Path map: your path in blue; letters are the choices;\nendings show the expert's rating",
                 fontsize=TEXT_PT)
    return fig


def path_map_text(vignette, path: list[str]) -> str:
    steps = [f"{choice.id}" for node_id, next_id in zip(path, path[1:])
             for choice in vignette.nodes[node_id].choices if choice.next == next_id][:len(path) - 1]
    end = vignette.nodes[path[-1]]
    ending = (f", ending where the expert rates the resolution {end.resolution.rating} of 5 "
              f"({RESOLUTION_ANCHORS[end.resolution.rating].lower()})") if end.ending else ""
    endings = sorted({n.resolution.rating for n in vignette.nodes.values() if n.ending})
    return (f"Path map of the dialogue's {len(vignette.nodes)} turns and their choices. Your path: "
            f"{' then '.join(steps) or 'no choice yet'}{ending}. The dialogue's endings are rated "
            f"{', '.join(map(str, endings))} of 5.")


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes, for an ``ipywidgets.Image``."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()
