"""What every vignette widget shares: the box it lives in, a guard that tells a person's choice from
the widget's own change (and passes each person's choice to the practice record), and small HTML
helpers."""

from __future__ import annotations

import functools
import html
from contextlib import contextmanager

import ipywidgets as w

from .access import Access

# Buttons as wide as their label: the default fixed width cuts long labels off with an ellipsis.
FIT_LABELS = {"button_width": "auto", "description_width": "initial"}


def paragraphs(text: str) -> str:
    """Each line is a paragraph: YAML's folded blocks turn a blank line into a single newline."""
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.splitlines() if p.strip())


def card(title: str, body: str) -> str:
    return f"<div class='repairlab-card'><h4>{html.escape(title)}</h4>{body}</div>"


def choice_list(options) -> str:
    """Responses, choices or thoughts listed by their letter."""
    return "<ol style='list-style:none'>" + "".join(
        f"<li><b>{o.id}.</b> {html.escape(o.text)}</li>" for o in options) + "</ol>"


def verdict_colour(agrees: bool) -> str:
    return "#1b7f3b" if agrees else "#9a4d00"


class VignetteBox(w.VBox):
    """A vignette's widget. Its kind adds its name as a CSS class (``Kind.make_widget``)."""

    _by_program = 0  # > 0 while the widget changes its own controls
    recorder = None  # (step, choice) -> None: set by ``practise`` to keep the trainee's practice record

    @contextmanager
    def changing_itself(self):
        """Changes made inside are the widget's own, never a person's choice. ipywidgets selects the
        first option when ``options`` is set, which would otherwise record a choice nobody made."""
        self._by_program += 1
        try:
            yield
        finally:
            self._by_program -= 1

    @functools.cached_property
    def access(self) -> Access:
        """Keyboard and screen-reader help (``access.py``); kinds name their controls with it."""
        return Access()

    def __init__(self, children):
        super().__init__([*children, self.access])
        self.add_class("repairlab-vignette")


def chosen(handler):
    """Run a ``value`` handler only for a person's choice: not for a cleared value (None) and not
    for a change the widget made itself (see ``VignetteBox.changing_itself``). A choice the handler
    accepted is passed to the widget's ``recorder`` as (step, choice): ``_on_weigh(2, ...)`` is the
    step "weigh 3" (moments count from 1)."""
    step = handler.__name__.removeprefix("_on_")

    @functools.wraps(handler)
    def on_change(self, *args):
        if args[-1]["new"] is None or self._by_program:
            return None
        result = handler(self, *args)
        if self.recorder is not None:
            self.recorder(" ".join([step, *(str(i + 1) for i in args[:-1])]), str(args[-1]["new"]))
        return result

    return on_change
