#!/usr/bin/env python3
"""Evaluates the comparison cases with CPython and writes the fixture the Jest test reads.

    python3 generate.py > cases.json

Cases: the hand-written ones of cases.py, and every lambda of the sample rule collection
(rule-lambdas.json, from extract_rule_lambdas.py) against every sample message or
history of samples.py. Each expression is compiled as fedbadges does,
`lambda <params>: <expression>`, with the builtins plus the json and re modules as
globals, and called with the case's bindings. The fixture records the value, encoded
as JSON with tags for what JSON cannot say, or the exception's type name.

Encoding (values and bindings): int -> number (or {"$int": "digits"} beyond 2**53),
float -> {"$float": repr}, tuple -> {"$tuple": [...]}, set/frozenset -> {"$set": [...]}
/ {"$frozenset": [...]}, dict with str keys -> object, other dict -> {"$dict": [[k, v]]},
dict views -> {"$dict_keys" | "$dict_values" | "$dict_items": [...]}, re.Match ->
{"$match": repr}. Bindings also use {"$ref": name} (a sample message), {"$query":
{"history": name} | {"rows": [...]}} and {"$message": {...}} (host objects).
"""
import builtins
import json
import os
import re
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cases import CASES  # noqa: E402
from hosts import Message, Query  # noqa: E402
from samples import HISTORIES, MESSAGES  # noqa: E402

MAX_SAFE = 2**53 - 1


def encode(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) <= MAX_SAFE else {"$int": str(value)}
    if isinstance(value, float):
        return {"$float": repr(value)}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, frozenset):
        return {"$frozenset": [encode(v) for v in value]}
    if isinstance(value, set):
        return {"$set": [encode(v) for v in value]}
    if isinstance(value, type({}.keys())):
        return {"$dict_keys": [encode(v) for v in value]}
    if isinstance(value, type({}.values())):
        return {"$dict_values": [encode(v) for v in value]}
    if isinstance(value, type({}.items())):
        return {"$dict_items": [encode(v) for v in value]}
    if isinstance(value, re.Match):
        return {"$match": repr(value)}
    if hasattr(value, "keys") and hasattr(value, "items"):
        items = list(value.items())
        if all(isinstance(k, str) and not k.startswith("$") for k, _ in items):
            return {k: encode(v) for k, v in items}
        return {"$dict": [[encode(k), encode(v)] for k, v in items]}
    raise TypeError(f"cannot encode {type(value).__name__}: {value!r}")


def encode_binding(value):
    for name, message in MESSAGES.items():
        if value is message:
            return {"$ref": name}
    if isinstance(value, Query):
        for name, history in HISTORIES.items():
            if value.bodies is history:
                return {"$query": {"history": name, "topic": value.topic}}
        return {"$query": {"rows": encode(value.bodies), "topic": value.topic}}
    if isinstance(value, Message):
        return {"$message": encode(vars(value))}
    return encode(value)


def exception_name(error):
    if isinstance(error, re.error):
        return "re.error"
    return type(error).__name__


def evaluate(expr, bindings):
    params = list(bindings)
    scope = {"__builtins__": builtins, "json": json, "re": re}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn = eval(compile(f"lambda {', '.join(params)}: {expr}", "<rule>", "eval"), scope)
        value = fn(*bindings.values())
    except Exception as error:  # the type of any Python exception is the expected outcome
        return {"error": exception_name(error)}
    # Outside the try: a value the fixture cannot encode is a mistake in the case.
    return {"result": encode(value)}


def construct_substitutions(msg, prefix=""):
    """fedbadges' substitutions: the envelope flattened by dots, strs lower-cased."""
    subs = {}
    for key, value in msg.items():
        name = prefix + key
        if isinstance(value, dict):
            subs.update(construct_substitutions(value, name + "."))
            subs[name] = value
        elif isinstance(value, str):
            subs[name] = value.lower()
        else:
            subs[name] = value
    return subs


def rule_cases():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "rule-lambdas.json")) as f:
        lambdas = json.load(f)
    cases = []
    trigger = MESSAGES["bodhi_comment_karma"]
    for entry in lambdas:
        source = entry["source"]
        if "%(" in source:
            # fedbadges substitutes the triggering message into the string first.
            source = source % construct_substitutions(trigger)
        group = "rule " + ", ".join(entry["files"][:3]) + (" ..." if len(entry["files"]) > 3 else "")
        if entry["param"] == "msg":
            for message in MESSAGES.values():
                cases.append((group, source, {"msg": message}))
        elif entry["param"] == "query":
            for history in HISTORIES.values():
                cases.append((group, source, {"query": Query(history)}))
        else:
            raise ValueError(f"no samples for parameter {entry['param']}")
    return cases


def main():
    out = {
        "generator": "cpython-cases/generate.py",
        "python": sys.version.split()[0],
        "messages": {name: encode(m) for name, m in MESSAGES.items()},
        "histories": {name: encode(h) for name, h in HISTORIES.items()},
        "cases": [],
    }
    for group, expr, bindings in CASES + rule_cases():
        case = {"group": group, "expr": expr, "params": {k: encode_binding(v) for k, v in bindings.items()}}
        case.update(evaluate(expr, bindings))
        out["cases"].append(case)
    json.dump(out, sys.stdout, indent=None, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
