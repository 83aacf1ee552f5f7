"""The self-talk widget: choose a way of thinking about a mistake and see where it leads."""

from __future__ import annotations

import html

import ipywidgets as w

from ...labels import STANCES
from .base import (
    FIT_LABELS,
    VignetteBox,
    card,
    choice_list,
    chosen,
    paragraphs,
    verdict_colour,
)


def thought_html(thought) -> str:
    best = thought.stance == "accountable"
    return (f"<div class='repairlab-feedback' style='border-left:4px solid {verdict_colour(best)};padding-left:8px'>"
            f"<b>{html.escape(STANCES[thought.stance])}.</b> <p><b>In the next session:</b> "
            f"{html.escape(thought.next_session)}</p><p>{html.escape(thought.feedback)}</p></div>")


class SelfTalkWidget(VignetteBox):
    """After a mistake: choose a way of thinking about it and see where it leads; try the others."""

    def __init__(self, practice):
        self.practice = practice
        vignette = practice.vignette
        intro = w.HTML(
            card(vignette.title, paragraphs(vignette.context))
            + "<p>After the session, which thought is closest to yours? Try any of them: each shows where it leads.</p>"
            + choice_list(vignette.thoughts)
        )
        self.choice = w.ToggleButtons(options=[t.id for t in vignette.thoughts], value=None,
                                      description="Your thought:", style=FIT_LABELS)
        self.feedback = w.HTML()
        self.debrief = w.HTML()
        self.again = w.Button(description="Start again", icon="refresh")
        self.access.name(self.choice, "Your thought", [f"{t.id}. {t.text}" for t in vignette.thoughts])
        self.access.name(self.feedback, "Where it leads", live=True)
        self.choice.observe(self._on_choice, names="value")
        self.again.on_click(self._on_again)
        super().__init__([intro, self.choice, self.feedback, self.debrief, self.again])

    @chosen
    def _on_choice(self, change) -> None:
        self.feedback.value = thought_html(self.practice.choose(change["new"]))
        self.debrief.value = (
            f"<div class='repairlab-debrief'><b>Debrief.</b> {paragraphs(self.practice.vignette.debrief)}</div>"
        )

    def _on_again(self, _button=None) -> None:
        self.practice.reset()
        self.choice.value = None
        self.feedback.value = self.debrief.value = ""
