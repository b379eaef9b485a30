#!/usr/bin/env python3
"""Prints each finding of a findings JSON file as `file:line rule`, with the
file's base name, sorted, for FileCheck."""
import json
import os
import sys

with open(sys.argv[1]) as f:
    findings = json.load(f)["findings"]
for line in sorted("%s:%d %s" % (os.path.basename(x["file"]), x["line"],
                                 x["rule"]) for x in findings):
    print(line)
print("%d findings" % len(findings))
