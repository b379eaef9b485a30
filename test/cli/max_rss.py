#!/usr/bin/env python3
"""Runs a command and fails when its peak resident memory exceeds a bound.

usage: max_rss.py LIMIT_MB -- COMMAND...   Prints "exit: N" and "max rss: M
MB" (the largest of the command and any process it waited for), and exits
1 when M > LIMIT_MB, else with the command's own exit status.
"""

import resource
import subprocess
import sys


def main():
    limit_mb = int(sys.argv[1])
    assert sys.argv[2] == "--", __doc__
    status = subprocess.call(sys.argv[3:])
    # Linux reports ru_maxrss in KiB.
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print("exit: %d" % status)
    print("max rss: %d MB" % rss_mb)
    if rss_mb > limit_mb:
        print("max_rss: %d MB exceeds the bound of %d MB" % (rss_mb, limit_mb))
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
