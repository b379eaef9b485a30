#!/usr/bin/env python3
"""End-to-end test with a real editor: the editor, configured with the
shipped configuration (editors/), opens the leaky file of a small CMake
project, gets torch-tidy's diagnostics, applies both quick fixes with code
actions, saves, and the findings are gone.

  editor_e2e.py --editor neovim|eglot|lsp-mode
                --torch-tidy BUILD/analyzer/torch-tidy --stubs DIR

neovim:   Neovim headless, its built-in client (neovim_e2e.lua);
eglot:    Emacs in batch mode with eglot (emacs_eglot_e2e.el);
lsp-mode: Emacs in batch mode with lsp-mode (emacs_lsp_mode_e2e.el).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Per editor: the program, how to install it, its shipped configuration and
# the command that runs the driver script.
EDITORS = {
    "neovim": ("nvim", "apt-get install neovim",
               os.path.join("editors", "neovim", "torch-tidy.lua"),
               lambda program: [program, "--headless", "--clean", "-n", "-c",
                                "luafile " + os.path.join(HERE,
                                                          "neovim_e2e.lua")]),
    "eglot": ("emacs", "apt-get install emacs-nox elpa-eglot",
              os.path.join("editors", "emacs", "torch-tidy-eglot.el"),
              lambda program: [program, "--batch", "-Q", "-l",
                               os.path.join(HERE, "emacs_eglot_e2e.el")]),
    "lsp-mode": ("emacs", "apt-get install emacs-nox elpa-lsp-mode",
                 os.path.join("editors", "emacs", "torch-tidy-lsp-mode.el"),
                 lambda program: [program, "--batch", "-Q", "-l",
                                  os.path.join(HERE,
                                               "emacs_lsp_mode_e2e.el")]),
}


def fail(message):
    sys.exit("editor_e2e: FAIL: " + message)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--torch-tidy", required=True)
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--editor", choices=sorted(EDITORS), required=True)
    args = parser.parse_args()
    program, install, config, command = EDITORS[args.editor]
    if not shutil.which(program):
        fail("%s not found (%s)" % (program, install))

    work = tempfile.mkdtemp(prefix="torch-tidy-editor-")
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
                   E2E_CONFIG=os.path.join(ROOT, config),
                   XDG_CONFIG_HOME=os.path.join(work, "config"),
                   XDG_DATA_HOME=os.path.join(work, "data"),
                   XDG_STATE_HOME=os.path.join(work, "state"))
        try:
            subprocess.run(command(program), env=env, cwd=project,
                           timeout=400, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            fail("%s did not finish within 400 s" % args.editor)
        if not os.path.exists(result_path):
            fail("%s wrote no result" % args.editor)
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
        print("editor_e2e: %s: PASS" % args.editor)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
