#!/usr/bin/env python3
"""Validate every scenario shipped under scenarios/ against
scenarios/schema.json, the schema editors use: a scenario that xcsim runs
but the schema rejects (or the reverse) is a bug in the generated schema.

usage: schema_check.py SOURCE_DIR
"""
import json
import pathlib
import sys

import jsonschema
import yaml


def main():
    src = pathlib.Path(sys.argv[1])
    schema = json.loads((src / "scenarios" / "schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    # A grading checks file (docs/grading.md) is not a scenario: xcsim run
    # --check loads it (tests/test_grade.c); nor is a compare traffic file
    # (docs/compare.md: apps and assertions only, which xcsim compare
    # appends to each design; tests/test_designs_compare.c loads it so).
    files = sorted(p for p in (src / "scenarios").rglob("*.yaml")
                   if not p.name.endswith((".checks.yaml", ".traffic.yaml")))
    bad = 0
    for path in files:
        doc = yaml.safe_load(path.read_text())
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors:
            where = "/".join(str(p) for p in e.path) or "(top)"
            print(f"{path.relative_to(src)}: {where}: {e.message}")
        bad += bool(errors)
    print(f"{len(files)} scenarios checked, {bad} rejected by schema.json")
    return 1 if bad or not files else 0


if __name__ == "__main__":
    sys.exit(main())
