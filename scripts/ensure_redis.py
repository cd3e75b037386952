"""Print the URL of a Redis server the tests can use, starting one if none answers.

An exported `REDIS_TEST_URL` wins (it must answer): several checkouts on one machine can then
each test against a Redis of their own (tests flush whole databases). Otherwise tries
127.0.0.1:6379 first. Otherwise starts Debian's `redis-server` (installing it with apt-get
when running as root and it is missing) on a free local port, with no persistence, and waits
for PING with a bounded deadline. Used by `make test` and `make bench`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

STATE = Path(__file__).resolve().parent.parent / ".state"


def answers(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.settimeout(0.5)
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing redis-server (apt-get)", file=sys.stderr)
        quiet = {
            "stdout": subprocess.DEVNULL,
            "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        }
        subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)  # type: ignore[call-overload]
        subprocess.run(["apt-get", "install", "-y", "-qq", "redis-server"], check=True, **quiet)  # type: ignore[call-overload]
        found = shutil.which("redis-server")
    if not found:
        sys.exit("error: no Redis answers on 127.0.0.1:6379 and redis-server is not installed")
    return found


def main() -> int:
    given = os.environ.get("REDIS_TEST_URL", "").strip()
    if given:
        parts = urlsplit(given)
        if not answers(parts.port or 6379, parts.hostname or "127.0.0.1"):
            sys.exit(f"error: REDIS_TEST_URL={given} does not answer PING")
        print(given)
        return 0
    if answers(6379):
        print("redis://127.0.0.1:6379/0")
        return 0
    STATE.mkdir(exist_ok=True)
    port = free_port()
    subprocess.run(
        [
            redis_server_binary(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--dir",
            str(STATE),
            "--pidfile",
            str(STATE / f"redis-{port}.pid"),
            "--logfile",
            str(STATE / "redis.log"),
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while not answers(port):
        if time.monotonic() > deadline:
            sys.exit(f"error: redis-server on port {port} did not answer within 10 s")
        time.sleep(0.05)
    print(f"started redis-server on 127.0.0.1:{port}", file=sys.stderr)
    print(f"redis://127.0.0.1:{port}/0")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
