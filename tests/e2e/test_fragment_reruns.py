"""A change of an assumption on the Estimate page reruns its priced section alone (an
``st.fragment``): the answer, the address bar and the share link follow the change, and the
input above (text box, uploads, their counting) and the sidebar's settings are not run again.
Driven over Streamlit's own protocol (``bench/streamlit_client.py``), as a browser sends it."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs

import pytest

from bench.server_process import running_server
from bench.streamlit_client import StreamlitSession
from pricing.languages import load_samples
from tokenizers import get_encoding
from pricing.currency import MoneyView
from ui.formatting import format_money
from ui.i18n import translate

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

TEXT = "Summarise this customer review: the kettle boils fast, but the lid broke after a week."


@pytest.fixture(scope="module")
def client_server():
    # The lightweight client sends no XSRF cookie.
    with running_server(args=("--server.enableXsrfProtection", "false")) as server:
        yield server.url


def shared_link(run) -> dict[str, list[str]]:
    # The link's address part is the page's URL in a browser ("" for this client): the query decides.
    links = [text for text in run.texts if "?lang=" in text and " " not in text]
    assert len(links) == 1, links  # one share link, redrawn in place, never a second one
    return parse_qs(links[0].split("?", 1)[1])


def test_a_change_inside_the_section_reruns_it_alone_and_keeps_the_link_in_step(client_server):
    session = StreamlitSession(client_server, "lang=en&date=2025-01-15&models=gpt-4o-mini")
    try:
        session.run()
        session.set_value("Text to estimate", TEXT)
        full = session.run()
        assert full.fragment_id is None and not full.exception
        assert full.metrics["Tokens (o200k_base, exact)"] == str(len(get_encoding("o200k_base").encode_ordinary(TEXT)))
        assert full.metrics["Requests priced"] == "1,000"
        assert "req" not in shared_link(full)  # the default volume is not in the link

        session.set_value("Requests per month", 4321)
        part = session.run()
        assert part.fragment_id is not None and not part.exception
        assert part.metrics["Requests priced"] == "4,321"
        # Only the section was sent again: not the text box (nor its counting), not the sidebar.
        assert "Requests per month" in part.widgets
        assert "Text to estimate" not in part.widgets and "Models to compare" not in part.widgets
        assert part.elements < full.elements
        # The address bar and the share link carry the new volume.
        assert parse_qs(part.query_string)["req"] == ["4321"]
        assert shared_link(part)["req"] == ["4321"]

        # A sidebar setting reruns the whole page; the section's setting stays in the link.
        session.set_value("Models to compare", ["gpt-4o-mini", "gpt-4o"])
        again = session.run()
        assert again.fragment_id is None and not again.exception
        assert again.metrics["Requests priced"] == "4,321"
        link = shared_link(again)
        assert link["req"] == ["4321"] and link["models"] == ["gpt-4o-mini,gpt-4o"]
        assert parse_qs(again.query_string)["req"] == ["4321"]
    finally:
        session.close()


def test_a_change_of_the_requests_pages_options_reruns_its_priced_section_alone(client_server):
    # A pasted messages array on gpt-4o-mini (2025-01-15: $0.15 input, $0.60 output per 1M tokens).
    session = StreamlitSession(client_server, "lang=en&date=2025-01-15&models=gpt-4o-mini", page="requests")
    try:
        session.run()
        session.set_value(translate("requests_paste_label", "en"), '[{"role": "user", "content": "Hello there"}]')
        full = session.run()
        assert full.fragment_id is None and not full.exception
        assert "out_tokens" not in shared_link(full)  # one link on a full run too; the default output not in it
        prompt = int(full.metrics[translate("metric_prompt_tokens", "en")].replace(",", ""))
        # The OpenAI Cookbook's count: 3 per message, the role ("user": 1 token), the content, 3 to prime the reply.
        assert prompt == len(get_encoding("o200k_base").encode_ordinary("Hello there")) + 1 + 3 + 3

        session.set_value(translate("requests_output_tokens", "en"), 10_000)  # under the 16,384 cap
        part = session.run()
        assert part.fragment_id is not None and not part.exception
        cost = (Decimal(prompt) * Decimal("0.15") + Decimal(10_000) * Decimal("0.60")) / Decimal(1_000_000)
        assert part.metrics[translate("metric_total_cost", "en")] == format_money(cost, MoneyView())
        # Only the section was sent again, not the paste box nor the sidebar; the link follows.
        assert translate("requests_paste_label", "en") not in part.widgets
        assert "Models to compare" not in part.widgets
        assert parse_qs(part.query_string)["out_tokens"] == ["10000"]
        assert shared_link(part)["out_tokens"] == ["10000"]
    finally:
        session.close()


def test_a_change_in_the_languages_pages_token_view_reruns_it_alone(client_server):
    # The link opens the token view on the Hindi sample; its counts are tiktoken's on both encodings.
    hindi = next(s for s in load_samples() if s.code == "hi").text
    counts = [translate("lang_view_count", "en", tokens=f"{len(get_encoding(e).encode_ordinary(hindi)):,}",
                        characters=f"{len(hindi):,}") for e in ("o200k_base", "cl100k_base")]
    session = StreamlitSession(client_server, "lang=en&sample=hi", page="languages")
    try:
        full = session.run()
        assert full.fragment_id is None and not full.exception
        assert all(count in full.texts for count in counts)
        assert shared_link(full)["sample"] == ["hi"]

        session.set_value(translate("lang_view_ids", "en"), True)
        part = session.run()
        assert part.fragment_id is not None and not part.exception
        assert all(count in part.texts for count in counts)
        # Only the token view was sent again, not the page's settings; the link follows.
        assert translate("workload_task", "en") not in part.widgets and "Models to compare" not in part.widgets
        assert part.elements < full.elements
        assert parse_qs(part.query_string)["ids"] == ["1"] and shared_link(part)["ids"] == ["1"]
    finally:
        session.close()
