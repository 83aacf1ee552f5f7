"""Progress bars that are never silent: a slow first step (nbgrader starting, the gradebook being
created, grading workers loading nbgrader) can take 10 s or more before the first item is done,
so the bar says what it is doing and redraws every second, its clock moving while it waits."""

from __future__ import annotations

import threading

from tqdm import tqdm

TICK = 1.0  # seconds between redraws: the bar is never still for more than this
CLOCK = "{desc}… {elapsed}{postfix}"  # a wait with no items to count: what it does, and a clock that moves


def waiting(text: str) -> Progress:
    """A line that says what a command is doing (``Reading the gradebook… 00:02``), its clock moving every
    second until the command has its answer; for a wait with nothing to count."""
    return Progress(0, text, "step", bar_format=CLOCK)


class Progress:
    """A tqdm bar (``with Progress(...) as progress``) with ``doing(text)`` for the step under way."""

    def __init__(self, total: float, desc: str, unit: str, *, disable: bool = False, bar_format: str | None = None):
        self.bar = tqdm(total=total, desc=desc, unit=unit, disable=disable, bar_format=bar_format)
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, daemon=True)

    def _tick(self) -> None:
        while not self._stop.wait(TICK):
            self.bar.refresh()

    def doing(self, text: str, refresh: bool = True) -> None:
        self.bar.set_postfix_str(text, refresh=refresh)

    def update(self, n: float = 1) -> None:
        self.bar.update(n)

    def set_total(self, total: float) -> None:
        self.bar.total = total
        self.bar.refresh()

    def reach(self, n: float) -> None:
        """Move the bar to ``n`` done (a share of an item, for a step within it)."""
        self.bar.n = n
        self.bar.refresh()

    def __enter__(self) -> Progress:
        if not self.bar.disable:
            self._ticker.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._ticker.is_alive():
            self._ticker.join()
        self.bar.close()
