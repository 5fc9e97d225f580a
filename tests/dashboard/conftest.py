"""A real browser for the dashboard and explorer tests: Debian's chromium driven by Playwright for Python.

No browser is downloaded: Playwright launches /usr/bin/chromium (`make test` installs it with apt when it is
missing). Without it the tests fail with that reason; they are never skipped.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("MOCKS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# The flags a closed network and a root user need (no sandbox as root; no background calls to Google's hosts).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# MOCKS_SCREENSHOTS=docs/images refreshes the README's screenshots from the test run.
SCREENSHOTS = os.environ.get("MOCKS_SCREENSHOTS")


@pytest.fixture(scope="module")  # not session: Playwright's sync API keeps an event loop running in this thread
def browser():  # while open, and later modules of the same worker call asyncio.run()
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium; `make test` does "
            "it when run as root) or point MOCKS_CHROMIUM at one",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(f"Playwright for Python is not installed ({error}): pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page_at(browser):
    """page_at(width, height) → a fresh page of that viewport; every page is closed after the test."""
    contexts = []

    def open_page(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page, name: str, tmp_path: Path, *, full_page: bool = True) -> Path:
    """Into the test's folder, and into $MOCKS_SCREENSHOTS when set (the README's images)."""
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=full_page)
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(SCREENSHOTS) / name)
    return path
