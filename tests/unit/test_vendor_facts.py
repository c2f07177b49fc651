"""What the Prices page's header says of the vendors shown: counts, last check and its page; the
models its history charts and the snapshot its editor opens on, for a vendor filter."""

from __future__ import annotations

import datetime as dt

from pricing import load_catalog
from pricing.history import DEFAULT_HISTORY_MODELS
from pricing.vendors import VendorFacts, edited_snapshots, history_models, vendor_facts

CATALOG = load_catalog()
DAY = dt.date(2026, 12, 1)
CLAUDE_PAGE = "https://platform.claude.com/docs/en/about-claude/pricing"


def test_each_vendor_has_its_own_counts_and_last_check():
    assert vendor_facts(CATALOG, ["anthropic"]) == [
        VendorFacts("anthropic", 23, 0, dt.date(2026, 12, 7), CLAUDE_PAGE)]
    every = vendor_facts(CATALOG)
    assert every[0] == VendorFacts("openai", 58, 17, dt.date(2026, 11, 23),
                                   "https://developers.openai.com/api/docs/pricing")
    # Unfiltered, a hosted model is counted once, with its vendor: the counts add up to the catalog.
    assert sum(f.snapshots for f in every) == len(CATALOG.models) == 154
    assert sum(f.aliases for f in every) == len(CATALOG.aliases) == 17
    # A host chosen in the filter counts the models it serves.
    assert vendor_facts(CATALOG, ["groq"]) == [VendorFacts("groq", 4, 0, dt.date(2026, 12, 7), "https://groq.com/pricing")]


def test_the_history_and_the_editor_open_on_a_shown_vendor():
    assert history_models(CATALOG, [], DAY) == list(DEFAULT_HISTORY_MODELS)
    claude = history_models(CATALOG, ["anthropic"], DAY)
    assert claude == ["claude-opus-4-7", "claude-opus-4-8", "claude-opus-5", "claude-sonnet-5", "claude-fable-5"]
    assert history_models(CATALOG, ["openai", "anthropic"], DAY) == list(DEFAULT_HISTORY_MODELS) + claude
    offered, first = edited_snapshots(CATALOG, ["anthropic"], DAY)
    assert first == "claude-opus-4-7" and all(CATALOG.vendor_of(m) == "anthropic" for m in offered)
    assert edited_snapshots(CATALOG, [], DAY)[1] == "gpt-4o-mini-2024-07-18"
