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
import shutil
import signal
import subprocess
import sys
import tempfile
import time

KiB = 1024

KEPT = "torch-graph-kept-across-iterations"

# example -> the finding it must have, of torch-graph-kept-across-iterations
# unless PRIMARY_RULE names another rule (the text of its line), its verdict, and for a confirmed one the metric
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
    # A hand-written parameter update (EMA of the weights) with autograd
    # on; its rule is in PRIMARY_RULE.
    "ema_leaky": ("ema[k] = decay * ema[k]", "confirmed",
                  "host_heap_other_bytes", (2 * KiB, 16 * KiB)),
    # Memory rises once, then stays flat: the finding is not confirmed.
    "warmup_cache": ("reference.push_back(logits);", "not-confirmed",
                     None, None),
    "eval_fixed": None,
    "train_loss_fixed": None,
    "rnn_state_fixed": None,
    "running_stat_fixed": None,
    "ema_fixed": None,
}

UNGUARDED = "torch-unguarded-parameter-update"
# The rule of an example's main finding when it is not KEPT.
PRIMARY_RULE = {"ema_leaky": UNGUARDED}

NO_GRAD = "torch-missing-no-grad"
OTHER_FINDINGS = {
    # The unguarded forward passes of eval_leaky, running_stat_leaky and
    # rnn_state_leaky feed the store that keeps their graphs in every
    # iteration: one defect, reported once by KEPT with the forward pass as
    # a note. warmup_cache keeps one batch only, so its forward pass stands
    # on its own: memory is flat after the warm-up, but grad mode is on in
    # the evaluation loop, and the missing guard is confirmed by grad mode.
    "warmup_cache": [(NO_GRAD, "= model(syntheticBatch(i));",
                      "confirmed")],
}

# The automatic mode (TORCH_TIDY_AUTO_ITERATION=backward, the shared probe
# preloaded into a binary without markers): example -> the verdict of its
# main finding (None: it has none, and the automatic site must stay flat),
# and the verdict of every other finding.
AUTOMATIC = {
    "train_loss_leaky": ("confirmed", None),
    "ema_leaky": ("confirmed", None),
    "train_loss_fixed": (None, None),
    # No backward() (evaluation, streaming inference): the automatic mode
    # sees no iteration at all.
    "eval_leaky": ("not-exercised", "not-exercised"),
    "rnn_state_leaky": ("not-exercised", "not-exercised"),
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


def run_confirm(args, checks, name, findings_path, report_path,
                confirmation_path):
    """Runs confirm with JSON output; its document, or None (a failed
    check) when it did not exit 0."""
    confirm = subprocess.run(
        [args.torch_tidy, "confirm", "--findings", findings_path,
         "--runtime", report_path, "--format=json",
         "--output", confirmation_path], capture_output=True, text=True)
    if not checks.expect(confirm.returncode == 0,
                         "%s: confirm exits 0" % name):
        print(confirm.stderr)
        return None
    with open(confirmation_path, encoding="utf-8") as f:
        return json.load(f)


def check_automatic_mode(args, work, checks):
    """Binaries built without markers or the probe, measured by preloading
    the shared probe with TORCH_TIDY_AUTO_ITERATION=backward, confirm the
    findings of the same source."""
    preload = os.path.join(args.build_dir, "runtime", "libtorch_tidy_probe.so")
    for example, (kept_verdict, other_verdict) in AUTOMATIC.items():
        binary = os.path.join(args.build_dir, "examples", "unmarked_" + example)
        findings_path = os.path.join(work, example + ".findings.json")
        report_path = os.path.join(work, example + ".automatic.json")
        confirmation_path = os.path.join(work, example + ".automatic.confirm")
        env = dict(os.environ, TORCH_TIDY_REPORT=report_path,
                   TORCH_TIDY_AUTO_ITERATION="backward", LD_PRELOAD=preload)
        run = subprocess.run([binary, str(args.iterations)], env=env,
                             capture_output=True, text=True)
        if not checks.expect(run.returncode == 0 and
                             os.path.exists(report_path),
                             "automatic %s: runs and writes a report"
                             % example):
            print(run.stderr)
            continue
        confirmation = run_confirm(args, checks, "automatic " + example,
                                   findings_path, report_path,
                                   confirmation_path)
        if confirmation is None:
            continue
        sites = confirmation["sites"]
        if kept_verdict == "not-exercised":
            checks.expect(sites == [], "automatic %s: no boundary without "
                          "backward()" % example)
        else:
            # One boundary per backward pass, the first after the warm-up.
            checks.expect(
                len(sites) == 1 and
                sites[0]["site"].get("boundary") == "backward-pass" and
                sites[0]["iterations"] == args.iterations - 3,
                "automatic %s: one backward-pass site with every iteration "
                "after warm-up" % example)
        if args.no_host_heap and kept_verdict == "confirmed":
            # Both confirm by graph nodes on the host heap (see main()).
            print("SKIP automatic %s: host heap growth is not measurable "
                  "with ASan" % example)
            continue
        verdicts = {(v["rule"], v["verdict"])
                    for v in confirmation["findings"]}
        expected = set()
        if kept_verdict is not None:
            expected.add((PRIMARY_RULE.get(example, KEPT), kept_verdict))
        for rule, _, _ in OTHER_FINDINGS.get(example, []):
            expected.add((rule, other_verdict))
        if kept_verdict is None:
            checks.expect(verdicts == set() and
                          all(not s["grows"] for s in sites),
                          "automatic %s: no findings, memory flat" % example)
        else:
            checks.expect(verdicts == expected, "automatic %s: verdicts %s"
                          % (example, sorted(expected)))


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


def check_instrumented_copy(args, work, checks):
    """eval_to_instrument.cpp has no probe marker. torch-tidy
    --instrument-dir writes an instrumented copy where the
    mlp_eval_instrumented target builds it; the copy runs with the probe,
    and confirm confirms the findings of that same run's findings file:
    no hand edit."""
    source = os.path.join(args.source_dir, "examples", "mlp",
                          "eval_to_instrument.cpp")
    copies = os.path.abspath(os.path.join(args.build_dir, "examples",
                                          "instrumented"))
    copy = os.path.join(copies, "eval_to_instrument.cpp")
    findings_path = os.path.join(work, "instrumented.findings.json")
    report_path = os.path.join(work, "instrumented.report.json")
    if os.path.exists(copy):
        os.remove(copy)
    with open(source, "rb") as f:
        original = f.read()
    analysis = subprocess.run(
        [args.torch_tidy, "-p", args.build_dir, "--instrument-dir=" + copies,
         "--format=json", "--output=" + findings_path, source],
        capture_output=True, text=True)
    with open(source, "rb") as f:
        untouched = f.read() == original
    markers = [line for line in analysis.stderr.splitlines()
               if line.startswith("torch-tidy: marker added at " + copy + ":")]
    if not checks.expect(analysis.returncode == 0 and untouched and
                         len(markers) == 1,
                         "eval_to_instrument: --instrument-dir writes a copy "
                         "with one marker and leaves the source alone"):
        print(analysis.stderr)
        return
    build = subprocess.run(
        [args.cmake, "--build", args.build_dir, "--target",
         "mlp_eval_instrumented"], capture_output=True, text=True)
    if not checks.expect(build.returncode == 0,
                         "eval_to_instrument: the instrumented copy builds"):
        print(build.stdout[-4000:] + build.stderr[-4000:])
        return
    binary = os.path.join(args.build_dir, "examples", "mlp_eval_instrumented")
    run = subprocess.run([binary, str(args.iterations)],
                         env=dict(os.environ, TORCH_TIDY_REPORT=report_path),
                         capture_output=True, text=True)
    checks.expect(run.returncode == 0 and os.path.exists(report_path),
                  "eval_to_instrument: the copy runs with the probe")
    confirm = subprocess.run(
        [args.torch_tidy, "confirm", "--findings", findings_path,
         "--runtime", report_path, "--format=json"],
        capture_output=True, text=True)
    try:
        verdicts = {v["rule"]: v
                    for v in json.loads(confirm.stdout)["findings"]}
        kept = verdicts[KEPT]
        growth = {m["metric"]: m["bytes_per_iteration"]
                  for m in kept["evidence"]["metrics"] if m["grows"]}
    except (ValueError, KeyError):
        verdicts, kept, growth = {}, {}, {}
    # The unguarded forward pass is a note of the kept graph: one finding.
    checks.expect(
        kept.get("verdict") == "confirmed" and set(verdicts) == {KEPT} and
        150 * KiB <= growth.get("cpu_tensor_bytes", 0) <= 260 * KiB,
        "eval_to_instrument: the one finding of the instrumented loop "
        "confirmed (cpu_tensor_bytes +%s bytes/iteration)"
        % growth.get("cpu_tensor_bytes"))


# Origins mode (TORCH_TIDY_ORIGINS=1): program -> (source under examples/,
# text of the line that must be the growing site's top origin, operator).
ORIGINS = {
    "origins_helper_cache": ("origins/feature_cache.cpp",
                             "torch::tanh(batch);", "aten::tanh"),
    "origins_lambda_capture": ("origins/lambda_capture.cpp",
                               "batch.mul(0.5);", "aten::mul"),
    "origins_class_member": ("origins/class_member.cpp",
                             "activations.clone()", "aten::clone"),
    "origins_create_graph": ("origins/create_graph.cpp",
                             "b.data.clone().requires_grad_(true);",
                             "aten::clone"),
    # The examples: eval keeps each batch's graph, whose largest saved
    # tensor is the hidden layer's activation, made in the model.
    "mlp_eval_leaky": ("mlp/mlp.h", "return output(torch::relu(hidden(x)));",
                       "aten::relu"),
}
# Growth on the heap outside tensors: the graph origin that chains
# iterations together.
GRAPH_ORIGINS = {
    "mlp_train_loss_leaky": ("mlp/train_loss_leaky.cpp", "total += loss;",
                             "aten::add_"),
}


def run_origins(args, work, name, binary=None):
    """Runs a program in origins mode; the report's path, or None."""
    binary = binary or os.path.join(args.build_dir, "examples", name)
    report = os.path.join(work, name + ".origins.json")
    run = subprocess.run([binary, str(args.iterations)], capture_output=True,
                         text=True, env=dict(os.environ,
                                             TORCH_TIDY_REPORT=report,
                                             TORCH_TIDY_ORIGINS="1"))
    if run.returncode != 0 or not os.path.exists(report):
        print(run.stderr[-2000:])
        return None
    return report


def confirm_origins(args, report, work, name, extra=()):
    """confirm's JSON for a report, with no findings; (exit code, document
    or None, stderr)."""
    findings = os.path.join(work, "no-findings.json")
    with open(findings, "w", encoding="utf-8") as f:
        json.dump({"schema": "torch-tidy-findings", "version": 1,
                   "findings": [], "errors": []}, f)
    confirm = subprocess.run(
        [args.torch_tidy, "confirm", "--findings", findings, "--runtime",
         report, "--source-root", os.path.join(args.source_dir, "examples")]
        + list(extra), capture_output=True, text=True)
    document = None
    if confirm.returncode == 0 and "--format=json" in extra:
        document = json.loads(confirm.stdout)
    return confirm.returncode, document, confirm.stdout + confirm.stderr


def check_origins(args, work, checks):
    """Each program names the line that made what its loop keeps, as a lead
    (no finding covers these runs), in JSON and SARIF."""
    for name, (source, text, operator) in ORIGINS.items():
        report = run_origins(args, work, name)
        if not checks.expect(report, "origins %s: runs and writes a report"
                             % name):
            continue
        line = line_of(os.path.join(args.source_dir, "examples", source),
                       text)
        code, document, output = confirm_origins(args, report, work, name,
                                                 ["--format=json"])
        try:
            site = [s for s in document["sites"] if s["grows"]][0]
            top = site["origins"][0]
            lead = document["leads"][0]
            named = (top.get("file"), top.get("line"), top["operator"])
            at_lead = (lead["file"], lead["line"], lead["rule"])
        except (TypeError, KeyError, IndexError):
            named, at_lead = None, None
            print(output[-3000:])
        checks.expect(named == (source, line, operator) and
                      at_lead == (source, line, "torch-runtime-growth"),
                      "origins %s: the growing site's top origin and lead are "
                      "%s:%d (%s); got %s" % (name, source, line, operator,
                                              named))
        if name == "origins_helper_cache":
            chart = os.path.join(work, name + ".svg")
            confirm_origins(args, report, work, name, ["--chart", chart])
            with open(chart, encoding="utf-8") as f:
                svg = f.read()
            checks.expect('<rect class="origin"' in svg and
                          "%s:%d (%s)</title>" % (source, line, operator)
                          in svg,
                          "origins %s: the chart's breakdown names %s:%d"
                          % (name, source, line))
            code, _, sarif = confirm_origins(args, report, work, name,
                                             ["--format=sarif"])
            try:
                result = json.loads(sarif)["runs"][0]["results"][0]
                ok = (result["ruleId"] == "torch-runtime-growth" and
                      result["locations"][0]["physicalLocation"]["region"]
                      ["startLine"] == line)
            except (ValueError, KeyError, IndexError):
                ok = False
            checks.expect(code == 0 and ok, "origins %s: the lead is a SARIF "
                          "result of torch-runtime-growth at line %d"
                          % (name, line))
    for name, (source, text, operator) in GRAPH_ORIGINS.items():
        report = run_origins(args, work, name)
        if not checks.expect(report, "graph origins %s: runs" % name):
            continue
        if args.no_host_heap:
            print("SKIP graph origins %s: host heap growth is not measurable "
                  "with ASan" % name)
            continue
        line = line_of(os.path.join(args.source_dir, "examples", source),
                       text)
        code, document, output = confirm_origins(args, report, work, name,
                                                 ["--format=json"])
        try:
            site = [s for s in document["sites"] if s["grows"]][0]
            top = site["graph_origins"][0]
            named = (top.get("file"), top.get("line"), top["operator"],
                     top["chains_across_iterations"])
        except (TypeError, KeyError, IndexError):
            named = None
            print(output[-3000:])
        checks.expect(named == (source, line, operator, True),
                      "graph origins %s: the chain is held at %s:%d (%s); "
                      "got %s" % (name, source, line, operator, named))


def check_origins_joined(args, work, checks):
    """create_graph.cpp has a finding (the backward with create_graph): the
    finding is confirmed, its evidence names the clone line as the origin,
    kept alive by the finding's statement, and the site is no lead."""
    source = os.path.join(args.source_dir, "examples", "origins",
                          "create_graph.cpp")
    findings = os.path.join(work, "create_graph.findings.json")
    analysis = subprocess.run(
        [args.torch_tidy, "-p", args.build_dir, "--format=json",
         "--output=" + findings, source], capture_output=True, text=True)
    report = run_origins(args, work, "origins_create_graph")
    if not checks.expect(analysis.returncode == 0 and report,
                         "origins joined: analysis and run"):
        print(analysis.stderr[-2000:])
        return
    root = os.path.join(args.source_dir, "examples")
    confirm = subprocess.run(
        [args.torch_tidy, "confirm", "--findings", findings, "--runtime",
         report, "--source-root", root, "--format=json"],
        capture_output=True, text=True)
    text = subprocess.run(
        [args.torch_tidy, "confirm", "--findings", findings, "--runtime",
         report, "--source-root", root], capture_output=True, text=True).stdout
    clone = line_of(source, "b.data.clone().requires_grad_(true);")
    backward = line_of(source, "score.backward({}, true, true);")
    try:
        document = json.loads(confirm.stdout)
        finding = document["findings"][0]
        top = finding["evidence"]["origins"][0]
        ok = (finding["line"] == backward and
              finding["verdict"] == "confirmed" and
              (top["file"], top["line"]) == ("origins/create_graph.cpp",
                                             clone) and
              document["leads"] == [])
    except (ValueError, KeyError, IndexError):
        ok = False
    checks.expect(ok and "allocated at origins/create_graph.cpp:%d "
                  "(aten::clone), kept alive by the finding's statement "
                  "(line %d)" % (clone, backward) in text,
                  "origins joined: the confirmed finding at line %d names "
                  "the clone at line %d as its origin, and no lead"
                  % (backward, clone))
    # The same verdict as SARIF, written by the analysis's writer: the rule
    # described, the path relative to the source root, a valid log.
    sarif_path = os.path.join(work, "create_graph.confirm.sarif")
    sarif = subprocess.run(
        [args.torch_tidy, "confirm", "--findings", findings, "--runtime",
         report, "--source-root", root, "--format=sarif",
         "--output=" + sarif_path], capture_output=True, text=True)
    valid = sarif.returncode == 0 and subprocess.run(
        [sys.executable, os.path.join(args.source_dir, "test", "cli",
                                      "validate_sarif.py"), sarif_path],
        capture_output=True).returncode == 0
    try:
        with open(sarif_path, encoding="utf-8") as f:
            result = json.load(f)["runs"][0]["results"][0]
        location = result["locations"][0]["physicalLocation"]
        ok = (valid and location["artifactLocation"] ==
              {"uri": "origins/create_graph.cpp", "uriBaseId": "%SRCROOT%"}
              and location["region"]["startLine"] == backward and
              "confirmed at run time" in result["message"]["text"] and
              "primaryLocationLineHash" in result["partialFingerprints"])
    except (OSError, ValueError, KeyError, IndexError):
        ok = False
    checks.expect(ok, "origins joined: the SARIF result of the confirmed "
                  "finding is valid, relative to the source root, with its "
                  "evidence and fingerprint")


def check_origins_bad_inputs(args, work, checks):
    """No debug info: functions only, and said so. A truncated report: one
    line naming the file, exit 2. A binary rebuilt since the report: said
    so, and no line named."""
    report = run_origins(args, work, "origins_class_member_nodebug")
    code, document, output = confirm_origins(
        args, report, work, "nodebug", ["--format=json"]) if report else \
        (None, None, "")
    try:
        top = [s for s in document["sites"] if s["grows"]][0]["origins"][0]
        # record() is inlined into main at -O2/-O3: without line tables
        # (which also record inlining) main is the user frame left.
        ok = (top["naming"] == "function-only" and "line" not in top and
              top["function"] in ("main", "ActivationHistory::record("
                                  "at::Tensor const&)") and
              any("no line tables" in n for n in document["origin_notes"]))
    except (TypeError, KeyError, IndexError):
        ok = False
        print(output[-2000:])
    checks.expect(ok, "origins without debug info: the function is named, "
                  "no line, and a note says why")

    report = run_origins(args, work, "origins_class_member")
    truncated = os.path.join(work, "truncated.origins.json")
    with open(report, encoding="utf-8") as f:
        text = f.read()
    with open(truncated, "w", encoding="utf-8") as f:
        f.write(text[:len(text) // 2])
    code, _, output = confirm_origins(args, truncated, work, "truncated")
    checks.expect(code == 2 and truncated + ": not valid JSON" in output,
                  "a truncated origins report: one line naming the file, "
                  "exit 2")

    # Run a copy, then put another build at its path: the build id changes.
    copy = os.path.join(work, "origins_rebuilt")
    shutil.copy(os.path.join(args.build_dir, "examples",
                             "origins_class_member"), copy)
    report = run_origins(args, work, "origins_rebuilt", binary=copy)
    shutil.copy(os.path.join(args.build_dir, "examples",
                             "origins_lambda_capture"), copy)
    code, document, output = confirm_origins(args, report, work, "rebuilt",
                                             ["--format=json"])
    try:
        top = [s for s in document["sites"] if s["grows"]][0]["origins"][0]
        ok = (top["naming"] == "rebuilt" and "line" not in top and
              any("rebuilt since the report" in n
                  for n in document["origin_notes"]))
    except (TypeError, KeyError, IndexError):
        ok = False
        print(output[-2000:])
    checks.expect(code == 0 and ok, "origins from a rebuilt binary: said so, "
                  "no line named")
    _, _, text_output = confirm_origins(args, report, work, "rebuilt")
    checks.expect("allocated at " + os.path.join("origins",
                                                  "class_member.cpp")
                  not in text_output and
                  "allocated at an unnamed frame (the binary was rebuilt"
                  in text_output and
                  "rebuilt since the report" in text_output,
                  "origins from a rebuilt binary: the text names no line")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--torch-tidy", required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--cmake", default="cmake")
    parser.add_argument("--no-host-heap", action="store_true",
                        help="skip the verdicts that rest on host heap "
                        "growth (ASan builds)")
    parser.add_argument("--origins-only", action="store_true",
                        help="run the origins-mode checks only")
    args = parser.parse_args()

    checks = Checks()
    work = tempfile.mkdtemp(prefix="torch-tidy-e2e-")
    if args.origins_only:
        check_origins(args, work, checks)
        check_origins_joined(args, work, checks)
        check_origins_bad_inputs(args, work, checks)
        print("%d passed, %d failed" % (checks.passed, checks.failed))
        return 0 if checks.failed == 0 else 1
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
            primary = PRIMARY_RULE.get(example, KEPT)
            expected = [(primary, line_of(source, finding_text))] + [
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

        confirmation = run_confirm(args, checks, example, findings_path,
                                   report_path, confirmation_path)
        if confirmation is None:
            continue
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
        verdicts = [v for v in confirmation["findings"]
                    if v["rule"] == PRIMARY_RULE.get(example, KEPT)]
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

    check_origins(args, work, checks)
    check_origins_joined(args, work, checks)
    check_origins_bad_inputs(args, work, checks)
    check_instrumented_copy(args, work, checks)
    check_automatic_mode(args, work, checks)
    check_probe_changes_no_results(args, checks)
    check_report_survives_sigkill(args, work, checks)
    check_processes_do_not_clobber(args, work, checks)

    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
