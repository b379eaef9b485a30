# lit configuration for the torch- check tests (stub headers).
import os

import lit.formats

config.name = "torch-tidy rules"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".cpp"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.torch_tidy_build_dir, "test", "rules")

config.substitutions.append((
    "%check_torch_tidy",
    "%s %s --torch-tidy=%s --clang-tidy=%s --plugin=%s --filecheck=%s" % (
        config.python, os.path.join(config.test_source_root, "check_torch_tidy.py"),
        config.torch_tidy, config.clang_tidy, config.plugin, config.filecheck)))
# The rule tests parse against the stub headers by default; the suite of
# test/rules-real-headers sets torch_include_flags to the real libtorch.
torch_include = getattr(config, "torch_include_flags", "")
if not torch_include:
    torch_include = "-I " + os.path.join(config.test_source_root, "Inputs")
    # Tests of headers Debian's libtorch cannot compile (c10/cuda) run only
    # against the stubs: they start with `// REQUIRES: stub-headers`.
    config.available_features.add("stub-headers")
else:
    # Whole training programs (programs/) run against the real headers only.
    config.available_features.add("real-libtorch")
config.substitutions.append(("%torch_include", torch_include))

# torch-tidy's default header cache lives under $XDG_CACHE_HOME: keep the
# tests' entries in the build tree, not in the user's home.
config.environment["XDG_CACHE_HOME"] = os.path.join(config.test_exec_root,
                                                    "cache")
