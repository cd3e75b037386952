"""Loopback helpers shared by the stand-ins and the process-level tests."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A TCP port nothing listens on right now (also used as a known-dead address)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
