#!/usr/bin/env python3
"""Prints the error-level results of a `sarif-multitool validate --output`
log, one a line, then `errors: N`. The multitool exits 0 even when the log
it validated has errors, so its own log is what tells."""
import json
import sys

log = json.load(open(sys.argv[1], encoding="utf-8"))
errors = [result for run in log["runs"] for result in run.get("results", [])
          if result.get("level") == "error"]
for result in errors:
    print("%s: %s" % (result["ruleId"], result["message"].get("text", "")))
print("errors: %d" % len(errors))
