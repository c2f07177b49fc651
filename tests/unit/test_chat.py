"""Prompt tokens by the OpenAI Cookbook's rules, against tiktoken counts worked out by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tokenizers import get_encoding
from tokenizers.chat import chat_rules, count_prompt, prompt_blocks, tool_tokens
from tokenizers.images import ASSUMED, MEASURED, image_rule

O200K, CL100K = "o200k_base", "cl100k_base"
RULES_4O = chat_rules("gpt-4o-2024-08-06", "gpt-4o")
RULES_35 = chat_rules("gpt-3.5-turbo-0125", "gpt-3.5-turbo")
RULES_0301 = chat_rules("gpt-3.5-turbo-0301", "gpt-3.5-turbo")
IMAGE_4O = image_rule("gpt-4o-2024-08-06", "gpt-4o")


def n(text, encoding=O200K):
    return len(get_encoding(encoding).encode_ordinary(text))


def sizer_of(width, height, measured=True):
    return lambda url: (width, height, MEASURED if measured else ASSUMED)


NO_IMAGES = sizer_of(1, 1)
WEATHER = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "description": "Get the current weather in a given location.",
            "parameters": {
                "type": "object",
                "properties": {
                    "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
                    "unit": {"type": "string", "description": "The unit.", "enum": ["celsius", "fahrenheit"]},
                },
                "required": ["location"],
            },
        },
    }
]


def test_rules_by_family():
    assert (RULES_4O.per_message, RULES_4O.per_name, RULES_4O.func_init, RULES_4O.exact) == (3, 1, 7, True)
    assert chat_rules("gpt-4o-mini-2024-07-18", "gpt-4o-mini").func_init == 7
    assert (RULES_35.per_message, RULES_35.per_name, RULES_35.func_init) == (3, 1, 10)
    assert chat_rules("gpt-4-0613", "gpt-4").func_init == 10
    assert chat_rules("gpt-4-turbo-2024-04-09", "gpt-4-turbo").exact
    assert (RULES_0301.per_message, RULES_0301.per_name) == (4, -1)
    other = chat_rules("gpt-5-2025-08-07", "gpt-5")
    assert (other.per_message, other.func_init, other.exact) == (3, 7, False)


def test_message_overhead_and_names():
    messages = [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "name": "example_user", "content": "New synergies will help drive top-line growth."},
    ]
    strings = ["system", "You are a helpful assistant.", "user", "example_user",
               "New synergies will help drive top-line growth."]
    got = count_prompt(messages, O200K, RULES_4O, IMAGE_4O, NO_IMAGES)
    assert got.total == got.text == 3 * 2 + 1 + 3 + sum(n(s) for s in strings)
    assert got.exact
    # gpt-3.5-turbo-0301: 4 per message, -1 for the name, on cl100k_base.
    old = count_prompt(messages, CL100K, RULES_0301, IMAGE_4O, NO_IMAGES)
    assert old.total == 4 * 2 - 1 + 3 + sum(n(s, CL100K) for s in strings)


def test_special_token_text_is_ordinary():
    messages = [{"role": "user", "content": "<|endoftext|> and <|im_start|>"}]
    got = count_prompt(messages, CL100K, RULES_35, IMAGE_4O, NO_IMAGES)
    assert got.total == 3 + 3 + n("user", CL100K) + n("<|endoftext|> and <|im_start|>", CL100K)


def test_content_parts_text_and_images():
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is in this picture?"},
                {"type": "image_url", "image_url": {"url": "https://x/a.png", "detail": "high"}},
                {"type": "text", "text": " Answer briefly."},
                {"type": "image_url", "image_url": {"url": "https://x/b.png", "detail": "low"}},
            ],
        }
    ]
    got = count_prompt(messages, O200K, RULES_4O, IMAGE_4O, sizer_of(1024, 1024))
    text = 3 + 3 + n("user") + n("What is in this picture?") + n(" Answer briefly.")
    assert got.images == (85 + 4 * 170) + 85
    assert got.image_parts == [765, 85]
    assert got.total == text + 765 + 85
    assert got.exact
    assumed = count_prompt(messages, O200K, RULES_4O, IMAGE_4O, sizer_of(1024, 1024, measured=False))
    assert assumed.total == got.total and assumed.images_assumed_size == 2
    assert not assumed.exact and assumed.estimates == ["estimate_image_size"]


def test_tools_by_the_cookbook():
    f_line = "get_current_weather:Get the current weather in a given location"
    p1 = "location:string:The city and state, e.g. San Francisco, CA"
    p2 = "unit:string:The unit"
    for encoding, rules, func_init in ((O200K, RULES_4O, 7), (CL100K, RULES_35, 10)):
        expected = (
            func_init + n(f_line, encoding) + 3  # prop_init
            + 3 + n(p1, encoding)  # prop_key + line
            + 3 - 3 + 3 + n("celsius", encoding) + 3 + n("fahrenheit", encoding) + n(p2, encoding)
            + 12  # func_end
        )
        assert tool_tokens(WEATHER, encoding, rules) == expected
    # Legacy `functions` entries are the bare function objects.
    assert tool_tokens([WEATHER[0]["function"]], O200K, RULES_4O) == tool_tokens(WEATHER, O200K, RULES_4O)
    assert tool_tokens([], O200K, RULES_4O) == 0
    messages = [{"role": "user", "content": "Weather in Paris?"}]
    got = count_prompt(messages, O200K, RULES_4O, IMAGE_4O, NO_IMAGES, tools=WEATHER)
    assert got.tools == tool_tokens(WEATHER, O200K, RULES_4O)
    assert got.total == got.tools + 3 + 3 + n("user") + n("Weather in Paris?")


def test_structured_values_and_numbers():
    messages = [
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function",
                                                               "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "assistant", "content": "ok", "weight": 0},
    ]
    got = count_prompt(messages, O200K, RULES_4O, IMAGE_4O, NO_IMAGES)
    calls = '[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]'
    assert got.total == 3 * 2 + 3 + 2 * n("assistant") + n(calls) + n("ok")
    assert not got.exact and got.estimates == ["estimate_tool_calls"]


def test_unknown_family_is_an_estimate():
    rules = chat_rules("gpt-5-2025-08-07", "gpt-5")
    got = count_prompt([{"role": "user", "content": "hi"}], O200K, rules, IMAGE_4O, NO_IMAGES)
    assert got.total == 3 + 3 + n("user") + n("hi")
    assert not got.exact and got.estimates == ["estimate_family_rules"]


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@given(st.lists(st.tuples(st.sampled_from(["system", "user", "assistant"]), texts), min_size=1, max_size=5))
def test_blocks_are_as_long_as_the_count(pairs):
    messages = [{"role": r, "content": c} for r, c in pairs]
    for rules, encoding in ((RULES_4O, O200K), (RULES_0301, CL100K)):
        got = count_prompt(messages, encoding, rules, IMAGE_4O, NO_IMAGES)
        assert len(prompt_blocks(messages, encoding, rules, got)) == got.total


@pytest.mark.parametrize("extra", ["", " more"])
def test_blocks_share_the_prefix_of_shared_messages(extra):
    system = {"role": "system", "content": "policy " * 50}
    a = [system, {"role": "user", "content": "first" + extra}]
    b = [system, {"role": "user", "content": "second"}]
    ca = count_prompt(a, O200K, RULES_4O, IMAGE_4O, NO_IMAGES)
    cb = count_prompt(b, O200K, RULES_4O, IMAGE_4O, NO_IMAGES)
    ba, bb = prompt_blocks(a, O200K, RULES_4O, ca), prompt_blocks(b, O200K, RULES_4O, cb)
    shared = 3 + n("system") + n("policy " * 50) + 3 + n("user")
    assert ba[:shared] == bb[:shared] and ba[shared] != bb[shared]
