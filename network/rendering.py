"""Staff-written Markdown to safe HTML with GOV.UK Frontend's typography classes.

The parser is markdown-it-py with the CommonMark rules, whose time grows in step with the text's
length whatever the text holds, so no text can make a page slow to build.
"""

import html
from functools import lru_cache

import nh3
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


MARKDOWN = MarkdownIt("commonmark")


# The result depends on the text alone, so memoising by text is always exact.
@lru_cache(maxsize=512)
def render_markdown(text):
    html = MARKDOWN.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        set_tag_attribute_values=GOVUK_CLASSES,
        link_rel="noopener noreferrer",
    )


def links_in_markdown(text):
    """The absolute http(s) addresses that staff Markdown links to, once each, in reading order: the
    hrefs of the links the renderer makes (inline, reference and autolinks), not relative ones or mailto."""
    addresses = {}
    for block in MARKDOWN.parse(text):
        for token in block.children or []:
            href = token.attrGet("href") if token.type == "link_open" else None
            if href and href.lower().startswith(("http://", "https://")):
                addresses[href] = None
    return list(addresses)


def markdown_as_text(text):
    """Staff Markdown as the words a reader sees, on one line, for where no markup is shown (a feed's subtitle)."""
    return " ".join(html.unescape(nh3.clean(render_markdown(text), tags=set())).split())
