"""The course home as a widget: the page (``pages.home_html``) and the button that clears the
trainee's practice record, with a second click to confirm."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w


class CourseHome(w.VBox):
    """``render`` makes the page's HTML from the practice record as it is now; ``clear`` forgets it."""

    def __init__(self, render: Callable[[], str], clear: Callable[[], None]):
        self.render, self.clear = render, clear
        self.page = w.HTML(render())
        self.ask = w.Button(description="Clear my practice record", icon="trash",
                            layout=w.Layout(width="auto"))
        self.confirm = w.Button(description="Yes, clear it", button_style="danger", layout=w.Layout(width="auto"))
        self.cancel = w.Button(description="Keep it", layout=w.Layout(width="auto"))
        self.question = w.HBox([w.HTML("<b>Clear everything you practised? This cannot be undone.</b>"),
                                self.confirm, self.cancel], layout=w.Layout(display="none", flex_flow="row wrap"))
        self.said = w.HTML()
        self.ask.on_click(lambda _b: self._asking(True))
        self.cancel.on_click(lambda _b: self._asking(False))
        self.confirm.on_click(self._on_clear)
        super().__init__([self.page, self.ask, self.question, self.said])
        self.add_class("repairlab-home")

    def refresh(self) -> None:
        """Show the page as things are now (after an exercise was handed in or started again)."""
        self.page.value = self.render()

    def _asking(self, asking: bool) -> None:
        self.question.layout.display = None if asking else "none"
        self.ask.layout.display = "none" if asking else None
        self.said.value = ""

    def _on_clear(self, _button=None) -> None:
        self.clear()
        self.page.value = self.render()
        self._asking(False)
        self.said.value = "<p role='status'>Your practice record is cleared.</p>"
