"""Fixtures shared by test modules: one real browser for the whole session.

Playwright's sync API runs its own event loop on the main thread, so two browsers started by
two modules' session fixtures cannot coexist: every module uses this one.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tests` is no package here

from tests.browser import browser_fixture

browser = browser_fixture()
