#!/usr/bin/env python3
"""Checks the CI examples: each parses as YAML and has the parts docs/ci.md
describes, and docs/ci.md holds each file verbatim.

usage: check_ci_examples.py SOURCE_ROOT
"""
import os
import sys

import yaml


def fail(message):
    sys.exit("check_ci_examples.py: error: " + message)


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        return text, yaml.safe_load(text)
    except yaml.YAMLError as error:
        fail("%s is not valid YAML: %s" % (path, " ".join(str(error).split())))


def main():
    root = sys.argv[1]
    examples = os.path.join(root, "docs", "examples")
    with open(os.path.join(root, "docs", "ci.md"), encoding="utf-8") as f:
        doc = f.read()

    github_text, github = load(os.path.join(examples, "github-workflow.yml"))
    steps = github["jobs"]["torch-tidy"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    runs = "\n".join(step.get("run", "") for step in steps)
    if not any(u.startswith("github/codeql-action/upload-sarif@") for u in uses):
        fail("github-workflow.yml does not upload SARIF")
    if github["permissions"].get("security-events") != "write":
        fail("github-workflow.yml lacks security-events: write")
    for needed in ("--format=github", "--format=sarif"):
        if needed not in runs:
            fail("github-workflow.yml does not run torch-tidy " + needed)
    print("github-workflow.yml: %d steps" % len(steps))

    gitlab_text, gitlab = load(os.path.join(examples, "gitlab-ci.yml"))
    job = gitlab["torch-tidy"]
    report = job["artifacts"]["reports"]["codequality"]
    if not any("--format=gitlab" in line and "--output=" + report in line
               for line in job["script"]):
        fail("gitlab-ci.yml does not write its codequality report " + report)
    print("gitlab-ci.yml: codequality %s" % report)

    for name, text in (("github-workflow.yml", github_text),
                       ("gitlab-ci.yml", gitlab_text)):
        if "```yaml\n" + text + "```\n" not in doc:
            fail("docs/ci.md does not contain docs/examples/%s verbatim" % name)
        print("docs/ci.md holds %s verbatim" % name)


if __name__ == "__main__":
    main()
