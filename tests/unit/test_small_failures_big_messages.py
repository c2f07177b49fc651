"""Small failures with plain messages: a missing optional dependency names its requirements file,
and a cache that cannot be written never fails a count (writing tiktoken's cache is a courtesy)."""

from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path

import cli
from tokenizers import encodings

ROOT = Path(__file__).resolve().parents[2]


def test_engine_dask_without_the_cluster_requirements_names_the_file(monkeypatch, capsys):
    # None in sys.modules makes ``import dask.distributed`` raise ModuleNotFoundError, as on a
    # machine without requirements-cluster.txt installed.
    for name in ("dask", "dask.distributed", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)
    code = cli.main(["estimate", "--engine", "dask", "--text", "hello", "--as-of", "2026-10-22"], out=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2
    assert "pip install -r requirements-cluster.txt" in err
    assert "unexpected" not in err


def test_a_cache_directory_that_vanishes_during_the_write_does_not_fail_the_count(tmp_path, monkeypatch):
    cache = tmp_path / "gone"
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(cache))

    def vanish(src, dst):  # another process empties the temp directory between write and rename
        Path(src).unlink()
        raise FileNotFoundError(2, "No such file or directory", str(src))

    monkeypatch.setattr(encodings.os, "replace", vanish)
    path, data = encodings._seed("cl100k_base")
    assert hashlib.sha256(data).hexdigest() == encodings._EXPECTED_SHA256["cl100k_base"]


def test_a_cache_directory_that_cannot_be_made_does_not_fail_the_count(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(blocker / "cache"))  # mkdir under a file: NotADirectoryError
    _, data = encodings._seed("o200k_base")
    assert hashlib.sha256(data).hexdigest() == encodings._EXPECTED_SHA256["o200k_base"]
