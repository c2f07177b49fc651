"""AppTest fixtures: the real app.py with chosen query parameters and browser locale."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


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
