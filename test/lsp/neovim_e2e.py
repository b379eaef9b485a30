#!/usr/bin/env python3
"""End-to-end test with a real editor: Neovim (headless, built-in LSP
client) opens the leaky file of a small CMake project, gets torch-tidy's
diagnostics, applies both quick fixes, saves, and the findings are gone.

  neovim_e2e.py --torch-tidy BUILD/analyzer/torch-tidy --stubs DIR
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def fail(message):
    sys.exit("neovim_e2e: FAIL: " + message)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--torch-tidy", required=True)
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--nvim", default="nvim")
    args = parser.parse_args()
    if not shutil.which(args.nvim):
        fail("%s not found (apt-get install neovim)" % args.nvim)

    work = tempfile.mkdtemp(prefix="torch-tidy-nvim-")
    try:
        project = os.path.join(work, "project")
        shutil.copytree(os.path.join(HERE, "Inputs", "cmake-project"), project)
        subprocess.run(["cmake", "-S", project, "-B",
                        os.path.join(project, "build"),
                        "-DTORCH_TIDY_STUBS=" + os.path.abspath(args.stubs)],
                       check=True, stdout=subprocess.DEVNULL)
        leaky = os.path.join(project, "collect.cpp")
        with open(leaky) as f:
            original = f.read()
        result_path = os.path.join(work, "result.json")
        env = dict(os.environ, E2E_TORCH_TIDY=os.path.abspath(args.torch_tidy),
                   E2E_CACHE=os.path.join(work, "cache"),
                   E2E_PROJECT=project, E2E_FILE=leaky,
                   E2E_RESULT=result_path, HOME=work,
                   XDG_CONFIG_HOME=os.path.join(work, "config"),
                   XDG_DATA_HOME=os.path.join(work, "data"),
                   XDG_STATE_HOME=os.path.join(work, "state"))
        try:
            subprocess.run([args.nvim, "--headless", "--clean", "-n",
                            "-c", "luafile " + os.path.join(HERE,
                                                            "neovim_e2e.lua")],
                           env=env, cwd=project, timeout=400,
                           stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            fail("Neovim did not finish within 400 s")
        if not os.path.exists(result_path):
            fail("Neovim wrote no result")
        with open(result_path) as f:
            result = json.load(f)
        print(json.dumps(result, indent=1))
        if result.get("problem"):
            fail(result["problem"])
        steps = {s["name"]: s["diagnostics"] for s in result["steps"]}
        opened = sorted(d["code"] for d in steps["opened"])
        if opened != ["torch-graph-kept-across-iterations",
                      "torch-missing-no-grad"]:
            fail("unexpected diagnostics after opening: %s" % opened)
        if [d["code"] for d in steps["detached and saved"]] != [
                "torch-missing-no-grad"]:
            fail("after the first fix: %s" % steps["detached and saved"])
        if steps["guarded and saved"]:
            fail("findings left after both fixes: %s"
                 % steps["guarded and saved"])
        with open(leaky) as f:
            saved = f.read()
        for expected in ("outputs.push_back(out.detach());",
                         "torch::NoGradGuard no_grad;"):
            if expected not in saved:
                fail("the saved file lacks %r:\n%s" % (expected, saved))
        if saved == original:
            fail("the file was not saved")
        print("neovim_e2e: PASS")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
