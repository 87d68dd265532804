"""Placeholders that staff put in a section's text and the page fills from the network's records.

Staff text is Markdown, never a template: only the names below are recognised, and each is
replaced by text generated from data (escaped) or by the centres table. The rules for where they
may stand are here, used by the models' field validators, so that what is saved always fills in:

- a placeholder stands as text: never in a link's address, an image, or an attribute;
- `{centres_table}` is a paragraph of its own;
- braces that look like a placeholder but are not one (`{Centres_Table}`, `{network members}`) are
  refused, as is any placeholder in a field that is shown as typed (titles, headings, summaries).
"""

import re
from html.parser import HTMLParser
from urllib.parse import unquote

from django.core.exceptions import ValidationError

from network.rendering import MARKDOWN

# A placeholder alone in its paragraph is replaced by a block (the table); elsewhere by text.
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
BLOCK_PLACEHOLDER = re.compile(r"<p[^>]*>\{([a-z_]+)\}</p>")
# What staff may have meant as a placeholder: a word or words in braces, in any case (see
# looks_like_placeholders; one character class, so the search takes linear time).
LOOKS_LIKE_PLACEHOLDER = re.compile(r"\{[A-Za-z0-9_ -]+\}")
BLOCK_PLACEHOLDERS = {"centres_table"}

PLACEHOLDERS = {
    "centres_table": "the table of current members (on a line of its own)",
    "network_members": 'the current members by kind, e.g. "9 independent What Works Centres and 3 affiliate members"',
    "what_works_centres": 'e.g. "9 independent What Works Centres"',
    "affiliate_members": 'e.g. "3 affiliate members"',
    "associate_members": 'e.g. "1 associate member"',
}
KNOWN = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def looks_like_placeholders(text):
    """Brace groups holding a word or words (starting with a letter), as written, each once."""
    found = LOOKS_LIKE_PLACEHOLDER.findall(text)
    return list(dict.fromkeys(braces for braces in found if braces[1:-1].strip()[:1].isalpha()))


def unknown_placeholders(text):
    """Brace groups that look like a placeholder but are none, as written, in order of appearance."""
    return [braces for braces in looks_like_placeholders(text) if braces[1:-1] not in PLACEHOLDERS]


class AttributeValues(HTMLParser):
    """Every attribute value in a piece of HTML, with character references resolved."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.values = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.values.extend(unquote(value) for _name, value in attrs if value)

    handle_startendtag = handle_starttag


def validate_placeholders_in_markdown(text):
    """A section's text: known placeholders only, each standing as text, the table on its own."""
    errors = []
    unknown = unknown_placeholders(text)
    if unknown:
        errors.append(
            ValidationError(
                "%(unknown)s is not a placeholder. The placeholders are: %(known)s.",
                code="unknown_placeholder",
                params={"unknown": ", ".join(unknown), "known": KNOWN},
            )
        )
    # Where each placeholder lands is read from the HTML the text becomes: character references and
    # Markdown's escapes are resolved there as the browser resolves them, and addresses are decoded.
    html = MARKDOWN.render(text)
    in_attributes = sorted(
        {f"{{{name}}}" for value in AttributeValues(html).values for name in PLACEHOLDER.findall(value)}
    )
    if in_attributes:
        errors.append(
            ValidationError(
                "%(names)s cannot be part of a link's address, an image or an HTML attribute: "
                "a placeholder fills in text only.",
                code="placeholder_in_attribute",
                params={"names": ", ".join(in_attributes)},
            )
        )
    blocks = [name for name in BLOCK_PLACEHOLDER.findall(html) if name in BLOCK_PLACEHOLDERS]
    inline = [name for name in PLACEHOLDER.findall(html) if name in BLOCK_PLACEHOLDERS]
    if len(inline) > len(blocks):
        errors.append(
            ValidationError(
                "{centres_table} must stand on a line of its own, with a blank line before and after it.",
                code="block_placeholder_in_text",
            )
        )
    if errors:
        raise ValidationError(errors)


def validate_no_placeholders(text):
    """Text shown as typed (titles, headings, summaries, notes): no braces that look like a placeholder."""
    found = looks_like_placeholders(text)
    if found:
        raise ValidationError(
            "%(found)s would be shown as typed: placeholders fill in only in a section's text. "
            "The placeholders are: %(known)s.",
            code="placeholder_not_filled",
            params={"found": ", ".join(found), "known": KNOWN},
        )


def fill_placeholders(html, values):
    """Replace known placeholders in sanitised HTML with the given (already safe) HTML strings."""

    def replace(match):
        return values.get(match.group(1), match.group(0))

    return PLACEHOLDER.sub(replace, BLOCK_PLACEHOLDER.sub(replace, html))
