"""The server's warm heap, frozen once so that the garbage collection after every rerun is cheap.

Streamlit runs a full ``gc.collect()`` after each script run (``runner.postScriptGC``). A full
collection walks every object the collector tracks: the modules, the price catalog, plotly's
validators, pandas, pydantic's models — about 150,000 objects on a warm server, 50-70 ms of CPU
after every widget change, most of what a change cost the server (``bench/rerun_speed.py
--server``). ``gc.freeze()`` moves the objects alive now to a generation the collector no longer
walks; reference counting still frees them when they go, only a cycle among them would be kept.
So the heap is frozen once per process, at the end of its first run (before any upload can
arrive), after building one chart of each kind (plotly loads its validators on first use): what a
session creates afterwards (its state, its uploads, its counts) is collected as before. Nothing
else is loaded for it: the counting engine keeps its vocabularies outside Python's heap, and
loading tiktoken's here would cost the server 100 MB it does not otherwise use.
"""

from __future__ import annotations

import gc
import threading
from decimal import Decimal

from ui.charts import bound_chart, growth_chart
from pricing.currency import MoneyView

_lock = threading.Lock()
_frozen = False


def freeze_warm_heap() -> None:
    """Once per process: build one chart of each kind (plotly's validators), collect the
    garbage, then freeze what is alive (later calls return at once)."""
    global _frozen
    if _frozen:
        return
    with _lock:
        if _frozen:
            return
        view = MoneyView()
        growth_chart([1], {"m": [Decimal(1)]}, view, "", "", "", {}, "en").to_json()
        bound_chart(["m"], [Decimal(1)], [None], view, "", "", "", "", {}, "zh").to_json()
        gc.collect()
        gc.freeze()
        _frozen = True
