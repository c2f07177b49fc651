"""Real-looking mixed multilingual text for benchmarks, generated to a file of a given size.

Sentences are drawn from per-language vocabularies (prose in ten scripts, code, JSON, CSV,
Markdown, emoji), so the text has the pieces and proportions tokenizers meet in practice
without repeating one paragraph over and over.
"""

from __future__ import annotations

import random
from pathlib import Path

# A few real sentences per kind; their words (or characters for scripts without spaces) are
# the vocabulary sentences are drawn from.
_SOURCES: dict[str, tuple[str, str]] = {
    # kind: (sample, joiner) -- joiner is how words go back together
    "english": (
        "The committee reviewed the quarterly budget and approved funding for three new projects "
        "while postponing the decision on office renovations until the spring meeting because "
        "several members wanted more detailed cost estimates from independent contractors",
        " ",
    ),
    "french": (
        "Le conseil municipal a adopté le nouveau plan de circulation après une longue discussion "
        "sur les pistes cyclables les parkings et la sécurité des piétons près des écoles",
        " ",
    ),
    "german": (
        "Die Bundesregierung plant umfangreiche Investitionen in die Digitalisierung der Verwaltung "
        "und möchte gleichzeitig die Bürokratie für kleine Unternehmen spürbar verringern",
        " ",
    ),
    "spanish": (
        "La biblioteca pública amplió su horario durante los exámenes y ofreció salas de estudio "
        "silenciosas para los estudiantes que preparaban sus proyectos finales",
        " ",
    ),
    "russian": (
        "Городской совет утвердил новый бюджет на следующий год и выделил дополнительные средства "
        "на ремонт дорог школ и больниц в отдалённых районах",
        " ",
    ),
    "arabic": (
        "أعلنت الوزارة عن خطة جديدة لتطوير التعليم تشمل تدريب المعلمين وتحديث المناهج وبناء مدارس "
        "حديثة في المناطق الريفية",
        " ",
    ),
    "hindi": (
        "सरकार ने ग्रामीण क्षेत्रों में स्वास्थ्य सेवाओं को बेहतर बनाने के लिए नई योजना की घोषणा की "
        "जिसमें अस्पतालों और डॉक्टरों की संख्या बढ़ाई जाएगी",
        " ",
    ),
    "gujarati": (
        "રાજ્ય સરકારે ખેડૂતો માટે નવી સિંચાઈ યોજના જાહેર કરી છે જેનાથી હજારો ગામોને પાણી મળશે",
        " ",
    ),
    "chinese": (
        "市政府宣布将在明年春天开始建设新的地铁线路，以缓解城市交通压力并方便市民出行。"
        "专家认为这项工程对经济发展有重要意义，但也提醒要注意环境保护和施工安全。",
        "",
    ),
    "japanese": (
        "新しい図書館は駅から徒歩五分の場所にあり、週末には家族連れで賑わっています。"
        "館内にはカフェや子ども向けの読み聞かせコーナーもあり、とても人気があります。",
        "",
    ),
    "thai": ("รัฐบาลประกาศแผนพัฒนาการศึกษาใหม่เพื่อเพิ่มคุณภาพการเรียนการสอนในโรงเรียนทั่วประเทศ", ""),
    "korean": ("시청은 내년 봄부터 새로운 지하철 노선 공사를 시작한다고 발표했다 시민들의 교통 편의가 크게 향상될 것이다", " "),
}

_CODE = [
    "def {w}(items: list[int]) -> int:\n    total = 0\n    for item in items:\n        total += item * {n}\n    return total\n",
    "if (user.{w} && user.{w}.length > {n}) {{\n  console.log(`found ${{user.{w}}}`);\n}}\n",
    "SELECT id, {w}, created_at FROM events WHERE score > {n} ORDER BY created_at DESC;\n",
    '{{"id": {n}, "name": "{w}", "tags": ["a", "b"], "active": true, "price": {n}.99}}\n',
    "{n},{w},\"{w}, {w}\",2026-01-{n2},{n}.5\n",
    "## {w}\n\n- [ ] {w} {w}\n- [x] see https://example.com/{w}/{n}\n\n",
    "<div class=\"{w}\"><a href=\"/{w}?id={n}\">{w}</a></div>\n",
]
_EMOJI = ["👍", "🎉", "😀", "👩‍💻", "🇯🇵", "🏳️‍🌈", "👨‍👩‍👧‍👦", "✅", "🔥", "❤️"]
_END = {"chinese": "。", "japanese": "。", "thai": " ", "arabic": ".", "hindi": "।", "gujarati": "."}


def _vocabulary(sample: str, joiner: str) -> list[str]:
    if joiner:
        return sample.split()
    # No spaces: take two- to four-character runs as "words".
    rng = random.Random(len(sample))
    return [sample[i : i + rng.randint(2, 4)] for i in range(0, len(sample) - 4)]


def sentence_pool(count: int, seed: int = 0) -> list[str]:
    """``count`` distinct random lines: prose in many scripts, code, data and emoji."""
    rng = random.Random(seed)
    vocab = {kind: (_vocabulary(sample, joiner), joiner) for kind, (sample, joiner) in _SOURCES.items()}
    kinds = list(vocab)
    english_words = vocab["english"][0]
    pool: list[str] = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.15:
            template = rng.choice(_CODE)
            line = template.format(w=rng.choice(english_words), n=rng.randint(0, 9999), n2=rng.randint(10, 28))
        else:
            kind = rng.choice(kinds)
            words, joiner = vocab[kind]
            body = joiner.join(rng.choices(words, k=rng.randint(6, 30)))
            if rng.random() < 0.1:
                body += " " + rng.choice(_EMOJI)
            line = body[:1].upper() + body[1:] + _END.get(kind, ".")
            line += rng.choice([" ", " ", "\n", "\n\n", "\r\n"])
        pool.append(line)
    return pool


def write_corpus(path: Path, megabytes: float, seed: int = 0) -> Path:
    """Write about ``megabytes`` MB (10^6 bytes) of UTF-8 text to ``path``; reuse it if already there."""
    target = int(megabytes * 1_000_000)
    if path.exists() and abs(path.stat().st_size - target) < 1_000_000:
        return path
    rng = random.Random(seed)
    pool = sentence_pool(200_000, seed)
    written = 0
    with open(path, "wb") as out:
        while written < target:
            block = "".join(rng.choices(pool, k=20_000)).encode("utf-8")
            block = block[: target - written] if written + len(block) > target else block
            if written + len(block) >= target:  # end on a whole character
                block = block.decode("utf-8", "ignore").encode("utf-8")
            out.write(block)
            written += len(block)
    return path
