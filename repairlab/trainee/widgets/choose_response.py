"""The choose-response widget (also for cultural-check vignettes): first the vignette's question,
then the responses; feedback and the alliance plot follow each choice."""

from __future__ import annotations

import html

import ipywidgets as w

from ...labels import RESPONSE_CATEGORIES
from .. import plots
from .base import FIT_LABELS, VignetteBox, card, choice_list, chosen, paragraphs


def response_feedback_html(response) -> str:
    headline = (
        "This is the response a supervisor would choose."
        if response.best
        else "Not the strongest response here: read why, then try another."
    )
    colour = "#1b7f3b" if response.best else "#9a4d00"
    return (
        f"<div class='repairlab-feedback' style='border-left:4px solid {colour};padding-left:8px'>"
        f"<b>{html.escape(headline)}</b> "
        f"<i>{html.escape(RESPONSE_CATEGORIES[response.category])}.</i>"
        f"<p>{html.escape(response.feedback)}</p></div>"
    )


def question_feedback_html(agrees: bool, question) -> str:
    lead = "You and the supervisor read this the same way." if agrees else "The supervisor reads this differently."
    return (
        f"<div class='repairlab-feedback'><b>{html.escape(lead)}</b> "
        f"<p>The supervisor's reading: <b>{html.escape(question.reading)}</b>. {html.escape(question.why)}</p></div>"
    )


class ResponsePracticeWidget(VignetteBox):
    """First the vignette's question ("what do you notice?", or "was it cultural?"), then the
    responses; feedback and the alliance plot follow each choice. Nothing names the expert reading
    before the trainee has given their own."""

    def __init__(self, practice):
        self.practice = practice
        vignette = practice.vignette
        intro = w.HTML(
            card(vignette.title, paragraphs(vignette.context))
            + f"<blockquote><b>Client:</b> {html.escape(vignette.client_says)}</blockquote>"
            + f"<p>{html.escape(vignette.question.prompt)}</p>"
        )
        self.notice = w.ToggleButtons(options=[(label, key) for key, label in vignette.question.options.items()],
                                      value=None, style=FIT_LABELS)
        self.notice_feedback = w.HTML()
        self.choice = w.ToggleButtons(options=[r.id for r in vignette.responses], value=None,
                                      description="Your response:", style=FIT_LABELS)
        self.feedback = w.HTML()
        self.debrief = w.HTML()
        self.plot = w.Image(format="png", layout=w.Layout(max_width="640px"))
        self.responses = w.VBox(
            [w.HTML("<p>Which response would you give?</p>" + choice_list(vignette.responses)),
             self.choice, self.feedback, self.debrief, self.plot]
        )
        self.again = w.Button(description="Start again", icon="refresh")
        self.access.name(self.notice, vignette.question.prompt)
        self.access.name(self.plot, "Chart of the alliance, drawn after you choose a response")
        self.access.name(self.choice, "Your response", [f"{r.id}. {r.text}" for r in vignette.responses])
        for out in (self.notice_feedback, self.feedback):
            self.access.name(out, "Feedback", live=True)
        self.notice.observe(self._on_notice, names="value")
        self.choice.observe(self._on_choice, names="value")
        self.again.on_click(self._on_again)
        super().__init__([intro, self.notice, self.notice_feedback, self.responses, self.again])
        self._hide_responses()

    def _hide_responses(self) -> None:
        self.responses.layout.display = "none"
        self.plot.layout.display = "none"

    @chosen
    def _on_notice(self, change) -> None:
        question = self.practice.notice(change["new"])
        self.notice_feedback.value = question_feedback_html(self.practice.noticed_as_expert, question)
        self.responses.layout.display = None
        self.access.focus(self.choice)

    @chosen
    def _on_choice(self, change) -> None:
        response = self.practice.choose(change["new"])
        self.feedback.value = response_feedback_html(response)
        if self.practice.vignette.debrief:
            self.debrief.value = f"<div class='repairlab-debrief'>{paragraphs(self.practice.vignette.debrief)}</div>"
        paths = [(r, self.practice.path(r)) for r in self.practice.attempts]
        self.plot.value = plots.png(plots.alliance_figure(paths))
        self.access.name(self.plot, plots.alliance_text(paths))
        self.plot.layout.display = None

    def _on_again(self, _button=None) -> None:
        self.practice.reset()
        self.choice.value = None
        self.notice.value = None
        for out in (self.feedback, self.notice_feedback, self.debrief):
            out.value = ""
        self._hide_responses()
