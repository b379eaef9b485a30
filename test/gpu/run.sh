#!/usr/bin/env bash
# The runtime probe on the GPU machine, in one call: configure against the
# PyTorch 2.x wheel's libtorch (no LLVM, no network), build the probe, the
# examples and their CUDA variants, run each with the probe, confirm the
# reports and print a table of verdicts.
#
#   test/gpu/run.sh [BUILD_DIR]        (default: build-gpu)
#
# Environment: PYTHON (default python3), ITERATIONS (default 40), JOBS
# (default: all cores), TORCH_TIDY_JSON_INCLUDE_DIR (a directory holding
# nlohmann/json.hpp when the nlohmann_json package is not installed).
set -euo pipefail

die() { echo "test/gpu/run.sh: error: $*" >&2; exit 1; }
step() { echo "== $* ($(date +%T))"; }

SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=${1:-$SOURCE_DIR/build-gpu}
PYTHON=${PYTHON:-python3}
ITERATIONS=${ITERATIONS:-40}
JOBS=${JOBS:-$(nproc)}

step "tools"
command -v cmake >/dev/null || die "cmake not found"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
command -v nvcc >/dev/null || echo "warning: nvcc not on PATH; CMake may not find the CUDA toolkit"
TORCH_PREFIX=$("$PYTHON" -c 'import torch; print(torch.utils.cmake_prefix_path)') ||
  die "cannot import torch with $PYTHON"
"$PYTHON" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda,
      "available", torch.cuda.is_available(), "devices", torch.cuda.device_count())'
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,memory.total,memory.used --format=csv,noheader || true
else
  echo "warning: nvidia-smi not found"
fi

# nlohmann/json: the package, else a header given by the caller, else one
# shipped inside the torch wheel.
JSON_ARGS=()
if [[ -n "${TORCH_TIDY_JSON_INCLUDE_DIR:-}" ]]; then
  JSON_ARGS=(-DTORCH_TIDY_JSON_INCLUDE_DIR="$TORCH_TIDY_JSON_INCLUDE_DIR")
else
  TORCH_INCLUDE=$("$PYTHON" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "include"))') ||
    TORCH_INCLUDE=""
  for dir in /usr/include /usr/local/include "$TORCH_INCLUDE"; do
    if [[ -n "$dir" && -f "$dir/nlohmann/json.hpp" ]]; then
      JSON_ARGS=(-DTORCH_TIDY_JSON_INCLUDE_DIR="$dir")
      break
    fi
  done
fi

step "configure ($BUILD_DIR)"
cmake -S "$SOURCE_DIR" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
  -DTORCH_TIDY_BUILD_ANALYZER=OFF -DTORCH_TIDY_BUILD_TESTS=OFF \
  -DTORCH_TIDY_BUILD_CUDA_EXAMPLES=ON \
  -DCMAKE_PREFIX_PATH="$TORCH_PREFIX" "${JSON_ARGS[@]}" ||
  die "configure failed (nlohmann/json missing? set TORCH_TIDY_JSON_INCLUDE_DIR)"
if ! grep -q 'TORCH_TIDY_WITH_CUDA' "$BUILD_DIR/compile_commands.json"; then
  echo "warning: the found libtorch has no c10_cuda: the probe measures CPU memory only"
fi

EXAMPLES=(mlp_eval_leaky mlp_eval_fixed mlp_train_loss_leaky mlp_train_loss_fixed
          cuda_eval_leaky cuda_eval_fixed cuda_train_loss_leaky cuda_train_loss_fixed)
step "build"
# Everything (tests are off): one parallel build rather than target by target.
cmake --build "$BUILD_DIR" -j "$JOBS"

WORK="$BUILD_DIR/gpu-run"
rm -rf "$WORK" && mkdir -p "$WORK"
echo '{"schema": "torch-tidy-findings", "version": 1, "findings": [], "errors": []}' \
  > "$WORK/no-findings.json"

step "run the examples with the probe ($ITERATIONS iterations)"
FAILED=0
for example in "${EXAMPLES[@]}"; do
  if ! TORCH_TIDY_REPORT="$WORK/$example.json" timeout 120 \
      "$BUILD_DIR/examples/$example" "$ITERATIONS" > "$WORK/$example.out" 2>&1; then
    echo "FAIL: $example exited non-zero:"; tail -5 "$WORK/$example.out"; FAILED=1
  fi
done

step "confirm"
printf '%-24s %-6s %-24s %12s %6s  %s\n' example growth metric "bytes/iter" tau "oom in"
for example in "${EXAMPLES[@]}"; do
  [[ -f "$WORK/$example.json" ]] || { echo "FAIL: $example wrote no report"; FAILED=1; continue; }
  "$BUILD_DIR/analyzer/confirm/torch-tidy-confirm" --findings "$WORK/no-findings.json" \
    --runtime "$WORK/$example.json" --format=json --output "$WORK/$example.confirm.json" \
    --chart "$WORK/$example.svg" || { echo "FAIL: confirm on $example"; FAILED=1; continue; }
  "$PYTHON" - "$example" "$WORK/$example.confirm.json" <<'PY'
import json, sys
example, path = sys.argv[1], sys.argv[2]
for site in json.load(open(path))["sites"]:
    oom = site.get("iterations_until_oom")
    oom = "%.0f (%s)" % (oom, site["oom_resource"]) if oom else "-"
    for m in site["metrics"]:
        print("%-24s %-6s %-24s %12.0f %6.2f  %s" % (
            example, "grows" if m["grows"] else "flat", m["metric"],
            m["bytes_per_iteration"], m["kendall_tau"], oom))
PY
done
grep -h "running on" "$WORK"/cuda_*.out | sort | uniq -c

step "automatic mode: cuda_train_loss_leaky with TORCH_TIDY_AUTO_ITERATION=backward"
# Backward nodes run on the device's engine thread here; the boundaries must
# still be one per iteration, on the training thread.
if TORCH_TIDY_REPORT="$WORK/automatic.json" TORCH_TIDY_AUTO_ITERATION=backward \
    timeout 120 "$BUILD_DIR/examples/cuda_train_loss_leaky" "$ITERATIONS" \
    > "$WORK/automatic.out" 2>&1; then
  "$PYTHON" - "$WORK/automatic.json" "$ITERATIONS" <<'PY' || FAILED=1
import json, sys
report, iterations = json.load(open(sys.argv[1])), int(sys.argv[2])
auto = [s for s in report["sites"] if s.get("boundary") == "backward-pass"]
print("automatic sites:", [(s["thread"], s["iterations"]) for s in auto])
ok = len(auto) == 1 and auto[0]["iterations"] == iterations
print("PASS" if ok else "FAIL", "one backward-pass site with %d boundaries" % iterations)
sys.exit(0 if ok else 1)
PY
else
  echo "FAIL: automatic mode run"; tail -5 "$WORK/automatic.out"; FAILED=1
fi

step "CUDA out of memory: cuda_oom"
# The report must hold the failure (device, bytes asked, last site) and the
# program must still catch c10::OutOfMemoryError itself.
TORCH_TIDY_REPORT="$WORK/oom.json" timeout 300 "$BUILD_DIR/examples/cuda_oom" \
  > "$WORK/oom.out" 2>&1 || true
cat "$WORK/oom.out"
"$PYTHON" - "$WORK/oom.json" "$WORK/oom.out" <<'PY' || FAILED=1
import json, sys
try:
    failure = json.load(open(sys.argv[1])).get("failure")
except (OSError, ValueError) as error:
    failure = None
    print("no report:", error)
print("failure:", json.dumps(failure))
caught = "caught c10::OutOfMemoryError" in open(sys.argv[2]).read()
ok = (caught and failure is not None and failure["kind"] == "cuda-out-of-memory"
      and failure.get("device") == 0 and failure["requested_bytes"] >= (256 << 20)
      and failure.get("last_site", {}).get("file", "").endswith("oom.cpp"))
print("PASS" if ok else "FAIL", "CUDA OOM recorded and the program caught it unchanged")
sys.exit(0 if ok else 1)
PY
step "origins mode on CUDA: cuda_origins_member with TORCH_TIDY_ORIGINS=1"
# CUDA blocks are tagged through the caching allocator's history recording
# (libtorch 2.1 or later): the growing site's top origin must be the clone
# line inside ActivationHistory::record(), on cuda:0.
if TORCH_TIDY_REPORT="$WORK/origins-cuda.json" TORCH_TIDY_ORIGINS=1 timeout 300 \
    "$BUILD_DIR/examples/cuda_origins_member" "$ITERATIONS" \
    > "$WORK/origins-cuda.out" 2>&1 &&
  "$BUILD_DIR/analyzer/confirm/torch-tidy-confirm" --findings "$WORK/no-findings.json" \
    --runtime "$WORK/origins-cuda.json" --source-root "$SOURCE_DIR/examples" \
    --format=json --output "$WORK/origins-cuda.confirm.json"; then
  "$PYTHON" - "$WORK/origins-cuda.json" "$WORK/origins-cuda.confirm.json" \
      "$SOURCE_DIR/examples/cuda/origins_member.cpp" <<'PY' || FAILED=1
import json, sys
report, confirmed, source = (json.load(open(sys.argv[1])),
                             json.load(open(sys.argv[2])), sys.argv[3])
line = [n for n, text in enumerate(open(source), 1)
        if "history_.push_back(activations.clone());" in text][0]
print("cuda_blocks:", report["origins"].get("cuda_blocks"),
      "stack cache:", {k: v for k, v in report["origins"].items()
                       if k.startswith("stack_")})
growing = [s for s in confirmed["sites"] if s["grows"]]
for site in growing:
    for o in site.get("origins", []):
        print("origin:", o.get("file"), o.get("line"), o["operator"],
              "device", o.get("device"), "%.0f B/it" % o["bytes_per_iteration"])
top = growing[0]["origins"][0] if growing and growing[0].get("origins") else {}
ok = (report["origins"].get("cuda_blocks") == "tagged" and
      (top.get("file"), top.get("line"), top.get("operator"), top.get("device"))
      == ("cuda/origins_member.cpp", line, "aten::clone", 0))
print("PASS" if ok else "FAIL", "the CUDA growth's top origin is "
      "cuda/origins_member.cpp:%d (aten::clone) on cuda:0" % line)
sys.exit(0 if ok else 1)
PY
else
  echo "FAIL: cuda_origins_member run or confirm"; tail -5 "$WORK/origins-cuda.out"; FAILED=1
fi

step "torch-tidy fit on CUDA: prediction at 8x against a run there"
# Phase peaks in reserved bytes, measured device overhead; prints the
# accuracy table of docs/performance.md for the GPU.
"$PYTHON" "$SOURCE_DIR/bench/fit/run_accuracy.py" \
  --torch-tidy "$BUILD_DIR/analyzer/confirm/torch-tidy-confirm" \
  --examples "$BUILD_DIR/examples" --device cuda --target cuda \
  | tee "$WORK/fit-accuracy.md" || echo "fit accuracy above 5% on CUDA (table above)"
"$BUILD_DIR/analyzer/confirm/torch-tidy-confirm" fit --memory 24GiB \
  --batch-sizes 8,16,32 -- "$BUILD_DIR/examples/fit_mlp" --device cuda \
  --batch-size {} | tee "$WORK/fit-mlp.txt" || { echo "FAIL: fit on CUDA"; FAILED=1; }

echo "reports, confirmations and charts: $WORK"
[[ $FAILED -eq 0 ]] || die "some steps failed (above)"
step "done"
