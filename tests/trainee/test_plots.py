"""The vignettes' figures are readable for all: text of 10 pt or more, a marker per try, colours
that stay apart under deuteranopia and protanopia, and a text alternative that says what each shows."""

from __future__ import annotations

import itertools

import pytest
from matplotlib.colors import to_rgb
from matplotlib.text import Text

from repairlab.course import load_course
from repairlab.trainee import plots
from repairlab.trainee.kinds.attribution_check import AttributionCheck, AttributionPractice
from repairlab.trainee.kinds.choose_response import ChooseResponse, ResponsePractice
from repairlab.trainee.vignettes import load_vignettes

# Machado, Oliveira & Fernandes (2009), full severity, on linear RGB.
SIMULATE = {
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
}
MIN_DELTA_E = 20  # CIE76; about 2.3 is "just noticeable", lines on a chart need far more


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(rgb) -> tuple[float, float, float]:
    r, g, b = rgb
    x, y, z = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (
        0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def seen_as(colour: str, vision: str) -> tuple[float, float, float]:
    rgb = [_linear(c) for c in to_rgb(colour)]
    return _lab([min(1, max(0, sum(m * c for m, c in zip(row, rgb)))) for row in SIMULATE[vision]])


def _contrast_on_white(colour: str) -> float:
    r, g, b = (_linear(c) for c in to_rgb(colour))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


@pytest.mark.parametrize("vision", sorted(SIMULATE))
def test_the_palette_stays_distinct_under_colour_blindness(vision):
    for a, b in itertools.combinations(plots.PALETTE[:4], 2):  # up to four tries per vignette
        distance = sum((p - q) ** 2 for p, q in zip(seen_as(a, vision), seen_as(b, vision))) ** 0.5
        assert distance >= MIN_DELTA_E, f"{a} and {b} differ by only {distance:.0f} under {vision}"
    assert all(_contrast_on_white(c) >= 3 for c in plots.PALETTE[:4])


def _first(kind):
    return next(v for m in load_course().modules for v in load_vignettes(m.vignettes).values() if isinstance(v, kind))


def _small_text(fig) -> list[str]:
    return [f"{t.get_text()!r} at {t.get_fontsize()} pt" for t in fig.findobj(Text)
            if t.get_text().strip() and t.get_fontsize() < plots.TEXT_PT]


def test_each_try_has_its_own_marker_and_colour_and_is_described():
    vignette = _first(ChooseResponse)
    practice = ResponsePractice(vignette)
    practice.notice(next(iter(vignette.question.options)))
    for response in vignette.responses[:3]:
        practice.choose(response.id)
    paths = [(r, practice.path(r)) for r in practice.attempts]
    fig = plots.alliance_figure(paths)
    lines = fig.axes[0].lines
    assert len({line.get_marker() for line in lines}) == len({line.get_color() for line in lines}) == len(paths)
    assert not _small_text(fig)
    text = plots.alliance_text(paths)
    assert all(f"try {n}, response {r.id}" in text for n, (r, _) in enumerate(paths, start=1))
    assert f"{paths[0][1][-1]:g}" in text


def test_module_2s_chart_compares_moment_by_moment():
    vignette = _first(AttributionCheck)
    practice = AttributionPractice(vignette)
    for index, moment in enumerate(vignette.moments):
        practice.weigh(index, moment.points_to if index % 2 else "contribution")
    fig = plots.attribution_figure(vignette.moments, practice.answers)
    rows = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert rows == [f"Moment {n}" for n in range(1, len(vignette.moments) + 1)]
    assert not _small_text(fig)
    text = plots.attribution_text(vignette.moments, practice.answers)
    assert all(f"moment {n}:" in text for n in range(1, len(vignette.moments) + 1))
    assert f"You agree on {practice.agreement} of {len(vignette.moments)}" in text
