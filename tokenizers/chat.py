"""Prompt tokens of a chat request as the API counts them (OpenAI Cookbook rules).

Rules (facts file section 4, the cookbook's ``num_tokens_from_messages`` and
``num_tokens_for_tools``): every message costs ``per_message`` tokens plus its string values
(role, content, name...), a ``name`` adds ``per_name``; the reply is primed with 3 more tokens.
gpt-3.5-turbo-0301 uses 4 per message and -1 per name. Tool definitions add
``func_init`` per function, ``name:description``, per property ``prop_key`` +
``name:type:description`` (+ ``enum_init`` and ``enum_item`` + item per enum value),
``prop_init`` once per function with properties, and ``func_end`` once.

The cookbook covers gpt-3.5-turbo, gpt-4 (incl. Turbo), gpt-4o and gpt-4o-mini; any other
family is counted with the gpt-4o rules and the count is marked as an estimate.

Another vendor's tokenizer (``request_rules``): the messages' text (not their roles) on its own
counter, plus the frame the registry states for it (``Tokenizer.chat_frame``: Claude's, for a
request of one user message; other requests are marked an estimate), or, where the registry
states no count, the text alone (marked an estimate: ESTIMATE_NO_CHAT_OVERHEAD). Tool
definitions there are counted as their JSON text (an estimate).
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

from tokenizers.counting import count_many, encode
from tokenizers.encodings import SUPPORTED_ENCODINGS
from tokenizers.images import MEASURED, NOT_ACCEPTED, ImageRule, image_tokens
from tokenizers.registry import tokenizer

REPLY_PRIMING = 3

# Why a count is an estimate: codes, worded in ingest.documents.MESSAGES and the app's catalog.
ESTIMATE_FAMILY_RULES = "estimate_family_rules"
ESTIMATE_TOOL_CALLS = "estimate_tool_calls"
ESTIMATE_UNKNOWN_PART = "estimate_unknown_part"
ESTIMATE_IMAGE_SIZE = "estimate_image_size"
ESTIMATE_IMAGE_RULES = "estimate_image_rules"
ESTIMATE_PATCH_ROUNDING = "estimate_patch_rounding"
ESTIMATE_CHAT_FRAME = "estimate_chat_frame"
ESTIMATE_NO_CHAT_OVERHEAD = "estimate_no_chat_overhead"
ESTIMATE_TOOLS_AS_TEXT = "estimate_tools_as_text"


@functools.lru_cache(maxsize=512)
def _ids(text: str, encoding: str) -> tuple[int, ...]:
    # Request files repeat the same system prompt and tools on every line: encode each once.
    # Ids (not just counts) because the cache estimate compares prompt prefixes.
    return tuple(encode(text, encoding))


@functools.lru_cache(maxsize=512)
def _vendor_count(text: str, encoding: str) -> int:
    # Another vendor's tokenizer gives counts, not OpenAI ids: the cache estimate uses stand-ins.
    return count_many([text], encoding)[0]


def _count(text: str, encoding: str) -> int:
    return len(_ids(text, encoding)) if encoding in SUPPORTED_ENCODINGS else _vendor_count(text, encoding)


@dataclass(frozen=True)
class ChatRules:
    """Per-model constants of the cookbook's message and tool counting."""

    per_message: int = 3
    per_name: int = 1
    func_init: int = 7
    prop_init: int = 3
    prop_key: int = 3
    enum_init: int = -3
    enum_item: int = 3
    func_end: int = 12
    exact: bool = True  # False: the cookbook does not cover this family; gpt-4o rules assumed
    per_request: int = REPLY_PRIMING  # once per request: the cookbook's reply priming, or a vendor's frame
    roles: bool = True  # role strings counted as text (the cookbook); a vendor's frame holds them
    one_message_frame: bool = False  # per_request is stated for a request of one user message only
    stated: bool = True  # False: the registry states no chat overhead as a count (message text only)
    tools_as_text: bool = False  # tool definitions counted as their JSON text (no vendor rule known)


_COOKBOOK_3_1 = {"gpt-3.5-turbo", "gpt-4", "gpt-4-turbo"}
_COOKBOOK_4O = {"gpt-4o", "gpt-4o-mini"}


def chat_rules(snapshot: str, family: str) -> ChatRules:
    """The counting rules for a catalog snapshot id and its family."""
    if snapshot == "gpt-3.5-turbo-0301":
        return ChatRules(per_message=4, per_name=-1, func_init=10)
    if family in _COOKBOOK_3_1:
        return ChatRules(func_init=10)
    if family in _COOKBOOK_4O:
        return ChatRules()
    return ChatRules(exact=False)


def request_rules(encoding: str, snapshot: str, family: str) -> ChatRules:
    """The counting rules of a chat request on a model whose tokenizer is ``encoding``: the
    cookbook's (``chat_rules``) on o200k_base / cl100k_base; else the frame the registry states
    for the tokenizer (``Tokenizer.frame_tokens``: Claude's), once per request; else none (the
    messages' text only, marked an estimate). Raises KeyError for an encoding not in the registry."""
    if encoding in SUPPORTED_ENCODINGS:
        return chat_rules(snapshot, family)
    frame = tokenizer(encoding).frame_tokens(family)
    return ChatRules(per_message=0, per_name=0, per_request=frame or 0, roles=False,
                     one_message_frame=frame is not None, stated=frame is not None, tools_as_text=True)


@dataclass(frozen=True)
class ImageRef:
    """One image part of a message: where it is, and its requested detail."""

    url: str
    detail: str = "auto"


#: Gives (width, height, measured) for an image URL; measured=False when the size was assumed.
ImageSizer = Callable[[str], tuple[int, int, str]]  # (width, height, status: tokenizers.images.MEASURED ...)


@dataclass
class PromptCount:
    """A request's prompt tokens, split by where they come from, with what is estimated."""

    total: int = 0
    text: int = 0  # messages' strings and overhead, reply priming included
    tools: int = 0
    images: int = 0
    image_count: int = 0
    images_assumed_size: int = 0  # images that could not be measured (remote URL, or one the API refuses)
    unaccepted_urls: list[str] = field(default_factory=list)  # image URLs the API does not accept, never opened
    image_parts: list[int] = field(default_factory=list)  # tokens of each image, in order
    exact: bool = True
    estimates: list[str] = field(default_factory=list)  # ESTIMATE_* codes

    def _estimate(self, why: str) -> None:
        self.exact = False
        if why not in self.estimates:
            self.estimates.append(why)


def _image_parts(content: object) -> list[ImageRef]:
    refs = []
    if isinstance(content, list):
        for part in content:
            if isinstance(part, Mapping) and part.get("type") == "image_url":
                image = part.get("image_url")
                if isinstance(image, str):
                    refs.append(ImageRef(image))
                elif isinstance(image, Mapping) and isinstance(image.get("url"), str):
                    refs.append(ImageRef(image["url"], str(image.get("detail") or "auto")))
    return refs


def _text_of(value: object, count: PromptCount) -> str | None:
    """The text a message value contributes; structured values (tool calls) as JSON, estimated."""
    if isinstance(value, str):
        return value
    if isinstance(value, (Mapping, list)):
        count._estimate(ESTIMATE_TOOL_CALLS)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return None  # numbers, booleans (a fine-tuning "weight") and null are not sent as text


def _strings(message: Mapping, count: PromptCount, roles: bool = True) -> list[str]:
    out = []
    for key, value in message.items():
        if key == "role" and not roles:
            continue
        if key == "content" and isinstance(value, list):
            for part in value:
                if isinstance(part, Mapping) and part.get("type") == "text" and isinstance(part.get("text"), str):
                    out.append(part["text"])
                elif not (isinstance(part, Mapping) and part.get("type") == "image_url"):
                    count._estimate(ESTIMATE_UNKNOWN_PART)
                    out.append(json.dumps(part, ensure_ascii=False))
            continue
        text = _text_of(value, count)
        if text is not None:
            out.append(text)
    return out


def _function_of(tool: object) -> Mapping | None:
    if not isinstance(tool, Mapping):
        return None
    inner = tool.get("function")
    return inner if isinstance(inner, Mapping) else tool  # `functions` entries are bare


def tool_tokens(tools: Sequence[object], encoding: str, rules: ChatRules) -> int:
    """Tokens the cookbook adds for ``tools`` (or legacy ``functions``) definitions; 0 for none."""
    if not tools:
        return 0
    if rules.tools_as_text:
        return _count(json.dumps(list(tools), ensure_ascii=False, separators=(",", ":")), encoding)
    total = 0
    for tool in tools:
        function = _function_of(tool)
        if function is None:
            continue
        total += rules.func_init
        description = str(function.get("description") or "").removesuffix(".")
        total += _count(f"{function.get('name', '')}:{description}", encoding)
        parameters = function.get("parameters")
        properties = parameters.get("properties") if isinstance(parameters, Mapping) else None
        if isinstance(properties, Mapping) and properties:
            total += rules.prop_init
            for key, prop in properties.items():
                prop = prop if isinstance(prop, Mapping) else {}
                total += rules.prop_key
                if "enum" in prop and isinstance(prop["enum"], list):
                    total += rules.enum_init
                    for item in prop["enum"]:
                        total += rules.enum_item + _count(str(item), encoding)
                p_desc = str(prop.get("description") or "").removesuffix(".")
                total += _count(f"{key}:{prop.get('type', '')}:{p_desc}", encoding)
    return total + rules.func_end


def count_prompt(
    messages: Sequence[Mapping],
    encoding: str,
    rules: ChatRules,
    image: ImageRule,
    sizer: ImageSizer,
    tools: Sequence[object] = (),
) -> PromptCount:
    """Prompt tokens of one chat request on a model with ``rules``, ``image`` rule and ``encoding``.

    ``sizer`` measures image URLs. Raises EncodingUnavailableError for an encoding the
    project cannot count.
    """
    count = PromptCount()
    if not rules.exact:
        count._estimate(ESTIMATE_FAMILY_RULES)
    if not rules.stated:
        count._estimate(ESTIMATE_NO_CHAT_OVERHEAD)
    if rules.one_message_frame and [m.get("role") for m in messages] != ["user"]:
        count._estimate(ESTIMATE_CHAT_FRAME)
    if tools and rules.tools_as_text:
        count._estimate(ESTIMATE_TOOLS_AS_TEXT)
    strings: list[str] = []
    overhead = rules.per_request
    for message in messages:
        overhead += rules.per_message
        if "name" in message:
            overhead += rules.per_name
        strings.extend(_strings(message, count, rules.roles))
        for ref in _image_parts(message.get("content")):
            width, height, status = sizer(ref.url)
            tokens = image_tokens(width, height, ref.detail, image)
            count.images += tokens
            count.image_parts.append(tokens)
            count.image_count += 1
            if status != MEASURED:
                count.images_assumed_size += 1
                count._estimate(ESTIMATE_IMAGE_SIZE)
            if status == NOT_ACCEPTED:
                count.unaccepted_urls.append(ref.url)
    if count.image_count and not image.exact:
        count._estimate(ESTIMATE_IMAGE_RULES)
    if count.image_count and image.kind == "patch":
        count._estimate(ESTIMATE_PATCH_ROUNDING)
    count.text = overhead + sum(_count(s, encoding) for s in strings)
    count.tools = tool_tokens(tools, encoding, rules)
    count.total = count.text + count.tools + count.images
    return count


def prompt_blocks(
    messages: Sequence[Mapping],
    encoding: str,
    rules: ChatRules,
    prompt: PromptCount,
    tools: Sequence[object] = (),
) -> list[int]:
    """A token sequence as long as ``prompt.total`` whose shared prefixes mirror the request's.

    Real ids for text; stand-in negative ids for overhead, tools and images (same input, same
    stand-ins), so two requests share a prefix here where they share one in the API's prompt.
    Used only to estimate prompt caching. Tools are placed first (an assumption).
    """
    seq: list[int] = []
    if prompt.tools:
        seq.extend([_stand_in("tools", json.dumps(tools, sort_keys=True, default=str))] * prompt.tools)
    image_tokens_left = iter(prompt.image_parts)
    for message in messages:
        seq.extend([_stand_in("message", "")] * max(0, rules.per_message + (rules.per_name if "name" in message else 0)))
        throwaway = PromptCount()
        for text in _strings(message, throwaway, rules.roles):
            if encoding in SUPPORTED_ENCODINGS:
                seq.extend(_ids(text, encoding))
            else:
                seq.extend([_stand_in("text", text)] * _count(text, encoding))
        for ref in _image_parts(message.get("content")):
            seq.extend([_stand_in("image", ref.url + "\x00" + ref.detail)] * next(image_tokens_left, 0))
    seq.extend([_stand_in("reply", "")] * rules.per_request)
    # Negative per-name overhead (gpt-3.5-turbo-0301) and leftovers: keep the length exact.
    if len(seq) > prompt.total:
        del seq[prompt.total :]
    seq.extend([_stand_in("rest", "")] * (prompt.total - len(seq)))
    return seq


def _stand_in(kind: str, key: str) -> int:
    digest = hashlib.blake2b(f"{kind}\x00{key}".encode(), digest_size=6).digest()
    return -1 - int.from_bytes(digest, "big")
