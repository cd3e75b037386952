"""A throwaway `redis-server` on a free loopback port, for outage and recovery tests.

It can be stopped and started again on the same port, which is what a Redis restart looks like
to a client. Readiness is detected by polling PING on the socket under a deadline, never by a
blind sleep. Nothing is persisted (`--save ""`, `--appendonly no`) unless `persist=True`.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from tests.support.net import free_port

READY_TIMEOUT_SECONDS = 10.0
_POLL_SECONDS = 0.01


def answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """`with RedisServer() as server:` … `server.stop()` … `server.start()` (same port)."""

    def __init__(self, executable: str = "redis-server", *, persist: bool = False) -> None:
        """`persist`: an append-only file, synced on every write, so a stop and start loses
        nothing (a Redis restarted with persistence on)."""
        found = shutil.which(executable)
        if found is None:
            raise FileNotFoundError(f"{executable} is not on PATH")
        self.executable = found
        self.port = free_port()
        self._dir = tempfile.TemporaryDirectory(prefix="redis-test-")
        self._proc: subprocess.Popen[bytes] | None = None
        self._persistence = ["--appendonly", "yes", "--appendfsync", "always"] if persist else []

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        if self.running:
            return
        self._proc = subprocess.Popen(
            [
                self.executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                *self._persistence,
                "--dir",
                self._dir.name,
                "--logfile",
                str(Path(self._dir.name) / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while not answers_ping(self.port):
            if self._proc.poll() is not None:
                code = self._proc.returncode
                raise RuntimeError(f"redis-server exited with {code}: {self.log()}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"redis-server on port {self.port} did not answer PING")
            time.sleep(_POLL_SECONDS)

    def stop(self) -> None:
        """Terminate and wait, so the port is closed when this returns."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=READY_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def restart(self) -> None:
        self.stop()
        self.start()

    def log(self) -> str:
        path = Path(self._dir.name) / "redis.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
        self._dir.cleanup()
