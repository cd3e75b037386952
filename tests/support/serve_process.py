"""A real `rag-or-ft serve` process on a free loopback port, for the operations tests and bench.

What only a real process shows — signal handling, start-up logging through the CLI, two
replicas sharing one Redis, resident memory — cannot be tested in-process. The process gets a
clean environment (only what the caller passes, plus PATH/HOME), runs in a scratch working
directory (so a developer's `.env` is never read), and writes its logs to a file (a pipe nobody
reads would fill up and stall it). Readiness is awaited by polling /healthz under a deadline.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import aiohttp

from tests.support.net import free_port
from tests.support.toolbox import until

START_TIMEOUT_SECONDS = 30.0
_POLL_SECONDS = 0.02


def serve_command() -> list[str]:
    """The installed console script beside this interpreter, else `python -m bot`."""
    script = Path(sys.executable).parent / "rag-or-ft"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


class ServeProcess:
    """`with ServeProcess(env) as bot:` (sync) or `async with` — started, ready, then stopped."""

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        port: int | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.port = port or free_port()
        self.host = host  # where it listens; requests always go to 127.0.0.1
        self._dir = tempfile.TemporaryDirectory(prefix="serve-")
        self.workdir = Path(self._dir.name)
        self.log_path = self.workdir / "serve.log"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.workdir),
            "STATE_PATH": str(self.workdir / "state.db"),
            **(env or {}),
        }
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def spawn(self) -> None:
        """Start without waiting (see `wait_ready` / `ready`)."""
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [*serve_command(), "serve", "--host", self.host, "--port", str(self.port)],
                env=self.env,
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def _check_alive(self) -> None:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise RuntimeError(f"serve exited with {self.proc.returncode}:\n{self.log_tail()}")

    def wait_ready(self, timeout: float = START_TIMEOUT_SECONDS) -> None:
        """`ready`, for sync callers (no event loop runs in their thread)."""
        asyncio.run(self.ready(timeout))

    async def ready(self, within: float = START_TIMEOUT_SECONDS) -> None:
        """Poll /healthz without blocking the loop (stand-ins in this loop must keep serving)."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=1)) as session:

            async def healthy() -> bool:
                self._check_alive()
                try:
                    async with session.get(f"{self.base_url}/healthz") as response:
                        return response.status == 200
                except (aiohttp.ClientError, TimeoutError):
                    return False

            try:
                await until(healthy, "/healthz", within=within, every=_POLL_SECONDS)
            except AssertionError:
                raise TimeoutError(f"serve did not answer /healthz:\n{self.log_tail()}") from None

    def terminate(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)

    def kill(self) -> int:
        """SIGKILL — no drain, no cleanup, as the OOM killer or a node failure would — and reap."""
        assert self.proc is not None
        self.proc.kill()
        return self.proc.wait()

    def wait(self, timeout: float) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout=timeout)

    async def exited(self, within: float) -> int:
        """The exit code, awaited in a thread so the loop (and its stand-ins) keep running."""
        return await asyncio.to_thread(self.wait, within)

    async def exited_after_sigterm(self, within: float = START_TIMEOUT_SECONDS) -> int:
        """SIGTERM, then the exit code (awaited off the loop)."""
        self.terminate()
        return await self.exited(within)

    def stop(self, timeout: float = START_TIMEOUT_SECONDS) -> int | None:
        """SIGTERM and wait (SIGKILL past the timeout); returns the exit code."""
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return proc.returncode

    def rss_kb(self) -> int:
        """Resident set size from /proc (Linux), in kB."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        line = next(ln for ln in status.splitlines() if ln.startswith("VmRSS:"))
        return int(line.split()[1])

    def cpu_seconds(self) -> float:
        """User + system CPU time the process has used so far, from /proc (Linux)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_text()[-chars:] if self.log_path.exists() else ""

    def cleanup(self) -> None:
        self.stop()
        self._dir.cleanup()

    def __enter__(self) -> ServeProcess:
        self.spawn()
        try:
            self.wait_ready()
        except BaseException:
            self.cleanup()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.cleanup()

    async def __aenter__(self) -> ServeProcess:
        self.spawn()
        try:
            await self.ready()
        except BaseException:
            await asyncio.to_thread(self.cleanup)
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.cleanup)
