"""Image-input tokens as OpenAI bills them, and image sizes read offline.

Two families of rules (facts: /work/shared/reference/openai-pricing-facts.md section 3):

* Tile models (gpt-4o, gpt-4o-mini, gpt-4.1, gpt-4-turbo, o1/o3...): ``detail: low`` costs the
  base only; ``high``/``auto``: scale to fit 2048x2048, then so the shortest side is 768 px,
  then ``base + per_tile * ceil(w/512) * ceil(h/512)``. gpt-4o-mini uses 2833 + 5667.
  ASSUMPTIONS (UNVERIFIED in the sources): images are only ever scaled down, never up (a
  300x300 image stays 300x300, one tile); resized sides are rounded down to whole pixels;
  ``auto`` is billed as ``high``.
* Patch models (gpt-4.1-mini/-nano, o4-mini, gpt-5-mini/-nano, gpt-5.4-mini/-nano): 32-px
  patches, at most 1,536 (larger images are scaled down to fit), times a per-model multiplier.
  Every patch count is an estimate: how OpenAI rounds ``patches x multiplier`` is not stated
  (rounded half up here), and ``detail`` is not applied (the sources give no low-detail rule).

Models the sources do not place are counted with the gpt-4o tile rules, marked as estimates.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
from dataclasses import dataclass

#: The size used when an image cannot be measured offline (a remote URL), unless the caller gives one.
DEFAULT_IMAGE_SIZE = (1024, 1024)

_TILE_RULES = {"gpt-4o": (85, 170), "gpt-4o-mini": (2833, 5667)}
# Families whose tile rules the vision guide states (85/170 unless listed above).
_TILE_FAMILIES = {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4-turbo", "gpt-4.5", "o1", "o3"}
# Model-name prefixes of patch models and their multipliers (VISION-NEW). Order: longest first.
_PATCH_MULTIPLIERS = (
    ("gpt-5.4-mini", 1.62),
    ("gpt-5.4-nano", 2.46),
    ("gpt-5-mini", 1.62),
    ("gpt-5-nano", 2.46),
    ("gpt-4.1-mini", 1.62),
    ("gpt-4.1-nano", 2.46),
    ("o4-mini", 1.72),
)
_PATCH = 32
_PATCH_BUDGET = 1536


@dataclass(frozen=True)
class ImageRule:
    """How one model bills images: by tiles (base, per_tile) or by patches (multiplier)."""

    kind: str  # "tile" or "patch"
    base: int = 0
    per_tile: int = 0
    multiplier: float = 0.0
    exact: bool = True  # False: the sources do not place this model; gpt-4o tile rules assumed


def image_rule(snapshot: str, family: str) -> ImageRule:
    """The image rule for a catalog snapshot id and its family."""
    for prefix, multiplier in _PATCH_MULTIPLIERS:
        if snapshot.startswith(prefix):
            return ImageRule("patch", multiplier=multiplier, exact=False)
    if snapshot.startswith("gpt-4o-mini"):
        base, tile = _TILE_RULES["gpt-4o-mini"]
        return ImageRule("tile", base, tile)
    base, tile = _TILE_RULES["gpt-4o"]
    return ImageRule("tile", base, tile, exact=family in _TILE_FAMILIES)


def high_detail_size(width: int, height: int) -> tuple[int, int]:
    """The size a tile model sees at ``high`` detail: fit in 2048x2048, shortest side at most 768."""
    w, h = float(width), float(height)
    if max(w, h) > 2048:
        scale = 2048 / max(w, h)
        w, h = w * scale, h * scale
    if min(w, h) > 768:
        scale = 768 / min(w, h)
        w, h = w * scale, h * scale
    return max(1, math.floor(w + 1e-9)), max(1, math.floor(h + 1e-9))


def patch_count(width: int, height: int) -> int:
    """32-px patches of an image for patch models, after scaling down to the 1,536-patch budget."""
    raw = math.ceil(width / _PATCH) * math.ceil(height / _PATCH)
    if raw <= _PATCH_BUDGET:
        return raw
    scale = math.sqrt(_PATCH * _PATCH * _PATCH_BUDGET / (width * height))
    # Shrink a little more so whole patches fit along the tighter side (the guide's algorithm).
    scale *= min(
        math.floor(width * scale / _PATCH) / (width * scale / _PATCH),
        math.floor(height * scale / _PATCH) / (height * scale / _PATCH),
    )
    # A side that the shrink made a whole number of patches must not round up on float noise.
    return _ceil(width * scale / _PATCH) * _ceil(height * scale / _PATCH)


def _ceil(value: float) -> int:
    return math.ceil(value - 1e-9)


def image_tokens(width: int, height: int, detail: str, rule: ImageRule) -> int:
    """Input tokens of one ``width`` x ``height`` image at ``detail`` ("low", "high", "auto")."""
    if width <= 0 or height <= 0:
        raise ValueError(f"an image needs a positive size, got {width}x{height}")
    if rule.kind == "patch":
        return math.floor(patch_count(width, height) * rule.multiplier + 0.5)
    if detail == "low":
        return rule.base
    w, h = high_detail_size(width, height)
    return rule.base + rule.per_tile * math.ceil(w / 512) * math.ceil(h / 512)


def size_from_bytes(data: bytes) -> tuple[int, int] | None:
    """Width and height from an image's header (Pillow reads no pixels); None if unreadable."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def size_from_data_url(url: str) -> tuple[int, int] | None:
    """The size of a ``data:image/...;base64,`` URL's image; None when it is not one or unreadable."""
    head, sep, payload = url.partition(",")
    if not sep or not head.startswith("data:") or not head.endswith(";base64"):
        return None
    # Headers sit at the start: decode a prefix first, the whole payload only if that fails.
    for chars in (65536, len(payload)):
        chunk = payload[: chars - chars % 4]
        try:
            data = base64.b64decode(chunk, validate=False)
        except (binascii.Error, ValueError):
            return None
        size = size_from_bytes(data)
        if size is not None or chars >= len(payload):
            return size
    return None


# What a sizer says of an image: measured from its data URL; at an internet URL the API fetches
# (its size assumed); or at a URL the API does not accept (a local path, file:, ftp: ...), never opened.
MEASURED, ASSUMED, NOT_ACCEPTED = "measured", "assumed", "not_accepted"
# The API reference: image_url.url is "either a URL of the image or the base64 encoded image data"
# (a data: URL); the vision guide's examples are https:. An internet URL is fetched by the API.
_REMOTE_SCHEMES = ("https://", "http://")


def accepted_image_url(url: str) -> bool:
    """Whether the API accepts ``url`` as an image: a data: URL or an internet (https/http) URL."""
    return url[:8].lower().startswith(("data:", *_REMOTE_SCHEMES))


class OfflineSizer:
    """Sizes image URLs without opening anything but the request itself: a data URL is measured
    from its bytes; an internet URL gets ``default`` (ASSUMED); any other (a path, ``file:``,
    ``ftp:`` ...) is NOT_ACCEPTED by the API and gets ``default`` too, never opened: a request
    file must not make a server read its own files. Calls return (width, height, status) and
    are cached per URL.
    """

    def __init__(self, default: tuple[int, int] = DEFAULT_IMAGE_SIZE):
        self.default = default
        self._sizes: dict[str, tuple[int, int, str]] = {}

    def __call__(self, url: str) -> tuple[int, int, str]:
        if url not in self._sizes:
            if not accepted_image_url(url):
                self._sizes[url] = (*self.default, NOT_ACCEPTED)
            else:
                size = size_from_data_url(url) if url[:5].lower() == "data:" else None
                self._sizes[url] = (size[0], size[1], MEASURED) if size else (*self.default, ASSUMED)
        return self._sizes[url]
