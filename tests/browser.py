"""A real browser for the view tests: headless Debian Chromium driven by Playwright.

Every request that is not ``file:``, ``data:`` or ``blob:`` is aborted and recorded, and so are
console errors and uncaught page errors, so a test can assert a view is self-contained and quiet.
The pages forbid ``eval`` (Content-Security-Policy), so Playwright's ``wait_for_function`` cannot
run there: :func:`wait_until` polls ``page.evaluate`` instead.

    browser = browser_fixture()          # in a test module: a session-scoped fixture

    def test_x(browser):
        with open_view(browser, path) as view:
            wait_until(view.page, "maild.state.stabilized")
            assert view.problems() == []
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL = ("file:", "data:", "blob:")


@contextmanager
def chromium(executable: Path = CHROMIUM) -> Iterator[Browser]:
    """A headless Chromium for the duration of the block; a missing browser fails, not skips."""
    if not executable.exists():
        pytest.fail(f"Chromium not found at {executable}: the view tests need a real browser "
                    "(install the Debian package `chromium`)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def browser_fixture(scope: str = "session") -> Callable[..., Iterator[Browser]]:
    """A pytest fixture giving one browser to every test in ``scope``."""

    @pytest.fixture(scope=scope)  # type: ignore[call-overload]
    def browser() -> Iterator[Browser]:
        with chromium() as launched:
            yield launched

    return browser


@dataclass
class View:
    """An open page and everything it tried that a self-contained, quiet page must not."""

    page: Page
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every request, console error and page error so far, as readable lines."""
        return ([f"request: {r}" for r in self.requests]
                + [f"console error: {e}" for e in self.console_errors]
                + [f"page error: {e}" for e in self.page_errors])

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)


@contextmanager
def open_view(browser: Browser, path: Path | str, width: int = 1400, height: int = 900
              ) -> Iterator[View]:
    """Open ``path`` (or a ``file:`` URL, with its fragment) in a fresh context, recording
    requests and errors."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    view = View(page)

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        else:
            view.requests.append(url)
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda msg: view.console_errors.append(msg.text)
            if msg.type == "error" else None)
    page.on("pageerror", lambda error: view.page_errors.append(str(error)))
    try:
        page.goto(path if str(path).startswith("file:") else Path(path).resolve().as_uri())
        yield view
    finally:
        context.close()


def wait_until(page: Page, expression: str, timeout: float = 30.0, interval: float = 0.05) -> Any:
    """Poll ``expression`` in the page until it is truthy; its value, or a failure at ``timeout``."""
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"not true within {timeout:g} s: {expression} (last value: {value!r})")
