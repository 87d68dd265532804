"""Save screenshots of the What Works Network page at desktop and phone widths, served from the
site's database: DIRECTORY/screenshot-desktop.png and DIRECTORY/screenshot-mobile.png.

Run: python -m tools.take_screenshots DIRECTORY
"""

import argparse
import os
import sys
from pathlib import Path

import django
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread
from django.urls import reverse
from playwright.sync_api import sync_playwright

from tools.browser import CHROMIUM_PATH, DESKTOP, MOBILE, chromium_is_installed, launch_chromium

SCREENS = {"desktop": DESKTOP, "mobile": MOBILE}


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
    url = f"http://127.0.0.1:{server.port}" + reverse("guidance-page", kwargs={"slug": "what-works-network"})
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for name, viewport in SCREENS.items():
                page = browser.new_page(viewport=viewport)
                page.goto(url, wait_until="networkidle")
                path = directory / f"screenshot-{name}.png"
                page.screenshot(path=path)
                print(f"Wrote {path}")
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
