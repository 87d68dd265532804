"""Placeholders that staff put in a section's text and the page fills from the network's records.

Staff text is Markdown, never a template: only the names below are recognised, and each is
replaced by text generated from data (escaped) or by the centres table.
"""

import re

# A placeholder alone in its paragraph is replaced by a block (the table); elsewhere by text.
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
BLOCK_PLACEHOLDER = re.compile(r"<p[^>]*>\{([a-z_]+)\}</p>")

PLACEHOLDERS = {
    "centres_table": "the table of current members (on a line of its own)",
    "network_members": 'the current members by kind, e.g. "9 independent What Works Centres and 3 affiliate members"',
    "what_works_centres": 'e.g. "9 independent What Works Centres"',
    "affiliate_members": 'e.g. "3 affiliate members"',
    "associate_members": 'e.g. "1 associate member"',
}


def unknown_placeholders(text):
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def fill_placeholders(html, values):
    """Replace known placeholders in sanitised HTML with the given (already safe) HTML strings."""

    def replace(match):
        return values.get(match.group(1), match.group(0))

    return PLACEHOLDER.sub(replace, BLOCK_PLACEHOLDER.sub(replace, html))
