# lit configuration for torch-tidy in the tools around it: pre-commit, the
# SARIF validator, clang-tidy-19 with the plugin (directly, from CMake and
# through run-clang-tidy), cmake --install and the CI examples.
#
# A tool these tests need that is missing stops the suite with an error
# naming it: the tests must not pass by skipping.
import os
import subprocess

import lit.formats

config.name = "torch-tidy tool integrations"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".test"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.torch_tidy_build_dir, "test",
                                     "tool-integrations")

sarif_multitool = os.path.join(config.npm_dir, "node_modules", ".bin",
                               "sarif-multitool")


def python_with_yaml():
    """An interpreter that can import yaml (Debian: python3-yaml)."""
    for python in (config.python, "/usr/bin/python3"):
        if os.path.exists(python) and subprocess.run(
                [python, "-c", "import yaml"],
                capture_output=True).returncode == 0:
            return python
    return None


yaml_python = python_with_yaml()
missing = []
if not config.pre_commit or not os.path.exists(config.pre_commit):
    missing.append("pre-commit (apt-get install pre-commit)")
if not config.run_clang_tidy or not os.path.exists(config.run_clang_tidy):
    missing.append("run-clang-tidy-19 (apt-get install clang-tidy-19)")
if not os.path.exists(sarif_multitool):
    missing.append("sarif-multitool (cmake --build %s --target "
                   "tool_integrations_npm, which runs npm ci)"
                   % config.torch_tidy_build_dir)
if not yaml_python:
    missing.append("PyYAML (apt-get install python3-yaml)")
if missing:
    lit_config.fatal("torch-tidy tool integrations: missing " + "; ".join(missing)
                     + "; scripts/install-deps.sh installs the packages")

# git and pre-commit must not read the user's configuration or cache (the
# pre-commit test also gives pre-commit its own PRE_COMMIT_HOME).
config.environment["HOME"] = os.path.join(config.test_exec_root, "home")
for name in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
    config.environment[name] = "torch-tidy tests"
for name in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
    config.environment[name] = "tests@torch-tidy.invalid"
os.makedirs(config.environment["HOME"], exist_ok=True)

src = config.torch_tidy_source_dir
config.substitutions.extend([
    ("%torch_tidy_dir", os.path.dirname(config.torch_tidy)),
    ("%torch_tidy", config.torch_tidy),
    ("%run_clang_tidy", config.run_clang_tidy),
    ("%clang_tidy", config.clang_tidy),
    ("%plugin", config.plugin),
    ("%pre_commit", config.pre_commit),
    ("%sarif_multitool", sarif_multitool),
    ("%yaml_python", yaml_python),
    ("%python", config.python),
    ("%FileCheck", config.filecheck),
    ("%cmake", config.cmake),
    ("%llvm_major", config.llvm_version_major),
    ("%build_dir", config.torch_tidy_build_dir),
    ("%src_root", src),
    ("%cli_inputs", os.path.join(src, "test", "cli", "Inputs")),
    ("%make_compile_db", os.path.join(src, "test", "cli",
                                      "make_compile_db.py")),
    ("%inputs", os.path.join(config.test_source_root, "Inputs")),
    ("%stubs", os.path.join(src, "test", "rules", "Inputs")),
])
