"""The supervisor's terminal for scoring written answers (``calibrate`` and ``mark``): mark schemes
rendered as text with rich (bold and bullets, never raw ``**`` or ``*``), each element's anchors
beside the answer being scored, and one line typed per score, where ``b`` goes back one step and
``q``, Ctrl+D or Ctrl+C stop."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from rich.console import Console, Group
from rich.markdown import Markdown
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .mark_scheme import Element, WrittenTask, fmt_score, parse_score

BACK, QUIT = "b", "q"
KEYS = "0, 0.5 or 1; b goes back, q stops"


class Stop(Exception):
    """The supervisor stopped (q, Ctrl+D or Ctrl+C); what was done is kept."""


class Back(Exception):
    """The supervisor asked to go back one step."""


class Terminal:
    """Rich text out, one typed line in. Tests give a console writing to a string and scripted replies."""

    def __init__(self, console: Console | None = None, ask: Callable[[str], str] | None = None):
        self.console = console or Console(highlight=False)
        self._ask = ask or (lambda prompt: input(prompt))

    def say(self, *things) -> None:
        self.console.print(*things)

    def heading(self, text: str) -> None:
        self.console.print()
        self.console.print(Text(text, style="bold"))
        self.console.print(Rule(style="bold"))

    def working(self, message: str):
        """A spinner with a message while something slow happens (only on a terminal; nothing is left behind)."""
        return self.console.status(message)

    def markdown(self, text: str, indent: int = 0) -> None:
        self.console.print(Padding(Markdown(text), (0, 0, 0, indent)))

    def ask(self, prompt: str) -> str:
        """One reply; Stop on q, end of input or Ctrl+C, Back on b."""
        try:
            reply = self._ask(prompt).strip()
        except (EOFError, KeyboardInterrupt):
            self.console.print()
            raise Stop from None
        if reply.lower() == QUIT:
            raise Stop
        if reply.lower() == BACK:
            raise Back
        return reply

    def score(self, prompt: str, keep: float | None = None) -> float:
        """A score of 0, 0.5 or 1 (½ too), asked again until it is one; Enter gives ``keep`` when there is one
        (the score given before)."""
        while True:
            reply = self.ask(prompt)
            value = keep if reply == "" and keep is not None else parse_score(reply)
            if value is not None:
                return value
            self.say(f"  Please enter {KEYS}" + (f", or press Enter to keep {fmt_score(keep)}." if keep is not None
                                                  else "."))


def element_body(element: Element) -> str:
    """The element's markdown without its number and bold name (shown in the heading instead)."""
    first, _, rest = element.text.partition("\n")
    first = first.split("**", 2)[-1].lstrip(":").strip()
    return "\n".join(filter(None, (first, textwrap.dedent(rest).strip())))


def answer_beside_element(answer: str, task: WrittenTask, index: int, *, label: str = "Answer",
                          before: float | None = None) -> Table:
    """The answer on the left, one element of the scheme with its anchors on the right."""
    element = task.elements[index]
    heading = f"Element {index + 1} of {len(task.elements)}: {element.name}"
    if before is not None:
        heading += f" (marked {fmt_score(before)} before)"
    table = Table(expand=True, show_lines=False, header_style="bold")
    table.add_column(label, ratio=1)
    table.add_column(heading, ratio=1)
    table.add_row(Text(answer), Group(Markdown(element_body(element))))
    return table


def score_prompt(task: WrittenTask, index: int, keep: float | None = None) -> str:
    keys = KEYS if keep is None else f"Enter keeps {fmt_score(keep)}; {KEYS}"
    return f"  {task.elements[index].name} [{keys}]: "
