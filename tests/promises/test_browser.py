"""End to end in a real browser: each module's reading notebook runs in JupyterLab without errors,
its widgets render, and one vignette answers a click the way a trainee would see it.

Run with ``.venv/bin/python -m pytest tests/test_browser.py -q`` (or ``-m browser``). Needs Debian's
``/usr/bin/chromium``; without it the test skips, unless ``CI`` is set, where it fails. Screenshots
land in each test's ``tmp_path``. With ``REPAIRLAB_BENCH_OUT=<file.json>`` the seconds from opening
a notebook to its first vignette being clickable (after run-all) are merged into that file under
``browser_seconds_to_first_vignette``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from pathlib import Path

import pytest
import yaml

from helpers import REPO, copy_course
from helpers.browser_lab import (
    CELL_SUMMARY_JS,
    ERROR_OUTPUT,
    EXECUTION_DONE_JS,
    KERNEL_IDLE_JS,
    KERNEL_STATE_JS,
    RENDERED_WIDGET,
    START_RUN_ALL_JS,
    WIDGET_OUTPUT,
    LabServer,
    chromium,
    lab_url,
    require_chromium,
    serving,
)

pytestmark = pytest.mark.browser

BENCH_KEY = "browser_seconds_to_first_vignette"
KERNEL_TIMEOUT_MS = 30_000
RUN_ALL_TIMEOUT_MS = 45_000
UI_TIMEOUT_MS = 10_000


def _reading_notebooks() -> list[tuple[str, str]]:
    course = yaml.safe_load((REPO / "course.yml").read_text(encoding="utf-8"))
    return [(m["id"], m["reading"]) for m in course["modules"]]


MODULES = _reading_notebooks()


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a temporary copy of the course on 127.0.0.1; stopped at teardown."""
    require_chromium()
    base = tmp_path_factory.mktemp("browser-lab")
    with serving(LabServer(copy_course(base / "course"), base / "state")) as server:
        yield server


@pytest.fixture(scope="module")
def browser(lab):
    with chromium() as browser:
        yield browser


class PageLog:
    """Browser console errors and uncaught page errors, for failure messages."""

    def __init__(self, page):
        self.lines: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.lines.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.lines.append(f"pageerror: {exc}"))

    def tail(self, n: int = 15) -> str:
        return "\n".join(self.lines[-n:]) or "(none)"


@pytest.fixture
def page(browser, lab):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    page.repairlab_log = PageLog(page)
    try:
        yield page
    finally:
        context.close()
        with contextlib.suppress(OSError):
            lab.shutdown_sessions()


# --- helpers -------------------------------------------------------------------------------------


@contextlib.contextmanager
def step(name: str, page, lab: LabServer, notebook: str, shots: Path):
    """Turn a failure inside ``name`` into an assertion that says where, and what the page showed."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        yield
    except (AssertionError, PlaywrightError) as exc:
        kernel = prompts = "?"
        shot = shots / f"FAILED-{Path(notebook).stem}.png"
        with contextlib.suppress(Exception):
            page.screenshot(path=str(shot))
        with contextlib.suppress(Exception):
            kernel = page.evaluate(KERNEL_STATE_JS, notebook)
        with contextlib.suppress(Exception):
            prompts = " ".join(page.evaluate(CELL_SUMMARY_JS, notebook))
        raise AssertionError(
            f"{notebook}: {name} failed: {exc}\n"
            f"  page: {page.url}\n  screenshot: {shot}\n"
            f"  kernel: {kernel}\n  code cell prompts: {prompts}\n"
            f"--- browser errors ---\n{page.repairlab_log.tail()}\n"
            f"--- server log tail ---\n{lab.log_tail(25)}"
        ) from exc


def _record_timing(notebook: str, seconds: float) -> None:
    out = os.environ.get("REPAIRLAB_BENCH_OUT")
    if not out:
        return
    path = Path(out)
    data = {}
    if path.is_file():
        with contextlib.suppress(ValueError, OSError):
            data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        data = {}
    timings = data.get(BENCH_KEY)
    data[BENCH_KEY] = {**(timings if isinstance(timings, dict) else {}), notebook: round(seconds, 2)}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


NON_EMPTY = re.compile(r"\S")


def _screenshot(page, target, path: Path) -> None:
    """The page with ``target`` scrolled into view. (Element screenshots of widgets taller than the
    viewport come out garbled: the notebook, not the page, is the scrolling element.)"""
    target.scroll_into_view_if_needed()
    page.screenshot(path=str(path))


def assert_labels_fit(buttons) -> None:
    """No toggle label is cut off with an ellipsis at 1280 px."""
    cut = [b.inner_text() for b in buttons.all() if b.evaluate("el => el.scrollWidth > el.clientWidth + 1")]
    assert not cut, f"truncated button labels: {cut}"


def vignette_widget(page, kind: str):
    """The first widget of a vignette kind on the page (widgets carry their kind as a CSS class)."""
    return page.locator(f".jp-OutputArea-output .repairlab-{kind}").first


def check_response_vignette(page, module_id: str, shots: Path, kind: str = "choose-response") -> None:
    """ResponsePracticeWidget: first the vignette's question ("what do you notice?", or for a
    cultural check "did a cultural rupture happen?"), answered before the expert reading is named,
    then the responses; feedback, the plot, and Start again."""
    from playwright.sync_api import expect

    from repairlab.labels import CULTURAL_READINGS, MARKERS

    widget = vignette_widget(page, kind)
    expect(widget, f"no {kind} widget rendered").to_be_visible()
    notice = widget.locator(":scope > .widget-toggle-buttons .widget-toggle-button")
    options = CULTURAL_READINGS if kind == "cultural-check" else MARKERS
    assert [t.strip() for t in notice.all_inner_texts()] == list(options.values())
    assert_labels_fit(notice)
    responses = widget.locator(":scope > .widget-vbox")
    expect(responses, "responses shown before the trainee answered the first question").to_be_hidden()
    assert "(3RS)" not in widget.inner_text(), "the marker is named before the trainee chose"
    assert "The supervisor's reading" not in widget.inner_text(), "the reading is shown before the trainee chose"
    _screenshot(page, widget, shots / f"{module_id}-{kind}-before-noticing.png")

    notice.nth(1).click()
    reading = widget.locator(":scope > .widget-html .repairlab-feedback")
    expect(reading, "no supervisor's reading after noticing").to_contain_text("The supervisor's reading")
    expect(responses, "responses not shown after noticing").to_be_visible()

    buttons = responses.locator(".widget-toggle-buttons .widget-toggle-button")
    labels = [t.strip() for t in buttons.all_inner_texts()]
    assert labels and all(re.fullmatch(r"[A-Z]", t) for t in labels), f"expected response letters, got {labels}"
    feedback = responses.locator(".repairlab-feedback")
    plot = responses.locator(":scope > img")
    expect(feedback, "feedback shown before any choice").to_have_count(0)
    expect(plot, "alliance plot shown before any choice").to_be_hidden()

    choice = buttons.last  # not the first: a widget that picks the first option itself must not pass
    choice.click()
    expect(choice, f"response {labels[-1]} did not become the selected toggle").to_have_class(
        re.compile(r"\bmod-active\b")
    )
    expect(feedback, f"no .repairlab-feedback after choosing response {labels[-1]}").to_have_count(1)
    expect(feedback, "the feedback is empty").to_have_text(NON_EMPTY)
    expect(plot, "the alliance plot did not become visible").to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=plot.element_handle(), timeout=UI_TIMEOUT_MS
    )
    _screenshot(page, feedback, shots / f"{module_id}-{kind}-after-click.png")

    widget.get_by_role("button", name="Start again").click()
    expect(responses, "'Start again' did not hide the responses").to_be_hidden()
    expect(reading, "'Start again' did not clear the reading").to_have_count(0)
    expect(widget.locator(".widget-toggle-button.mod-active"), "'Start again' left a choice selected").to_have_count(0)


def check_attribution_vignette(page, module_id: str, shots: Path) -> None:
    """AttributionCheckWidget: weighing the first moment shows its feedback and counts 1 of N."""
    from playwright.sync_api import expect

    widget = vignette_widget(page, "attribution-check")
    expect(widget, "no AttributionCheckWidget rendered").to_be_visible()
    summary = widget.locator(".repairlab-summary")
    expect(summary, "summary before any choice").to_contain_text("0 of")
    first_moment = widget.locator(":scope > .widget-vbox").filter(has=page.locator(".widget-toggle-buttons")).first
    feedback = first_moment.locator(".repairlab-feedback")
    expect(feedback, "feedback shown before any choice").to_have_count(0)

    assert_labels_fit(first_moment.locator(".widget-toggle-buttons .widget-toggle-button"))
    choice = first_moment.locator(".widget-toggle-buttons .widget-toggle-button").nth(1)
    label = choice.inner_text().strip()
    choice.click()
    expect(choice, f"{label!r} did not become the selected toggle").to_have_class(re.compile(r"\bmod-active\b"))
    expect(feedback, f"no .repairlab-feedback for moment 1 after choosing {label!r}").to_have_count(1)
    expect(feedback, "the feedback is empty").to_have_text(NON_EMPTY)
    expect(summary, "the summary did not count the first moment").to_contain_text("1 of")
    _screenshot(page, feedback, shots / f"{module_id}-attribution-check-after-click.png")


def check_transcript_vignette(page, module_id: str, shots: Path) -> None:
    """TranscriptCodingWidget: code every client turn (a rupture opens the 3RS marker list); the key,
    agreement, kappa and the confusion matrix appear only after the whole coding is submitted."""
    from playwright.sync_api import expect

    widget = vignette_widget(page, "transcript-coding")
    expect(widget, "no transcript-coding widget rendered").to_be_visible()
    rows = widget.locator(":scope > .widget-vbox")
    submit = widget.get_by_role("button", name="Submit my coding")
    expect(submit, "submit enabled before any turn is coded").to_be_disabled()
    assert "Expert key" not in widget.inner_text(), "the key is shown before the coding is submitted"
    assert_labels_fit(rows.first.locator(".widget-toggle-button"))
    for n in range(rows.count()):
        rows.nth(n).locator(".widget-toggle-button").nth(1 if n % 2 == 0 else 2).click()  # never the first
    marker = rows.first.locator("select")
    expect(marker, "no 3RS marker list after coding a withdrawal").to_be_visible()
    marker.select_option(label="Minimal response")
    _screenshot(page, rows.first, shots / f"{module_id}-transcript-coded.png")
    assert "Expert key" not in widget.inner_text(), "the key is shown before the coding is submitted"
    expect(submit).to_be_enabled()
    submit.click()
    summary = widget.locator(".repairlab-summary")
    expect(summary, "no agreement summary after submitting").to_contain_text("agree with the expert key")
    expect(summary).to_contain_text("Cohen's kappa")
    expect(rows.first.locator(".repairlab-feedback"), "no key under the first turn").to_contain_text("Expert key")
    plot = widget.locator(":scope > img")
    expect(plot, "no confusion matrix after submitting").to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=plot.element_handle(), timeout=UI_TIMEOUT_MS
    )
    _screenshot(page, summary, shots / f"{module_id}-transcript-submitted.png")


def check_dialogue_vignette(page, module_id: str, shots: Path) -> None:
    """BranchingDialogueWidget: each choice brings the client's next line; at the end the trainee
    rates the resolution, then sees the expert's rating and the path map; Replay starts over."""
    from playwright.sync_api import expect

    widget = vignette_widget(page, "branching-dialogue")
    expect(widget, "no branching-dialogue widget rendered").to_be_visible()
    transcript = widget.locator(".repairlab-dialogue")
    opening = transcript.inner_text()
    rating = widget.locator(":scope > .widget-vbox")
    expect(rating, "the rating is asked before the dialogue ends").to_be_hidden()
    choices = widget.locator(":scope > .widget-toggle-buttons .widget-toggle-button")
    for turn in range(5):
        # each widget's model updates on its own, and the choice buttons' own changes arrive only after
        # the handler returns: wait for this turn's fresh buttons, or for the rating
        for _ in range(UI_TIMEOUT_MS // 100):
            listed = [t.strip().rstrip(".") for t in widget.locator(".widget-html ol li b").all_inner_texts()]
            fresh = (
                choices.first.is_visible() and not widget.locator(":scope > .widget-toggle-buttons .mod-active").count()
                and [t.strip() for t in choices.all_inner_texts()] == listed  # every button of this turn rendered
            )
            if rating.is_visible() or fresh:
                break
            page.wait_for_timeout(100)
        if rating.is_visible():
            break
        assert fresh, f"turn {turn + 1}: neither new choices nor a rating appeared"
        before = transcript.inner_text()
        letter = choices.last.inner_text().strip()  # the last choice: the first is what a broken widget takes itself
        choices.last.click()
        # the widget updates the transcript last, so the next choices or the rating are in place by then;
        # wait until it shows this turn's line, then check it shows exactly the letters clicked
        expected = [*re.findall(r"You \(([A-Z])\):", before), letter]
        for _ in range(UI_TIMEOUT_MS // 100):
            now = transcript.inner_text()
            said = re.findall(r"You \(([A-Z])\):", now)
            if len(said) >= len(expected):
                break
            page.wait_for_timeout(100)
        assert said == expected, (f"turn {turn + 1}: chose {letter}, the transcript shows the trainee saying {said}:"
                                  f"\n{now}\n(before the click:\n{before})")
    expect(rating, "no rating after the dialogue ended").to_be_visible()
    expect(widget.locator(":scope > .widget-toggle-buttons"), "choices left at the end of the dialogue").to_be_hidden()
    _screenshot(page, rating, shots / f"{module_id}-dialogue-ended.png")
    assert "the expert rated" not in widget.inner_text(), "the expert rating is shown before the trainee's"
    rating.locator(".widget-toggle-button", has_text="3").click()
    expect(widget.locator(".repairlab-feedback").last, "no expert rating after rating").to_contain_text(
        "the expert rated"
    )
    path_map = widget.locator(":scope > img").last
    expect(path_map, "no path map after rating").to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=path_map.element_handle(), timeout=UI_TIMEOUT_MS
    )
    _screenshot(page, path_map, shots / f"{module_id}-dialogue-path-map.png")
    widget.get_by_role("button", name="Replay").click()
    expect(transcript, "Replay did not start the dialogue again").to_have_text(opening)


def check_self_talk_vignette(page, module_id: str, shots: Path) -> None:
    """SelfTalkWidget: a way of thinking about one's mistake shows where it leads next session."""
    from playwright.sync_api import expect

    widget = vignette_widget(page, "self-talk")
    expect(widget, "no self-talk widget rendered").to_be_visible()
    feedback = widget.locator(".repairlab-feedback")
    expect(feedback, "feedback before any choice").to_have_count(0)
    widget.locator(".widget-toggle-button").last.click()
    expect(feedback, "no feedback after choosing a thought").to_contain_text("In the next session")
    _screenshot(page, feedback, shots / f"{module_id}-self-talk-after-click.png")


KIND_CHECKS = {
    "choose-response": check_response_vignette,
    "attribution-check": check_attribution_vignette,
    "transcript-coding": check_transcript_vignette,
    "branching-dialogue": check_dialogue_vignette,
    "cultural-check": lambda page, module_id, shots: check_response_vignette(page, module_id, shots, "cultural-check"),
    "self-talk": check_self_talk_vignette,
}


def module_kinds(module_id: str) -> list[str]:
    """The vignette kinds a module uses, in order of first appearance."""
    from repairlab.trainee.kinds import kind_of
    from repairlab.trainee.vignettes import module_vignettes

    return list(dict.fromkeys(kind_of(v).name for v in module_vignettes(module_id).values()))


# --- the test ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("module_id", "notebook"), MODULES, ids=[m for m, _ in MODULES])
def test_reading_notebook_in_jupyterlab(lab, page, module_id, notebook, tmp_path):
    from playwright.sync_api import expect

    def at(name):
        return step(name, page, lab, notebook, tmp_path)

    started = time.perf_counter()
    with at("opening the notebook"):
        # ?reset: start from an empty workspace, so the previous test's notebook is not reopened.
        page.goto(lab_url(lab, notebook) + "?reset", wait_until="domcontentloaded")
        page.wait_for_function(KERNEL_IDLE_JS, arg=notebook, timeout=KERNEL_TIMEOUT_MS, polling=100)

    with at("running all cells"):
        page.evaluate(START_RUN_ALL_JS)
        page.wait_for_function(
            "() => window.__repairlabRunAll !== null", timeout=RUN_ALL_TIMEOUT_MS, polling=100
        )
        page.wait_for_function(EXECUTION_DONE_JS, arg=notebook, timeout=RUN_ALL_TIMEOUT_MS, polling=100)
        run_all = page.evaluate("() => window.__repairlabRunAll")
        assert run_all["ok"], f"notebook:run-all-cells rejected: {run_all['result']}"

    with at("checking outputs"):
        errors = page.locator(ERROR_OUTPUT)
        texts = [t.strip()[-1500:] for t in errors.all_inner_texts()]
        assert not texts, f"{len(texts)} error/stderr output(s):\n" + "\n-----\n".join(texts)
        expect(page.locator(RENDERED_WIDGET).first, "no ipywidget rendered").to_be_attached()
        broken = [
            t for t in page.locator(WIDGET_OUTPUT).all_inner_texts() if "Error displaying widget" in t
        ]
        assert not broken, f"widget(s) failed to display: {broken}"

    with at("waiting for the first vignette to be clickable"):
        first_toggle = page.locator(".jp-OutputArea-output .widget-toggle-buttons .widget-toggle-button").first
        expect(first_toggle).to_be_visible()
        expect(first_toggle).to_be_enabled()
        seconds = time.perf_counter() - started
    _record_timing(notebook, seconds)
    print(f"{notebook}: first vignette clickable {seconds:.1f} s after page.goto")

    for kind in module_kinds(module_id):
        with at(f"clicking through the first {kind} vignette"):
            KIND_CHECKS[kind](page, module_id, tmp_path)
