from pathlib import Path

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import BaseCommand, CommandError
from django.test.testcases import LiveServerThread
from django.urls import reverse
from playwright.sync_api import sync_playwright

from network.browser import CHROMIUM_PATH, DESKTOP, MOBILE, chromium_is_installed, launch_chromium

SCREENS = {"desktop": DESKTOP, "mobile": MOBILE}


class Command(BaseCommand):
    help = (
        "Save screenshots of the What Works Network page at desktop and phone widths as "
        "DIRECTORY/screenshot-desktop.png and DIRECTORY/screenshot-mobile.png, served from this database."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        if not chromium_is_installed():
            raise CommandError(f"No Chromium at {CHROMIUM_PATH}: install Debian's chromium or set CHROMIUM_PATH")
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
                    self.stdout.write(f"Wrote {path}")
                browser.close()
        finally:
            server.terminate()
