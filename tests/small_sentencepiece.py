"""A small SentencePiece model for tests, trained on data/samples (never a download), and the
registry's gemma3 entry pinned to its hash for one test: the production entry refuses every file
but Google's Gemma 3 model, whose pinned hash no test can meet without that 4.5 MB file."""

from __future__ import annotations

import dataclasses
import hashlib
import io
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def train_small_model(directory: Path) -> Path:
    """A 1,200-piece BPE SentencePiece model, written to ``directory/small.spiece.model``."""
    import sentencepiece

    lines = [line for p in sorted(SAMPLES.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines() if line]
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(sentence_iterator=iter(lines * 3), model_writer=model, vocab_size=1200,
                                             model_type="bpe", character_coverage=1.0, byte_fallback=True, minloglevel=2,
                                             # as Gemma's: text kept as it is (no dummy prefix, spaces kept)
                                             add_dummy_prefix=False, remove_extra_whitespaces=False,
                                             normalization_rule_name="identity")
    path = directory / "small.spiece.model"
    path.write_bytes(model.getvalue())
    return path


def pin_gemma3_to(model: Path, monkeypatch, **vocabulary_changes):
    """The registry's gemma3 entry with its vocabulary pinned to ``model``'s SHA-256 (and any other
    ``vocabulary_changes``), for one test; returns that entry."""
    from tokenizers.registry import REGISTRY

    entry = REGISTRY["gemma3"]
    pinned = dataclasses.replace(entry, vocabulary=dataclasses.replace(
        entry.vocabulary, sha256=hashlib.sha256(model.read_bytes()).hexdigest(), **vocabulary_changes))
    monkeypatch.setitem(REGISTRY, "gemma3", pinned)
    return pinned
