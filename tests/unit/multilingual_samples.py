"""Real sentences in many scripts (written for these tests), and corpora generated from them."""

from __future__ import annotations

import random

# Real sentences in many scripts, written for this test (not generated), plus code and layout.
MULTILINGUAL = [
    "Invoices are due within thirty days; late payments accrue 1.5% interest per month.",
    "L'été dernier, nous avons visité Besançon et Saint-Étienne — c'était très agréable!",
    "Größere Übersetzungsprojekte brauchen äußerst sorgfältige Qualitätsprüfungen.",
    "¿Dónde está la biblioteca? Está cerca de la estación, a la izquierda.",
    "我们的模型按输入和输出的令牌数量分别计费，缓存的输入更便宜。",
    "東京の天気は晴れのち曇り、最高気温は二十三度の予報です。カタカナもＯＫ。",
    "데이터 세트가 크면 샘플을 먼저 보고 비용을 추정하세요.",
    "Москва — столица России; в ней живёт более двенадцати миллионов человек.",
    "Україна, Київ: ґанок, їжак, є — літери, яких немає в російській.",
    "مرحبا بالعالم! هذا نص عربي يُقرأ من اليمين إلى اليسار، مع أرقام ١٢٣ و 456.",
    "שלום עולם, זהו טקסט בעברית עם\u200f סימן כיוון.",
    "हिन्दी में लिखा गया यह वाक्य कई टोकन लेता है, क्योंकि देवनागरी जटिल है।",
    "ગુજરાતી લિપિમાં લખાયેલું આ વાક્ય ઘણા ટોકન લે છે.",
    "தமிழ் மொழியில் எழுதப்பட்ட வாக்கியம்.",
    "ภาษาไทยไม่มีช่องว่างระหว่างคำ ทำให้การตัดคำยาก",
    "Ελληνικά: η γρήγορη καφέ αλεπού πηδάει πάνω από τον τεμπέλη σκύλο.",
    "ქართული ენა უნიკალური დამწერლობით იწერება.",
    "Հայերենն ունի իր սեփական այբուբենը։",
    "Tiếng Việt có rất nhiều dấu thanh: à á ả ã ạ.",
    "Family 👨‍👩‍👧‍👦, flags 🇯🇵🇫🇷, rainbow 🏳️‍🌈, skin tones 👍🏽👋🏿, keycap 1️⃣.",
    "def total(prices: list[Decimal]) -> Decimal:\n    return sum(prices, Decimal(0))\n",
    "SELECT model, SUM(tokens) FROM usage WHERE day >= '2026-01-01' GROUP BY model;",
    '{"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 128}',
    "<html><body><p class=\"x\">a&amp;b</p></body></html>",
    "path/to/file.txt\nC:\\Users\\me\\doc.md\nhttps://example.com/a?b=c&d=e#f",
    "mixed \t tabs\r\n and \u00a0nbsp\u3000ideographic\u2028line\u2029para\x0bvt\x0cff",
    "zero\u200bwidth\u200cnon\u200djoiner\ufeffbom\u2060wj",
    "e\u0301 combining vs é precomposed; \u0915\u094d\u0937 conjunct",
    "numbers 1234567890 3.14159 -42 1e10 ٣٤٥ ४५६",
    "text with <|endoftext|> and <|fim_prefix|><|im_start|> inside",
    "\x00\x01\x1c\x1f control characters \x7f",
    "",
]

_SEPARATORS = [" ", " ", " ", "\n", "\n\n", "\t", "  ", "\r\n", "\n    ", " / "]


def generate_text(chars: int, seed: int = 0, sections: int = 1) -> str:
    """About ``chars`` characters of the sentences above, joined by varied whitespace.

    With ``sections`` > 1 the text is made of that many stretches, each drawn from a different
    random subset of the sentences (so the tokens-per-byte ratio changes along the text).
    """
    rng = random.Random(seed)
    pool = [s for s in MULTILINGUAL if s]
    out: list[str] = []
    size = 0
    per_section = max(1, chars // sections)
    for _ in range(sections):
        subset = rng.sample(pool, k=rng.randint(2, 8))
        section_end = size + per_section
        while size < section_end:
            piece = rng.choice(subset) + rng.choice(_SEPARATORS)
            out.append(piece)
            size += len(piece)
    return "".join(out)
