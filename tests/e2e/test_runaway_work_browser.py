"""No work outlives its page: a refused bomb leaves the server idle, and a slow read is stopped
when its page closes (server CPU measured from /proc, the app under `streamlit run`)."""

from __future__ import annotations

import time

import pytest

from bench.server_process import cpu_over, running_server
from tests.e2e.conftest import ARTIFACTS, BROWSER_ARGS, CHROMIUM
from tests.workbook_bombs import gzip_bomb, long_honest_sheet, wide_rows_bomb, zip_bomb

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

# Idle is a Streamlit server doing nothing: a few hundredths of a CPU-second in 3 s here.
IDLE_CPU_SECONDS = 0.3


@pytest.fixture(scope="module")
def measured_server():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with running_server(log=ARTIFACTS / "server_limits.log") as server:
        yield server


def upload(browser, server, paths):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(f"{server.url}/?lang=en", wait_until="networkidle")
    page.get_by_role("tab", name="Upload files").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(p) for p in paths])
    return page


def test_bombs_are_refused_within_seconds_and_the_server_is_idle_after(measured_server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    # At the real limits: a 1 MB workbook of 3.3 billion cells, 500 MB of text gzipped to ~1 MB
    # (read up to its 100x budget, then refused), a ZIP member declaring 200 MB.
    bombs = {"wide.xlsx": wide_rows_bomb(), "notes.txt.gz": gzip_bomb(), "archive.zip": zip_bomb()}
    for name, data in bombs.items():
        (tmp_path / name).write_bytes(data)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            started = time.monotonic()
            page = upload(browser, measured_server, [tmp_path / name for name in bombs])
            expect(page.get_by_text("3 file(s) or row(s) were skipped")).to_be_visible(timeout=45_000)
            assert time.monotonic() - started < 45
            assert cpu_over(measured_server.pid, 3) < IDLE_CPU_SECONDS  # the page is still open, and idle
        finally:
            browser.close()


def test_a_slow_read_stops_when_its_page_closes(measured_server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    sheet = tmp_path / "long.xlsx"
    sheet.write_bytes(long_honest_sheet(300_000))  # ~16 s of reading on this machine
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            page = upload(browser, measured_server, [sheet])
            expect(page.get_by_role("combobox", name="Text column of long.xlsx")).to_be_visible(timeout=30_000)
            assert cpu_over(measured_server.pid, 2) > 0.5  # reading: a core busy (shared with other jobs here)
            page.close()
            time.sleep(1)  # the socket closes, Streamlit asks the script to stop
            assert cpu_over(measured_server.pid, 3) < IDLE_CPU_SECONDS
        finally:
            browser.close()


def million_column_csv() -> bytes:
    """A 12 MB CSV whose header has 1,000,000 columns, and one row: choosing its text column was
    quadratic (22 minutes of a core) and met neither the time limit nor a closed page."""
    columns = 1_000_000
    header = ",".join(f"col{i:07d}" for i in range(columns))
    return (header + "\n" + ",".join("7" for _ in range(columns)) + "\n").encode()


def test_a_million_column_header_is_read_in_seconds_and_nothing_runs_after_its_page_closes(measured_server,
                                                                                         tmp_path):
    from playwright.sync_api import expect, sync_playwright

    wide = tmp_path / "wide.csv"
    wide.write_bytes(million_column_csv())
    assert len(wide.read_bytes()) > 11_000_000
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            started = time.monotonic()
            page = upload(browser, measured_server, [wide])
            expect(page.get_by_role("combobox", name="Text column of wide.csv")).to_be_visible(timeout=60_000)
            expect(page.get_by_text("999,950 more columns are not shown here")).to_be_visible(timeout=60_000)
            expect(page.get_by_text("This table has 1,000,000 columns")).to_be_visible()
            assert time.monotonic() - started < 60
            page.close()
            time.sleep(3)  # the socket closes, the script stops, a million names are freed
            assert cpu_over(measured_server.pid, 3) < IDLE_CPU_SECONDS
        finally:
            browser.close()
