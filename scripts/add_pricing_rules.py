"""Add Flex/Priority tier rates and long-context rules to the current price period of models."""
import json
from collections import OrderedDict

PATH = "data/catalog/openai.json"
GP = ("pydantic/genai-prices 0.2.3 (installed; genai_prices/data.py, OpenAI provider: 'Flex/priority/fast rates "
      "verified on 2026-10-12 at https://developers.openai.com/api/docs/pricing')")
PRIO = ("OpenAI 'Priority Processing for API Customers', https://openai.com/api-priority-processing/ "
        "(price per 1M input / cached input / output tokens; GPT-5.x and GPT-4.1 rows 'excludes long context')")
FLEX_NOTE = "Flex tier start date for this model not modelled (Flex launched 2025-04-17 for o3 and o4-mini)."
PRIO_NOTE = "Date Priority processing began not found in a read source."

def flex(i, c, o, note=FLEX_NOTE, available_from=None):
    d = OrderedDict(input_per_mtok=i, cached_input_per_mtok=c, output_per_mtok=o)
    if available_from: d["available_from"] = available_from
    d.update(evidence="secondary", source=GP, note=note)
    return d

def prio(i, c, o, evidence="verified", source=PRIO, note=PRIO_NOTE):
    d = OrderedDict(input_per_mtok=i)
    if c is not None: d["cached_input_per_mtok"] = c
    d.update(output_per_mtok=o, evidence=evidence, source=source, note=note)
    return d

FLEX = {
    "o3-2025-04-16": flex(1.0, 0.25, 4.0, note="Flex launched 2025-04-17 for o3 and o4-mini (at $5/$20 for o3 before its 2025-06-10 cut; news reports of OpenAI's Flex processing docs)."),
    "o4-mini-2025-04-16": flex(0.55, 0.138, 2.2, available_from="2025-04-17", note="Flex launched 2025-04-17 for o3 and o4-mini at $0.55/$2.20 (news reports of OpenAI's Flex processing docs, e.g. gadgets360 2025-04-18); cached $0.138 as published."),
    "gpt-5-2025-08-07": flex(0.625, 0.0625, 5.0),
    "gpt-5-mini-2025-08-07": flex(0.125, 0.0125, 1.0),
    "gpt-5-nano-2025-08-07": flex(0.025, 0.0025, 0.2),
    "gpt-5.1": flex(0.625, 0.0625, 5.0),
    "gpt-5.2": flex(0.875, 0.0875, 7.0),
    "gpt-5.4": flex(1.25, 0.13, 7.5, note=FLEX_NOTE + " Cached $0.13 as published (not $0.125)."),
    "gpt-5.4-mini": flex(0.375, 0.0375, 2.25),
    "gpt-5.4-nano": flex(0.1, 0.01, 0.625),
    "gpt-5.5": flex(2.5, 0.25, 15.0),
    "gpt-5.6-sol": flex(2.0, 0.2, 10.0),
    "gpt-5.6-terra": flex(1.0, 0.1, 6.0),
    "gpt-5.6-luna": flex(0.1, 0.01, 0.6),
    "gpt-6-astra": flex(5.0, 0.5, 25.0),
    "gpt-6-sol": flex(1.0, 0.1, 5.0),
    "gpt-6-luna": flex(0.05, 0.005, 0.25),
}
GPS = "secondary"
PRIORITY = {
    "gpt-5.5": prio(12.5, 1.25, 75.0),
    "gpt-5.4-mini": prio(1.5, 0.15, 9.0),
    "gpt-5.4": prio(5.0, 0.5, 30.0),
    "gpt-5.2": prio(3.5, 0.35, 28.0),
    "gpt-5.1": prio(2.5, 0.25, 20.0),
    "gpt-5-2025-08-07": prio(2.5, 0.25, 20.0),
    "gpt-5-mini-2025-08-07": prio(0.45, 0.045, 3.6),
    "gpt-4.1-2025-04-14": prio(3.5, 0.875, 14.0),
    "gpt-4.1-mini-2025-04-14": prio(0.7, 0.175, 2.8),
    "gpt-4.1-nano-2025-04-14": prio(0.2, 0.05, 0.8),
    "gpt-4o-2024-08-06": prio(4.25, 2.125, 17.0),
    "gpt-4o-2024-11-20": prio(4.25, 2.125, 17.0),
    "gpt-4o-2024-05-13": prio(8.75, None, 26.25, note=PRIO_NOTE + " No cached rate printed ('—')."),
    "gpt-4o-mini-2024-07-18": prio(0.25, 0.125, 1.0),
    "o3-2025-04-16": prio(3.5, 0.875, 14.0),
    "o4-mini-2025-04-16": prio(2.0, 0.5, 8.0, evidence=GPS, source=GP, note=PRIO_NOTE + " Row not in the read part of OpenAI's Priority page."),
    "gpt-5.6-sol": prio(8.0, 0.8, 40.0, evidence=GPS, source=GP),
    "gpt-5.6-terra": prio(4.0, 0.4, 24.0, evidence=GPS, source=GP),
    "gpt-5.6-luna": prio(0.4, 0.04, 2.4, evidence=GPS, source=GP),
    "gpt-6-astra": prio(20.0, 2.0, 100.0, evidence=GPS, source=GP),
    "gpt-6-sol": prio(4.0, 0.4, 20.0, evidence=GPS, source=GP),
    "gpt-6-luna": prio(0.2, 0.02, 1.0, evidence=GPS, source=GP),
}
LC_QUOTE = ("'prompts with >272K input tokens are priced at 2x input and 1.5x output for the full session for "
            "standard, batch, and flex'")
def lc(evidence, source, note=""):
    d = OrderedDict(threshold_tokens=272000, input_multiplier=2, cached_input_multiplier=2, output_multiplier=1.5,
                    tiers=["standard", "batch", "flex"], evidence=evidence, source=source)
    if note: d["note"] = note
    return d
LONG = {
    "gpt-5.4": lc("verified", "OpenAI model page https://developers.openai.com/api/docs/models/gpt-5.4 (quoted in issue 9) and gpt-5.4-pro page: 'For models with a 1.05M context window (GPT-5.4 and GPT-5.4 pro), " + LC_QUOTE[1:] + "; OpenAI pricing page copy (PRICING26): long context $5.00 / $0.50 cached / $22.50 out"),
    "gpt-5.5": lc("verified", "OpenAI pricing page copy (PRICING26): gpt-5.5 long context $10 / $1 cached / $45 out (2x, 2x, 1.5x of $5/$0.50/$30); tiers per https://developers.openai.com/api/docs/models/gpt-5.5 as quoted by tokencost.app and genai-prices 0.2.3"),
    "gpt-5.6-sol": lc("verified", "OpenAI pricing page copy (PRICING26): gpt-5.6-sol long context $8 / $0.80 / $30 (2x, 2x, 1.5x of $4/$0.40/$20); " + GP),
    "gpt-5.6-terra": lc("secondary", GP + ": 'The 2x input and 1.5x output long-context rates apply to prompts with more than 272K input tokens' (ref. developers.openai.com/api/docs/models/gpt-5.6-terra)"),
    "gpt-5.6-luna": lc("secondary", GP + ": 'The 2x input and 1.5x output long-context rates apply to prompts with more than 272K input tokens' (ref. developers.openai.com/api/docs/models/gpt-5.6-luna)"),
    "gpt-6-astra": lc("verified", "OpenAI model page copy https://developers.openai.com/api/docs/models/gpt-6-astra (PRICING26 notes): '>272K input = 2x input/cache, 1.5x output'; tiers from " + GP),
    "gpt-6-sol": lc("secondary", GP + ": 'Prompts with more than 272K input tokens cost 2x for input and cache tokens and 1.5x for output' (ref. developers.openai.com/api/docs/models/gpt-6-sol)"),
    "gpt-6-luna": lc("secondary", GP + ": 'Prompts with more than 272K input tokens cost 2x for input and cache tokens and 1.5x for output' (ref. developers.openai.com/api/docs/models/gpt-6-luna)"),
}

data = json.load(open(PATH, encoding="utf-8"), object_pairs_hook=OrderedDict)
seen = set()
for m in data["models"]:
    current = m["prices"][-1]
    for key, table in (("flex", FLEX), ("priority", PRIORITY), ("long_context", LONG)):
        if m["id"] in table:
            current[key] = table[m["id"]]
            seen.add(m["id"])
missing = (set(FLEX) | set(PRIORITY) | set(LONG)) - seen
assert not missing, missing
text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
open(PATH, "w", encoding="utf-8").write(text)
