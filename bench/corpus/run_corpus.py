#!/usr/bin/env python3
"""Runs torch-tidy over every C++ source file of a directory of libtorch
code and prints the findings per rule and per file, for reviewing false
positives on real repositories (fetched elsewhere, never committed).

  bench/corpus/run_corpus.py --torch-tidy build/analyzer/torch-tidy DIR [DIR...]

Compile flags: C++17, libtorch's headers (from --torch-include, default
Debian's), the file's own directory and every directory named `include`
under the corpus root. Files that do not compile (missing third-party
headers such as OpenCV) are listed separately with their first error.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile


def sources(root):
    for dirpath, _, names in os.walk(root):
        if "/." in dirpath:
            continue
        for name in sorted(names):
            if name.endswith((".cpp", ".cc", ".cxx")):
                yield os.path.join(dirpath, name)


def include_dirs(root):
    return sorted(dirpath for dirpath, _, _ in os.walk(root)
                  if os.path.basename(dirpath) == "include")


def analyse(torch_tidy, path, flags, checks):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = out.name
    command = [torch_tidy, "--format=json", "--output=" + out_path]
    if checks:
        command.append("--checks=" + checks)
    command += [path, "--", "-std=c++17", "-I" + os.path.dirname(path)] + flags
    run = subprocess.run(command, capture_output=True, text=True)
    result = {"file": path, "exit": run.returncode, "findings": [],
              "errors": [], "stderr": run.stderr}
    try:
        with open(out_path, encoding="utf-8") as f:
            report = json.load(f)
        result["findings"] = report["findings"]
        result["errors"] = report["errors"]
    except (OSError, ValueError):
        pass
    os.unlink(out_path)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--torch-tidy", required=True)
    parser.add_argument("--torch-include", action="append",
                        default=None, help="libtorch include directory")
    parser.add_argument("--checks", default="")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--json", help="also write all results here")
    parser.add_argument("roots", nargs="+")
    args = parser.parse_args()
    torch_include = args.torch_include or ["/usr/include/torch/csrc/api/include"]

    jobs = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for root in args.roots:
            flags = ["-isystem" + d for d in torch_include]
            flags += ["-I" + d for d in include_dirs(root)]
            flags.append("-D_GLIBCXX_USE_CXX11_ABI=1")
            for path in sources(root):
                jobs.append(pool.submit(analyse, args.torch_tidy, path, flags,
                                        args.checks))
        results = [job.result() for job in jobs]

    per_rule = collections.Counter()
    print("== findings")
    for result in results:
        for finding in result["findings"]:
            per_rule[finding["rule"]] += 1
            print("%s:%d:%d: %s: %s" % (finding["file"], finding["line"],
                                        finding["column"], finding["rule"],
                                        finding["message"]))
    print("\n== per rule")
    for rule, count in sorted(per_rule.items()):
        print("%6d  %s" % (count, rule))
    analysed = [r for r in results if not r["errors"] and r["exit"] in (0, 1)]
    failed = [r for r in results if r not in analysed]
    print("\n== %d files analysed cleanly, %d with compiler errors or failures"
          % (len(analysed), len(failed)))
    for result in failed:
        first = result["errors"][0]["message"] if result["errors"] else \
            (result["stderr"].strip().splitlines() or ["exit %d" % result["exit"]])[-1]
        print("  %s: %s" % (result["file"], first))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
