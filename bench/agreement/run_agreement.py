#!/usr/bin/env python3
"""Agreement of the static rules with the runtime probe (docs/accuracy.md).

Generates the agreement programs, builds them, runs each variant under the
probe, analyses them with torch-tidy, and counts per rule where the static
verdict and the runtime's agree. --all runs every variant (a benchmark,
minutes); --sample runs the fixed list in sample.txt (the test suite).

Exit codes: 0 done (and, with --check, the targets are met); 1 --check and
agreement below --min-agreement, or a finding on a flat program without a
graph; 2 bad usage, or the programs could not be built, run or analysed.
"""

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import build_programs  # noqa: E402
import judge  # noqa: E402
import report  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))


def fail(message):
    print("run_agreement.py: " + message, file=sys.stderr)
    sys.exit(2)


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every variant")
    which.add_argument("--sample", action="store_true",
                       help="the variants listed in sample.txt")
    parser.add_argument("--torch-tidy",
                        default="/work/main/build/analyzer/torch-tidy")
    parser.add_argument("--probe-lib", help="libtorch_tidy_probe.so "
                        "(default: next to torch-tidy's build)")
    parser.add_argument("--probe-include",
                        default=os.path.join(ROOT, "runtime", "include"))
    parser.add_argument("--compiler", default="clang++-19",
                        help="must read clang precompiled headers")
    parser.add_argument("--work-dir", default=None,
                        help="where programs, reports and results go "
                        "(default: a fresh directory under /tmp)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cache-dir", help="torch-tidy's header cache "
                        "(default: its own default)")
    parser.add_argument("--json", help="write the results as JSON here")
    parser.add_argument("--analyse-only", action="store_true",
                        help="reuse the programs and runtime reports of an "
                        "earlier run in --work-dir (the runtime verdicts do "
                        "not depend on the rules); analyse and join again")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless agreement >= --min-agreement "
                        "and no flat program without a graph has a "
                        "finding")
    parser.add_argument("--min-agreement", type=float, default=98.0)
    parser.add_argument("--min-growth", type=int, default=4096,
                        help="bytes per iteration below which a site is "
                        "flat (confirm's --min-growth; see README.md)")
    return parser.parse_args()


def timed(label, timings, function, *args):
    start = time.monotonic()
    result = function(*args)
    timings[label] = round(time.monotonic() - start, 1)
    print("run_agreement.py: %s took %.1f s" % (label, timings[label]),
          flush=True)
    return result


def generate(work, sample):
    command = [sys.executable, os.path.join(HERE, "generate.py"), "--out",
               work]
    if sample:
        command += ["--only", os.path.join(HERE, "sample.txt"),
                    "--per-tu", "16"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        fail("generating the programs failed:\n" + result.stderr)
    with open(os.path.join(work, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


def analyse(args, work, manifest):
    findings_path = os.path.join(work, "findings.json")
    sources = manifest["translation_units"] + [manifest["helper_unit"]]
    result = subprocess.run(
        [args.torch_tidy, "-p", work, "--format=json", "--quiet"] +
        (["--cache-dir=" + args.cache_dir] if args.cache_dir else []) + [
         "--output=" + findings_path, "-j", str(args.jobs)] + sources,
        capture_output=True, text=True, cwd=work)
    if result.returncode not in (0, 1) or not os.path.exists(findings_path):
        fail("torch-tidy exited %d:\n%s" % (result.returncode,
                                            result.stderr[-3000:]))
    with open(findings_path, encoding="utf-8") as f:
        data = json.load(f)
    if data.get("errors"):
        fail("torch-tidy reports compiler errors: %s" % data["errors"][:3])
    return findings_path, data["findings"]


def run_variants(args, work, manifest, binaries):
    """Runs every variant with the probe; returns {name: error text} for the
    ones that failed."""
    reports = os.path.join(work, "reports")
    os.makedirs(reports, exist_ok=True)
    errors = {}

    def run_one(v):
        v["report"] = os.path.join(reports, v["name"] + ".json")
        if os.path.exists(v["report"]):
            os.remove(v["report"])
        env = dict(os.environ, TORCH_TIDY_REPORT=v["report"],
                   TORCH_TIDY_AUTO_ITERATION="backward")
        try:
            result = subprocess.run([binaries[v["binary"]], v["name"]],
                                    env=env, capture_output=True, text=True,
                                    timeout=120)
        except subprocess.TimeoutExpired:
            return v["name"], "timed out"
        if result.returncode != 0 or not os.path.exists(v["report"]):
            return v["name"], "exit %d: %s" % (
                result.returncode, result.stderr.strip()[-300:])
        return v["name"], None

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for name, error in pool.map(run_one, manifest["variants"]):
            if error:
                errors[name] = error
    return errors


def confirm(args, work, findings_path, variants):
    """Confirm's JSON over every report, and each report's automatic site
    evidence."""
    reports = [v["report"] for v in variants if os.path.exists(v["report"])]
    command = [args.torch_tidy, "confirm", "--findings", findings_path,
               "--min-growth", str(args.min_growth), "--format=json",
               "--output",
               os.path.join(work, "confirmation.json")]
    for path in reports:
        command += ["--runtime", path]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        fail("torch-tidy confirm exited %d: %s" % (result.returncode,
                                                    result.stderr[-2000:]))
    with open(os.path.join(work, "confirmation.json"), encoding="utf-8") as f:
        confirmation = json.load(f)
    automatic = {s["report"]: s for s in confirmation["sites"]
                 if s["site"].get("boundary")}
    return confirmation, automatic


def earlier_run(work):
    """The manifest (with report paths) and run errors of an earlier run."""
    try:
        with open(os.path.join(work, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        with open(os.path.join(work, "run_errors.json"),
                  encoding="utf-8") as f:
            run_errors = json.load(f)
    except (OSError, ValueError) as e:
        fail("%s: no complete earlier run to reuse (%s)" % (work, e))
    if any("report" not in v for v in manifest["variants"]):
        fail("%s/manifest.json: the earlier run did not finish" % work)
    return manifest, run_errors


def snapshot(binary, work):
    copy = os.path.join(work, "torch-tidy")
    for attempt in range(30):
        try:
            shutil.copy2(binary, copy)
            return copy
        except OSError:
            time.sleep(10)
    fail("%s: could not be copied" % binary)


def main():
    args = parse_args()
    if not os.access(args.torch_tidy, os.X_OK):
        fail("%s: not an executable torch-tidy" % args.torch_tidy)
    probe_lib = args.probe_lib or os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(args.torch_tidy))),
        "runtime", "libtorch_tidy_probe.so")
    if not os.path.exists(probe_lib):
        fail("%s: no shared probe library (build torch_tidy_probe_preload)"
             % probe_lib)
    work = args.work_dir or tempfile.mkdtemp(prefix="torch-tidy-agreement-")
    work = os.path.abspath(work)
    os.makedirs(work, exist_ok=True)
    timings = {}
    start = time.monotonic()
    # A private copy: the build that holds torch-tidy may relink it while
    # this run goes on.
    args.rules_commit = report.git_commit(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(args.torch_tidy)))))
    args.torch_tidy = snapshot(args.torch_tidy, work)

    if args.analyse_only:
        manifest, run_errors = earlier_run(work)
        findings_path, findings = timed("analysing", timings, analyse, args,
                                        work, manifest)
    else:
        manifest = timed("generating", timings, generate, work, args.sample)
        try:
            binaries = timed("building", timings, build_programs.build, work,
                             manifest, args.compiler,
                             os.path.join(HERE, "support"),
                             args.probe_include, probe_lib, args.jobs)
        except build_programs.BuildError as e:
            fail(str(e))
        findings_path, findings = timed("analysing", timings, analyse, args,
                                        work, manifest)
        run_errors = timed("running", timings, run_variants, args, work,
                           manifest, binaries)
        with open(os.path.join(work, "manifest.json"), "w",
                  encoding="utf-8") as f:
            json.dump(manifest, f, indent=1)
        with open(os.path.join(work, "run_errors.json"), "w",
                  encoding="utf-8") as f:
            json.dump(run_errors, f, indent=1)
    variants = manifest["variants"]
    confirmation, automatic = timed("confirming", timings, confirm, args,
                                    work, findings_path, variants)
    timings["total"] = round(time.monotonic() - start, 1)

    verdicts = judge.runtime_verdicts(variants, confirmation, automatic,
                                      run_errors)
    for name, verdict in verdicts.items():
        if verdict.site is None and name not in run_errors:
            run_errors[name] = "no probe site inside its line ranges ran " \
                "long enough to judge"
    per_variant, unattributed = judge.attribute_findings(variants, findings)
    results = report.results(args, manifest, per_variant, unattributed,
                             verdicts, run_errors, timings)
    print(report.text(results))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)
    if run_errors:
        return 2
    if args.check and (results["agreement_percent"] < args.min_agreement
                       or results["flat_graph_free_findings"]):
        print("run_agreement.py: FAILED: agreement %.1f%% (target %.1f%%), "
              "%d findings on flat programs without a graph"
              % (results["agreement_percent"], args.min_agreement,
                 len(results["flat_graph_free_findings"])))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
