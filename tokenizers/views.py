"""Token views: a text cut into its tokens, each with its id, its text and its byte span.

A token is a run of UTF-8 bytes and need not hold whole characters: a CJK character or an
emoji can be split over two or three tokens. Such a token's text shows the bytes it cannot
decode as ``\\xe4``-style escapes, so the pieces of a view still line up one per token and a
coloured view never shows replacement characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from tokenizers.boundaries import find_cut
from tokenizers.counting import count_tokens, encode
from tokenizers.encodings import SUPPORTED_ENCODINGS, EncodingUnavailableError, get_encoding
from tokenizers.registry import REGISTRY

#: How many tokens a view shows unless told otherwise; a page stays light with this many spans.
DEFAULT_LIMIT = 2000
# A token seldom covers more than this many characters; the prefix encoded for a view starts
# at limit * this and grows when it was not enough.
_CHARS_PER_TOKEN_GUESS = 8


@dataclass(frozen=True)
class TokenPiece:
    """One token: ``id`` on the view's encoding, ``text`` (undecodable bytes escaped as
    ``\\xNN``), its span ``[start, end)`` in the text's UTF-8 bytes, and whether it holds part
    of a character (``partial``)."""

    id: int
    text: str
    start: int
    end: int
    partial: bool


@dataclass(frozen=True)
class TokenView:
    """The first ``len(pieces)`` tokens of a text on ``encoding``, out of ``total`` tokens."""

    encoding: str
    pieces: tuple[TokenPiece, ...]
    total: int

    @property
    def truncated(self) -> bool:
        """True when the text has more tokens than the view shows."""
        return len(self.pieces) < self.total


def viewable_tokenizers() -> tuple[str, ...]:
    """The tokenizers a token view can show: OpenAI's two, and every other tokenizer counted
    exactly whose registry entry gives an ``encoder()`` (ids and each id's bytes, as tiktoken's
    ``Encoding``: ``encode_ordinary``, ``decode_single_token_bytes``). A reconstruction or an
    estimate is never shown as if it were the vendor's own tokens."""
    return (*SUPPORTED_ENCODINGS, *(name for name, entry in REGISTRY.items()
                               if name not in SUPPORTED_ENCODINGS and entry.counted and hasattr(entry, "encoder")
                               and getattr(entry, "method", "exact") == "exact"))


def token_view(text: str, encoding: str, limit: int = DEFAULT_LIMIT) -> TokenView:
    """The tokens of ``text`` on ``encoding`` (``encode_ordinary`` semantics), at most ``limit``.

    On o200k_base and cl100k_base only a prefix of a long text is encoded, cut where the count
    of the whole is unchanged, so a view of a huge text costs about as much as a view of
    ``limit`` tokens; another tokenizer (``viewable_tokenizers``) encodes the whole text.
    Raises EncodingUnavailableError for an encoding this project cannot load or show, ValueError
    for a negative limit.
    """
    if limit < 0:
        raise ValueError("the token limit cannot be negative")
    if encoding in SUPPORTED_ENCODINGS:
        total = count_tokens(text, encoding)
        ids = _first_ids(text, encoding, min(limit, total))
        enc = get_encoding(encoding)
    else:
        if encoding not in viewable_tokenizers():
            raise EncodingUnavailableError(f"{encoding} has no exact token view here")
        enc = REGISTRY[encoding].encoder()
        ids = enc.encode_ordinary(text)
        total, ids = len(ids), ids[:limit]
    pieces = []
    offset = 0
    for token_id in ids:
        raw = enc.decode_single_token_bytes(token_id)
        try:
            piece_text, partial = raw.decode("utf-8"), False
        except UnicodeDecodeError:
            piece_text, partial = raw.decode("utf-8", errors="backslashreplace"), True
        pieces.append(TokenPiece(token_id, piece_text, offset, offset + len(raw), partial))
        offset += len(raw)
    return TokenView(encoding=encoding, pieces=tuple(pieces), total=total)


def _first_ids(text: str, encoding: str, wanted: int) -> list[int]:
    """The first ``wanted`` token ids of ``text``, encoding as little of it as possible."""
    if wanted == 0:
        return []
    chars = wanted * _CHARS_PER_TOKEN_GUESS
    while True:
        cut = find_cut(text, chars)
        # Tokens never span a safe cut, so the prefix's tokens are the whole text's first ones.
        ids = encode(text if cut < 0 else text[:cut], encoding)
        if len(ids) >= wanted or cut < 0:
            return ids[:wanted]
        chars *= 2
