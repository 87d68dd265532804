"""Debian's Chromium driven by Playwright, as the browser tests and `make screenshots` use it.

Never a browser that Playwright downloads: the machines that run this reach no browser builds.
"""

import os

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling out, which is slow on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}


def chromium_is_installed():
    return os.access(CHROMIUM_PATH, os.X_OK)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
