"""Image-input tokens by the vision guide's tile and patch rules, worked out by hand."""

import base64
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from tokenizers.images import (
    ASSUMED,
    MEASURED,
    NOT_ACCEPTED,
    OfflineSizer,
    accepted_image_url,
    high_detail_size,
    image_rule,
    image_tokens,
    patch_count,
    size_from_data_url,
)

GPT4O = image_rule("gpt-4o-2024-08-06", "gpt-4o")
MINI = image_rule("gpt-4o-mini-2024-07-18", "gpt-4o-mini")


def data_url(width, height, fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 10, 10)).save(buffer, format=fmt)
    return f"data:image/{fmt.lower()};base64," + base64.b64encode(buffer.getvalue()).decode()


def test_rules_per_model():
    assert (GPT4O.kind, GPT4O.base, GPT4O.per_tile, GPT4O.exact) == ("tile", 85, 170, True)
    assert (MINI.kind, MINI.base, MINI.per_tile, MINI.exact) == ("tile", 2833, 5667, True)
    assert image_rule("gpt-4-turbo-2024-04-09", "gpt-4-turbo").exact
    assert image_rule("o1-2024-12-17", "o1").exact
    o4 = image_rule("o4-mini-2025-04-16", "o4")
    assert (o4.kind, o4.multiplier) == ("patch", 1.72)
    assert image_rule("gpt-4.1-nano-2025-04-14", "gpt-4.1").multiplier == 2.46
    # Not placed by the sources: gpt-4o tile rules, marked as an estimate.
    gpt5 = image_rule("gpt-5-2025-08-07", "gpt-5")
    assert (gpt5.kind, gpt5.base, gpt5.per_tile, gpt5.exact) == ("tile", 85, 170, False)


@pytest.mark.parametrize(
    "size, detail, expected",
    [
        ((4000, 3000), "low", 85),  # low: the base only, whatever the size
        ((1080, 1080), "high", 85 + 170 * 4),  # DEVDAY's example: 765 tokens (768x768, 2x2 tiles)
        ((1024, 1024), "auto", 85 + 170 * 4),  # auto billed as high
        ((512, 512), "high", 85 + 170 * 1),  # already small: one tile
        ((300, 200), "high", 85 + 170 * 1),  # not up-scaled (the stated assumption)
        ((2048, 4096), "high", 85 + 170 * 6),  # fit 1024x2048, then 768x1536: 2x3 tiles
        ((4000, 1000), "high", 85 + 170 * 4),  # fit 2048x512; shortest side 512 < 768: 4x1 tiles
        ((1280, 720), "high", 85 + 170 * 6),  # shortest side 720 < 768: 3x2 tiles
        ((1920, 1080), "high", 85 + 170 * 6),  # 1365x768 (rounded down): 3x2 tiles
    ],
)
def test_tile_rules_gpt4o(size, detail, expected):
    assert image_tokens(*size, detail, GPT4O) == expected


def test_tile_rules_gpt4o_mini():
    assert image_tokens(4000, 3000, "low", MINI) == 2833
    assert image_tokens(1024, 1024, "high", MINI) == 2833 + 4 * 5667


def test_high_detail_size():
    assert high_detail_size(2048, 4096) == (768, 1536)
    assert high_detail_size(1920, 1080) == (1365, 768)
    assert high_detail_size(500, 400) == (500, 400)


def test_patch_rules():
    # The guide's examples: 1024x1024 -> 1024 patches; 1800x2400 -> 1452 patches (scaled to 1056x1408).
    assert patch_count(1024, 1024) == 1024
    assert patch_count(1800, 2400) == 1452
    assert patch_count(100, 50) == 4 * 2
    mini41 = image_rule("gpt-4.1-mini-2025-04-14", "gpt-4.1")
    assert image_tokens(1024, 1024, "high", mini41) == 1659  # 1024 x 1.62 = 1658.88, rounded
    assert image_tokens(1800, 2400, "low", image_rule("o4-mini-2025-04-16", "o4")) == 2497  # 1452 x 1.72


@given(st.integers(1, 20000), st.integers(1, 20000))
def test_patch_budget_holds(width, height):
    assert 1 <= patch_count(width, height) <= 1536


@given(st.integers(1, 10000), st.integers(1, 10000))
def test_high_detail_fits_and_never_grows(width, height):
    w, h = high_detail_size(width, height)
    assert w <= max(width, 1) and h <= max(height, 1)
    assert max(w, h) <= 2048 and min(w, h) <= 768


def test_sizes_from_data_urls(tmp_path):
    assert size_from_data_url(data_url(1280, 720)) == (1280, 720)
    assert size_from_data_url(data_url(640, 480, "JPEG")) == (640, 480)
    assert size_from_data_url("data:text/plain;base64,aGVsbG8=") is None
    assert size_from_data_url("https://example.com/a.png") is None
    sizer = OfflineSizer((1024, 1024))
    assert sizer(data_url(333, 222)) == (333, 222, MEASURED)
    assert sizer("https://example.com/a.png") == (1024, 1024, ASSUMED)
    assert sizer("HTTPS://example.com/a.png") == (1024, 1024, ASSUMED)
    # The API reference says "a URL of the image" without naming a scheme: plain http is fetched too.
    assert sizer("http://example.com/a.png") == (1024, 1024, ASSUMED)
    assert OfflineSizer((800, 600))("data:text/plain;base64,aGVsbG8=") == (800, 600, ASSUMED)


def test_urls_the_api_does_not_accept_are_never_opened(tmp_path, monkeypatch):
    """A request file must not make the server read its own files: a file:// URL to a real PNG, a
    bare path, /dev/zero and a FIFO get the assumed size, flagged, and nothing is opened."""
    import builtins
    import os
    import pathlib

    import PIL.Image

    Image.new("RGB", (333, 222)).save(tmp_path / "shot.png")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def refuse(*args, **kwargs):
        raise AssertionError(f"opened {args[:1]}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(pathlib.Path, "open", refuse)
    monkeypatch.setattr(PIL.Image, "open", refuse)
    monkeypatch.setattr(os, "open", refuse)
    sizer = OfflineSizer((800, 600))
    for url in (f"file://{tmp_path / 'shot.png'}", "file:///dev/zero", f"file://{fifo}", str(tmp_path / "shot.png"),
                "shot.png", "ftp://example.com/a.png", "javascript:alert(1)", "//example.com/a.png", ""):
        assert sizer(url) == (800, 600, NOT_ACCEPTED), url
    assert accepted_image_url("https://example.com/a.png") and accepted_image_url("data:image/png;base64,AAAA")
    assert not accepted_image_url("file:///etc/passwd") and not accepted_image_url("/etc/passwd")
