"""Submissions made inert before Formgrader or feedback render them: every markdown cell a trainee
could write is stored as cleaned HTML that stays inert under any further markdown rendering, and
outputs lose anything that could run. ``SanitizeSubmission`` is named in nbgrader_config.py."""

from __future__ import annotations

import json
import re
from functools import cache

import bleach
import mistune
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.formatter import HTMLFormatter
from nbconvert.preprocessors import sanitize as nbconvert_sanitize
from nbconvert.preprocessors.sanitize import SanitizeHTML
from traitlets import Bool, List, Unicode

from .cells import from_gradebook

MARKDOWN_TAGS = bleach.ALLOWED_TAGS | {"p", "br", "hr", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
                                      "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub"}

# Tags that open an HTML block in CommonMark: a stored answer made of these only is passed through
# a second markdown rendering untouched (the others are inline and need a block around them).
BLOCK_TAGS = frozenset({"p", "pre", "ul", "ol", "li", "blockquote", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "table", "thead", "tbody", "tr", "th", "td"})

# Characters that markdown renderers read as syntax: links and images ([ ]), raw HTML and autolinks
# (< >), entities (&), code (` and ~; nbconvert puts a ```mermaid block into the page unescaped), math
# ($ and \), backslash escapes, attribute or expression blocks ({ }). Stored as character references
# they still show as themselves, but no renderer parses a reference as syntax.
MARKDOWN_SYNTAX = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "&#91;", "]": "&#93;",
                                 "`": "&#96;", "~": "&#126;", "$": "&#36;", "\\": "&#92;",
                                 "{": "&#123;", "}": "&#125;"})

# A cleaned answer is normally stable after one pass; a few more allow for a renderer quirk.
MAX_CLEAN_PASSES = 4


class SanitizeSubmission(SanitizeHTML):
    """Make a submission inert before Formgrader or feedback render it. Formgrader and feedback render
    a markdown cell's source as markdown again (and nbconvert allows ``javascript:`` links there), so
    every markdown cell a trainee could write is stored as cleaned HTML that stays inert under any
    further markdown rendering (see ``clean_markdown``); outputs lose anything that could run."""

    enabled = Bool(True)  # nbconvert's preprocessors are off unless enabled
    # The HTML clean_markdown makes from a markdown output keeps its paragraphs instead of showing tags.
    tags = List(Unicode(), default_value=sorted(MARKDOWN_TAGS))

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and not from_gradebook(cell):
            cell.source = clean_markdown(cell.source)
            return cell, resources
        if cell.cell_type == "code":
            for output in cell.outputs:
                if "data" in output and "text/markdown" in output.data:
                    output.data["text/html"] = clean_markdown(output.data.pop("text/markdown"))
        return super().preprocess_cell(cell, resources, index)

    def sanitize_html_tags(self, html_str):
        """nbconvert's cleaning, with bleach's cleaner built once: building one costs more than cleaning."""
        if not nbconvert_sanitize._USE_BLEACH_CSS_SANITIZER:
            return super().sanitize_html_tags(html_str)
        settings = (frozenset(self.tags), json.dumps(self.attributes, sort_keys=True), self.strip,
                    self.strip_comments, frozenset(self.styles))
        return _nbconvert_cleaner(*settings).clean(html_str)


@cache
def _nbconvert_cleaner(tags, attributes, strip, strip_comments, styles) -> bleach.sanitizer.Cleaner:
    """The cleaner nbconvert's ``sanitize_html_tags`` builds for these settings."""
    return bleach.sanitizer.Cleaner(
        tags=tags, attributes=json.loads(attributes), strip=strip, strip_comments=strip_comments,
        css_sanitizer=nbconvert_sanitize.CSSSanitizer(allowed_css_properties=styles))


MARKDOWN_CLEANER = bleach.sanitizer.Cleaner(tags=MARKDOWN_TAGS, attributes=bleach.ALLOWED_ATTRIBUTES,
                                            protocols=["http", "https", "mailto"], strip=True, strip_comments=True)


def clean_markdown(text: str) -> str:
    """Markdown as HTML that stays inert however often it is rendered as markdown again: cleaned,
    then rendered and cleaned again until nothing changes (one extra pass in practice)."""
    html = _clean_once(text)
    for _ in range(MAX_CLEAN_PASSES):
        again = _clean_once(html)
        if again == html:
            return html
        html = again
    return _as_text(html)  # never seen; plain text is inert whatever happens to it


def _clean_once(text: str) -> str:
    """Render with mistune, keep harmless tags, attributes and link schemes (bleach), then store it
    in a form no markdown renderer reads anything new into (``_markdown_proof``)."""
    html = MARKDOWN_CLEANER.clean(mistune.html(text))
    return _markdown_proof(BeautifulSoup(html, "html.parser"))


def _markdown_proof(soup: BeautifulSoup) -> str:
    """Cleaned HTML that a markdown renderer passes through as it is: top-level text and inline tags
    are put in a paragraph, so every line starts with a block tag; there is no blank line (which
    would end CommonMark's HTML block and have the rest read as markdown); and markdown syntax in
    text and attribute values is written as character references (MARKDOWN_SYNTAX)."""
    run: list = []
    for node in [*soup.contents, None]:
        if node is not None and not (isinstance(node, Tag) and node.name in BLOCK_TAGS):
            run.append(node)
            continue
        if any(isinstance(n, Tag) or n.strip() for n in run):
            paragraph = soup.new_tag("p")
            run[0].insert_before(paragraph)
            paragraph.extend([n.extract() for n in run])
        elif run:
            run[0].replace_with("\n")
            for n in run[1:]:
                n.extract()
        run = []
    return soup.decode(formatter=MarkdownProofFormatter()).strip()


def _markdown_proof_text(text: str) -> str:
    """One text node or attribute value with its markdown syntax as references. Line breaks in
    preformatted text become references too (they show the same); elsewhere runs of white space
    with a line break become one line break, so no blank line or indented line is left."""
    encoded = text.translate(MARKDOWN_SYNTAX)
    if isinstance(text, NavigableString) and text.find_parent("pre") is not None:
        return encoded.replace("\n", "&#10;")
    return re.sub(r"\s*\n\s*", "\n", encoded)


class MarkdownProofFormatter(HTMLFormatter):
    """Beautiful Soup's HTML output with markdown syntax as references (``_markdown_proof_text``);
    attribute values also get their quotes as references, so every value is in plain double quotes."""

    def __init__(self):
        super().__init__(entity_substitution=_markdown_proof_text)

    def attribute_value(self, value: str) -> str:
        return super().attribute_value(value).replace('"', "&quot;").replace("'", "&#39;")


def _as_text(html: str) -> str:
    """The answer's words only, in one paragraph."""
    soup = BeautifulSoup("<p></p>", "html.parser")
    soup.p.string = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    return soup.decode(formatter=MarkdownProofFormatter())
