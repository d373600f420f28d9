"""Run real `accion-local serve` processes on loopback, for benchmarks and system tests."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
WEBHOOK_SECRET = "local-webhook-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peak_memory_mib(pid: int) -> float:
    """Peak resident memory (VmHWM) of a running process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServeProcess:
    """One `accion-local serve` in webhook mode against a (fake) Bot API URL."""

    def __init__(self, *, database_url: str, telegram_url: str, port: int | None = None,
                 log: Path | None = None, extra_env: dict[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ, "DATABASE_URL": database_url, "TELEGRAM_BOT_TOKEN": "1:FAKE",
            "TELEGRAM_API_URL": telegram_url, "WEBHOOK_URL": f"http://127.0.0.1:{self.port}",
            "WEBHOOK_SECRET": WEBHOOK_SECRET, "ADMIN_TOKEN": "bench-admin-token-of-32-characters",
            "PYTHONPATH": str(ROOT),
            "JOBS_INTERVAL_SECONDS": "1", **(extra_env or {}),
        }
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> "ServeProcess":
        """Run `serve` and wait for /health; a loaded shared machine can take long to import everything."""
        output = self.log.open("ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(self.port)],
            cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited with {self.process.returncode}; see {self.log}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("serve did not become healthy in time")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def peak_memory_mib(self) -> float:
        return peak_memory_mib(self.pid)

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to clean up, as in a crash."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> "ServeProcess":
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
