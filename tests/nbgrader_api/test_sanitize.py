"""A trainee's markdown is untrusted: SanitizeSubmission stores it so that Formgrader's page and the
feedback (which render the stored cell as markdown again, with nbconvert allowing ``javascript:``
links) show it as text and never run any of it. Hostile answers go through the sanitiser and then
nbconvert's real exporter as Formgrader and feedback configure it; one test opens Formgrader's own
page in Chromium and clicks every link in the answers."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import mistune
import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from traitlets.config import Config

from repairlab.nbgrader_api import open_course
from repairlab.nbgrader_api.sanitize import (
    MARKDOWN_TAGS,
    SanitizeSubmission,
    clean_markdown,
)

from helpers import formgrader_gradebook, grade_by_running

SCRIPT = "window.__pwned=1"

# Each a written answer on its own. Several were live links in Formgrader before the fix (a link or
# reference after raw HTML, a link in a fenced block in a list item).
HOSTILE = {
    "link in a div": f"<div>[x](javascript:{SCRIPT})</div>",
    "anchor in a div": f'<div><a href="javascript:{SCRIPT}">div anchor</a></div>',
    "link after a fence in a list item": f"- item\n\n  ```\n  code\n\n  [y](javascript:{SCRIPT})\n  ```\n",
    "html after a fence in a list item": f'- item\n\n  ```\n  code\n\n  <img src="x" onerror="{SCRIPT}">\n  ```\n',
    "reference link": f"[a][r]\n\n[r]: javascript:{SCRIPT}",
    "reference link inside html blocks": f"<div>[a][r]</div>\n\n<p>[r]: javascript:{SCRIPT}</p>",
    "autolink": f"<javascript:{SCRIPT}>",
    "escaped autolink in a div": f"<div>&lt;javascript:{SCRIPT}&gt;</div>",
    "entity-encoded scheme": f'[e](jav&#x61;script:{SCRIPT}) <a href="jav&#x61;script:{SCRIPT}">ent</a>',
    "entity-encoded link in a div": f"<div>&#91;z&#93;(jav&#x61;script:{SCRIPT})</div>",
    "named-entity colon": f'[c](javascript&colon;{SCRIPT}) <a href="javascript&colon;{SCRIPT}">colon</a>',
    "tab in the scheme": f'[t](<java\tscript:{SCRIPT}>) <a href="java&#9;script:{SCRIPT}">tab</a>',
    "newline in the scheme": f'<a href="java\nscript:{SCRIPT}">newline</a>',
    "leading space and control character": f'<a href=" &#1;javascript:{SCRIPT}">lead</a>',
    "uppercase scheme": f"[U](JAVASCRIPT:{SCRIPT}) <a href='JaVaScRiPt:{SCRIPT}'>upper</a>",
    "data and vbscript": "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [v](vbscript:msgbox(1))",
    "html comments": f"<!-- [c](javascript:{SCRIPT}) -->\n\n<div><!--\n\n[c2](javascript:{SCRIPT})\n\n--></div>",
    "svg onload": f'<svg onload="{SCRIPT}"><a href="javascript:{SCRIPT}"><text>svg</text></a></svg>',
    "img onerror": f'<img src="x" onerror="{SCRIPT}"> <img src=x onerror=alert(1)>',
    "markdown image": f"![pic](javascript:{SCRIPT}) ![pic2](x)",
    "math": f'<math><mtext><a href="javascript:{SCRIPT}">m</a></mtext></math> $\\href{{javascript:{SCRIPT}}}{{tex}}$',
    "form action": f'<form action="javascript:{SCRIPT}"><button formaction="javascript:{SCRIPT}">go</button></form>',
    "script": f"<script>{SCRIPT}</script>",
    "iframe object embed": f'<iframe src="javascript:{SCRIPT}"></iframe><object data="javascript:{SCRIPT}"></object>'
                           f'<embed src="javascript:{SCRIPT}">',
    "style": f'<style>body{{background:url(javascript:{SCRIPT})}}</style><p style="color:red">styled</p>',
    "mermaid fence": f'<div>\n\n```mermaid\n<img src="x" onerror="{SCRIPT}">\n```\n\n</div>',
    "raw-text elements": f'<xmp><a href="javascript:{SCRIPT}">xmp</a></xmp><noscript><p title="</noscript>'
                         f'<img src=x onerror={SCRIPT}>"></noscript>',
    "markdown in attribute values": f'<a href="https://example.org/[q](javascript:{SCRIPT})" '
                                    f'title="[q](javascript:{SCRIPT})">attr</a>',
    "title breaking out of its quotes": f'[x](https://example.org "a\\" onmouseover=\\"{SCRIPT}")',
    "markdown inside html blocks": f"<details><summary>[s](javascript:{SCRIPT})</summary>\n\n"
                                   f"<b>[s2](javascript:{SCRIPT})</b>\n\n</details>",
    "attribute-list syntax": f'<div>para\n{{: onclick="{SCRIPT}"}}</div>',
    "backslash escapes": f"<div>\\[bs\\](javascript:{SCRIPT})</div>",
    "indented html": f'<div>\n\n    <a href="javascript:{SCRIPT}">indented</a>\n\n</div>',
    "table": f'| a | b |\n|---|---|\n| <a href="javascript:{SCRIPT}">t</a> | [t2](javascript:{SCRIPT}) |',
    "footnote": f"x[^1]\n\n[^1]: [f](javascript:{SCRIPT})",
    "base and meta": f'<base href="javascript:{SCRIPT}//"><meta http-equiv="refresh" '
                     f'content="0;url=javascript:{SCRIPT}">'
                     '<a href="relative">relative</a>',
    "alert": "[alert](javascript:alert(document.domain)) <a href=\"javascript:alert(1)\">alert</a>",
}

ORDINARY = (
    "I noticed **the rupture** when my client went quiet, and I *checked in* gently.\n\n"
    "What I will try next:\n\n- name what I saw\n- ask before explaining\n\n"
    "Line one  \nline two, after a break. See [the guide](https://example.org/repair?a=1&b=2).\n"
)

DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "poster", "background"}


def scheme_is_dangerous(value: str) -> bool:
    """As a browser reads an attribute value (already decoded by the parser): control characters and
    white space dropped, case ignored."""
    return re.sub(r"[\x00-\x20\x7f]+", "", value).lower().startswith(DANGEROUS_SCHEMES)


def active_content(fragment) -> list[str]:
    """Whatever in rendered HTML could run: only the sanitiser's own tags, ``href``/``title`` and
    harmless link schemes may appear."""
    problems = []
    for tag in fragment.find_all(True):
        if tag.name not in MARKDOWN_TAGS:
            problems.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name not in ("href", "title"):
                problems.append(f"<{tag.name} {name}=...>")
            if name in URL_ATTRIBUTES and scheme_is_dangerous(value):
                problems.append(f"<{tag.name} {name}={value!r}>")
    return problems


def answer_notebook(source: str) -> nbformat.NotebookNode:
    """A submission with one written answer (a plain markdown cell, as in RepairLab's exercises)."""
    return new_notebook(cells=[new_markdown_cell(source)], metadata={"language_info": {"name": "python"}})


def sanitized(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb, _ = SanitizeSubmission().preprocess(nb, {})
    return nb


@pytest.fixture(scope="module")
def formgrader():
    """nbconvert's HTMLExporter as Formgrader builds it for /formgrader/submissions/<id>/."""
    from nbgrader.server_extensions.formgrader.formgrader import FormgradeExtension

    config = Config()
    config.merge(FormgradeExtension().build_extra_config())
    exporter = HTMLExporter(config=config)
    resources = {"assignment_id": "a", "notebook_id": "n", "submission_id": "s", "index": 0, "total": 1,
                 "base_url": "", "student": "t", "last_name": "L", "first_name": "F", "notebook_path": "n.ipynb"}
    return lambda nb: exporter.from_notebook_node(nb, resources=dict(resources))[0]


@pytest.fixture(scope="module")
def feedback():
    """nbconvert's HTMLExporter as nbgrader's generate_feedback configures it."""
    from nbgrader.converters import GenerateFeedback

    exporter = HTMLExporter(config=GenerateFeedback().config)
    resources = {"nbgrader": {"notebook": "n", "score": 0, "max_score": 1, "late_penalty": 0}}
    return lambda nb: exporter.from_notebook_node(nb, resources=dict(resources))[0]


def rendered_cells(page: str) -> list:
    return BeautifulSoup(page, "html.parser").select(".text_cell_render, .output_subarea")


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_answer_is_inert_in_formgrader(name, formgrader):
    stored = sanitized(answer_notebook(HOSTILE[name])).cells[0].source
    cells = rendered_cells(formgrader(answer_notebook(stored)))
    assert len(cells) == 1
    assert active_content(cells[0]) == [], stored


@pytest.mark.parametrize("name", HOSTILE)
def test_a_stored_answer_stays_inert_under_any_second_rendering(name):
    stored = clean_markdown(HOSTILE[name])
    assert clean_markdown(stored) == stored, "the stored form is a fixed point of the sanitiser"
    # CommonMark reads it as HTML blocks: it starts with a tag, and no blank line ends a block early
    # (no indented line either, which could start a code block)
    assert (stored == "" or stored.startswith("<")) and not re.search(r"\n\s*\n|^\s", stored, re.M), stored
    permissive = mistune.create_markdown(  # everything mistune can do, harmful links allowed
        renderer=mistune.HTMLRenderer(escape=False, allow_harmful_protocols=True),
        plugins=["strikethrough", "footnotes", "table", "url", "task_lists", "def_list", "abbr", "mark",
                 "insert", "superscript", "subscript", "math", "ruby", "spoiler"],
    )
    for render in (markdown2html_mistune, mistune.html, permissive):
        again = render(stored)
        assert active_content(BeautifulSoup(again, "html.parser")) == [], (render, again)


def test_the_page_around_a_hostile_answer_is_unchanged(formgrader):
    """Nothing outside the answer's own cell gains a script, handler or dangerous link either."""

    def runnable(page: str) -> list[str]:
        soup = BeautifulSoup(page, "html.parser")
        found = [f"script {s.get('src') or s.get_text()[:60]!r}" for s in soup.find_all("script")]
        for tag in soup.find_all(True):
            found += [f"<{tag.name} {a}>" for a in tag.attrs if a.startswith("on")]
            found += [f"<{tag.name} {a}>" for a in URL_ATTRIBUTES & set(tag.attrs) if scheme_is_dangerous(str(tag[a]))]
        return sorted(found)

    baseline = runnable(formgrader(sanitized(answer_notebook(ORDINARY))))
    for source in HOSTILE.values():
        assert runnable(formgrader(sanitized(answer_notebook(source)))) == baseline


def test_feedback_shows_the_answer_cleaned_twice_and_inert(feedback):
    """Feedback is made from the autograded copy (sanitised once) and sanitised again."""
    for name, source in {**HOSTILE, "ordinary": ORDINARY}.items():
        once = sanitized(answer_notebook(source))
        twice = sanitized(nbformat.from_dict(once))
        assert twice.cells[0].source == once.cells[0].source, name
        cells = rendered_cells(feedback(twice))
        assert len(cells) == 1 and active_content(cells[0]) == [], name


def test_an_ordinary_answer_reads_naturally(formgrader):
    stored = sanitized(answer_notebook(ORDINARY)).cells[0].source
    cell = rendered_cells(formgrader(answer_notebook(stored)))[0]
    text = " ".join(cell.get_text(" ").split())
    assert "I noticed the rupture when my client went quiet, and I checked in gently." in text
    assert "line two, after a break. See the guide ." in text
    assert "<" not in text and "&" not in text  # no markup or references shown as text
    assert [t.get_text() for t in cell.select("strong, em, li")] == ["the rupture", "checked in", "name what I saw",
                                                                     "ask before explaining"]
    assert cell.select_one("a")["href"] == "https://example.org/repair?a=1&b=2" and cell.select("p br")
    # RepairLab's own verdict text for a journal keeps its plain stored form
    assert clean_markdown("*Private reflection: complete.*") == "<p><em>Private reflection: complete.</em></p>"


def test_special_characters_in_ordinary_text_show_as_written(formgrader):
    source = "Fees went from $5 to $10 [approx.] and C:\\notes ~ {a} `x` <3 & more"
    cell = rendered_cells(formgrader(sanitized(answer_notebook(source))))[0]
    assert " ".join(cell.get_text(" ").split()) == "Fees went from $5 to $10 [approx.] and C:\\notes ~ {a} x <3 & more"


def test_an_answer_that_never_settles_is_stored_as_plain_text(monkeypatch):
    """The fallback for a form that keeps changing under cleaning (none is known): its words only."""
    from repairlab.nbgrader_api import sanitize

    calls = iter(range(100))
    monkeypatch.setattr(sanitize, "_clean_once", lambda text: f"<p>[x](javascript:{SCRIPT}) {next(calls)}</p>")
    assert clean_markdown("anything") == "<p>&#91;x&#93;(javascript:window.__pwned=1) 4</p>"


def test_a_cell_the_trainee_marked_locked_is_still_cleaned(formgrader):
    """Only a locked cell with a grade id has its source from the gradebook; a trainee's own cell
    marked locked is a trainee's cell."""
    forged = new_markdown_cell(HOSTILE["link in a div"], metadata={"nbgrader": {"locked": True}})
    task = new_markdown_cell("Describe *the rupture*.", metadata={"nbgrader": {"locked": True, "grade_id": "task"}})
    nb = sanitized(new_notebook(cells=[forged, task]))
    assert nb.cells[0].source == clean_markdown(HOSTILE["link in a div"])
    assert nb.cells[1].source == "Describe *the rupture*."  # the supervisor's markdown, left as written
    assert all(active_content(c) == [] for c in rendered_cells(formgrader(nb)))


def test_markdown_output_of_trainee_code_is_cleaned_and_readable(formgrader):
    cell = new_code_cell("display(Markdown(...))", outputs=[
        new_output("display_data", data={"text/markdown": HOSTILE["link in a div"] + "\n\n**bold** words"}),
        new_output("execute_result", data={"text/markdown": HOSTILE["alert"], "text/plain": "x"}, execution_count=1),
    ])
    nb = sanitized(new_notebook(cells=[cell]))
    assert all("text/markdown" not in o.data for o in nb.cells[0].outputs)
    cells = rendered_cells(formgrader(nb))
    assert cells and all(active_content(c) == [] for c in cells)
    assert "<strong>bold</strong>" in str(cells[0]) and "&lt;p&gt;" not in str(cells[0])


# --- in a real browser ------------------------------------------------------------------------------

EXERCISE = "owning-your-part"
TRAINEE = "mallory"

# Set before any page script runs: a payload that assigns window.__pwned reports it, on any page or frame.
TRAP_JS = """
Object.defineProperty(window, '__pwned', {
  configurable: false,
  get() { return undefined; },
  set(value) { window.__repairlabPwned(String(location.href) + ' set __pwned=' + value); },
});
"""

ANSWER_SELECTOR = ".text_cell_render, .output_subarea"
OUTPUT_MARKDOWN = HOSTILE["link in a div"] + "\n\n**bold** output"

# What the browser made of the answers: elements, handlers and URLs that could run.
DOM_CHECK_JS = """
(selector) => {
  const allowed = new Set(%s);
  const problems = [];
  for (const root of document.querySelectorAll(selector)) {
    for (const el of root.querySelectorAll('*')) {
      const name = el.localName;
      if (!allowed.has(name)) problems.push('<' + name + '>');
      for (const attr of el.attributes) {
        if (attr.name.startsWith('on')) problems.push('<' + name + ' ' + attr.name + '>');
        const url = attr.value.replace(/[\\u0000-\\u0020\\u007f]+/g, '').toLowerCase();
        if (/^(javascript|data|vbscript):/.test(url))
          problems.push('<' + name + ' ' + attr.name + '=' + attr.value + '>');
      }
      for (const prop of ['href', 'src', 'action', 'formAction', 'data']) {
        const value = typeof el[prop] === 'string' ? el[prop].toLowerCase() : '';
        if (/^(javascript|data|vbscript):/.test(value)) problems.push('<' + name + '>.' + prop + '=' + value);
      }
    }
  }
  return problems;
}
""" % sorted(MARKDOWN_TAGS)


def _hostile_submission(course, exercise) -> nbformat.NotebookNode:
    """The model answers, the ordinary written answer, then one markdown cell per payload and a code
    cell whose output is hostile markdown."""
    from repairlab.nbgrader_api.cells import written_answer_cells
    from repairlab.supervisor.demo_cohort import build_submission

    nb = build_submission(course, exercise, {"start": "solution"})
    answer = next(iter(written_answer_cells(nb).values()))
    answer.source = ORDINARY
    at = nb.cells.index(answer) + 1
    nb.cells[at:at] = [new_markdown_cell(source) for source in HOSTILE.values()] + [new_code_cell(
        "from IPython.display import Markdown, display\n"
        f"display(Markdown({OUTPUT_MARKDOWN!r}))"
    )]
    return nb


def _click_every_link(page, url: str, selector: str = ANSWER_SELECTOR) -> int:
    """Click each link in the answers, coming back to ``url`` whenever a click left it."""
    page.goto(url)
    page.wait_for_selector(selector)
    links = page.locator(f":is({selector}) a")
    count = links.count()
    for i in range(count):
        if page.url.split("#")[0] != url:
            page.goto(url)
            page.wait_for_selector(selector)
        links.nth(i).click(no_wait_after=True, force=True)
        page.wait_for_timeout(100)  # a javascript: URL runs in a task after the click
        page.wait_for_load_state()
    page.wait_for_timeout(300)
    return count


def _stay_on_page(pages: set[str], local: tuple[str, ...]):
    """Route handler: a followed link to anything but ``pages`` gets 204 No Content, so the browser
    stays on the page; nothing outside ``local`` (the server, the feedback file) is fetched."""

    def handle(route):
        request = route.request
        if request.is_navigation_request() and request.url.split("#")[0] not in pages:
            return route.fulfill(status=204)
        if request.url.startswith(local):
            return route.continue_()
        return route.abort()

    return handle


@pytest.mark.grading
@pytest.mark.browser
def test_formgrader_page_runs_nothing_a_trainee_wrote(course_template, tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    from repairlab.cli import main
    from repairlab.course import load_course
    from repairlab.sandbox import unavailable_reason
    from repairlab.supervisor.grading import grade_submissions
    from repairlab.supervisor.roster import import_roster

    from helpers.browser_lab import CHROMIUM, CHROMIUM_ARGS, LabServer, require_chromium

    require_chromium()
    if unavailable_reason() is not None:
        pytest.skip(str(unavailable_reason()))
    # run in the sandbox, so that trainee code makes the output whose cleaning is tested here
    root = grade_by_running(Path(shutil.copytree(course_template, tmp_path / "course")), EXERCISE)
    course = load_course(root)
    exercise = course.exercise(EXERCISE)
    (tmp_path / "roster.csv").write_text(f"id,name,email\n{TRAINEE},Mallory Trainee,\n")
    import_roster(open_course(root), tmp_path / "roster.csv")
    folder = root / "submitted" / TRAINEE / EXERCISE
    folder.mkdir(parents=True)
    nbformat.write(_hostile_submission(course, exercise), folder / exercise.notebook_name)
    [outcome] = grade_submissions(open_course(root), [(EXERCISE, TRAINEE)], progress=False)
    assert outcome.graded, outcome.reason
    monkeypatch.chdir(root)
    assert main(["feedback"]) == 0
    feedback_page = (root / "feedback" / TRAINEE / EXERCISE / f"{EXERCISE}.html").resolve().as_uri()
    with formgrader_gradebook(root) as gb:
        submission_id = gb.find_submission_notebook(EXERCISE, EXERCISE, TRAINEE).id

    server = LabServer(root, tmp_path / "state").start()
    fired, dialogs = [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 1000})
                context.expose_function("__repairlabPwned", lambda message: fired.append(message))
                context.add_init_script(TRAP_JS)
                formgrader_page = f"{server.url}/formgrader/submissions/{submission_id}/"
                context.route("**/*", _stay_on_page({formgrader_page, feedback_page}, (server.url, "file:")))
                page = context.new_page()
                page.set_default_timeout(15_000)
                page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
                page.goto(formgrader_page)
                page.wait_for_selector(ANSWER_SELECTOR)
                problems = {"formgrader": page.evaluate(DOM_CHECK_JS, ANSWER_SELECTOR)}
                ordinary = page.locator(".text_cell_render", has_text="I noticed the rupture")
                text = " ".join(ordinary.inner_text().split())
                _screenshot(page, ordinary, tmp_path / "formgrader-inert.png")
                bold_outputs = page.locator(".output_subarea strong", has_text="bold").count()
                clicked = _click_every_link(page, formgrader_page)
                page.goto(feedback_page)  # the trainee's page: the answers under their tasks, in .yours
                page.wait_for_selector(".yours")
                problems["feedback"] = page.evaluate(DOM_CHECK_JS, ".yours")
                clicked_in_feedback = _click_every_link(page, feedback_page, ".yours")
            finally:
                browser.close()
    finally:
        server.stop()
    assert fired == [] and dialogs == [], (fired, dialogs)
    assert problems == {"formgrader": [], "feedback": []}
    # Formgrader shows every payload (inert); the trainee's page shows only their answers under the tasks
    assert clicked >= 20, (clicked, clicked_in_feedback)
    assert "I noticed the rupture when my client went quiet, and I checked in gently." in text, text
    assert "<p>" not in text and "&lt;" not in text and "&#" not in text, text
    assert bold_outputs == 1, "the markdown output of trainee code shows as formatted text"


def _screenshot(page, cell, path: Path) -> None:
    """The ordinary answer and the first hostile ones, 1280 px wide; also copied to
    ``$REPAIRLAB_FORMGRADER_SHOT`` when set."""
    cell.scroll_into_view_if_needed()
    box = page.evaluate("(el) => { const r = el.getBoundingClientRect(); return r.top + window.scrollY; }",
                        cell.element_handle())
    page.screenshot(
        path=str(path), full_page=True, clip={"x": 0, "y": max(0, box - 120), "width": 1280, "height": 1400}
    )
    if os.environ.get("REPAIRLAB_FORMGRADER_SHOT"):
        shutil.copy(path, os.environ["REPAIRLAB_FORMGRADER_SHOT"])
