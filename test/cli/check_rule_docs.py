#!/usr/bin/env python3
"""Checks that each rule that --list-checks shows has docs/rules/<rule>.md,
a row in docs/rules/README.md and a SARIF rule description."""
import json
import os
import sys

checks_path, sarif_path, docs = sys.argv[1:]
rules = [line.strip() for line in open(checks_path, encoding="utf-8")
         if line.strip().startswith("torch-")]
assert len(rules) >= 8, rules
with open(os.path.join(docs, "README.md"), encoding="utf-8") as f:
    index = f.read()
sarif_rules = {r["id"]: r for r in
               json.load(open(sarif_path))["runs"][0]["tool"]["driver"]["rules"]}
problems = []
for rule in rules:
    if not os.path.exists(os.path.join(docs, rule + ".md")):
        problems.append("no docs/rules/%s.md" % rule)
    if "[%s](%s.md)" % (rule, rule) not in index:
        problems.append("no row for %s in docs/rules/README.md" % rule)
    if rule not in sarif_rules or \
            sarif_rules[rule]["shortDescription"]["text"] == rule:
        problems.append("no catalog description for %s" % rule)
if problems:
    sys.exit("\n".join(problems))
print("%d rules documented" % len(rules))
