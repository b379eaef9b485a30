"""Include paths of a corpus of fetched C++ code, and empty stand-ins for
the third-party headers it names that this machine does not have.

A missing header is a fatal compiler error, and after a fatal error clang
instantiates no more templates: most of libtorch's API (containers of
tensors, module holders, `item<T>()`) then has no AST and the rules see
little. An empty header in its place turns the fatal error into ordinary
errors at the uses of its names, so the rest of the file is analysed as
far as clang can, which is what a driver that maps fatal errors to errors
(`DiagnosticsEngine::setFatalsAsError`) would give.
"""

import os
import re

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.MULTILINE)
HEADER_SUFFIXES = (".h", ".hh", ".hpp", ".hxx", ".cuh", ".inl")
SOURCE_SUFFIXES = (".cpp", ".cc", ".cxx")

# libtorch's own headers, Debian's layout: followed for missing includes.
LIBTORCH_HEADERS = tuple("/usr/include/%s/" % d for d in
                         ("ATen", "c10", "torch", "caffe2"))

# Where clang-19 looks for <...> on this machine (clang++-19 -E -v).
SYSTEM_DIRS = [
    "/usr/include/c++/12",
    "/usr/include/x86_64-linux-gnu/c++/12",
    "/usr/include/c++/12/backward",
    "/usr/lib/llvm-19/lib/clang/19/include",
    "/usr/local/include",
    "/usr/include/x86_64-linux-gnu",
    "/usr/include",
]


def corpus_files(root, suffixes):
    for dirpath, dirnames, names in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(suffixes):
                yield os.path.join(dirpath, name)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def includes_of(path):
    """(quoted?, name) of every #include line, taken or not by #if."""
    return [(kind == '"', name.strip()) for kind, name in
            INCLUDE.findall(read(path))]


def include_dirs(root):
    """Directories a corpus's own includes need: every `include` and `src`
    directory, plus, for each include that names a corpus file by a path
    that does not start next to the includer (`#include "ai/gae.h"` from
    src/ai/ppo/), the directory that path starts from."""
    root = os.path.abspath(root)
    files = list(corpus_files(root, HEADER_SUFFIXES + SOURCE_SUFFIXES))
    dirs = {os.path.dirname(f) for f in files
            if os.path.basename(os.path.dirname(f)) in ("include", "src")}
    by_tail = {}
    for f in files:
        by_tail.setdefault(os.path.basename(f), []).append(f)
    for path in files:
        here = os.path.dirname(path)
        for _, name in includes_of(path):
            if os.path.exists(os.path.join(here, name)):
                continue
            for candidate in by_tail.get(os.path.basename(name), []):
                if candidate.endswith("/" + name):
                    dirs.add(candidate[:-len(name) - 1])
    return sorted(dirs)


def resolve(name, quoted, includer_dir, search_dirs):
    dirs = ([includer_dir] if quoted else []) + search_dirs + SYSTEM_DIRS
    for directory in dirs:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    return None


def missing_headers(root, search_dirs):
    """Names included by the corpus's files, or by the libtorch headers
    they reach (CUDA's headers behind c10/cuda), that no include path
    holds. Other libraries' headers are not followed: they are either
    missing whole or complete."""
    missing = set()
    queue = list(corpus_files(root, HEADER_SUFFIXES + SOURCE_SUFFIXES))
    seen = set(queue)
    while queue:
        path = queue.pop()
        here = os.path.dirname(path)
        for quoted, name in includes_of(path):
            found = resolve(name, quoted, here, search_dirs)
            if not found:
                missing.add(name)
            elif found not in seen and found.startswith(LIBTORCH_HEADERS):
                seen.add(found)
                queue.append(found)
    return missing


def write_stubs(stub_dir, names):
    """Creates an empty header for each name under stub_dir; returns the
    names that were new."""
    added = []
    for name in sorted(names):
        if os.path.isabs(name) or ".." in name.split("/"):
            continue
        path = os.path.join(stub_dir, name)
        if os.path.exists(path):
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write("// empty stand-in for a header missing here\n")
        added.append(name)
    return added


def reaches_torch(path, search_dirs, seen=None):
    """Whether the file, or a corpus header it includes with quotes, names
    libtorch: files that never touch libtorch have nothing for the rules."""
    seen = seen if seen is not None else set()
    if path in seen:
        return False
    seen.add(path)
    text = read(path)
    if re.search(r"\btorch\b|<ATen/|<c10/", text):
        return True
    here = os.path.dirname(path)
    for quoted, name in includes_of(path):
        if not quoted:
            continue
        for directory in [here] + search_dirs:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                if reaches_torch(candidate, search_dirs, seen):
                    return True
                break
    return False
