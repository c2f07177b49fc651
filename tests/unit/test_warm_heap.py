"""The warm heap is frozen once; what is made afterwards is still collected (cycles included)."""

from __future__ import annotations

import gc
import weakref

from ui.heap import freeze_warm_heap


class _Node:
    pass


def test_the_heap_is_frozen_once_and_later_cycles_are_still_collected():
    freeze_warm_heap()
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # the modules, the catalog, plotly's validators
    freeze_warm_heap()
    assert gc.get_freeze_count() == frozen  # once per process
    a, b = _Node(), _Node()
    a.other, b.other = b, a  # a cycle: only the collector can free it
    gone = weakref.ref(a)
    del a, b
    gc.collect()
    assert gone() is None
