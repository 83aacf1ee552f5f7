"""The "Write it yourself" widget: the trainee writes, asks for the coach's notes, sees each
element's note with their own words highlighted, then the model answers. Nothing is graded, saved
or sent: the text stays in the page (see ``repairlab.trainee.write_it``). Placed after a vignette
(``write_it(id, after=practise(...))``), the step stays hidden until the trainee has chosen a
response there, and the model answers until they have written their own and asked for notes."""

from __future__ import annotations

import html

import ipywidgets as w

from ..write_it import WriteIt, highlighted
from .base import card, paragraphs

PRIVATE = ("Practice only: what you write stays on this page while it is open. It is not graded, not saved "
           "in your notebook and not sent to anyone.")
EMPTY = "Write what you would say first, then ask for the coach's notes."
STALE = "You have changed your words since these notes: ask for the coach's notes again to see notes on them."
# The answer box in the page's own font: a monospace box reads as code to a therapist.
STYLE = ("<style>.repairlab-write-it textarea{font-family:inherit;font-size:1em;line-height:1.5}</style>")
COLOURS = {1.0: "#1b7f3b", 0.5: "#7a5b00", 0.0: "#9a4d00", None: "#555555"}


def notes_html(practice: WriteIt) -> str:
    items = []
    for note in practice.notes:
        j = note.judgement
        seen = (f"<br><small>Your words it noticed: {', '.join(f'<mark>{html.escape(e)}</mark>' for e in j.evidence)}"
                "</small>") if j.evidence else ""
        items.append(
            f"<li style='border-left:4px solid {COLOURS[j.score]};padding-left:8px;margin-bottom:8px'>"
            f"<b>{html.escape(note.element.name)}: {html.escape(note.label)}.</b> {html.escape(j.why)}"
            f"<br><small><i>{html.escape(note.element.says)}</i></small>{seen}</li>"
        )
    return (
        "<div class='repairlab-feedback' role='status'><p><b>The coach's notes</b> (suggestions from patterns in "
        "your words, not a grade):</p><ul style='list-style:none;padding-left:0'>" + "".join(items) + "</ul>"
        f"<p><b>Your words</b></p><blockquote>{highlighted(practice.text, practice.evidence)}</blockquote></div>"
    )


def model_html(practice: WriteIt) -> str:
    answers = "".join(f"<blockquote>{html.escape(a)}</blockquote>" for a in practice.prompt.model_answers)
    return f"<div class='repairlab-debrief'><p><b>What a supervisor might say</b></p>{answers}</div>"


class WriteItWidget(w.VBox):
    def __init__(self, practice: WriteIt):
        self.practice = practice
        prompt = practice.prompt
        intro = w.HTML(STYLE + card(prompt.title, paragraphs(prompt.prompt))
                       + f"<p><small>{html.escape(PRIVATE)}</small></p>")
        self.text = w.Textarea(placeholder=f"What you would say to {prompt.client.name}...",
                               description="Your words:", rows=5, layout=w.Layout(width="100%", max_width="720px"),
                               style={"description_width": "initial"}, continuous_update=True)
        # every keystroke reaches the kernel before the click that asks for notes; if words still
        # change after the notes came (a late keystroke), the notes say they are about older words
        self.text.observe(self._on_edit, names="value")
        self.ask = w.Button(description="See the coach's notes", icon="comment", layout=w.Layout(width="fit-content"))
        self.notes = w.HTML()
        self.models = w.HTML()
        self.again = w.Button(description="Write again", icon="refresh", layout=w.Layout(width="fit-content"))
        self.ask.on_click(self._on_ask)
        self.again.on_click(self._on_again)
        super().__init__([intro, self.text, self.ask, self.notes, self.models, self.again])
        self.add_class("repairlab-write-it")
        self.again.layout.display = "none"

    def _on_ask(self, _button=None) -> None:
        if not self.practice.coach(self.text.value):
            self.notes.value = f"<p role='status'>{html.escape(EMPTY)}</p>"
            return
        self.notes.value = notes_html(self.practice)
        self.models.value = model_html(self.practice)
        self.again.layout.display = None

    def _on_edit(self, change) -> None:
        stale = html.escape(STALE)
        if self.practice.notes and change["new"].strip() != self.practice.text and stale not in self.notes.value:
            self.notes.value = f"<p role='status'><b>{stale}</b></p>" + self.notes.value

    def _on_again(self, _button=None) -> None:
        """Back to writing: the notes and model answers go; the trainee's words stay to rework, and the
        cursor goes back into them."""
        self.practice.reset()
        self.notes.value = self.models.value = ""
        self.again.layout.display = "none"
        self.text.focus()


def write_it(vignette_id: str, after: w.Widget | None = None) -> w.Widget:
    """The "Write it yourself" step for a vignette, ready to display (``from repairlab.widgets import
    write_it``). With ``after`` (the vignette's own widget, from ``practise``), both are shown, the
    step only once a response has been chosen in the vignette."""
    step = WriteItWidget(WriteIt.for_vignette(vignette_id))
    if after is None:
        return step
    step.layout.display = "none"

    def on_choice(change) -> None:
        if change["new"] is not None:
            step.layout.display = None

    after.choice.observe(on_choice, names="value")
    return w.VBox([after, step])
