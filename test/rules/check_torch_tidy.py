#!/usr/bin/env python3
"""Runs one torch- check over a lit test file and checks the result.

Our counterpart of clang-tidy's check_clang_tidy.py (which Debian does not
ship). The test file holds the code and, in comments, what must come out:

  CHECK-MESSAGES: lines FileCheck matches against the diagnostics, and
  CHECK-FIXES:    lines FileCheck matches against the file after --fix.

Each test runs through both front ends, the torch-tidy driver and the
clang-tidy-19 plugin, which must print the same diagnostics. A file that
compiles must still compile after --fix.
"""

import argparse
import os
import re
import subprocess
import sys


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def fail(message, output=""):
    sys.stderr.write(message + "\n" + output)
    sys.exit(1)


def warnings_only(text):
    """The diagnostic lines (file:line:col: kind: message), without the
    source excerpts and summary lines that differ between front ends."""
    pattern = re.compile(r"^.*:\d+:\d+: (warning|error|note): .*$")
    return [line for line in text.splitlines()
            if pattern.match(line) and "FIX-IT applied" not in line]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--torch-tidy", required=True)
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--filecheck", required=True)
    parser.add_argument("--cxx", default="clang++-19",
                        help="compiler that checks the fixed file")
    parser.add_argument("--config", default="",
                        help="clang-tidy configuration (CheckOptions) for "
                             "both front ends")
    parser.add_argument("input")
    parser.add_argument("check")
    parser.add_argument("temp")
    parser.add_argument("compiler_args", nargs="*")
    args = parser.parse_args()

    with open(args.input, encoding="utf-8") as f:
        text = f.read()
    # Keep line numbers: CHECK lines become empty comments.
    cleaned = re.sub(r"// *CHECK-[A-Z0-9\-]*:[^\r\n]*", "//", text)
    os.makedirs(os.path.dirname(os.path.abspath(args.temp)), exist_ok=True)
    fixed_path = args.temp + ".cpp"
    plugin_path = args.temp + ".plugin.cpp"
    for path in (fixed_path, plugin_path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(cleaned)

    checks = ["--checks=-*," + args.check]
    if args.config:
        checks.append("--config=" + args.config)
    compiler = ["--", "-std=c++17"] + args.compiler_args
    driver = run([args.torch_tidy] + checks + ["--fix", "--quiet", fixed_path]
                 + compiler)
    if driver.returncode not in (0, 1):
        fail("torch-tidy failed with exit code %d" % driver.returncode,
             driver.stdout + driver.stderr)
    plugin = run([args.clang_tidy, "--load=" + args.plugin] + checks +
                 ["--quiet", plugin_path] + compiler)
    if plugin.returncode not in (0, 1):
        fail("clang-tidy with the plugin failed", plugin.stdout + plugin.stderr)

    messages_path = args.temp + ".messages"
    with open(messages_path, "w", encoding="utf-8") as f:
        f.write(driver.stdout)

    if "CHECK-MESSAGES" in text:
        check = run([args.filecheck, "-input-file=" + messages_path,
                     args.input, "-check-prefix=CHECK-MESSAGES",
                     "-implicit-check-not={{warning|error}}:"])
        if check.returncode != 0:
            fail("CHECK-MESSAGES failed", check.stdout + check.stderr)
    elif warnings_only(driver.stdout):
        fail("unexpected diagnostics", driver.stdout)

    driver_lines = [l.replace(fixed_path, "FILE")
                    for l in warnings_only(driver.stdout)]
    plugin_lines = [l.replace(plugin_path, "FILE")
                    for l in warnings_only(plugin.stdout)]
    # The driver prints fix-its as applied ("FIX-IT applied"); compare the
    # diagnostics themselves.
    if driver_lines != plugin_lines:
        fail("the plugin and the driver disagree:\n--- driver\n%s\n--- plugin\n%s\n"
             % ("\n".join(driver_lines), "\n".join(plugin_lines)))

    with open(fixed_path, encoding="utf-8") as f:
        fixed = f.read()
    if fixed != cleaned:
        syntax_check = [args.cxx, "-fsyntax-only", "-std=c++17"] + \
            args.compiler_args
        fixed_compile = run(syntax_check + [fixed_path])
        # The plugin ran without --fix: its copy is the original.
        if (fixed_compile.returncode != 0 and
                run(syntax_check + [plugin_path]).returncode == 0):
            fail("the file compiles, but not after --fix",
                 fixed_compile.stderr)

    if "CHECK-FIXES" in text:
        check = run([args.filecheck, "-input-file=" + fixed_path, args.input,
                     "-check-prefix=CHECK-FIXES", "-strict-whitespace"])
        if check.returncode != 0:
            fail("CHECK-FIXES failed", check.stdout + check.stderr)


if __name__ == "__main__":
    main()
