#!/usr/bin/env python3
"""How well `torch-tidy fit` predicts a peak it has not measured.

For each example program: fit from three small batch sizes, predict the
peak at 8x the largest of them, then run at that size and compare. The
measured peak comes from `torch-tidy fit` itself (its measured table), so
both sides use the same definition: the largest phase peak over the
measured iterations. Prints a Markdown table (docs/performance.md).

  bench/fit/run_accuracy.py --torch-tidy build/analyzer/torch-tidy \
      --examples build/examples [--target cpu] [--device cuda --target cuda]
"""
import argparse
import json
import subprocess
import sys

PROGRAMS = [
    # (name, executable, three batch sizes, linear: counts for the target)
    ("MLP 256-512-10, SGD", "fit_mlp", [8, 16, 32], True),
    ("MLP 256-512-10, SGD", "fit_mlp", [32, 64, 128], True),
    ("CNN 2 conv + linear, 28x28, Adam", "fit_cnn", [8, 16, 32], True),
    ("LSTM 64-128, 32 steps, RMSprop", "fit_lstm", [8, 16, 32], True),
    # Sequence length = the number: quadratic, so fit must warn.
    ("attention, sequence = N (quadratic)", "fit_attention", [32, 64, 128],
     False),
]


def run_fit(torch_tidy, program, sizes, target, iterations, predict=None,
            device="cpu"):
    command = torch_tidy + [
        "fit", "--memory", "1TiB", "--target=" + target, "--format=json",
        "--iterations", str(iterations),
        "--batch-sizes", ",".join(str(s) for s in sizes),
    ] + (["--predict", str(predict)] if predict else []) + [
        "--", program, "--batch-size", "{}", "--device", device,
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("fit failed (%d): %s\n%s" % (done.returncode,
                                               " ".join(command), done.stderr))
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--torch-tidy", required=True,
                        help="torch-tidy, or torch-tidy-confirm")
    parser.add_argument("--examples", required=True,
                        help="directory with the fit_* example programs")
    parser.add_argument("--target", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"],
                        help="where the examples put model and data")
    parser.add_argument("--iterations", type=int, default=4)
    parser.add_argument("--factor", type=int, default=8)
    args = parser.parse_args()
    torch_tidy = [args.torch_tidy]

    print("| program | measured at | predicted at | predicted | measured "
          "| difference | error | fit says |")
    print("|---|---|---|---|---|---|---|---|")
    worst = 0.0
    for name, executable, sizes, linear in PROGRAMS:
        program = "%s/%s" % (args.examples, executable)
        far = sizes[-1] * args.factor
        answer = run_fit(torch_tidy, program, sizes, args.target,
                         args.iterations, predict=far, device=args.device)
        prediction = answer["prediction"]["peak_bytes"]
        check = run_fit(torch_tidy, program, [sizes[0], far], args.target,
                        args.iterations, device=args.device)
        measured = check["measured"][-1]["peak_bytes"]
        error = (prediction - measured) / measured
        says = "not linear" if answer["warnings"] else "linear"
        if linear:
            worst = max(worst, abs(error))
        print("| %s | %s | %d | %.3f MiB | %.3f MiB | %+d B | %+.2f%% | %s |"
              % (name, ", ".join(str(s) for s in sizes), far,
                 prediction / 2**20, measured / 2**20,
                 round(prediction - measured), 100 * error, says))
    print("\nlargest error of the linear programs: %.2f%%" % (100 * worst))
    return 0 if worst <= 0.05 else 1


if __name__ == "__main__":
    sys.exit(main())
