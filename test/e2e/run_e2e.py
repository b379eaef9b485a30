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
import subprocess
import sys
import tempfile

KiB = 1024

# example -> (expected finding line or None, metric that must grow, range
# of its growth per iteration in bytes). The finding is the one of
# torch-graph-kept-across-iterations; other rules' findings on the same
# example are in OTHER_FINDINGS.
EXAMPLES = {
    "eval_leaky": ("logits.push_back(batch_logits);", "cpu_tensor_bytes",
                   (150 * KiB, 260 * KiB)),
    "train_loss_leaky": ("total += loss;", "host_heap_other_bytes",
                         (2 * KiB, 16 * KiB)),
    "eval_fixed": (None, None, None),
    "train_loss_fixed": (None, None, None),
}

# example -> [(rule, text of its line)]: findings of other rules, which
# must be confirmed too.
OTHER_FINDINGS = {
    "eval_leaky": [("torch-missing-no-grad", "= model(syntheticBatch(i));")],
}

MAIN_RULE = "torch-graph-kept-across-iterations"


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--torch-tidy", required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()

    checks = Checks()
    work = tempfile.mkdtemp(prefix="torch-tidy-e2e-")
    for example, (finding_text, metric, growth_range) in EXAMPLES.items():
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
            expected_line = line_of(source, finding_text)
            expected = [(MAIN_RULE, expected_line)] + [
                (rule, line_of(source, text))
                for rule, text in OTHER_FINDINGS.get(example, [])]
            checks.expect(
                sorted((f["rule"], f["line"]) for f in findings) ==
                sorted(expected),
                "%s: findings %s" % (example, sorted(expected)))

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
        verdicts = confirmation["findings"]
        main = [v for v in verdicts if v["rule"] == MAIN_RULE]
        if not checks.expect(len(verdicts) == 1 + len(OTHER_FINDINGS.get(
                                 example, [])) and len(main) == 1 and
                             all(v["verdict"] == "confirmed"
                                 for v in verdicts),
                             "%s: findings confirmed" % example):
            print(json.dumps(confirmation, indent=1))
            continue
        growth = {m["metric"]: m["bytes_per_iteration"]
                  for m in main[0]["evidence"]["metrics"] if m["grows"]}
        low, high = growth_range
        checks.expect(metric in growth and low <= growth[metric] <= high,
                      "%s: %s grows by %s bytes/iteration, expected %d..%d"
                      % (example, metric, growth.get(metric), low, high))

    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
