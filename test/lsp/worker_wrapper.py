#!/usr/bin/env python3
"""Stands in for the analysis worker in tests (torch-tidy lsp
--worker-executable=this). A buffer that contains TEST_WORKER_CRASH crashes
the worker with SIGSEGV; one with TEST_WORKER_SLOW makes it sleep a minute
first (a stale run to cancel). Anything else goes to the real worker,
$TORCH_TIDY_REAL, with the same arguments."""

import os
import signal
import subprocess
import sys
import time

request = sys.stdin.buffer.read()
if b"TEST_WORKER_CRASH" in request:
    sys.stderr.write("worker_wrapper: crashing as asked\n")
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGSEGV)
if b"TEST_WORKER_SLOW" in request:
    time.sleep(60)
result = subprocess.run([os.environ["TORCH_TIDY_REAL"]] + sys.argv[1:],
                        input=request)
sys.exit(result.returncode)
