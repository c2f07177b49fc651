"""The layers of the core: data flows one way, by parameter.

    ingest  ->  tokenizers  ->  corpus  ->  pricing
    bytes to    documents to    a user's     counts to
    documents   counts          corpus read  money
                                and counted

``ingest`` turns bytes into documents and imports neither the tokenizers (it is handed its
cut-point function) nor anything above; ``tokenizers`` counts what it is handed; ``corpus``
reads and counts a user's corpus (one process or a Dask cluster) with both, and is handed what
pricing decides (the tokenizers to count on, the long-context thresholds); ``pricing`` may use
all three. No core package imports Streamlit or the UI, so the CLI and the tests compute what
the app shows.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
OURS = {"ingest", "tokenizers", "corpus", "pricing", "ui", "app_pages", "app", "cli", "commands"}
#: package -> the project's packages its modules may import (besides itself)
ALLOWED = {
    "ingest": set(),
    "tokenizers": set(),
    "corpus": {"ingest", "tokenizers"},
    "pricing": {"ingest", "tokenizers", "corpus"},
}


def imported_tops(path: Path) -> set[str]:
    """The top-level names every import statement of ``path`` names (function-level ones too)."""
    tops: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            tops.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            tops.add(node.module.split(".")[0])
    return tops


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_core_package_imports_only_what_its_layer_allows(package):
    found = {}
    for module in sorted((ROOT / package).glob("*.py")):
        ours = (imported_tops(module) & OURS) - {package}
        extra = ours - ALLOWED[package]
        if extra:
            found[module.name] = sorted(extra)
        assert "streamlit" not in imported_tops(module), module
    assert found == {}, f"{package} imports outside its layer: {found}"


def test_the_scanner_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from pricing.cost import money\n    import ui.i18n\n")
    assert imported_tops(module) == {"os", "pricing", "ui"}


def test_the_core_imports_in_a_fresh_interpreter_without_streamlit():
    code = (
        "import sys, ingest, tokenizers, corpus, corpus.pipeline, corpus.sources, corpus.quick, corpus.cluster, corpus.summary, "
        "corpus.more_tokenizers, pricing, pricing.estimates, pricing.reports, pricing.tasks, pricing.export, "
        "ingest.languages, ingest.text_column\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'ui', 'app_pages')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
