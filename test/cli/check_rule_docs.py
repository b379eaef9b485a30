#!/usr/bin/env python3
"""Checks that the rule table (rules/include/TorchTidyRules/Rules.def), the
check classes, the registered checks, the SARIF rule metadata and the pages
under docs/rules name the same rules and say the same about them:

- --list-checks shows exactly the table's rules;
- each rules/*Check.h class is a table rule's class, and each table class
  has its header;
- each rule has docs/rules/<rule>.md, and docs/rules/README.md's index
  table is the one scripts/rule_table.py writes from the table;
- SARIF's rule descriptions are the table's;
- each page's Options section lists the options and defaults that
  clang-tidy-19 --dump-config shows with the plugin loaded, and the table
  lists the same.

Usage: check_rule_docs.py CHECKS SARIF DUMP_CONFIG REPO_ROOT"""
import glob
import json
import os
import re
import sys

checks_path, sarif_path, dump_config_path, root = sys.argv[1:]
sys.path.insert(0, os.path.join(root, "scripts"))
import rule_table  # noqa: E402

docs = os.path.join(root, "docs", "rules")
rules = rule_table.read_table(os.path.join(
    root, "rules", "include", "TorchTidyRules", "Rules.def"))
table_ids = [rule["id"] for rule in rules]
problems = []

# Registered checks.
listed = [line.strip() for line in open(checks_path, encoding="utf-8")
          if line.strip().startswith("torch-")]
assert len(listed) >= 8, listed
if sorted(listed) != sorted(table_ids):
    problems.append("--list-checks shows %s, the table has %s"
                    % (sorted(listed), sorted(table_ids)))

# Check classes.
headers = {os.path.basename(path)[:-2] for path in
           glob.glob(os.path.join(root, "rules", "*Check.h"))}
classes = {rule["class"] for rule in rules}
for name in sorted(headers - classes):
    problems.append("rules/%s.h: class not in the rule table" % name)
for name in sorted(classes - headers):
    problems.append("table class %s has no rules/%s.h" % (name, name))

# Pages and the index.
with open(os.path.join(docs, "README.md"), encoding="utf-8") as f:
    index = f.read()
if rule_table.replace_index(index, rule_table.index_table(rules)) != index:
    problems.append("docs/rules/README.md: the index table is not the "
                    "table's; run scripts/rule_table.py --write")
for rule in table_ids:
    if not os.path.exists(os.path.join(docs, rule + ".md")):
        problems.append("no docs/rules/%s.md" % rule)
for page in glob.glob(os.path.join(docs, "torch-*.md")):
    if os.path.basename(page)[:-3] not in table_ids:
        problems.append("%s: no such rule in the table" % page)

# SARIF rule metadata.
sarif_rules = {r["id"]: r for r in
               json.load(open(sarif_path))["runs"][0]["tool"]["driver"]["rules"]}
if list(sarif_rules) != table_ids:
    problems.append("SARIF lists rules %s, the table %s"
                    % (list(sarif_rules), table_ids))
for rule in rules:
    described = sarif_rules.get(rule["id"], {})
    if described.get("shortDescription", {}).get("text") != rule["summary"]:
        problems.append("SARIF's summary of %s is not the table's" % rule["id"])


# Options: --dump-config, the table and each page.
def yaml_scalar(text):
    text = text.strip()
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    if text.startswith('"') and text.endswith('"'):
        return json.loads(text)
    return text


dumped = {rule: [] for rule in table_ids}
for line in open(dump_config_path, encoding="utf-8"):
    m = re.match(r"\s+(torch-[\w-]+)\.(\w+):\s*(.*)$", line)
    if m and m.group(1) in dumped:
        dumped[m.group(1)].append((m.group(2), yaml_scalar(m.group(3))))
OPTION_ITEM = re.compile(r"^- `(\w+)` \(default\s+(?:`([^`]*)`|(empty))\)",
                         re.M)
for rule in rules:
    rule_id = rule["id"]
    if sorted(dumped[rule_id]) != sorted(rule["options"]):
        problems.append("%s: --dump-config shows options %s, the table %s"
                        % (rule_id, sorted(dumped[rule_id]),
                           sorted(rule["options"])))
    page_path = os.path.join(docs, rule_id + ".md")
    if not os.path.exists(page_path):
        continue
    with open(page_path, encoding="utf-8") as f:
        page = f.read()
    section = page.split("\n## Options\n", 1)
    if len(section) != 2:
        problems.append("%s: no Options section" % page_path)
        continue
    section = section[1].split("\n## ", 1)[0]
    on_page = [(m.group(1), m.group(2) or "")
               for m in OPTION_ITEM.finditer(re.sub(r"\n +", " ", section))]
    if sorted(on_page) != sorted(dumped[rule_id]):
        problems.append("%s: the Options section lists %s, --dump-config "
                        "shows %s" % (page_path, sorted(on_page),
                                      sorted(dumped[rule_id])))
    if not on_page and not section.strip().startswith("None"):
        problems.append("%s: an Options section without options should "
                        "say None" % page_path)

if problems:
    sys.exit("\n".join(problems))
print("%d rules documented" % len(rules))
