"""The branching-dialogue widget: a dialogue the trainee steers, then rates."""

from __future__ import annotations

import html

import ipywidgets as w

from ...checks import RATING_TOLERANCE
from ...labels import RESOLUTION_ANCHORS, RESPONSE_CATEGORIES
from .. import plots
from .base import (
    FIT_LABELS,
    VignetteBox,
    card,
    choice_list,
    chosen,
    paragraphs,
    verdict_colour,
)


def resolution_html(mine: int, expert) -> str:
    close = abs(mine - expert.rating) <= RATING_TOLERANCE
    lead = "Close to the expert's rating." if close else "Further from the expert's rating than one point."
    return (f"<div class='repairlab-feedback' style='border-left:4px solid {verdict_colour(close)};padding-left:8px'>"
            f"<b>{lead}</b> You rated {mine}; the expert rated <b>{expert.rating}: "
            f"{html.escape(RESOLUTION_ANCHORS[expert.rating])}</b>. {html.escape(expert.why)}</div>")


class BranchingDialogueWidget(VignetteBox):
    """A dialogue the trainee steers: each choice decides the client's next line. At the end the
    trainee rates the resolution before seeing the expert's rating, the path map and the plot."""

    def __init__(self, practice):
        self.practice = practice
        vignette = practice.vignette
        intro = w.HTML(card(vignette.title, paragraphs(vignette.context)))
        self.transcript = w.HTML()
        self.choice_list = w.HTML()
        self.choice = w.ToggleButtons(options=[], value=None, description="You say:", style=FIT_LABELS)
        self.rating = w.ToggleButtons(options=[(str(n), n) for n in RESOLUTION_ANCHORS], value=None,
                                      description="Your rating:", style=FIT_LABELS)
        anchors = "".join(f"<li><b>{n}</b>: {html.escape(text)}</li>" for n, text in RESOLUTION_ANCHORS.items())
        self.rating_box = w.VBox([
            w.HTML(f"<p><b>How far was the rupture resolved?</b> Rate it before you see the expert's rating.</p>"
                   f"<ul style='list-style:none;padding-left:0'>{anchors}</ul>"), self.rating])
        self.verdict = w.HTML()
        self.plot = w.Image(format="png", layout=w.Layout(max_width="640px"))
        self.map = w.Image(format="png", layout=w.Layout(max_width="720px"))
        self.again = w.Button(description="Replay", icon="refresh")
        self.access.name(self.rating, "Your rating of the resolution, 1 to 5",
                         [f"{n}: {text}" for n, text in RESOLUTION_ANCHORS.items()])
        self.access.name(self.transcript, "The dialogue so far", live=True)
        self.access.name(self.map, "Path map of the dialogue, drawn after your rating")
        self.access.name(self.plot, "Chart of the alliance along your path, drawn after your first choice")
        self.access.name(self.verdict, "The expert's rating", live=True)
        self.choice.observe(self._on_choice, names="value")
        self.rating.observe(self._on_rating, names="value")
        self.again.on_click(self._on_replay)
        super().__init__([intro, self.transcript, self.choice_list, self.choice, self.rating_box, self.verdict,
                          self.plot, self.map, self.again])
        self._on_replay()

    def _show_node(self) -> None:
        """Show the current turn. The transcript is updated last: once it shows the client's new
        line, the choices (or the rating) are already in place."""
        node = self.practice.node
        lines = []
        for step, node_id in enumerate(self.practice.path):
            lines.append(f"<p><b>Client:</b> {html.escape(self.practice.vignette.nodes[node_id].client)}</p>")
            if step < len(self.practice.taken):
                choice = self.practice.taken[step]
                lines.append(
                    f"<p><b>You ({choice.id}):</b> {html.escape(choice.text)}</p>"
                    f"<div class='repairlab-feedback'><i>{html.escape(RESPONSE_CATEGORIES[choice.category])}.</i> "
                    f"{html.escape(choice.feedback)}</div>"
                )
        with self.changing_itself():
            self.choice.options = [c.id for c in node.choices]
            self.choice.value = None
        self.access.name(self.choice, "You say", [f"{c.id}. {c.text}" for c in node.choices])
        self.choice.layout.display = "none" if node.ending else None
        if node.ending:
            self.choice_list.value = "<p><i>The dialogue ends here.</i></p>"
            self.rating_box.layout.display = None
        else:
            self.choice_list.value = "<p>What do you say next?</p>" + choice_list(node.choices)
            self.rating_box.layout.display = "none"
        # the alliance chart from the first choice on: one point says nothing, and drawing it at the
        # opening turn imported matplotlib (1 to 2 s) before the page could be shown
        started = len(self.practice.path) > 1
        if started:
            self.plot.value = plots.png(plots.dialogue_alliance_figure(self.practice.vignette, self.practice.path))
            self.access.name(self.plot, plots.dialogue_alliance_text(self.practice.vignette, self.practice.path))
        self.plot.layout.display = None if started else "none"
        self.transcript.value = "<div class='repairlab-dialogue'>" + "".join(lines) + "</div>"

    @chosen
    def _on_choice(self, change) -> None:
        self.practice.choose(change["new"])
        self._show_node()
        self.access.focus(self.rating if self.practice.node.ending else self.choice)

    @chosen
    def _on_rating(self, change) -> None:
        expert = self.practice.rate(change["new"])
        debrief = self.practice.vignette.debrief
        self.verdict.value = resolution_html(change["new"], expert) + (
            f"<div class='repairlab-debrief'>{paragraphs(debrief)}</div>" if debrief else "")
        self.map.value = plots.png(plots.path_map_figure(self.practice.vignette, self.practice.path))
        self.access.name(self.map, plots.path_map_text(self.practice.vignette, self.practice.path))
        self.map.layout.display = None
        self.access.focus(self.again)

    def _on_replay(self, _button=None) -> None:
        self.practice.replay()
        self.rating.value = None
        self.verdict.value = ""
        self.map.layout.display = "none"
        self._show_node()
