# lit configuration for the command-line behaviour of torch-tidy: options,
# output formats, exit codes and error messages.
import os

import lit.formats

config.name = "torch-tidy command line"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".test"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.torch_tidy_build_dir, "test", "cli")

config.substitutions.append(("%torch_tidy", config.torch_tidy))
# clang-tidy-19 with the plugin: its --dump-config shows the checks' options
# with their defaults (rule-docs.test).
config.substitutions.append(("%clang_tidy", config.clang_tidy))
config.substitutions.append(("%plugin", config.plugin))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%FileCheck", config.filecheck))
config.substitutions.append(
    ("%inputs", os.path.join(config.test_source_root, "Inputs")))
config.substitutions.append(
    ("%probe_include", os.path.join(config.test_source_root, "..", "..",
                                    "runtime", "include")))
config.substitutions.append(
    ("%stubs", os.path.join(config.test_source_root, "..", "rules", "Inputs")))

# torch-tidy's default header cache lives under $XDG_CACHE_HOME: keep the
# tests' entries in the build tree, not in the user's home.
config.environment["XDG_CACHE_HOME"] = os.path.join(config.test_exec_root,
                                                    "cache")

# `torch-tidy fit` runs the batch-size examples (built with the runtime).
examples = os.path.join(config.torch_tidy_build_dir, "examples")
config.substitutions.append(("%examples", examples))
config.substitutions.append(
    ("%probe_preload", os.path.join(config.torch_tidy_build_dir, "runtime",
                                    "libtorch_tidy_probe.so")))
if os.path.exists(os.path.join(examples, "fit_mlp")):
    config.available_features.add("fit-examples")

# Root writes into read-only folders: the tests of those run only as
# another user (unwritable-output-read-only.test).
if os.geteuid() != 0:
    config.available_features.add("non-root")
