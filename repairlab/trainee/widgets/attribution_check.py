"""The attribution-check widget: weigh each moment as evidence."""

from __future__ import annotations

import html

import ipywidgets as w

from ...labels import ATTRIBUTION_READINGS, ATTRIBUTIONS
from .. import plots
from .base import FIT_LABELS, VignetteBox, card, chosen, paragraphs


def moment_feedback_html(agrees: bool, key: str, feedback: str) -> str:
    lead = "You and the supervisor read this the same way." if agrees else (
        f"The supervisor reads this as {ATTRIBUTION_READINGS[key]}."
    )
    return f"<div class='repairlab-feedback'><b>{html.escape(lead)}</b> {html.escape(feedback)}</div>"


class AttributionCheckWidget(VignetteBox):
    """Weigh each moment as evidence for the client's pattern or one's own contribution."""

    def __init__(self, practice):
        self.practice = practice
        vignette = practice.vignette
        intro = w.HTML(
            card(vignette.title, paragraphs(vignette.context))
            + f"<p><b>The hypothesis to check:</b> {html.escape(vignette.hypothesis)}</p>"
            + "<p>For each moment, where does the evidence point?</p>"
        )
        self.choices: list[w.ToggleButtons] = []
        self.feedbacks: list[w.HTML] = []
        rows = []
        for index, moment in enumerate(vignette.moments):
            choice = w.ToggleButtons(
                options=[(label, key) for key, label in ATTRIBUTIONS.items()], value=None, style=FIT_LABELS
            )
            feedback = w.HTML()
            self.access.name(choice, f"Moment {index + 1}: where does the evidence point?")
            self.access.name(feedback, f"Feedback on moment {index + 1}", live=True)
            choice.observe(lambda change, i=index: self._on_weigh(i, change), names="value")
            self.choices.append(choice)
            self.feedbacks.append(feedback)
            rows.append(
                w.VBox([w.HTML(f"<p><b>Moment {index + 1}.</b> {html.escape(moment.text)}</p>"), choice, feedback])
            )
        self.summary = w.HTML()
        self.plot = w.Image(format="png", layout=w.Layout(max_width="640px"))
        self.plot.layout.display = "none"
        self.again = w.Button(description="Start again", icon="refresh")
        self.access.name(self.plot, "Chart, moment by moment, drawn when every moment is weighed")
        self.again.on_click(self._on_again)
        super().__init__([intro, *rows, self.summary, self.plot, self.again])
        self._update_summary()

    def _on_again(self, _button=None) -> None:
        self.practice.reset()
        for choice, feedback in zip(self.choices, self.feedbacks):
            choice.value = None
            feedback.value = ""
        self.plot.layout.display = "none"
        self._update_summary()

    @chosen
    def _on_weigh(self, index: int, change) -> None:
        moment = self.practice.weigh(index, change["new"])
        self.feedbacks[index].value = moment_feedback_html(
            self.practice.agrees(index), moment.points_to, moment.feedback
        )
        self._update_summary()
        unweighed = [c for i, c in enumerate(self.choices) if i > index and self.practice.answers.get(i) is None]
        self.access.focus(unweighed[0] if unweighed else self.again)

    def _update_summary(self) -> None:
        p = self.practice
        total = len(p.vignette.moments)
        text = f"You have weighed {len(p.answers)} of {total} moments; you and the supervisor agree on {p.agreement}."
        if p.complete:
            text += f"<div class='repairlab-debrief'><b>Debrief.</b> {html.escape(p.vignette.debrief)}</div>"
            self.plot.value = plots.png(plots.attribution_figure(p.vignette.moments, p.answers))
            self.access.name(self.plot, plots.attribution_text(p.vignette.moments, p.answers))
            self.plot.layout.display = None
        self.summary.value = f"<div class='repairlab-summary'>{text}</div>"
