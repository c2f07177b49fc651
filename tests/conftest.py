import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import os

from hypothesis import settings

# In CI the property tests draw the same examples every run (a red CI must mean a change broke
# something, not that a new random example was drawn); locally they explore as usual.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
