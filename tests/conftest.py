import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import os
import tempfile

from hypothesis import settings

# No per-example deadline: on this noisy 2-core machine the first example (a tokenizer loading)
# took 318 ms against Hypothesis's 200 ms and failed a run; speed is measured by bench/, not here.
settings.register_profile("local", deadline=None)
# In CI the property tests draw the same examples every run (a red CI must mean a change broke
# something, not that a new random example was drawn); locally they explore as usual.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "local")

# The validated catalog is cached between runs (pricing/catalog_cache.py): the tests (and the
# command lines they start) keep theirs in a directory of their own, not in the user's cache.
os.environ["LLM_COST_CACHE_DIR"] = tempfile.mkdtemp(prefix="llm-cost-test-cache-")
# No network in the tests: a vocabulary no package ships (Gemma 3's) is never downloaded
# (tokenizers/downloads.py); tests/unit/test_gemma_sentencepiece.py serves one on 127.0.0.1.
os.environ["LLM_COST_DOWNLOADS"] = "0"


import pytest


@pytest.fixture
def small_tokenizer(monkeypatch):
    """Registers the test tokenizer "small-bpe" (tests/small_tokenizer.py) as counted offline, its
    twin "small-recon" as a reconstruction (as Claude's) and "small-none" as a vendor's tokenizer
    not counted offline, all known to the catalog schema, for one test; yields "small-bpe"."""
    import pricing.schema
    from tests import small_tokenizer as small
    from tokenizers import registry

    entries = (small.ENTRY, small.RECONSTRUCTED_ENTRY, small.UNCOUNTED_ENTRY)
    for entry in entries:
        monkeypatch.setitem(registry.REGISTRY, entry.encoding, entry)
    monkeypatch.setattr(pricing.schema, "KNOWN_ENCODINGS", (*registry.KNOWN_ENCODINGS, *(e.encoding for e in entries)))
    yield small.NAME
