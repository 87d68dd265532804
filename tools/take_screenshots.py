"""Save the README's screenshots, served from the site's database: the What Works Network page at
desktop and phone widths (DIRECTORY/screenshot-desktop.png, screenshot-mobile.png), the end of its
text on a phone, where the related links follow it (screenshot-related-links.png), then a draft that
promotes the Youth Endowment Fund and rewrites the introduction, made in the admin as an editor makes
it: its preview (screenshot-draft-preview.png) and its page with "What's changed"
(screenshot-draft-changes.png); and the feedback at the foot of the page, "Report a problem with this
page" opened (screenshot-feedback.png).

The draft, and the member of staff who makes it, are saved in that database: `make screenshots` gives
it a throwaway one with the demo content.

Run: python -m tools.take_screenshots DIRECTORY
"""

import argparse
import os
import secrets
import sys
from pathlib import Path

import django
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread
from django.urls import reverse
from playwright.sync_api import sync_playwright

from tools.browser import CHROMIUM_PATH, DESKTOP, MOBILE, chromium_is_installed, launch_chromium

SCREENS = {"desktop": DESKTOP, "mobile": MOBILE}
DRAFT_NAME = "Youth Endowment Fund becomes a What Works Centre"
NEW_WORDS = "The Youth Endowment Fund joins the network's What Works Centres."


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    directory = parser.parse_args().directory
    if not chromium_is_installed():
        sys.exit(f"No Chromium at {CHROMIUM_PATH}: install Debian's chromium or set CHROMIUM_PATH")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings")
    django.setup()

    # The test suite's live server, on a free port, so no address needs choosing.
    server = LiveServerThread("127.0.0.1", StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    site = f"http://127.0.0.1:{server.port}"
    url = site + reverse("guidance-page", kwargs={"slug": "what-works-network"})
    # Before Playwright starts: its event loop in this thread would trip Django's async-safety check.
    password = secrets.token_urlsafe()
    get_user_model().objects.create_superuser("editor", "editor@example.com", password)
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for name, viewport in SCREENS.items():
                page = browser.new_page(viewport=viewport)
                page.goto(url, wait_until="networkidle")
                save(page, directory / f"screenshot-{name}.png")
                if viewport == MOBILE:
                    save_related_links_screenshot(page, directory)
            save_draft_screenshots(browser.new_page(viewport=DESKTOP), site, password, directory)
            save_feedback_screenshot(browser.new_page(viewport=DESKTOP), url, directory)
            browser.close()
    finally:
        server.terminate()


def save(page, path, **options):
    page.screenshot(path=path, **options)
    print(f"Wrote {path}")


def save_related_links_screenshot(page, directory):
    """From the page's source, at the end of its text, to the related links below it (a phone's view)."""
    top = page.locator(".app-source").bounding_box()["y"] - 20
    related = page.locator(".gem-c-related-navigation").bounding_box()
    clip = {"x": 0, "y": top, "width": MOBILE["width"], "height": related["y"] + related["height"] - top}
    save(page, directory / "screenshot-related-links.png", full_page=True, clip=clip)


def save_draft_screenshots(page, site, password, directory):
    page.goto(site + reverse("admin:login"))
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Sections", exact=True).click()
    page.get_by_role("link", name="Introduction", exact=True).click()
    body = page.get_by_label("Body")
    body.fill(f"{NEW_WORDS}\n\n{body.input_value()}")
    page.get_by_label("What a new draft is for").fill(DRAFT_NAME)
    page.get_by_role("button", name="Save as draft").click()

    page.get_by_role("link", name="Centres", exact=True).click()
    page.get_by_role("link", name="Youth Endowment Fund", exact=True).click()
    page.get_by_role("link", name="Change membership kind").click()
    page.get_by_role("radio", name="What Works Centre").check()
    page.get_by_role("button", name="Save to the draft").click()

    page.locator(".app-draft-banner").get_by_role("link", name="Preview the site").click()
    page.wait_for_load_state("networkidle")
    # Down to the network's members as the draft counts them, below the new words.
    members = page.get_by_text("The network is made up of").bounding_box()
    height = members["y"] + members["height"] + 30
    save(
        page,
        directory / "screenshot-draft-preview.png",
        full_page=True,
        clip={**DESKTOP, "x": 0, "y": 0, "height": height},
    )
    page.get_by_role("link", name="Back to the draft").click()
    page.wait_for_load_state("networkidle")
    save(page, directory / "screenshot-draft-changes.png", full_page=True)


def save_feedback_screenshot(page, url, directory):
    page.goto(url, wait_until="networkidle")
    page.get_by_text("Report a problem with this page").click()
    page.evaluate("() => document.activeElement.blur()")  # as a reader sees it, not as a click leaves it
    feedback = page.get_by_role("region", name="Feedback on this page")
    feedback.scroll_into_view_if_needed()
    save(feedback, directory / "screenshot-feedback.png")


if __name__ == "__main__":
    main()
