"""Gemini counted on a Gemma 3 SentencePiece model the user gives: exact when the file is the pinned
one, refused when it is not, a labelled estimate without it. The model here is a small one trained
in the test (never a download), pinned by its own hash."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from pathlib import Path

import pytest
import sentencepiece

import cli
from tests.small_sentencepiece import SAMPLES, pin_gemma3_to, train_small_model
from tokenizers import vocabulary_files
from tokenizers.counting import count_many
from tokenizers.encodings import EncodingUnavailableError
from tokenizers.registry import REGISTRY, count_is_estimate, count_label, counting_state, give_vocabulary


@pytest.fixture(scope="module")
def small_model(tmp_path_factory) -> Path:
    return train_small_model(tmp_path_factory.mktemp("gemma"))


@pytest.fixture
def gemma_pinned_to(small_model, monkeypatch):
    """The registry's gemma3 entry pinned to the small model's hash, the model given as the user's file."""
    yield pin_gemma3_to(small_model, monkeypatch)
    vocabulary_files.forget_file("gemma3")


def test_a_given_model_counts_gemini_exactly(small_model, gemma_pinned_to):
    texts = ["Hello, world!", "价格是多少？ नमस्ते 👩‍👩‍👧", " \n\n  x", "<start_of_turn>user"]
    assert gemma_pinned_to.method == "estimate"  # not given yet
    vocabulary_files.give_file("gemma3", small_model)
    sp = sentencepiece.SentencePieceProcessor(model_file=str(small_model))
    assert (gemma_pinned_to.method, gemma_pinned_to.label) == ("exact", "gemma3 (exact)")
    assert count_many(texts, "gemma3") == [len(sp.encode(t)) for t in texts]
    assert (count_is_estimate("gemma3", True), count_label("gemma3", True)) == (False, "exact (gemma3)")
    encoder = gemma_pinned_to.encoder()
    for text in texts:
        ids = encoder.encode_ordinary(text)
        assert ids == sp.encode(text)
        assert b"".join(map(encoder.decode_single_token_bytes, ids)).decode("utf-8") == text


def test_the_cli_counts_on_a_given_model(small_model, gemma_pinned_to):
    out = io.StringIO()
    text = (SAMPLES / "hi.txt").read_text(encoding="utf-8")
    code = cli.main(["estimate", "--text", text, "--tokenizers", "gemma3", "--tokenizer-file", f"gemma3={small_model}",
                     "--format", "json"], out=out)
    assert code == 0
    sp = sentencepiece.SentencePieceProcessor(model_file=str(small_model))
    report = json.loads(out.getvalue())
    assert (report["tokens"], report["count_method"]) == ({"gemma3": len(sp.encode(text))}, {"gemma3": "exact"})


def test_a_model_that_is_not_the_pinned_one_is_refused(small_model, capsys):
    out = io.StringIO()
    try:
        code = cli.main(["estimate", "--text", "hi", "--tokenizers", "gemma3", "--tokenizer-file",
                         f"gemma3={small_model}"], out=out)
    finally:
        vocabulary_files.forget_file("gemma3")
    assert (code, out.getvalue()) == (2, "")
    assert capsys.readouterr().err == (
        f"error: {small_model} is not the pinned vocabulary file (its SHA-256 is not "
        "1299c11d7cf632ef3b4e11937501358ada021bbdf7c47638d13c0ee982f2e79c); give the vendor's own file\n")


def test_without_the_model_gemini_is_a_labelled_estimate():
    entry = REGISTRY["gemma3"]
    assert (entry.method, entry.counted) == ("estimate", True)
    assert count_many(["Hello, world!"], "gemma3") == count_many(["Hello, world!"], "o200k_base")
    assert count_label("gemma3", True).startswith("gemma3 (estimate: o200k_base count, unscaled; error not measured")


@pytest.fixture
def served_model(small_model):
    """The small model served over HTTP on 127.0.0.1; yields (url, requests seen)."""
    import http.server
    import threading

    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            body = small_model.read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/gemma3.model", seen
    server.shutdown()


def test_the_model_is_downloaded_once_checked_and_kept(small_model, served_model, monkeypatch, tmp_path):
    from tokenizers import downloads, engines

    url, seen = served_model
    monkeypatch.setenv("LLM_COST_CACHE_DIR", str(tmp_path))
    pinned = pin_gemma3_to(small_model, monkeypatch, url=url)

    # Turned off: nothing is fetched, the count is the labelled estimate.
    monkeypatch.setenv("LLM_COST_DOWNLOADS", "0")
    assert count_many(["Hello, world!"], "gemma3") == count_many(["Hello, world!"], "o200k_base")
    assert (seen, pinned.method) == ([], "estimate")

    monkeypatch.setenv("LLM_COST_DOWNLOADS", "1")
    engines._try_download.cache_clear()
    sp = sentencepiece.SentencePieceProcessor(model_file=str(small_model))
    assert count_many(["Hello, world!"], "gemma3") == [len(sp.encode("Hello, world!"))]
    assert (seen, pinned.method) == (["/gemma3.model"], "exact")
    assert downloads.cached_file(pinned.vocabulary).read_bytes() == small_model.read_bytes()
    count_many(["again"], "gemma3")
    assert seen == ["/gemma3.model"]  # kept: not fetched again

    # A download that is not the pinned file is refused and nothing is kept.
    wrong = dataclasses.replace(pinned.vocabulary, sha256="0" * 64, path="other.model")
    with pytest.raises(EncodingUnavailableError, match="the download of other.model is not the pinned file"):
        downloads.download(wrong)
    assert downloads.cached_file(wrong) is None


def test_an_uploaded_model_is_checked_kept_and_counted_exactly(small_model, monkeypatch, tmp_path):
    """The app's upload: the bytes are checked against the pinned hash and kept where a download is."""
    from tokenizers import downloads

    monkeypatch.setenv("LLM_COST_CACHE_DIR", str(tmp_path))
    data = small_model.read_bytes()
    # The production entry refuses anything but Google's file, naming both hashes.
    with pytest.raises(vocabulary_files.NotThePinnedFile) as refused:
        give_vocabulary("gemma3", data)
    assert (refused.value.sha256, refused.value.pinned) == (
        hashlib.sha256(data).hexdigest(), "1299c11d7cf632ef3b4e11937501358ada021bbdf7c47638d13c0ee982f2e79c")
    pinned = pin_gemma3_to(small_model, monkeypatch)
    assert (pinned.method, counting_state()) == ("estimate", ("estimate",))
    assert downloads.cached_file(pinned.vocabulary) is None  # the refused file was not kept
    with pytest.raises(LookupError, match="llama3's vocabulary is not given by the user"):
        give_vocabulary("llama3", data)
    kept = give_vocabulary("gemma3", data)
    assert kept == downloads.cached_path(pinned.vocabulary) and kept.read_bytes() == data
    sp = sentencepiece.SentencePieceProcessor(model_file=str(small_model))
    text = (SAMPLES / "hi.txt").read_text(encoding="utf-8")
    assert (pinned.method, counting_state()) == ("exact", ("exact",))
    assert count_many([text], "gemma3") == [len(sp.encode(text))]
