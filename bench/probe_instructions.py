#!/usr/bin/env python3
"""The probe's cost per training iteration in instructions, not seconds.

Runs probe_overhead's child (an MLP training step on the CPU) under
callgrind at two iteration counts for each mode, and takes the difference:
instructions per iteration, free of start-up, and the same whatever else
the machine is doing (timings on a shared 2-core machine vary by +-5%).
Prints a Markdown table with ratios to the build with the probe compiled
out.

  bench/probe_instructions.py BUILD_DIR [--short N] [--long N] [--only MODE]
                              [--keep DIR]

--keep DIR keeps each run's callgrind output in DIR (for callgrind_annotate:
where the instructions go). On a CPU without rdtscp valgrind stops in
libhwy's initialiser (libtorch loads it through libavcodec and libjxl); see
docs/performance.md for the stand-in library that avoids it.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(binary, iterations, env, keep_as=None):
    with tempfile.TemporaryDirectory() as work:
        out = keep_as or os.path.join(work, "out")
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
             binary, "--child", str(iterations)],
            env=dict(env, TORCH_TIDY_REPORT=env.get("TORCH_TIDY_REPORT", "")
                     .replace("{work}", work)),
            capture_output=True, text=True)
    match = COLLECTED.search(run.stderr)
    if run.returncode != 0 or not match:
        sys.exit("probe_instructions: %s failed:\n%s" % (binary, run.stderr[-2000:]))
    return int(match.group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build_dir")
    parser.add_argument("--short", type=int, default=20)
    parser.add_argument("--long", type=int, default=120)
    parser.add_argument("--only", action="append", default=[],
                        help="measure this mode (and the baseline) only")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the callgrind outputs here")
    args = parser.parse_args()
    bench = os.path.join(args.build_dir, "bench")
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith("TORCH_TIDY_")}
    # No periodic report in the window: under valgrind the loop runs ~50x
    # slower, so time-spaced writes would come ~50x more often per
    # iteration than in a real run. Their cost is bounded on its own (at
    # most 1/200 of the run: docs/runtime.md); the final write is in both
    # counts and cancels.
    recording = dict(base_env, TORCH_TIDY_REPORT="{work}/report.json",
                     TORCH_TIDY_REPORT_INTERVAL_MS="3600000")
    modes = [
        ("compiled out", "probe_overhead_noprobe", base_env),
        ("disabled", "probe_overhead", base_env),
        ("enabled", "probe_overhead", recording),
        ("enabled + automatic mode", "probe_overhead",
         dict(recording, TORCH_TIDY_AUTO_ITERATION="backward")),
        ("enabled + origins", "probe_overhead",
         dict(recording, TORCH_TIDY_ORIGINS="1")),
    ]
    if args.only:
        modes = [m for i, m in enumerate(modes) if i == 0 or m[0] in args.only]
    rows = []
    for name, binary, env in modes:
        path = os.path.join(bench, binary)
        keep = None
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            keep = os.path.join(args.keep, re.sub(r"\W+", "-", name) + ".%d")
        short = instructions(path, args.short, env,
                             keep and keep % args.short)
        long = instructions(path, args.long, env, keep and keep % args.long)
        rows.append((name, (long - short) / (args.long - args.short)))
        print("%s: %d and %d instructions" % (name, short, long),
              file=sys.stderr)
    base = rows[0][1]
    print("| mode | instructions per iteration | ratio |")
    print("|---|---|---|")
    for name, per_iteration in rows:
        print("| %s | %.0f | %.4f |" % (name, per_iteration,
                                        per_iteration / base))
    return 0


if __name__ == "__main__":
    sys.exit(main())
