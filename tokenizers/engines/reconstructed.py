"""Claude, whose tokenizer Anthropic does not publish: ctok's reconstruction (MIT), its pieces
file read by its own tiling, counted as content only (ctok's count of one user message less the
message frame it adds)."""

from __future__ import annotations

from tokenizers.engines import Counter

#: Texts longer than this are counted in pieces cut after a newline (ctok tiles a whole text in
#: memory, about 100 bytes per character).
_PIECE_CHARS = 1 << 18


def content_tokens(text: str, version: str) -> int:
    """ctok's count of ``text`` without the single-message frame."""
    import ctok
    from ctok import main

    if not text:
        return 0
    return ctok.token_count(text, version=version) - main._model(main._family(version)).message_overhead


def _pieces(text: str):
    start = 0
    while len(text) - start > _PIECE_CHARS:
        cut = text.find("\n", start + _PIECE_CHARS)
        if cut < 0 or cut == len(text) - 1:
            break
        yield text[start:cut + 1]
        start = cut + 1
    yield text[start:]


def counter(entry) -> Counter:
    from ctok import main

    # Loaded now, under the engines' loading lock: two pipeline threads counting their first
    # slices at once would otherwise each build ctok's model.
    main._model(main._family(entry.version))
    return lambda texts: [sum(content_tokens(piece, entry.version) for piece in _pieces(text)) for text in texts]
