#!/usr/bin/env python3
"""End to end: analyse each example, run it with the probe, confirm.

Each leaky example must have exactly the expected finding, confirmed with a
growth per iteration in the expected range; each fixed example must have no
finding and a flat probe site. Prints one line per check and a closing
'N passed, N failed' line.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

KiB = 1024

KEPT = "torch-graph-kept-across-iterations"

# example -> the torch-graph-kept-across-iterations finding it must have
# (the text of its line), its verdict, and for a confirmed one the metric
# that must grow and the range of its growth in bytes per iteration.
# Examples without an entry must have no finding of any rule, and a flat
# probe site. OTHER_FINDINGS lists the other rules' findings an example must
# have (rule, text of the line, verdict); no others may appear.
EXAMPLES = {
    "eval_leaky": ("logits.push_back(batch_logits);", "confirmed",
                   "cpu_tensor_bytes", (150 * KiB, 260 * KiB)),
    "train_loss_leaky": ("total += loss;", "confirmed",
                         "host_heap_other_bytes", (2 * KiB, 16 * KiB)),
    "rnn_state_leaky": ("hidden = cell(syntheticBatch(i), hidden);",
                        "confirmed", "cpu_tensor_bytes",
                        (600 * KiB, 1400 * KiB)),
    "running_stat_leaky": ("running_mean = 0.9 * running_mean", "confirmed",
                           "cpu_tensor_bytes", (150 * KiB, 260 * KiB)),
    # Memory rises once, then stays flat: the finding is not confirmed.
    "warmup_cache": ("reference.push_back(logits);", "not-confirmed",
                     None, None),
    "eval_fixed": None,
    "train_loss_fixed": None,
    "rnn_state_fixed": None,
    "running_stat_fixed": None,
}

NO_GRAD = "torch-missing-no-grad"
OTHER_FINDINGS = {
    "eval_leaky": [(NO_GRAD, "= model(syntheticBatch(i));", "confirmed")],
    "running_stat_leaky": [(NO_GRAD, "= model(syntheticBatch(i));",
                            "confirmed")],
    "warmup_cache": [(NO_GRAD, "= model(syntheticBatch(i));",
                      "not-confirmed")],
}


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def expect(self, condition, what):
        if condition:
            self.passed += 1
            print("PASS", what)
        else:
            self.failed += 1
            print("FAIL", what)
        return condition


def line_of(path, text):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if text in line:
                return number
    raise SystemExit("%s: no line contains %r" % (path, text))


def check_probe_changes_no_results(args, checks):
    """The same training run with and without the probe prints the same
    losses, digit for digit (17 significant digits: every bit of a double)."""
    binary = os.path.join(args.build_dir, "examples", "mlp_train_loss_fixed")
    env = {k: v for k, v in os.environ.items() if k != "TORCH_TIDY_REPORT"}
    plain = subprocess.run([binary, "20"], env=env, capture_output=True,
                           text=True).stdout
    report = tempfile.mktemp(prefix="torch-tidy-e2e-", suffix=".json")
    probed = subprocess.run([binary, "20"], capture_output=True, text=True,
                            env=dict(env, TORCH_TIDY_REPORT=report)).stdout
    checks.expect(plain and plain == probed and os.path.exists(report),
                  "the probe leaves the losses unchanged (%s)" % plain.strip())


def check_report_survives_sigkill(args, work, checks):
    """A run killed with SIGKILL, or aborted (SIGABRT, as abort() raises),
    leaves its last complete report."""
    for sig in (signal.SIGKILL, signal.SIGABRT):
        check_report_survives(args, work, checks, sig)


def check_report_survives(args, work, checks, sig):
    binary = os.path.join(args.build_dir, "examples", "mlp_eval_fixed")
    report = os.path.join(work, "killed-%d.report.json" % sig)
    env = dict(os.environ, TORCH_TIDY_REPORT=report,
               TORCH_TIDY_REPORT_EVERY="5", TORCH_TIDY_REPORT_INTERVAL_MS="0")
    process = subprocess.Popen([binary, "1000000"], env=env,
                               stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not os.path.exists(report) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    process.send_signal(sig)
    process.wait()
    try:
        with open(report, encoding="utf-8") as f:
            data = json.load(f)
        iterations = data["sites"][0]["iterations"]
        ok = data["complete"] is False and iterations >= 5
    except (OSError, ValueError, KeyError, IndexError):
        ok, iterations = False, 0
    checks.expect(ok, "after %s the last report is complete JSON "
                      "(%d iterations recorded)" % (signal.Signals(sig).name,
                                                    iterations))


def check_processes_do_not_clobber(args, work, checks):
    """Two processes with TORCH_TIDY_REPORT=dir/report-%p.json write two
    reports, each complete."""
    binary = os.path.join(args.build_dir, "examples", "mlp_eval_fixed")
    directory = os.path.join(work, "two-processes")
    os.makedirs(directory)
    env = dict(os.environ,
               TORCH_TIDY_REPORT=os.path.join(directory, "report-%p.json"))
    processes = [subprocess.Popen([binary, "40"], env=env,
                                  stdout=subprocess.DEVNULL)
                 for _ in range(2)]
    pids = {str(p.pid) for p in processes}
    for process in processes:
        process.wait()
    names = sorted(os.listdir(directory))
    complete = 0
    for name in names:
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            data = json.load(f)
        complete += data["complete"] and data["sites"][0]["iterations"] == 40
    checks.expect(names == sorted("report-%s.json" % p for p in pids) and
                  complete == 2,
                  "two processes write two complete reports: %s" % names)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--torch-tidy", required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--no-host-heap", action="store_true",
                        help="skip the verdicts that rest on host heap "
                        "growth (ASan builds)")
    args = parser.parse_args()

    checks = Checks()
    work = tempfile.mkdtemp(prefix="torch-tidy-e2e-")
    for example, expected in EXAMPLES.items():
        finding_text, verdict, metric, growth_range = expected or (None,) * 4
        source = os.path.join(args.source_dir, "examples", "mlp", example + ".cpp")
        binary = os.path.join(args.build_dir, "examples", "mlp_" + example)
        findings_path = os.path.join(work, example + ".findings.json")
        report_path = os.path.join(work, example + ".report.json")
        confirmation_path = os.path.join(work, example + ".confirm.json")

        analysis = subprocess.run(
            [args.torch_tidy, "-p", args.build_dir, "--format=json",
             "--output=" + findings_path, source],
            capture_output=True, text=True)
        if not checks.expect(analysis.returncode == 0,
                             "%s: torch-tidy exits 0" % example):
            print(analysis.stderr)
            continue
        with open(findings_path, encoding="utf-8") as f:
            findings = json.load(f)["findings"]
        if finding_text is None:
            checks.expect(findings == [], "%s: no findings" % example)
        else:
            expected = [(KEPT, line_of(source, finding_text))] + [
                (rule, line_of(source, text))
                for rule, text, _ in OTHER_FINDINGS.get(example, [])]
            checks.expect(
                sorted((f["rule"], f["line"]) for f in findings) ==
                sorted(expected), "%s: findings %s" % (example, expected))

        env = dict(os.environ, TORCH_TIDY_REPORT=report_path)
        run = subprocess.run([binary, str(args.iterations)], env=env,
                             capture_output=True, text=True)
        checks.expect(run.returncode == 0 and os.path.exists(report_path),
                      "%s: runs with the probe and writes a report" % example)

        confirm = subprocess.run(
            [args.torch_tidy, "confirm", "--findings", findings_path,
             "--runtime", report_path, "--format=json",
             "--output", confirmation_path],
            capture_output=True, text=True)
        if not checks.expect(confirm.returncode == 0,
                             "%s: confirm exits 0" % example):
            print(confirm.stderr)
            continue
        with open(confirmation_path, encoding="utf-8") as f:
            confirmation = json.load(f)
        sites = confirmation["sites"]
        checks.expect(len(sites) == 1 and
                      sites[0]["iterations"] == args.iterations - 3,
                      "%s: one probe site with every iteration after warm-up"
                      % example)
        if finding_text is None:
            checks.expect(all(not s["grows"] for s in sites),
                          "%s: memory stays flat" % example)
            continue
        for rule, _, other_verdict in OTHER_FINDINGS.get(example, []):
            checks.expect(
                [v["verdict"] for v in confirmation["findings"]
                 if v["rule"] == rule] == [other_verdict],
                "%s: %s finding %s" % (example, rule, other_verdict))
        if args.no_host_heap and metric == "host_heap_other_bytes":
            # ASan's allocator bypasses glibc's, whose mallinfo2() the probe
            # reads: the host heap looks flat (make test-sanitize).
            print("SKIP %s: host heap growth is not measurable with ASan"
                  % example)
            continue
        verdicts = [v for v in confirmation["findings"] if v["rule"] == KEPT]
        if not checks.expect(len(verdicts) == 1 and
                             verdicts[0]["verdict"] == verdict,
                             "%s: finding %s" % (example, verdict)):
            print(json.dumps(confirmation, indent=1))
            continue
        if metric is None:
            continue
        growth = {m["metric"]: m["bytes_per_iteration"]
                  for m in verdicts[0]["evidence"]["metrics"] if m["grows"]}
        low, high = growth_range
        checks.expect(metric in growth and low <= growth[metric] <= high,
                      "%s: %s grows by %s bytes/iteration, expected %d..%d"
                      % (example, metric, growth.get(metric), low, high))

    check_probe_changes_no_results(args, checks)
    check_report_survives_sigkill(args, work, checks)
    check_processes_do_not_clobber(args, work, checks)

    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
