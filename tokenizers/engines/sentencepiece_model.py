"""SentencePiece models (Gemma 3, which Google's own SDK uses to count Gemini tokens locally):
the file the user gave (or downloaded once), checked against the pinned SHA-256, counted as google-genai's local
tokenizer counts it (``SentencePieceProcessor.encode`` of the text)."""

from __future__ import annotations

import functools
from pathlib import Path

from tokenizers import vocabulary_files
from tokenizers.engines import Counter

#: A text is encoded whole up to this many characters, longer ones in pieces cut at newlines.
_PIECE_CHARS = 1 << 20


@functools.cache
def processor(entry, path: Path):
    """The SentencePiece processor for the file at ``path`` (refused unless its hash is the entry's)."""
    import sentencepiece

    return sentencepiece.SentencePieceProcessor(model_proto=entry.vocabulary.read(path))


def _pieces(text: str):
    # SentencePiece has no split regex to overflow; only memory bounds a piece. Long texts are cut
    # after a newline followed by a non-space, where Gemma's pieces do not cross.
    start = 0
    while len(text) - start > _PIECE_CHARS:
        cut = text.find("\n", start + _PIECE_CHARS)
        while 0 <= cut < len(text) - 1 and text[cut + 1].isspace():
            cut = text.find("\n", cut + 1)
        if cut < 0 or cut >= len(text) - 1:
            break
        yield text[start:cut + 1]
        start = cut + 1
    yield text[start:]


def _processor(entry):
    return processor(entry, vocabulary_files.users_file(entry.encoding, entry.vocabulary))


def counter(entry) -> Counter:
    """A counter on the file given for ``entry``."""
    sp = _processor(entry)
    return lambda texts: [sum(len(ids) for ids in sp.encode(list(_pieces(text)))) for text in texts]


def encode(text: str, entry) -> list[int]:
    """The ids of ``text`` on ``entry``'s model."""
    return [i for ids in _processor(entry).encode(list(_pieces(text))) for i in ids]


def token_bytes(entry):
    """id -> the bytes of that piece ("▁" is a space; a byte piece "<0xNN>" is that byte)."""
    sp = _processor(entry)

    def piece_bytes(token_id: int) -> bytes:
        if sp.is_byte(token_id):
            return bytes([int(sp.id_to_piece(token_id)[3:5], 16)])
        return sp.id_to_piece(token_id).replace("\u2581", " ").encode("utf-8")

    return piece_bytes
