"""AppTest fixtures: the real app.py with chosen query parameters and browser locale."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture(autouse=True)
def memory_budget_beyond_this_process(monkeypatch):
    """The app's memory budget is measured against its process's resident memory. AppTest runs
    the app inside the test process, which may already hold what earlier tests loaded (every
    vendor's vocabulary: several hundred MB), so each app test gets the default budget on top
    of what the process holds now. A test that sets LLMCOST_MEMORY_MB itself overrides this."""
    from ui.memory import DEFAULT_BUDGET_MB, resident_bytes

    monkeypatch.setenv("LLMCOST_MEMORY_MB", str(DEFAULT_BUDGET_MB + resident_bytes() // 2**20))


@pytest.fixture
def open_app():
    """``open_app(query={...}, locale="zh-CN", page="prices")`` -> an AppTest of app.py after its
    first run (on ``page``, an ``app_pages/`` script, when given: the link opens that page)."""

    def run(query: dict[str, str] | None = None, locale: str | None = None, page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.query_params.update(query or {})
        if locale is not None:
            at.context["locale"] = locale
        if page is not None:
            at.switch_page(f"app_pages/{page}.py")
        at.run()
        assert not at.exception, at.exception
        return at

    return run


def open_estimate_with_catalog(models_file: Path, query: dict[str, str], text: str) -> AppTest:
    """The Estimate page with the models of ``models_file`` priced (a session override, as the
    Prices page makes one), opened with ``query`` and ``text`` pasted."""
    from pricing.catalog import load_catalog_file
    from ui.catalog import CATALOG_OVERRIDE_KEY

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state[CATALOG_OVERRIDE_KEY] = load_catalog_file(models_file)
    at.query_params.update(query)
    at.run()
    at.text_area(key="s_estimate_text").set_value(text).run()
    assert not at.exception, at.exception
    return at
