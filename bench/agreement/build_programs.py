"""Compiles and links the generated agreement programs, and writes the
compile database that torch-tidy analyses them with.

One precompiled header of agreement_support.h (which includes
torch/torch.h) serves every translation unit; -O0 keeps compiling cheap.
"""

import concurrent.futures
import json
import os
import shutil
import subprocess

TORCH_INCLUDES = ["-isystem", "/usr/include/torch/csrc/api/include"]


class BuildError(Exception):
    pass


def compile_flags(support_dir, probe_include):
    return ["-std=c++17", "-O0", "-D_GLIBCXX_USE_CXX11_ABI=1",
            "-I" + support_dir, "-I" + probe_include] + TORCH_INCLUDES


def write_compile_database(work, sources, compiler, flags):
    entries = [{"directory": work, "file": s,
                "arguments": [compiler] + flags + ["-c", s, "-o",
                                                   s[:-4] + ".o"]}
               for s in sources]
    with open(os.path.join(work, "compile_commands.json"), "w",
              encoding="utf-8") as f:
        json.dump(entries, f, indent=1)


def run_checked(command, what):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError("%s failed (exit %d):\n%s" % (
            what, result.returncode, (result.stdout + result.stderr)[-3000:]))


def build(work, manifest, compiler, support_dir, probe_include, probe_lib,
          jobs):
    """Builds one binary per translation unit in `work`; returns
    {binary name: path}."""
    # The header next to the programs: torch-tidy's header cache finds a
    # quoted project header in the source file's own directory only.
    shutil.copy2(os.path.join(support_dir, "agreement_support.h"), work)
    flags = compile_flags(work, probe_include)
    units = manifest["translation_units"]
    helper = manifest["helper_unit"]
    write_compile_database(work, units + [helper], compiler, flags)

    pch = os.path.join(work, "agreement_support.pch")
    run_checked([compiler] + flags + [
        "-x", "c++-header", "-fpch-instantiate-templates",
        os.path.join(work, "agreement_support.h"), "-o", pch],
        "precompiling agreement_support.h")

    def compile_one(source):
        obj = source[:-4] + ".o"
        run_checked([compiler] + flags + ["-include-pch", pch, "-c", source,
                                          "-o", obj], "compiling " + source)
        return obj

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        objects = list(pool.map(compile_one, units + [helper]))
    helper_obj = objects[-1]
    probe_dir = os.path.dirname(os.path.abspath(probe_lib))

    def link_one(obj):
        binary = obj[:-2]
        # The shared probe, linked even though no symbol of it is needed
        # at link time, so that the automatic mode (backward passes) can
        # run next to the markers.
        run_checked([compiler, obj, helper_obj, "-L" + probe_dir,
                     "-Wl,--no-as-needed", "-ltorch_tidy_probe",
                     "-Wl,--as-needed", "-Wl,-rpath," + probe_dir,
                     "-ltorch", "-ltorch_cpu", "-lc10", "-o", binary],
                    "linking " + binary)
        return binary

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        binaries = list(pool.map(link_one, objects[:-1]))
    return {os.path.basename(b): b for b in binaries}
