"""Real browsers for the load harness: a few Chromium pages beside the lightweight clients.

``bench/load.py`` drives most sessions with ``bench/streamlit_client.py`` (the browser's protocol,
no browser); this module drives the few that are real: Debian's chromium under Playwright, each
session a page in its own browser context (its own cookies and storage, as a separate visitor).
Playwright's sync API must stay on one thread, and one thread cannot wait on several pages with
it, so one thread runs an asyncio loop with the async API and one browser, and the sessions of a
phase run there at once while the lightweight clients run on other threads.

Times are taken from the browser's side: from asking for the page to the exact counts on screen
with the run finished (``stApp``'s ``data-test-script-state`` back to ``notRunning``); per change,
from typing the number to the new "Requests priced" on screen with the run finished. The
browsers' own CPU seconds are read from ``/proc`` for every process under the Playwright driver
(node, chromium's browser, renderer, GPU and utility processes), plus the loop thread's Python,
so the server's CPU (read from its own pid) stays apart. ``tests/e2e`` uses ``CHROMIUM`` and
``BROWSER_ARGS`` from here.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.server_process import children_by_parent, tree_cpu_seconds

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@dataclass(frozen=True)
class PageLabels:
    """What the sessions look for on the Estimate page, by its visible English text."""

    upload_tab: str
    text_box: str
    requests: str
    tokens: str
    requests_priced: str


@dataclass(frozen=True)
class Upload:
    """One session's upload: the file's name and bytes, and the token metric it must show."""

    name: str
    data: bytes
    tokens: str


@dataclass(frozen=True)
class Changes:
    """One session's changes: the text it pastes, the token metric that text must show, and the
    "Requests per month" values it types one after the other."""

    text: str
    tokens: str
    values: tuple[int, ...]


class BrowserSessions:
    """One headless chromium on a thread of its own; use as a context manager.

    ``uploads`` and ``changes`` start their sessions at once and return a Future at once, so the
    caller can run the lightweight clients meanwhile; ``cpu_seconds`` is what the browser side
    has used so far."""

    def __init__(self, labels: PageLabels, timeout: float = 600, query: str = "lang=en") -> None:
        self.labels = labels
        self.timeout_ms = timeout * 1000  # for every step of a page
        self.answer_timeout_ms = self.timeout_ms  # for an answer to show: a wrong one costs this long
        self.query = query
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="browsers", daemon=True)
        self._files = tempfile.TemporaryDirectory(prefix="load-browser-")
        self._roots: set[int] = set()

    def __enter__(self) -> BrowserSessions:
        self._thread.start()
        before = children_by_parent().get(os.getpid(), set())
        try:
            self._call(self._start()).result()
        except BaseException:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._files.cleanup()
            raise
        # The Playwright driver (node) is the process this start added under ours; chromium runs under it.
        self._roots = children_by_parent().get(os.getpid(), set()) - before
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._call(self._stop()).result(timeout=60)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._files.cleanup()

    def cpu_seconds(self) -> float:
        """CPU seconds of the browser side so far: the driver and chromium processes and the loop thread."""
        return tree_cpu_seconds(self._roots) + self._call(self._thread_cpu()).result()

    def uploads(self, url: str, uploads: list[Upload]) -> Future[list[tuple[float, bool]]]:
        """Each upload in its own page at once; per session (seconds from opening the page to the
        counts, the token metric exactly right)."""
        paths = []
        for upload in uploads:
            folder = Path(tempfile.mkdtemp(dir=self._files.name))
            (folder / upload.name).write_bytes(upload.data)  # a file on disk, as a person picks it
            paths.append(folder / upload.name)
        return self._call(self._all(self._upload(url, path, u.tokens) for path, u in zip(paths, uploads, strict=True)))

    def changes(self, url: str, sessions: list[Changes], ready: Callable[[], object] = lambda: None
                ) -> Future[list[tuple[list[float], bool]]]:
        """Each session in its own page at once; per session (seconds per change, all answers right).
        Each calls ``ready`` (on a thread of its own, so it may block, e.g. on a barrier) once its
        text is counted, before its first change."""
        waiting = ThreadPoolExecutor(max(1, len(sessions)), thread_name_prefix="browser-ready")
        future = self._call(self._all(self._change(url, s, waiting, ready) for s in sessions))
        future.add_done_callback(lambda _: waiting.shutdown(wait=False))
        return future

    # --- on the loop's thread ---------------------------------------------------------------

    def _call(self, coroutine) -> Future:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    async def _start(self) -> None:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)

    async def _stop(self) -> None:
        await self._browser.close()
        await self._playwright.stop()

    async def _thread_cpu(self) -> float:
        return time.thread_time()

    async def _all(self, coroutines) -> list:
        return list(await asyncio.gather(*coroutines))

    async def _new_context(self):
        """A browser context of its own (a separate visitor) whose steps wait up to the timeout."""
        context = await self._browser.new_context(viewport={"width": 1400, "height": 1600})
        context.set_default_timeout(self.timeout_ms)
        context.set_default_navigation_timeout(self.timeout_ms)
        return context

    def _metric_value(self, page, label: str):
        metric = page.get_by_test_id("stMetric").filter(has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True))
        return metric.get_by_test_id("stMetricValue")

    async def _shows(self, page, label: str, value: str) -> bool:
        """Wait until the metric ``label`` shows exactly ``value`` and the run has finished;
        False if it does not within the timeout."""
        from playwright.async_api import Error, expect

        shown = self._metric_value(page, label)
        try:
            # While a run goes on, the last run's card can stand beside the new one: wait for the
            # value, then for the run to end, then the one card left must hold it.
            await expect(shown.filter(has_text=re.compile(f"^{re.escape(value)}$"))).not_to_have_count(
                0, timeout=self.answer_timeout_ms)
            await expect(page.get_by_test_id("stApp")).to_have_attribute(
                "data-test-script-state", "notRunning", timeout=self.timeout_ms)
            await expect(shown).to_have_text(value, timeout=self.timeout_ms)
        except (AssertionError, Error):
            return False
        return True

    async def _upload(self, url: str, path: Path, tokens: str) -> tuple[float, bool]:
        context = await self._new_context()
        try:
            page = await context.new_page()
            started = time.monotonic()
            await page.goto(f"{url}/?{self.query}")
            await page.get_by_role("tab", name=self.labels.upload_tab).click()
            await page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(path)
            right = await self._shows(page, self.labels.tokens, tokens)
            return time.monotonic() - started, right
        finally:
            await context.close()

    async def _change(self, url: str, session: Changes, waiting: ThreadPoolExecutor, ready: Callable[[], object]
                      ) -> tuple[list[float], bool]:
        context = await self._new_context()
        times = []
        try:
            page = await context.new_page()
            await page.goto(f"{url}/?{self.query}")
            box = page.get_by_label(self.labels.text_box, exact=True)
            await box.fill(session.text)
            await box.press("Control+Enter")
            right = await self._shows(page, self.labels.tokens, session.tokens)
            await self._loop.run_in_executor(waiting, ready)
            number = page.get_by_label(self.labels.requests, exact=True)
            for value in session.values:
                started = time.monotonic()
                await number.fill(str(value))
                await number.press("Enter")
                right &= await self._shows(page, self.labels.requests_priced, f"{value:,}")
                times.append(time.monotonic() - started)
            return times, right
        finally:
            await context.close()
