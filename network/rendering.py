"""Staff-written Markdown to safe HTML with GOV.UK Frontend's typography classes.

The parser is markdown-it-py with the CommonMark rules, whose time grows in step with the text's
length whatever the text holds, so no text can make a page slow to build.
"""

import html
from functools import lru_cache

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "a", "ul", "ol", "li", "strong", "em", "h3", "h4", "blockquote", "code", "br", "abbr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
GOVUK_CLASSES = {
    "p": {"class": "govuk-body"},
    "a": {"class": "govuk-link"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "h3": {"class": "govuk-heading-s"},
    "h4": {"class": "govuk-heading-s"},
}


# A text that is a whole page (a help page) has headings of its own: `##` too, under the page's
# title. A section's text sits under the section's heading, so it keeps to `###` and below.
PAGE_HEADING = "h2"
PAGE_HEADING_CLASSES = {PAGE_HEADING: {"class": "govuk-heading-m"}}


MARKDOWN = MarkdownIt("commonmark")


def name_page_headings(tokens):
    """Give each `##` heading among markdown-it's `tokens` an id from its words, unique in the text,
    for a contents list to link to; return [(id, words)] in order."""
    named = []
    for opening, inline in zip(tokens, tokens[1:], strict=False):
        if opening.type != "heading_open" or opening.tag != PAGE_HEADING:
            continue
        words = "".join(child.content for child in inline.children if child.type in ("text", "code_inline"))
        base = slugify(words) or "heading"
        anchor, number = base, 1
        while anchor in {taken for taken, _words in named}:
            number += 1
            anchor = f"{base}-{number}"
        opening.attrSet("id", anchor)
        named.append((anchor, " ".join(words.split())))
    return named


def page_contents(text):
    """[(id, words)] of the `##` headings of a whole page's text, with the ids
    `render_markdown(text, page_headings=True)` gives them."""
    return name_page_headings(MARKDOWN.parse(text))


# The result depends on its arguments alone, so memoising by them is always exact.
@lru_cache(maxsize=512)
def render_markdown(text, page_headings=False):
    """`page_headings`: the text is a whole page, whose `##` headings are kept, each with an id."""
    tokens = MARKDOWN.parse(text)
    anchors = {anchor for anchor, _words in name_page_headings(tokens)} if page_headings else set()
    return nh3.clean(
        MARKDOWN.renderer.render(tokens, MARKDOWN.options, {}),
        tags=(ALLOWED_TAGS | {PAGE_HEADING}) if page_headings else ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        # A heading keeps only the id given it here, never one written in the text's own HTML.
        tag_attribute_values={PAGE_HEADING: {"id": anchors}},
        url_schemes=ALLOWED_URL_SCHEMES,
        set_tag_attribute_values=GOVUK_CLASSES | PAGE_HEADING_CLASSES,
        link_rel="noopener noreferrer",
    )


def markdown_as_text(text):
    """Staff Markdown as the words a reader sees, on one line, for where no markup is shown (a feed's subtitle)."""
    return " ".join(html.unescape(nh3.clean(render_markdown(text), tags=set())).split())
