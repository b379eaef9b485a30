#!/usr/bin/env python3
"""Writes compile_commands.json into DIR for the given sources, with the
stub libtorch headers on the include path."""
import json
import os
import sys

directory, stubs, *sources = sys.argv[1:]
commands = [{
    "directory": directory,
    "file": os.path.abspath(source),
    "arguments": ["clang++", "-std=c++17", "-I", stubs, "-c",
                  os.path.abspath(source)],
} for source in sources]
with open(os.path.join(directory, "compile_commands.json"), "w") as f:
    json.dump(commands, f, indent=1)
