#!/usr/bin/env python3
"""Runs the libFuzzer target over the torch- checks for a fixed time.

The seeds are the rule tests (test/rules/*.cpp, test/rules/programs/*.cpp)
and the saved regressions. A crash, sanitizer report, leak or hang fails the
run; the input that caused it is left under WORK/crashes/ and is to be saved
under test/fuzz/regressions/ with the fix, where it becomes a test.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def seed_files():
    files = sorted(glob.glob(os.path.join(ROOT, "test", "rules", "*.cpp")))
    files += sorted(glob.glob(os.path.join(ROOT, "test", "rules", "programs",
                                           "*.cpp")))
    files += [f for f in sorted(glob.glob(os.path.join(HERE, "regressions",
                                                       "*")))
              if not f.endswith("README.md")]
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fuzzer", required=True)
    parser.add_argument("--work", required=True,
                        help="directory for the corpus and crash inputs")
    parser.add_argument("--seconds", type=int, required=True)
    parser.add_argument("--fresh-corpus", action="store_true",
                        help="start from the seeds alone (the test suite); "
                        "otherwise the corpus of earlier runs grows")
    args = parser.parse_args()

    if not os.path.exists(args.fuzzer):
        sys.exit("run_fuzz: %s not built" % args.fuzzer)
    seeds = os.path.join(args.work, "seeds")
    corpus = os.path.join(args.work, "corpus")
    crashes = os.path.join(args.work, "crashes")
    shutil.rmtree(seeds, ignore_errors=True)
    if args.fresh_corpus:
        shutil.rmtree(corpus, ignore_errors=True)
    for d in (seeds, corpus, crashes):
        os.makedirs(d, exist_ok=True)
    for f in seed_files():
        shutil.copy(f, seeds)

    command = [
        args.fuzzer,
        "-max_total_time=%d" % args.seconds,
        # A parse takes well under a second; minutes means a hang.
        "-timeout=60",
        "-dict=" + os.path.join(HERE, "torch.dict"),
        "-artifact_prefix=" + crashes + os.sep,
        "-print_final_stats=1",
        corpus, seeds,
    ]
    print("run_fuzz: " + " ".join(command), flush=True)
    # Compiler diagnostics of the mutated inputs go to stderr: keep only
    # libFuzzer's and the sanitizers' lines in the log.
    run = subprocess.run(command, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, errors="replace")
    noise = re.compile(r"^(/torch-tidy-fuzz/|In file included from |"
                       r"\d+ (warning|error)s? )")
    for line in run.stdout.splitlines():
        if not noise.match(line):
            print(line)
    stats = dict(re.findall(r"^stat::(\w+):\s+(\d+)", run.stdout, re.M))
    # libFuzzer rounds exec/s down to an integer; ours are often below 1.
    units = int(stats.get("number_of_executed_units", 0))
    print("run_fuzz: %d inputs in %d s (%.2f exec/s), %s new in the corpus, "
          "exit %d" % (units, args.seconds, units / max(args.seconds, 1),
                       stats.get("new_units_added", "?"), run.returncode))
    if run.returncode != 0:
        found = sorted(os.listdir(crashes))
        print("run_fuzz: FAILED; inputs under %s: %s\n"
              "Fix the check, then copy the input to %s so that it runs as "
              "a test." % (crashes, " ".join(found) or "none",
                           os.path.join(HERE, "regressions")))
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
