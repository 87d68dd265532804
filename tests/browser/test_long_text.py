"""Staff text at its longest on the narrowest screen: a word longer than the screen is wide (an
address pasted as a title, say) wraps instead of making the whole page scroll sideways (WCAG 1.4.10)."""

import pytest

from network.models import HelpPage, Page
from tests.helpers import PAGE_URL

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

# As long as the fields allow, with no space to wrap at.
LONG_WORD = "https://www.gov.uk/government/publications/" + "what-works-network-" * 8


def page_width_at_320_pixels(browser, live_server, url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + url, wait_until="networkidle")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    context.close()
    return width


def test_a_related_link_with_a_long_title_wraps(browser, live_server):
    Page.objects.get().related_links.create(title=LONG_WORD[:200], address="https://www.gov.uk/long")
    assert page_width_at_320_pixels(browser, live_server, PAGE_URL) == 320


def test_a_help_page_with_a_long_title_wraps_in_every_footer(browser, live_server):
    help_page = HelpPage.objects.create(slug="long", title=LONG_WORD[:200], body="Text.")
    assert page_width_at_320_pixels(browser, live_server, PAGE_URL) == 320
    assert page_width_at_320_pixels(browser, live_server, help_page.get_absolute_url()) == 320
