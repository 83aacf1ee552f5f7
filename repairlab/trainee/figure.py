"""matplotlib's ``Figure``, imported when the first figure is drawn rather than when a reading opens:
importing matplotlib takes 0.5 to 1 s, and most vignettes draw nothing until the trainee's first
choice (``plots`` imports ``Figure`` from here)."""

from __future__ import annotations


def Figure(*args, **kwargs):  # noqa: N802 (it stands in for the class)
    from matplotlib.figure import Figure as MatplotlibFigure

    return MatplotlibFigure(*args, **kwargs)
