"""Keyboard and screen-reader access for a vignette, which ipywidgets alone cannot give: its controls
named (answer buttons by their full response text, as a radio group with a checked state), feedback
announced (``aria-live``), plots described (``alt``), arrows moving between answers, focus moved to
the next thing to do, and JupyterLab's notebook shortcuts (``a``, ``b``, ``d d``, arrows) switched
off inside the vignette (Lumino skips them under ``data-lm-suppress-shortcuts``).

It is an anywidget: a few lines of JavaScript (``access.js``) and CSS (``access.css``) shipped with
the package and run by anywidget's front end, in JupyterLab and in Voila alike, with no build step.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import ipywidgets as w
import traitlets

HERE = Path(__file__).parent
PREFIX = "repairlab-a11y-"


class Access(anywidget.AnyWidget):
    """Invisible; one per vignette. ``name`` labels a control, ``focus`` moves the keyboard to one."""

    _esm = (HERE / "access.js").read_text(encoding="utf-8")
    _css = (HERE / "access.css").read_text(encoding="utf-8")
    labels = traitlets.Dict().tag(sync=True)  # DOM class -> {"label", "options", "live"}

    def __init__(self):
        super().__init__(layout=w.Layout(display="none"))

    def name(self, widget: w.DOMWidget, label: str, options: list[str] | None = None, live: bool = False):
        """Give ``widget`` an accessible name (an image: its text alternative; a row of answer buttons:
        the group's name and each button's); ``live`` announces its changes. Returns the widget."""
        cls = self._tag(widget)
        self.labels = {**self.labels, cls: {"label": label, "options": list(options or []), "live": live}}
        return widget

    def focus(self, widget: w.DOMWidget) -> None:
        """Move the keyboard focus to ``widget`` (its checked or first answer) once it is drawn."""
        self.send({"focus": self._tag(widget)})

    def _tag(self, widget: w.DOMWidget) -> str:
        """The DOM class by which the front end finds ``widget`` inside this vignette."""
        cls = self._class(widget)
        if cls is None:
            self._tagged = getattr(self, "_tagged", 0) + 1
            cls = f"{PREFIX}{self._tagged}"
            widget.add_class(cls)
        return cls

    @staticmethod
    def _class(widget: w.DOMWidget) -> str | None:
        return next((c for c in widget._dom_classes if c.startswith(PREFIX)), None)
