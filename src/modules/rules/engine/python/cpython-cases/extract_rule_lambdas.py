#!/usr/bin/env python3
"""Extracts every `lambda:` expression of a directory of fedbadges rule files.

Writes rule-lambdas.json: one entry per distinct expression, with the parameter name
fedbadges binds (`msg` in triggers and datanommer filters, `query` in datanommer
operations, `value` in conditions) and the rule files that use it.

    python3 extract_rule_lambdas.py /work/shared/collection/rules > rule-lambdas.json
"""
import json
import os
import sys

import yaml


def walk(node, path, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "lambda":
                found.append((path, value))
            else:
                walk(value, path + [key], found)
    elif isinstance(node, list):
        for item in node:
            walk(item, path, found)


def parameter(path):
    if "operation" in path:
        return "query"
    if "condition" in path:
        return "value"
    return "msg"


def main(directory):
    entries = {}
    for name in sorted(os.listdir(directory)):
        if not name.endswith((".yml", ".yaml")):
            continue
        with open(os.path.join(directory, name)) as f:
            rule = yaml.safe_load(f)
        found = []
        walk(rule, [], found)
        for path, source in found:
            key = (parameter(path), source)
            entries.setdefault(key, []).append(name)
    out = [
        {"param": param, "source": source, "files": files}
        for (param, source), files in sorted(entries.items())
    ]
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/collection/rules")
