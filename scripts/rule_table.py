#!/usr/bin/env python3
"""Reads the rule table (rules/include/TorchTidyRules/Rules.def) and writes
or checks the index table of docs/rules/README.md from it.

  scripts/rule_table.py          print the index table
  scripts/rule_table.py --write  replace the table in docs/rules/README.md
  scripts/rule_table.py --check  exit 1 when README.md's table differs
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = os.path.join(ROOT, "rules", "include", "TorchTidyRules", "Rules.def")
INDEX = os.path.join(ROOT, "docs", "rules", "README.md")

RULE_FIELDS = ["id", "class", "enabled", "summary", "help", "fixits",
               "confirmation"]
OPTION_FIELDS = ["rule", "name", "default"]

TOKEN = re.compile(r'\s+|//[^\n]*|"(?:[^"\\\n]|\\.)*"|[A-Za-z_]\w*|.', re.S)


def _unescape(literal):
    return re.sub(r'\\(.)', r'\1', literal[1:-1])


def _macro_calls(text):
    """Yields (macro, [argument]) for each top-level TORCH_TIDY_RULE... call
    outside preprocessor lines. An argument is a string (adjacent literals
    joined) or a bare word."""
    text = "\n".join(line for line in text.splitlines()
                     if not line.lstrip().startswith("#"))
    tokens = [t for t in TOKEN.findall(text)
              if t.strip() and not t.startswith("//")]
    i = 0
    while i < len(tokens):
        name = tokens[i]
        if name in ("TORCH_TIDY_RULE", "TORCH_TIDY_RULE_OPTION") and \
                i + 1 < len(tokens) and tokens[i + 1] == "(":
            args, current, i = [], None, i + 2
            while tokens[i] != ")":
                token = tokens[i]
                if token == ",":
                    args.append(current)
                    current = None
                elif token.startswith('"'):
                    current = (current or "") + _unescape(token)
                else:
                    current = token
                i += 1
            args.append(current)
            yield name, args
        i += 1


def read_table(path=TABLE):
    """The rules in table order, each a dict of RULE_FIELDS plus 'options':
    a list of (name, default)."""
    rules, by_id = [], {}
    with open(path, encoding="utf-8") as f:
        for macro, args in _macro_calls(f.read()):
            if macro == "TORCH_TIDY_RULE":
                assert len(args) == len(RULE_FIELDS), args
                rule = dict(zip(RULE_FIELDS, args))
                rule["enabled"] = {"true": True, "false": False}[rule["enabled"]]
                rule["options"] = []
                rules.append(rule)
                by_id[rule["id"]] = rule
            else:
                assert len(args) == len(OPTION_FIELDS), args
                option = dict(zip(OPTION_FIELDS, args))
                by_id[option["rule"]]["options"].append(
                    (option["name"], option["default"]))
    return rules


def index_table(rules):
    lines = ["| rule | default | fix-its | what the runtime measures to "
             "confirm it |", "|---|---|---|---|"]
    for rule in rules:
        lines.append("| [%s](%s.md) | %s | %s | %s |" % (
            rule["id"], rule["id"], "on" if rule["enabled"] else "off",
            rule["fixits"], rule["confirmation"]))
    return "\n".join(lines) + "\n"


def replace_index(readme, table):
    """README.md's text with its one table replaced by \\p table."""
    lines = readme.splitlines(keepends=True)
    start = next(i for i, l in enumerate(lines) if l.startswith("| rule |"))
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "".join(lines[:start]) + table + "".join(lines[end:])


def main(argv):
    table = index_table(read_table())
    if not argv:
        sys.stdout.write(table)
        return 0
    with open(INDEX, encoding="utf-8") as f:
        readme = f.read()
    wanted = replace_index(readme, table)
    if argv == ["--check"]:
        if wanted != readme:
            sys.stderr.write("docs/rules/README.md: the index table differs "
                             "from rules/include/TorchTidyRules/Rules.def; "
                             "run scripts/rule_table.py --write\n")
            return 1
        return 0
    if argv == ["--write"]:
        with open(INDEX, "w", encoding="utf-8") as f:
            f.write(wanted)
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
