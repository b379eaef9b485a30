#!/usr/bin/env python3
"""Runs torch-tidy and clang-tidy-19 with the plugin over each source file
and fails unless both print exactly the same standard output: the same
findings, notes, source excerpts and fix-it hints, in the same order.

usage: same_output.py TORCH_TIDY CLANG_TIDY PLUGIN STUBS FILE...
"""
import subprocess
import sys


def main():
    torch_tidy, clang_tidy, plugin, stubs, *files = sys.argv[1:]
    if not files:
        sys.exit("same_output.py: error: no files given")
    compiler = ["--", "-std=c++17", "-I", stubs]
    failures = 0
    compared = 0
    for path in files:
        driver = subprocess.run(
            [torch_tidy, "--checks=-*,torch-*", path] + compiler,
            capture_output=True, text=True)
        tidy = subprocess.run(
            [clang_tidy, "--load=" + plugin, "--checks=-*,torch-*", path]
            + compiler, capture_output=True, text=True)
        if driver.returncode not in (0, 1) or tidy.returncode not in (0, 1):
            print("%s: exit codes %d (torch-tidy) and %d (clang-tidy)\n%s%s"
                  % (path, driver.returncode, tidy.returncode,
                     driver.stderr, tidy.stderr))
            failures += 1
            continue
        if driver.stdout != tidy.stdout:
            print("%s: outputs differ\n--- torch-tidy\n%s--- clang-tidy\n%s"
                  % (path, driver.stdout, tidy.stdout))
            failures += 1
            continue
        compared += 1
        print("same: %s (%d warnings)" % (path, driver.stdout.count(": warning: ")))
    print("%d files identical, %d differ" % (compared, failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
