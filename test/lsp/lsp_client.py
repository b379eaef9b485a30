"""A scripted LSP client for torch-tidy's language server tests and bench.

Starts `torch-tidy lsp`, frames messages with Content-Length, answers the
server's own requests, and collects notifications so that a test can wait
for the one it expects.
"""

import json
import os
import queue
import subprocess
import threading
import time


def uri(path):
    return "file://" + os.path.abspath(path)


class LspClient:
    def __init__(self, command, cwd=None, env=None):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd, env=env)
        self.messages = queue.Queue()
        self.next_id = 0
        self.stderr = []
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    # Transport -----------------------------------------------------------
    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = out.read(length)
            message = json.loads(body)
            # The server asks for a progress token: accept it.
            if "method" in message and "id" in message:
                self.send({"jsonrpc": "2.0", "id": message["id"],
                           "result": None})
            self.messages.put(message)

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line.decode(errors="replace"))

    # Messages ------------------------------------------------------------
    def request(self, method, params, timeout=60):
        """Sends a request and returns its response (the whole message)."""
        self.next_id += 1
        request_id = self.next_id
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method,
                   "params": params})
        return self.wait_for(lambda m: m.get("id") == request_id and
                             "method" not in m, timeout,
                             "the answer to %s" % method)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for(self, matches, timeout, what):
        """The first message that matches; those before it are kept in
        self.seen."""
        deadline = time.time() + timeout
        while True:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("timed out waiting for %s; stderr:\n%s"
                                     % (what, "".join(self.stderr)))
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if message is None:
                raise AssertionError("the server ended while waiting for %s;"
                                     " stderr:\n%s"
                                     % (what, "".join(self.stderr)))
            self.seen.append(message)
            if matches(message):
                return message

    def diagnostics(self, path, timeout=120, version=None):
        """The next publishDiagnostics for path (and version, if given)."""
        def matches(m):
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m["params"]
            return p["uri"] == uri(path) and (
                version is None or p.get("version") == version)
        return self.wait_for(matches, timeout,
                             "diagnostics of %s" % path)["params"]

    # Session -------------------------------------------------------------
    def initialize(self, capabilities=None, options=None):
        params = {"processId": os.getpid(), "rootUri": None,
                  "capabilities": capabilities or {}}
        if options is not None:
            params["initializationOptions"] = options
        answer = self.request("initialize", params)
        self.notify("initialized", {})
        return answer

    def open(self, path, text=None, version=1):
        if text is None:
            with open(path) as f:
                text = f.read()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri(path), "languageId": "cpp", "version": version,
            "text": text}})
        return text

    def close(self):
        """shutdown, exit; returns the exit code."""
        self.request("shutdown", None)
        self.notify("exit", None)
        return self.proc.wait(timeout=30)


def apply_edits(text, edits):
    """Applies LSP TextEdits (UTF-16 positions; ASCII here) to text."""
    lines = text.split("\n")

    def offset(pos):
        return sum(len(l) + 1 for l in lines[:pos["line"]]) + pos["character"]
    spans = sorted(((offset(e["range"]["start"]), offset(e["range"]["end"]),
                     e["newText"]) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text
