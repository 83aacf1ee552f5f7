"""Every vignette kind by keyboard and screen reader, in JupyterLab in headless Chromium.

For one vignette of each kind, on a scratch page of the course: axe-core (bundled by
axe-playwright-python, offline) finds no serious or critical violation inside the vignette (what
JupyterLab itself gets wrong is listed separately and printed, not failed); the checks axe misses
(a checked state on every answer, ``aria-live`` on feedback, a text alternative on every plot, a name
on every control); and a walk with the keyboard alone, choosing a non-first answer with the arrow
keys and Enter, in which JupyterLab's notebook shortcuts never fire and the focus lands on the next
thing to do. Screenshots at 1280 and 390 px go to ``REPAIRLAB_SHOTS`` (or the test's tmp_path).
With ``REPAIRLAB_AXE_OUT=<file.json>`` the axe counts by impact are written there per kind.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from helpers import copy_course
from helpers.browser_lab import (
    AXE_RULES,
    EXECUTION_DONE_JS,
    KERNEL_IDLE_JS,
    START_RUN_ALL_JS,
    LabServer,
    axe_violations,
    chromium,
    describe,
    impacts,
    lab_url,
    require_chromium,
    serving,
)

pytestmark = pytest.mark.browser

NOTEBOOK = "vignette-kinds.ipynb"


def first_vignette_of_each_kind() -> dict[str, tuple[str, str]]:
    from repairlab.course import load_course
    from repairlab.trainee.kinds import kind_of
    from repairlab.trainee.vignettes import load_vignettes

    found: dict[str, tuple[str, str]] = {}
    for module in load_course().modules:
        for vignette in load_vignettes(module.vignettes).values():
            found.setdefault(kind_of(vignette).name, (module.id, vignette.id))
    return found


KINDS = first_vignette_of_each_kind()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a scratch course holding one page with a vignette of each kind, run once."""
    require_chromium()
    base = tmp_path_factory.mktemp("access-lab")
    root = copy_course(base / "course")
    cells = [nbformat.v4.new_code_cell("from repairlab.widgets import practise")]
    cells += [nbformat.v4.new_code_cell(f"practise({m!r}, {v!r})") for m, v in KINDS.values()]
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=kernel), root / NOTEBOOK)
    with serving(LabServer(root, base / "state")) as server:
        yield server


@pytest.fixture(scope="module")
def page(lab):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(15_000)
        page.goto(lab_url(lab, NOTEBOOK) + "?reset", wait_until="domcontentloaded")
        page.wait_for_function(KERNEL_IDLE_JS, arg=NOTEBOOK, timeout=60_000, polling=100)
        page.evaluate(START_RUN_ALL_JS)
        page.wait_for_function("() => window.__repairlabRunAll !== null", timeout=90_000, polling=200)
        page.wait_for_function(EXECUTION_DONE_JS, arg=NOTEBOOK, timeout=90_000, polling=200)
        for kind in KINDS:
            page.locator(f".repairlab-{kind}[data-lm-suppress-shortcuts] [role=radio]").first.wait_for()
        yield page


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    out = os.environ.get("REPAIRLAB_SHOTS")
    path = Path(out) if out else tmp_path_factory.mktemp("access-shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def widget(page, kind: str):
    return page.locator(f".repairlab-{kind}").first


def cell_count(page) -> int:
    return page.locator(".jp-Notebook .jp-Cell").count()


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const vignette = el && el.closest('.repairlab-vignette');
        return {tag: el ? el.tagName : null, role: el && el.getAttribute('role'),
                name: el && (el.getAttribute('aria-label') || el.textContent.trim()),
                kind: vignette ? [...vignette.classList].find(c => /^repairlab-(?!vignette)/.test(c)).slice(10) : null};
    }""")


def press(page, *keys: str) -> None:
    for key in keys:
        page.keyboard.press(key)
        page.wait_for_timeout(60)


def wait_focus(page, predicate, what: str, timeout_ms: int = 10000) -> dict:
    """Focus moves after the kernel answers, and a control it lands on may still be redrawn: wait until it
    has stayed there for two looks in a row (a key pressed mid-redraw is a race of the test, not of the
    person, who reads before pressing), and say where it was if it never came."""
    now, seen = focused(page), 0
    for _ in range(timeout_ms // 100):
        now = focused(page)
        seen = seen + 1 if predicate(now) else 0
        if seen == 2:
            return now
        page.wait_for_timeout(100)
    raise AssertionError(f"focus is not on {what}: it is on {now}")


def choose_by_keyboard(page, steps: int = 1) -> str:
    """From a focused answer: arrows to a later answer, then Enter. Returns the chosen answer's name."""
    press(page, *["ArrowRight"] * steps)
    name = focused(page)["name"]
    press(page, "Enter")
    return name


def axe_counts(page, kind: str) -> tuple[Counter, Counter, list[str], list[str]]:
    """axe-core's violations by impact, inside the vignette and in JupyterLab's own page (not ours)."""
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page, context={"include": [[f".repairlab-{kind}"]]}, options=AXE_RULES).response
    assert sum(len(rule["nodes"]) for rule in response["passes"]) > 20, "axe checked nothing inside the vignette"
    own = response["violations"]
    whole = axe_violations(page, {"exclude": [[".repairlab-vignette"]]})
    return (Counter(impacts(own)), Counter(impacts(whole)), describe(own),
            sorted(f"{v['impact']} {v['id']} ({len(v['nodes'])}x)" for v in whole))


def record_axe(kind: str, ours: Counter, lab: Counter, lab_rules: list[str]) -> None:
    out = os.environ.get("REPAIRLAB_AXE_OUT")
    if not out:
        return
    path = Path(out)
    data = json.loads(path.read_text()) if path.is_file() else {}
    data[kind] = {"course": dict(ours), "jupyterlab": dict(lab), "jupyterlab_rules": lab_rules}
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def check_semantics(vignette) -> None:
    """What axe does not check: every answer a radio with a checked state and a name longer than its
    letter where it has a text, feedback regions live, every visible image described."""
    radios = vignette.locator("[role=radio]")
    assert radios.count(), "no answer is exposed as a radio"
    for radio in radios.all():
        if radio.is_visible():
            assert radio.get_attribute("aria-checked") in ("true", "false"), radio.evaluate("e => e.outerHTML")
            assert radio.get_attribute("aria-label"), radio.evaluate("e => e.outerHTML")
    for group in vignette.locator("[role=radiogroup]").all():
        assert group.get_attribute("aria-label"), group.evaluate("e => e.outerHTML")
    assert vignette.locator("[aria-live=polite]").count(), "no live region for feedback"
    for img in vignette.locator("img").all():
        if img.is_visible():
            alt = img.get_attribute("alt") or ""
            assert len(alt) > 40, f"plot without a text alternative that says what it shows: {alt!r}"
    for select in vignette.locator("select").all():
        assert select.get_attribute("aria-label"), "a dropdown without a label"


def screenshots(page, kind: str, shots: Path, stage: str) -> None:
    vignette = widget(page, kind)
    page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); window.jupyterapp.shell.collapseRight(); }")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 1000 if width > 400 else 844})
        page.wait_for_timeout(300)
        with contextlib.suppress(Exception):
            vignette.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"{kind}-{stage}-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 1000})


def enter_vignette(page, kind: str) -> None:
    """Put the keyboard on the vignette's first answer, as Tab would from the text above it."""
    first = widget(page, kind).locator("[role=radio][tabindex='0']").first
    first.scroll_into_view_if_needed()
    first.focus()


def check_focus_ring_and_hint(page, kind: str) -> None:
    """The focused answer has a clear ring (>= 2 px, >= 3:1 against white), not ipywidgets' faint 1 px
    edge, and every row of answers says how to answer by keyboard."""
    ring = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {width: parseFloat(s.outlineWidth), style: s.outlineStyle, color: s.outlineColor}; }""")
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", ring["color"])[:3])

    def linear(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    assert ring["width"] >= 2 and ring["style"] == "solid" and 1.05 / (luminance + 0.05) >= 3, ring
    hints = widget(page, kind).locator("[role=radiogroup]").evaluate_all(
        "groups => groups.map(g => getComputedStyle(g, '::after').content)")
    assert hints and all("arrow keys" in hint and "Enter chooses" in hint for hint in hints), hints


def walk_choose_response(page, kind: str) -> list[str]:
    vignette = widget(page, kind)
    enter_vignette(page, kind)
    log = [f"noticed: {choose_by_keyboard(page, 1)}"]
    wait_focus(page, lambda f: f["role"] == "radio" and re.match(r"[A-Z]\. ", f["name"] or ""), "the responses")
    log.append(f"responded: {choose_by_keyboard(page, 2)}")
    live = vignette.locator("[aria-live=polite] .repairlab-feedback")
    live.last.wait_for()
    assert vignette.locator("[role=radio][aria-checked=true]").count() == 2
    return log


def walk_attribution_check(page, kind: str) -> list[str]:
    enter_vignette(page, kind)
    log = []
    moments = widget(page, kind).locator("[role=radiogroup]").count()
    for n in range(moments):
        log.append(f"moment {n + 1}: {choose_by_keyboard(page, 1 + n % 2)}")
        if n + 1 < moments:
            wait_focus(page, lambda f, n=n: f["role"] == "radio" and f["kind"] == kind
                       and widget(page, kind).locator("[role=radiogroup]").nth(n + 1).evaluate(
                           "g => g.contains(document.activeElement)"), f"moment {n + 2}")
    wait_focus(page, lambda f: f["name"] == "Start again", "Start again")
    assert "agree on" in widget(page, kind).inner_text()
    return log


def inside(locator) -> bool:
    return locator.evaluate("node => node.contains(document.activeElement)")


def walk_transcript_coding(page, kind: str) -> list[str]:
    vignette = widget(page, kind)
    enter_vignette(page, kind)
    groups = vignette.locator("[role=radiogroup]")
    log = []
    for n in range(groups.count()):
        log.append(f"turn {n + 1}: {choose_by_keyboard(page, 1 + n % 2)}")
        now = wait_focus(page, lambda f, n=n: f["kind"] == kind and not inside(groups.nth(n)), "past this turn")
        last = n + 1 == groups.count()
        if now["tag"] == "SELECT":
            log[-1] += " (then the optional 3RS marker, skipped with Tab)"
            if last:
                vignette.get_by_role("button", name="Submit my coding").wait_for()
                page.wait_for_function("b => !b.disabled", arg=vignette.locator("button.mod-primary").element_handle())
            press(page, "Tab")
        if not last:
            wait_focus(page, lambda f, n=n: inside(groups.nth(n + 1)), f"turn {n + 2}'s codes")
    wait_focus(page, lambda f: f["name"] == "Submit my coding", "Submit my coding")
    press(page, "Enter")
    wait_focus(page, lambda f: f["name"] == "Start again", "Start again")
    vignette.locator(".repairlab-summary").wait_for()
    log.append("submitted: " + vignette.locator(".repairlab-summary").inner_text()[:60])
    return log


def walk_branching_dialogue(page, kind: str) -> list[str]:
    vignette = widget(page, kind)
    choices, rating = vignette.locator("[role=radiogroup]").first, vignette.locator("[role=radiogroup]").last
    transcript = vignette.locator(".repairlab-dialogue")
    enter_vignette(page, kind)
    log = []
    for turn in range(1, 7):
        said = choose_by_keyboard(page, 1)
        log.append(f"turn {turn}: {said}")
        for _ in range(100):  # the transcript is updated last, once the next turn is in place
            if len(re.findall(r"You \([A-Z]\):", transcript.inner_text())) == turn:
                break
            page.wait_for_timeout(100)
        if rating.is_visible():
            wait_focus(page, lambda f: inside(rating), "the rating")
            break
        first = choices.locator("[role=radio]").first.get_attribute("aria-label")
        wait_focus(page, lambda f, first=first: f["name"] == first, f"the next turn's first choice {first!r}")
    said = re.findall(r"You \(([A-Z])\):", transcript.inner_text())
    assert said == [entry.split(": ")[1][0] for entry in log], (said, log)
    log.append(f"rated: {choose_by_keyboard(page, 2)}")
    wait_focus(page, lambda f: f["name"] == "Replay", "Replay")
    assert "the expert rated" in vignette.inner_text()
    return log


def walk_self_talk(page, kind: str) -> list[str]:
    enter_vignette(page, kind)
    log = [f"thought: {choose_by_keyboard(page, 2)}"]
    widget(page, kind).locator("[aria-live=polite] .repairlab-feedback").wait_for()
    return log


WALKS = {
    "choose-response": walk_choose_response,
    "cultural-check": walk_choose_response,
    "attribution-check": walk_attribution_check,
    "transcript-coding": walk_transcript_coding,
    "branching-dialogue": walk_branching_dialogue,
    "self-talk": walk_self_talk,
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_vignette_by_keyboard_and_screen_reader(page, kind, shots):
    assert set(WALKS) == set(KINDS), "every kind needs a keyboard walk"
    vignette = widget(page, kind)
    vignette.scroll_into_view_if_needed()
    screenshots(page, kind, shots, "before")
    cells = cell_count(page)

    # JupyterLab's shortcuts do nothing inside the vignette: a/b would insert cells, d d delete one
    enter_vignette(page, kind)
    for key in ("a", "b", "d", "d", "Escape", "ArrowDown", "ArrowUp"):
        where = focused(page)
        press(page, key)
        assert cell_count(page) == cells, f"the notebook shortcut {key!r} fired inside the vignette (focus: {where})"
    assert focused(page)["kind"] == kind, f"the keyboard left the vignette: {focused(page)}"
    enter_vignette(page, kind)
    page.keyboard.press("ArrowRight")  # a key press: the browser now shows :focus-visible
    page.keyboard.press("ArrowLeft")
    check_focus_ring_and_hint(page, kind)

    log = WALKS[kind](page, kind)
    assert cell_count(page) == cells, "a notebook shortcut fired during the walk"
    print(f"{kind}: keyboard walk: {'; '.join(log)}")
    check_semantics(vignette)
    screenshots(page, kind, shots, "after")

    ours, lab, details, lab_rules = axe_counts(page, kind)
    print(f"{kind}: axe inside the vignette {dict(ours)}; JupyterLab's own page {dict(lab)}: {lab_rules}")
    record_axe(kind, ours, lab, lab_rules)
    assert not details, "\n".join(details)
