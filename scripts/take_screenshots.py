"""Screenshots of the views issue 12 names, in a real browser (Debian chromium, 1400 px wide).

    .venv/bin/python scripts/take_screenshots.py [--root DIR] [--out DIR]

Starts ``streamlit run app.py`` from ``--root`` (default: this checkout) on a free 127.0.0.1
port, opens each view from a link and saves PNGs to ``--out`` (default docs/screenshots/):
``charts-10-models.png`` (the Estimate page's charts with ten models), ``prices-zh.png`` (the
Prices page in Chinese, top of the page), ``languages-waterfall-zh.png`` and
``estimate-phone-400.png`` (the Estimate page's cost table at phone width), and
``languages-tax-en.png`` / ``languages-tax-zh.png`` (the tokenizer tax across vendors on the
Chinese, Hindi, Japanese, Arabic and Spanish samples, the Languages page in English and in Chinese). Run it on an older
checkout with ``--out docs/screenshots/before`` to compare.
"""

from __future__ import annotations

import argparse
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.server_process import running_server  # noqa: E402  (needs ROOT on the path)
from ui.settings import encode_text  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
WIDTH = 1400
PHONE_WIDTH = 400
# Ten models offered on the day the screenshots were taken (and in the older catalogs compared).
TEN_MODELS = ("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3", "gpt-5", "gpt-5-mini", "gpt-5.4",
              "gpt-5.4-mini", "gpt-6-sol")
TEXT = ("Our support team answers about two thousand customer e-mails a week. Each message is "
        "classified, summarised and, when needed, translated before an agent replies.")


def _settle(page, selector: str = "[data-testid='stMain']") -> None:
    page.wait_for_selector(selector, timeout=90_000)
    page.wait_for_timeout(1500)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(1500)


def _shoot_around(page, selector: str, path: Path, pad: int = 16, width: int = WIDTH) -> None:
    # Streamlit scrolls an inner container, not the document: bring the elements into the
    # viewport and clip there.
    page.query_selector(selector).scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    boxes = [b for b in (el.bounding_box() for el in page.query_selector_all(selector)) if b]
    top, bottom = min(b["y"] for b in boxes), max(b["y"] + b["height"] for b in boxes)
    page.screenshot(path=str(path), clip={"x": 0, "y": max(top - pad, 0), "width": width,
                                          "height": bottom - top + 2 * pad})


def _shoot_below(page, text: str, path: Path, height: int = 1100) -> None:
    """The page from the heading that reads ``text`` down ``height`` pixels."""
    heading = page.get_by_role("heading", name=text).first
    heading.evaluate("e => e.scrollIntoView({block: 'start'})")  # Streamlit scrolls an inner container
    page.wait_for_timeout(800)
    box = heading.bounding_box()
    page.screenshot(path=str(path), clip={"x": 0, "y": max(box["y"] - 16, 0), "width": WIDTH, "height": height})


def shoot_tax(browser, base: str, out: Path) -> None:
    """The tokenizer tax across vendors on the parallel samples (Chinese, Hindi, Japanese, Arabic,
    Spanish: the chart's languages until a text brings its own), in English and in Chinese."""
    from ui.i18n import translate

    for lang in ("en", "zh"):
        page = browser.new_page(viewport={"width": WIDTH, "height": 2400})
        page.goto(f"{base}/languages?lang={lang}")
        _settle(page, "[data-testid='stPlotlyChart']")
        _shoot_below(page, translate("lang_tax_header", lang), out / f"languages-tax-{lang}.png", height=760)
        page.close()


def shoot(base: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    query = urllib.parse.urlencode({"models": ",".join(TEN_MODELS), "text": encode_text(TEXT), "req": 200_000})
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": WIDTH, "height": 2400})
        page.goto(f"{base}/estimate?{query}")
        _settle(page, "[data-testid='stPlotlyChart']")
        _shoot_around(page, "[data-testid='stPlotlyChart']", out / "charts-10-models.png")
        page.goto(f"{base}/prices?lang=zh")
        _settle(page, "[data-testid='stDataFrame']")
        page.screenshot(path=str(out / "prices-zh.png"), full_page=True)
        page.goto(f"{base}/languages?lang=zh")
        _settle(page, "[data-testid='stPlotlyChart']")
        _shoot_around(page, "[data-testid='stPlotlyChart']", out / "languages-waterfall-zh.png")
        # Phone width: the Estimate page's cost table for a pasted text on the default models.
        phone = browser.new_page(viewport={"width": PHONE_WIDTH, "height": 1800})
        phone.goto(f"{base}/estimate?" + urllib.parse.urlencode({"text": encode_text(TEXT)}))
        _settle(phone, "[data-testid='stTable']")
        _shoot_around(phone, "[data-testid='stTable']", out / "estimate-phone-400.png", width=PHONE_WIDTH)
        shoot_tax(browser, base, out)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to run (default: this one)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    with running_server(root=args.root.resolve()) as server:
        shoot(server.url, args.out.resolve())
    print(f"saved to {args.out}")


if __name__ == "__main__":
    main()
