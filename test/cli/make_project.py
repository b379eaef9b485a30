#!/usr/bin/env python3
"""Writes a project shaped like real ones into DIR, on the stub libtorch
headers STUBS (as -isystem), with compile_commands.json: targets a, b, d
(and e, f with --shadow) include their own header first from their own
include directory, c includes <torch/torch.h> first. Each command runs in
its target's directory with relative -I flags.

  make_project.py DIR STUBS [--shadow]

  a/include/a/model.h  #pragma once, then <torch/torch.h>
  b/include/b/net.h    an #ifndef include guard, then <torch/torch.h>
  d/include/d/chain.h  #pragma once, then "a/model.h" (two headers deep)
  e/include/vector     (--shadow) a user header named like a standard one
  f/include/torch/torch.h  (--shadow) a wrapper of libtorch's, via
                       #include_next
"""
import json
import os
import sys

LOOP = """
torch::Tensor make_batch(int i);

void collect%(name)s(torch::nn::Linear model) {
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 10; ++i) {
    torch::Tensor out = model(make_batch(i));
    outputs.push_back(out);
  }
}
"""

HEADER_LOOP = """
inline void collectInHeader%(name)s(torch::nn::Linear model,
                                    std::vector<torch::Tensor> &kept) {
  for (int n = 0; n < 10; ++n)
    kept.push_back(model(make_batch(n)));
}
"""

FILES = {
    "a/include/a/model.h": "#pragma once\n#include <torch/torch.h>\n\n"
                           "#include <vector>\n\ntorch::Tensor make_batch(int i);\n" +
                           HEADER_LOOP % {"name": "A"},
    "a/src/model.cpp": "#include \"a/model.h\"\n" + LOOP % {"name": "A"},
    "b/include/b/net.h": "// The net.\n#ifndef B_NET_H\n#define B_NET_H\n\n"
                         "#include <torch/torch.h>\n#include <vector>\n" +
                         "torch::Tensor make_batch(int i);\n" +
                         HEADER_LOOP % {"name": "B"} + "\n#endif\n",
    "b/src/net.cpp": "/* Own header first. */\n#include \"b/net.h\"\n" +
                     LOOP % {"name": "B"},
    "c/main.cpp": "#include <torch/torch.h>\n\n#include <vector>\n" +
                  LOOP % {"name": "C"},
    "d/include/d/chain.h": "#pragma once\n#include \"a/model.h\"\n",
    "d/src/chain.cpp": "#include \"d/chain.h\"\n" + LOOP % {"name": "D"},
}

SHADOW_FILES = {
    "e/include/vector": "#pragma once\n#include_next <vector>\n",
    "e/include/e/shadow.h": "#pragma once\n#include <torch/torch.h>\n#include <vector>\n",
    "e/src/shadow.cpp": "#include \"e/shadow.h\"\n" + LOOP % {"name": "E"},
    "f/include/torch/torch.h": "#pragma once\n#include_next <torch/torch.h>\n",
    "f/src/wrapped.cpp": "#include <torch/torch.h>\n#include <vector>\n" +
                         LOOP % {"name": "F"},
}

INCLUDES = {"a": ["include"], "b": ["include"], "c": [],
            "d": ["include", "../a/include"], "e": ["include"],
            "f": ["include"]}


def main():
    root, stubs = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    files = dict(FILES)
    if "--shadow" in sys.argv[3:]:
        files.update(SHADOW_FILES)
    commands = []
    for relative, text in sorted(files.items()):
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as out:
            out.write(text)
        if not relative.endswith(".cpp"):
            continue
        target = relative.split("/")[0]
        directory = os.path.join(root, target)
        source = os.path.relpath(path, directory)
        includes = [flag for d in INCLUDES[target] for flag in ("-I", d)]
        commands.append({
            "directory": directory,
            "file": source,
            "arguments": ["clang++", "-std=c++17", "-isystem", stubs] +
                         includes + ["-o", source + ".o", "-c", source],
        })
    with open(os.path.join(root, "compile_commands.json"), "w") as out:
        json.dump(commands, out, indent=1)


if __name__ == "__main__":
    main()
