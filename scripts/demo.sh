#!/usr/bin/env bash
# The demo: analyse the bundled leaky example, run it with the probe, and
# confirm the finding with the memory it really grows by.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=.demo
mkdir -p "$out"
example=examples/mlp/eval_leaky.cpp

# The example is one file, and the build's compile database also lists
# torch-tidy's own sources: a whole-project run would summarise all of them
# first.
echo "== 1. torch-tidy finds the pattern ($example)"
"$build/analyzer/torch-tidy" -p "$build" --no-project "$example" || true

echo
echo "== 2. the same findings as JSON, for confirm"
"$build/analyzer/torch-tidy" -p "$build" --no-project --format=json --output="$out/findings.json" "$example"
echo "wrote $out/findings.json"

echo
echo "== 3. run the program with the probe (TORCH_TIDY_REPORT set)"
TORCH_TIDY_REPORT="$out/report.json" "$build/examples/mlp_eval_leaky" 30
echo "wrote $out/report.json"

echo
echo "== 4. torch-tidy confirm"
"$build/analyzer/torch-tidy" confirm --findings "$out/findings.json" --runtime "$out/report.json" --chart "$out/memory.svg"
echo "chart of memory per iteration: $out/memory.svg"
