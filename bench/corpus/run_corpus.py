#!/usr/bin/env python3
"""Runs torch-tidy over every C++ source file of directories of libtorch
code and prints the findings per rule and per file, for reviewing false
positives on real repositories (fetched elsewhere, never committed).

  bench/corpus/run_corpus.py --torch-tidy build/analyzer/torch-tidy \\
      [--checks='torch-*'] [--stub-missing-headers] DIR [DIR...]

Each DIR is one repository. Compile flags: C++17, libtorch's headers (from
--torch-include, default Debian's), and the repository's own include
directories (`include`, `src`, and those its includes name). Findings in
the repository's own headers count too (once, however many files include
them). Files that do not reach libtorch are skipped unless --all-files.

Files with compiler errors (mostly missing third-party headers such as
OpenCV) are analysed as far as the driver goes, and listed with their first
error; their findings are counted apart. With --stub-missing-headers, each
header that is missing here gets an empty stand-in and the error limit is
lifted, so those files are analysed as far as clang can (see
corpus_includes.py for why that matters).
"""

import argparse
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

import corpus_includes

NOT_FOUND = re.compile(r"^'(.+)' file not found$")
STUB_ROUNDS = 5


def analyse(torch_tidy, path, flags, checks, header_filter, cache_dir):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = out.name
    command = [torch_tidy, "--format=json", "--output=" + out_path,
               "--quiet", "--header-filter=" + header_filter]
    if checks:
        command.append("--checks=" + checks)
    if cache_dir:
        command.append("--cache-dir=" + cache_dir)
    command += [path, "--"] + flags
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


def missing_from_errors(result):
    names = set()
    for error in result["errors"]:
        match = NOT_FOUND.match(error["message"])
        if match:
            names.add(match.group(1))
    return names


class Repository:
    """One corpus root: its flags, the files to analyse and their results."""

    def __init__(self, root, args, stub_dir):
        self.root = os.path.abspath(root)
        self.stub_dir = stub_dir
        search = corpus_includes.include_dirs(self.root)
        self.flags = ["-std=c++17", "-D_GLIBCXX_USE_CXX11_ABI=1"]
        self.flags += ["-isystem" + d for d in args.torch_include]
        self.flags += ["-I" + d for d in search]
        if stub_dir:
            self.flags += ["-idirafter", stub_dir, "-ferror-limit=0"]
            corpus_includes.write_stubs(
                stub_dir, corpus_includes.missing_headers(
                    self.root, search + args.torch_include))
        sources = list(corpus_includes.corpus_files(
            self.root, corpus_includes.SOURCE_SUFFIXES))
        self.files = [p for p in sources if args.all_files or
                      corpus_includes.reaches_torch(p, search)]
        if args.files_from:
            with open(args.files_from, encoding="utf-8") as f:
                wanted = {os.path.abspath(line.strip()) for line in f
                          if line.strip()}
            self.files = [p for p in self.files if p in wanted]
        self.skipped = len(sources) - len(self.files)
        self.header_filter = "^" + re.escape(self.root) + "/"
        self.results = {}


def run_all(pool, args, jobs):
    futures = {pool.submit(analyse, args.torch_tidy, path, repo.flags,
                           args.checks, repo.header_filter,
                           args.cache_dir): (repo, path)
               for repo, path in jobs}
    for future in concurrent.futures.as_completed(futures):
        repo, path = futures[future]
        repo.results[path] = future.result()
        # One line per finished file, so a long run can be followed (and
        # what is done survives an interrupted run).
        if args.json:
            with open(args.json + "l", "a", encoding="utf-8") as f:
                f.write(json.dumps(repo.results[path]) + "\n")


def has_errors(result):
    return bool(result["errors"]) or result["exit"] not in (0, 1)


def print_summary(repos):
    # A finding in a header reached from several files counts once; it
    # counts as clean when any file that reached it compiled cleanly.
    findings = {}
    for repo in repos:
        for result in repo.results.values():
            for f in result["findings"]:
                key = (f["file"], f["line"], f["column"], f["rule"])
                clean = not has_errors(result)
                if key in findings:
                    findings[key]["clean"] |= clean
                else:
                    findings[key] = dict(f, clean=clean,
                                         repo=os.path.basename(repo.root))
    print("== findings")
    for key in sorted(findings):
        f = findings[key]
        print("%s:%d:%d: %s: %s%s" % (f["file"], f["line"], f["column"],
                                      f["rule"], f["message"],
                                      "" if f["clean"] else
                                      "  [file with errors]"))
    print("\n== per repository and rule (clean files / files with errors)")
    counts = collections.Counter()
    for f in findings.values():
        counts[(f["repo"], f["rule"], f["clean"])] += 1
    for repo, rule in sorted({(r, u) for r, u, _ in counts}):
        print("  %-45s %-45s %4d / %4d" % (repo, rule,
                                         counts[(repo, rule, True)],
                                         counts[(repo, rule, False)]))
    print("\n== files")
    for repo in repos:
        failed = [r for r in repo.results.values() if has_errors(r)]
        print("  %-45s %4d analysed, %4d cleanly, %4d with errors, "
              "%4d not analysed (no libtorch, or not listed)" %
              (os.path.basename(repo.root), len(repo.results),
               len(repo.results) - len(failed), len(failed), repo.skipped))
    print("\n== files with compiler errors or failures (first error)")
    for repo in repos:
        for path in sorted(repo.results):
            result = repo.results[path]
            if not has_errors(result):
                continue
            first = result["errors"][0]["message"] if result["errors"] else \
                (result["stderr"].strip().splitlines() or
                 ["exit %d" % result["exit"]])[-1]
            print("  %s: [%d errors] %s" % (path, len(result["errors"]),
                                            first))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--torch-tidy", required=True)
    parser.add_argument("--torch-include", action="append",
                        default=None, help="libtorch include directory")
    parser.add_argument("--checks", default="")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--json", help="also write all results here (and "
                        "each file's as it finishes to the same name + 'l')")
    parser.add_argument("--cache-dir", help="torch-tidy's header cache "
                        "(default: its own; a private one is not evicted "
                        "by other users' runs)")
    parser.add_argument("--files-from", metavar="FILE",
                        help="analyse only the files listed there, one a "
                        "line (a re-run of the files that had findings)")
    parser.add_argument("--all-files", action="store_true",
                        help="also analyse files that do not reach libtorch")
    parser.add_argument("--stub-missing-headers", metavar="DIR",
                        help="write empty stand-ins for headers missing here "
                        "under DIR (kept between runs: the header cache "
                        "keys on the flags, which name DIR)")
    parser.add_argument("roots", nargs="+")
    args = parser.parse_args()
    args.torch_include = args.torch_include or [
        "/usr/include/torch/csrc/api/include"]

    stub_dir = args.stub_missing_headers
    if stub_dir:
        stub_dir = os.path.abspath(stub_dir)
        os.makedirs(stub_dir, exist_ok=True)
    repos = [Repository(root, args, stub_dir) for root in args.roots]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        run_all(pool, args, [(repo, path) for repo in repos
                             for path in repo.files])
        # A stand-in can lead to the next missing header (one the first
        # pass could not see, such as CUDA's headers behind c10/cuda).
        for _ in range(STUB_ROUNDS if stub_dir else 0):
            again = []
            for repo in repos:
                for path, result in repo.results.items():
                    names = missing_from_errors(result)
                    corpus_includes.write_stubs(stub_dir, names)
                    if any(os.path.exists(os.path.join(stub_dir, n))
                           for n in names):
                        again.append((repo, path))
            if not again:
                break
            run_all(pool, args, again)
    print_summary(repos)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump([r for repo in repos for r in repo.results.values()],
                      f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
