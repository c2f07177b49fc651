"""The load harness's real-browser sessions (bench/browser_sessions.py, used by bench/load.py):
an upload shows tiktoken's exact count, a "Requests per month" change its new answer, and the
browsers' CPU is read from their own processes. (That a wrong count is reported as wrong is not
checked here: it costs a page and a whole answer timeout, and the suite is kept short.)"""

from __future__ import annotations

import pytest

from bench.browser_sessions import BrowserSessions, Upload
from bench.load import LABELS, browser_changes, expected_tokens
from ui.formatting import format_tokens

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

REVIEWS = b"review,lang\nThe parcel came late but intact,en\n\xe5\x8c\x85\xe8\xa3\xb9\xe5\xbe\x88\xe5\xa5\xbd,zh\n"


def test_browser_sessions_see_the_exact_counts_and_answers(server):
    count = expected_tokens(REVIEWS)
    assert count > 5
    with BrowserSessions(LABELS, timeout=30) as browsers:
        # One at a time: on two cores, pages side by side only slow each other down.
        cpu_before = browsers.cpu_seconds()
        [(upload_seconds, upload_right)] = browsers.uploads(server, [Upload("reviews.csv", REVIEWS,
                                                                            format_tokens(count))]).result()
        [(change_seconds, changes_right)] = browsers.changes(server, [browser_changes(seed=3, changes=1)]).result()
        cpu_used = browsers.cpu_seconds() - cpu_before
    assert upload_right and changes_right
    assert 0 < upload_seconds < 30 and len(change_seconds) == 1 and 0 < change_seconds[0] < 30
    assert cpu_used > 0.5  # two pages rendered: chromium's processes did the work, not this one
