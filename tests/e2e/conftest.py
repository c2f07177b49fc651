"""Shared set-up for the real-browser tests: the app under `streamlit run`, Debian's chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench.browser_sessions import BROWSER_ARGS, CHROMIUM  # one chromium set-up for the tests and the load harness
from bench.server_process import running_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
__all__ = ["ARTIFACTS", "BROWSER_ARGS", "CHROMIUM", "ROOT", "save_screenshot"]


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/e2e/artifacts/ (gitignored); returns its path.

    With UPDATE_SCREENSHOTS=1 it is also copied to docs/screenshots/, the committed copies,
    so a plain test run never changes tracked files.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / name)
    return path


@pytest.fixture(scope="session")
def server():
    """The app under ``streamlit run`` on 127.0.0.1 for the whole session (bench.server_process
    starts and stops it); its output goes to tests/e2e/artifacts/server.log."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "server.log"
    try:
        with running_server(log=log, start_seconds=40) as running:
            yield running.url
    except RuntimeError as exc:
        pytest.fail(f"{exc}: " + log.read_text(errors="replace")[-2000:])


@pytest.fixture
def browser_page():
    """A fresh chromium page (1400x2200) and the list of JS dialogs it opened (must stay empty)."""
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2200})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            yield page, dialogs
        finally:
            browser.close()
