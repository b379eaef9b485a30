#!/usr/bin/env python3
"""Protocol tests of `torch-tidy lsp` with a scripted client: open, edit,
save, code actions applied until the diagnostics are gone, compile command
discovery, settings, and bad input that must not stop the server.

  protocol_test.py --torch-tidy BUILD/analyzer/torch-tidy --stubs DIR
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from lsp_client import LspClient, apply_edits, uri  # noqa: E402

ARGS = None

LEAKY = """#include <torch/torch.h>

#include <vector>

torch::Tensor make_batch(int i);

void collect(torch::nn::Linear model) {
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 10; ++i) {
    torch::Tensor out = model(make_batch(i));
    outputs.push_back(out);
  }
}

double score(torch::nn::Linear model) {
  double total = 0;
  for (int i = 0; i < 10; ++i)
    total += model(make_batch(i)).sum().item<double>();
  return total;
}
"""

GRAPH_KEPT = "torch-graph-kept-across-iterations"
NO_GRAD = "torch-missing-no-grad"


def codes(params):
    return sorted(d.get("code", "") for d in params["diagnostics"])


class Project:
    """A temporary project: sources, and a compile database where asked."""

    def __init__(self, database="compile_commands.json"):
        self.root = tempfile.mkdtemp(prefix="torch-tidy-lsp-")
        self.flags = ["-std=c++17", "-I", ARGS.stubs]
        if database == "compile_commands.json":
            self.write_database(self.root)
        elif database == "build/compile_commands.json":
            self.write_database(os.path.join(self.root, "build"))
        elif database == "compile_flags.txt":
            self.write("compile_flags.txt", "\n".join(self.flags) + "\n")

    def write_database(self, directory, files=("leaky.cpp",)):
        os.makedirs(directory, exist_ok=True)
        entries = [{"directory": self.root, "file": f,
                    "arguments": ["clang++"] + self.flags + ["-c", f]}
                   for f in files]
        with open(os.path.join(directory, "compile_commands.json"), "w") as f:
            json.dump(entries, f)

    def write(self, name, text):
        path = os.path.join(self.root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)


class ServerTest(unittest.TestCase):
    server_args = []

    def setUp(self):
        self.project = Project()
        self.cache = tempfile.mkdtemp(prefix="torch-tidy-lsp-cache-")
        self.client = self.start()

    def start(self, extra=(), capabilities=None, options=None):
        client = LspClient([ARGS.torch_tidy, "lsp",
                            "--cache-dir=" + self.cache, "--debounce-ms=100"]
                           + list(self.server_args) + list(extra))
        answer = client.initialize(capabilities, options)
        self.assertIn("result", answer)
        return client

    def tearDown(self):
        if self.client.proc.poll() is None:
            self.client.proc.kill()
            self.client.proc.wait()
        self.project.remove()
        shutil.rmtree(self.cache, ignore_errors=True)

    def code_actions(self, path, line, client=None):
        client = client or self.client
        answer = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri(path)},
            "range": {"start": {"line": line, "character": 0},
                      "end": {"line": line, "character": 0}},
            "context": {"diagnostics": []}})
        self.assertIn("result", answer, answer)
        return answer["result"]

    def edit_of(self, action, path):
        changes = action["edit"]["changes"]
        self.assertEqual(list(changes), [uri(path)])
        return changes[uri(path)]


class SessionTest(ServerTest):
    def test_initialize_advertises_sync_and_quick_fixes(self):
        client = LspClient([ARGS.torch_tidy, "lsp", "--no-cache"])
        caps = client.initialize()["result"]["capabilities"]
        self.assertEqual(caps["textDocumentSync"]["change"], 2)
        self.assertTrue(caps["textDocumentSync"]["openClose"])
        self.assertEqual(caps["codeActionProvider"]["codeActionKinds"],
                         ["quickfix"])
        self.assertEqual(client.close(), 0)

    def test_exit_without_shutdown_exits_1(self):
        self.client.notify("exit", None)
        self.assertEqual(self.client.proc.wait(timeout=30), 1)

    def test_requests_after_shutdown_are_refused(self):
        self.assertIsNone(self.client.request("shutdown", None)["result"])
        answer = self.client.request("textDocument/codeAction", {})
        self.assertEqual(answer["error"]["code"], -32600)
        self.client.notify("exit", None)
        self.assertEqual(self.client.proc.wait(timeout=30), 0)


class CommandLineTest(unittest.TestCase):
    def run_server(self, *args):
        return subprocess.run([ARGS.torch_tidy, "lsp"] + list(args),
                              stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=60)

    def test_bad_arguments_exit_2_with_one_line(self):
        for args, message in (
                (["--bogus"], "unknown option '--bogus'"),
                (["--compile-commands-dir=/nonexistent/dir"],
                 "--compile-commands-dir /nonexistent/dir: not a directory"),
                (["train.cpp"], "unexpected argument 'train.cpp'"),
                (["--debounce-ms=soon"], "--debounce-ms must be a number"),
                (["--config", "{}"], "unexpected argument '{}': options "
                 "take their value as --name=value"),
                (["--config={}", "--config-file=x"],
                 "--config and --config-file cannot be used together")):
            result = self.run_server(*args)
            self.assertEqual(result.returncode, 2, args)
            lines = result.stderr.strip().split("\n")
            self.assertEqual(len(lines), 1, result.stderr)
            self.assertIn("torch-tidy lsp: error: " + message, lines[0])

    def test_help_lists_the_server_options(self):
        result = self.run_server("--help")
        self.assertEqual(result.returncode, 0)
        for option in ("--compile-commands-dir", "--rule-docs-url",
                       "--debounce-ms", "--timeout", "--progress-after-ms"):
            self.assertIn(option, result.stdout)

    def test_end_of_input_without_shutdown_exits_1(self):
        self.assertEqual(self.run_server().returncode, 1)


class DiagnosticsTest(ServerTest):
    def test_open_edit_fix_until_clean_without_writing_the_file(self):
        path = self.project.write("leaky.cpp", LEAKY)
        text = self.client.open(path)
        first = self.client.diagnostics(path)
        self.assertEqual(first["version"], 1)
        self.assertEqual(codes(first), [GRAPH_KEPT, NO_GRAD], first)
        kept = [d for d in first["diagnostics"] if d["code"] == GRAPH_KEPT][0]
        self.assertEqual(kept["source"], "torch-tidy")
        self.assertEqual(kept["severity"], 2)
        self.assertEqual(kept["range"]["start"], {"line": 10, "character": 4})
        self.assertTrue(kept["codeDescription"]["href"].endswith(
            "/" + GRAPH_KEPT + ".md"))
        forward, loop = kept["relatedInformation"]
        self.assertEqual(forward["location"]["range"]["start"],
                         {"line": 9, "character": 24})
        self.assertIn("torch-missing-no-grad's finding", forward["message"])
        self.assertEqual(loop["location"]["range"]["start"],
                         {"line": 8, "character": 2})
        self.assertIn("graphs pile up", loop["message"])

        # An incremental edit: a comment line on top moves the findings.
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri(path), "version": 2},
            "contentChanges": [{"range": {
                "start": {"line": 0, "character": 0},
                "end": {"line": 0, "character": 0}},
                "text": "// the training set\n"}]})
        text = "// the training set\n" + text
        moved = self.client.diagnostics(path, version=2)
        kept = [d for d in moved["diagnostics"] if d["code"] == GRAPH_KEPT][0]
        self.assertEqual(kept["range"]["start"]["line"], 11)

        # The fix-it of each finding, applied as the editor would. The
        # forward pass whose outputs 'outputs' keeps is a note of the kept
        # graph; once the store is fixed, it is a finding of its own.
        version = 2
        guard = "Insert 'torch::NoGradGuard no_grad;'"
        current = moved
        for code, title in ((GRAPH_KEPT, "Insert '.detach()'"),
                            (NO_GRAD, guard), (NO_GRAD, guard)):
            line = [d for d in current["diagnostics"]
                    if d["code"] == code][0]["range"]["start"]["line"]
            actions = self.code_actions(path, line)
            fix = [a for a in actions if a["title"] == title]
            self.assertEqual(len(fix), 1, [a["title"] for a in actions])
            self.assertEqual(fix[0]["kind"], "quickfix")
            self.assertTrue(fix[0]["isPreferred"])
            text = apply_edits(text, self.edit_of(fix[0], path))
            version += 1
            self.client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri(path), "version": version},
                "contentChanges": [{"text": text}]})
            current = self.client.diagnostics(path, version=version)
        self.assertIn("outputs.push_back(out.detach());", text)
        self.assertEqual(text.count("torch::NoGradGuard no_grad;"), 2)
        self.client.notify("textDocument/didSave",
                           {"textDocument": {"uri": uri(path)}})
        last = [m for m in self.client.seen
                if m.get("method") == "textDocument/publishDiagnostics"][-1]
        self.assertEqual(last["params"]["diagnostics"], [])
        with open(path) as f:
            self.assertEqual(f.read(), LEAKY)  # The server never writes.
        self.assertEqual(self.client.close(), 0)

    def test_nolint_action_silences_the_rule_on_its_line(self):
        path = self.project.write("leaky.cpp", LEAKY)
        text = self.client.open(path)
        self.client.diagnostics(path)
        actions = self.code_actions(path, 10)
        nolint = [a for a in actions if "NOLINT" in a["title"]]
        self.assertEqual([a["title"] for a in nolint],
                         ["Disable %s on this line (NOLINT)" % GRAPH_KEPT])
        text = apply_edits(text, self.edit_of(nolint[0], path))
        self.assertIn("outputs.push_back(out); // NOLINT(%s)" % GRAPH_KEPT,
                      text)
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri(path), "version": 2},
            "contentChanges": [{"text": text}]})
        self.assertEqual(codes(self.client.diagnostics(path, version=2)),
                         [NO_GRAD])
        # No actions for lines without findings.
        self.assertEqual(self.code_actions(path, 2), [])

    def test_positions_count_utf16_units(self):
        path = self.project.write("leaky.cpp", LEAKY)
        # Two code units for U+1F600, one for U+00E9, on the finding's line.
        text = LEAKY.replace("    outputs.push_back(out);",
                             "/*\u00e9\U0001F600*/outputs.push_back(out);")
        self.client.open(path, text)
        params = self.client.diagnostics(path)
        kept = [d for d in params["diagnostics"] if d["code"] == GRAPH_KEPT]
        self.assertEqual(kept[0]["range"]["start"],
                         {"line": 10, "character": 7})

    def test_progress_while_the_header_cache_is_built(self):
        client = self.start(["--progress-after-ms=0"],
                            capabilities={"window": {"workDoneProgress":
                                                     True}})
        path = self.project.write("leaky.cpp", LEAKY)
        client.open(path)
        client.diagnostics(path)
        create = [m for m in client.seen
                  if m.get("method") == "window/workDoneProgress/create"]
        self.assertEqual(len(create), 1)
        token = create[0]["params"]["token"]
        kinds = [m["params"]["value"]["kind"] for m in client.seen
                 if m.get("method") == "$/progress"
                 and m["params"]["token"] == token]
        self.assertEqual(kinds, ["begin", "end"])
        begin = [m for m in client.seen if m.get("method") == "$/progress"][0]
        self.assertIn("leaky.cpp", begin["params"]["value"]["message"])
        client.proc.kill()

    def test_no_progress_without_the_client_capability(self):
        client = self.start(["--progress-after-ms=0"])
        path = self.project.write("leaky.cpp", LEAKY)
        client.open(path)
        client.diagnostics(path)
        self.assertFalse([m for m in client.seen
                          if m.get("method", "").startswith(("$/progress",
                                                             "window/"))])
        client.proc.kill()

    def test_close_clears_diagnostics(self):
        path = self.project.write("leaky.cpp", LEAKY)
        self.client.open(path)
        self.client.diagnostics(path)
        self.client.notify("textDocument/didClose",
                           {"textDocument": {"uri": uri(path)}})
        self.assertEqual(self.client.diagnostics(path)["diagnostics"], [])
        answer = self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri(path)},
            "range": {"start": {"line": 0, "character": 0},
                      "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []}})
        self.assertEqual(answer["error"]["code"], -32602)


class ProjectTest(ServerTest):
    """The whole project's view in the editor: summaries made in the
    background, made again on save."""

    PROJECT = os.path.join(HERE, "..", "cli", "Inputs", "project")

    def lines_of(self, path, predicate, timeout=120):
        """Waits for diagnostics of path whose finding lines (0-based)
        satisfy predicate, and returns those lines."""
        def matches(m):
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m["params"]
            return p["uri"] == uri(path) and predicate(
                sorted(d["range"]["start"]["line"] for d in p["diagnostics"]))
        found = self.client.wait_for(matches, timeout, "diagnostics of %s" %
                                     path)["params"]
        return sorted(d["range"]["start"]["line"]
                      for d in found["diagnostics"])

    def test_a_saved_helper_updates_the_callers_diagnostics(self):
        sources = sorted(f for f in os.listdir(self.PROJECT)
                         if f.endswith((".cpp", ".h")))
        for name in sources:
            with open(os.path.join(self.PROJECT, name)) as f:
                self.project.write(name, f.read())
        self.project.write_database(
            self.project.root, [f for f in sources if f.endswith(".cpp")])
        train = os.path.join(self.project.root, "train.cpp")
        self.client.open(train)
        # record_loss (metrics.cpp) and note_loss (relay.cpp) keep the loss
        # at lines 10 and 12; batch_loss and relay_loss return graphs at 26
        # and 37: once the project's summaries are made.
        self.assertEqual(self.lines_of(train, lambda lines: 9 in lines),
                         [9, 11, 25, 36])
        metrics = os.path.join(self.project.root, "metrics.cpp")
        with open(metrics) as f:
            text = f.read()
        self.project.write("metrics.cpp", text.replace(
            "history().push_back(loss)", "history().push_back(loss.detach())"))
        self.client.notify("textDocument/didSave",
                           {"textDocument": {"uri": uri(metrics)}})
        self.assertEqual(self.lines_of(train, lambda lines: 9 not in lines),
                         [25, 36])
        self.assertEqual(self.client.close(), 0)


class ConfigurationTest(ServerTest):
    def test_clang_tidy_file_applies(self):
        self.project.write(".clang-tidy", "Checks: '-*,%s'\n" % NO_GRAD)
        path = self.project.write("leaky.cpp", LEAKY)
        self.client.open(path)
        # Without torch-graph-kept-across-iterations, collect's forward pass
        # is torch-missing-no-grad's finding too.
        self.assertEqual(codes(self.client.diagnostics(path)),
                         [NO_GRAD, NO_GRAD])

    def test_settings_change_checks_and_reanalyse(self):
        path = self.project.write("leaky.cpp", LEAKY)
        self.client.open(path)
        self.assertEqual(len(self.client.diagnostics(path)["diagnostics"]), 2)
        self.client.notify("workspace/didChangeConfiguration", {
            "settings": {"torch-tidy": {"checks": "-*," + GRAPH_KEPT}}})
        self.assertEqual(codes(self.client.diagnostics(path)), [GRAPH_KEPT])

    def test_settings_checks_replace_the_command_lines(self):
        client = self.start(["--checks=-*," + NO_GRAD],
                            options={"checks": "-*," + GRAPH_KEPT})
        path = self.project.write("leaky.cpp", LEAKY)
        client.open(path)
        self.assertEqual(codes(client.diagnostics(path)), [GRAPH_KEPT])
        client.proc.kill()

    def test_rule_docs_url_from_the_command_line(self):
        client = self.start(["--rule-docs-url=https://example.org/rules/"])
        path = self.project.write("leaky.cpp", LEAKY)
        client.open(path)
        hrefs = {d["codeDescription"]["href"]
                 for d in client.diagnostics(path)["diagnostics"]}
        self.assertEqual(hrefs, {"https://example.org/rules/%s.md" % r
                                 for r in (GRAPH_KEPT, NO_GRAD)})
        client.proc.kill()


class CompileCommandsTest(ServerTest):
    def discovered(self, database, extra=()):
        project = Project(database)
        try:
            path = project.write("src/../leaky.cpp", LEAKY)
            client = self.start(extra)
            client.open(os.path.normpath(path))
            params = client.diagnostics(os.path.normpath(path))
            client.proc.kill()
            return params["diagnostics"], project.root
        finally:
            project.remove()

    def test_database_in_build_directory(self):
        found, _ = self.discovered("build/compile_commands.json")
        self.assertEqual(len(found), 2)

    def test_compile_flags_txt(self):
        found, _ = self.discovered("compile_flags.txt")
        self.assertEqual(len(found), 2)

    def test_header_gets_an_inferred_command(self):
        path = self.project.write("model.h", "#pragma once\n" + LEAKY)
        self.client.open(path)
        self.assertEqual(codes(self.client.diagnostics(path)),
                         [GRAPH_KEPT, NO_GRAD])

    def test_compile_commands_dir_option(self):
        elsewhere = tempfile.mkdtemp(prefix="torch-tidy-lsp-db-")
        try:
            project = Project(database=None)
            project.write_database(elsewhere)
            path = project.write("leaky.cpp", LEAKY)
            client = self.start(["--compile-commands-dir=" + elsewhere])
            client.open(path)
            self.assertEqual(len(client.diagnostics(path)["diagnostics"]), 2)
            client.proc.kill()
            project.remove()
        finally:
            shutil.rmtree(elsewhere)

    def test_file_without_command_gets_one_diagnostic(self):
        project = Project(database=None)
        try:
            path = project.write("leaky.cpp", LEAKY)
            self.client.open(path)
            found = self.client.diagnostics(path)["diagnostics"]
            self.assertEqual(len(found), 1)
            self.assertIn("no compile_commands.json", found[0]["message"])
            self.assertEqual(found[0]["range"]["start"],
                             {"line": 0, "character": 0})
        finally:
            project.remove()


class RobustnessTest(ServerTest):
    server_args = ["--worker-executable=" +
                   os.path.join(HERE, "worker_wrapper.py")]

    def setUp(self):
        os.environ["TORCH_TIDY_REAL"] = ARGS.torch_tidy
        super().setUp()

    def error_code(self, answer):
        self.assertIn("error", answer, answer)
        return answer["error"]["code"]

    def test_bad_messages_get_errors_and_the_server_goes_on(self):
        client = self.client
        client.send_raw(b"Content-Length: 9\r\n\r\n{not json")
        self.assertEqual(self.error_code(client.wait_for(
            lambda m: "error" in m, 30, "parse error")), -32700)
        client.send_raw(b"Content-Length: x\r\n\r\n")
        self.assertEqual(self.error_code(client.wait_for(
            lambda m: "error" in m, 30, "bad length")), -32700)
        client.send({"jsonrpc": "2.0", "id": 50, "method": 7})
        self.assertEqual(self.error_code(client.wait_for(
            lambda m: m.get("id") == 50, 30, "invalid request")), -32600)
        self.assertEqual(self.error_code(client.request("no/such", {})),
                         -32601)
        client.notify("no/such/notification", {})
        # Malformed notifications are dropped without an answer.
        client.notify("textDocument/didOpen", {"textDocument": {"uri": 5}})
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri("/nowhere/y.cpp"), "version": 2},
            "contentChanges": [{"range": {"start": {"line": 0}},
                                "text": "x"}]})
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": "https://example.org/x.cpp", "text": "", "version": 1}})
        client.notify("$/cancelRequest", {"id": 1})
        self.assertEqual(self.error_code(client.request(
            "textDocument/codeAction", {"textDocument": {"uri": 3}})),
            -32602)
        # A request for a file that was never opened.
        self.assertEqual(self.error_code(self.code_actions_raw(
            "/nowhere/x.cpp")), -32602)
        path = self.project.write("leaky.cpp", LEAKY)
        client.open(path)
        self.assertEqual(len(client.diagnostics(path)["diagnostics"]), 2)
        self.assertEqual(client.close(), 0)

    def code_actions_raw(self, path):
        return self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri(path)},
            "range": {"start": {"line": 0, "character": 0},
                      "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []}})

    def test_requests_before_initialize(self):
        client = LspClient([ARGS.torch_tidy, "lsp", "--no-cache"])
        answer = client.request("textDocument/codeAction", {})
        self.assertEqual(answer["error"]["code"], -32002)
        client.proc.kill()

    def test_crashing_analysis_becomes_a_diagnostic(self):
        path = self.project.write("leaky.cpp", LEAKY)
        self.client.open(path, "// TEST_WORKER_CRASH\n" + LEAKY)
        found = self.client.diagnostics(path)["diagnostics"]
        self.assertEqual(len(found), 1)
        self.assertIn("could not analyse this file", found[0]["message"])
        self.assertIn("crashing as asked", found[0]["message"])
        self.assertEqual(found[0]["severity"], 1)
        # The server goes on: the next version is analysed.
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri(path), "version": 2},
            "contentChanges": [{"text": LEAKY}]})
        self.assertEqual(
            len(self.client.diagnostics(path, version=2)["diagnostics"]), 2)

    def test_stale_run_is_cancelled_by_a_newer_edit(self):
        path = self.project.write("leaky.cpp", LEAKY)
        self.client.open(path, "// TEST_WORKER_SLOW\n" + LEAKY)
        time.sleep(1.0)  # The slow run has started.
        start = time.time()
        for version in (2, 3, 4):
            self.client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri(path), "version": version},
                "contentChanges": [{"text": LEAKY}]})
        params = self.client.diagnostics(path)
        self.assertEqual(params["version"], 4)
        self.assertLess(time.time() - start, 30)
        published = [m["params"]["version"] for m in self.client.seen
                     if m.get("method") == "textDocument/publishDiagnostics"]
        self.assertEqual(published, [4])


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--torch-tidy", required=True)
    parser.add_argument("--stubs", required=True)
    ARGS, rest = parser.parse_known_args()
    ARGS.torch_tidy = os.path.abspath(ARGS.torch_tidy)
    ARGS.stubs = os.path.abspath(ARGS.stubs)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
