"""gunicorn with the production settings and the Procfile's configuration, on a free loopback port."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.scale.environment import ROOT, manage

WORKERS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def collectstatic(env: dict[str, str]) -> None:
    manage(env, "collectstatic", "--noinput", "-v", "0")


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines: int = 40, *, errors_only: bool = False) -> str:
        """The end of gunicorn's output; ``errors_only`` leaves the access log out."""
        text = self.log.read_text(errors="replace").splitlines()
        if errors_only:
            text = [line for line in text if not line.startswith('127.0.0.1 "')]
        return "\n".join(text[-lines:])


def start(env: dict[str, str], log: Path) -> Server:
    """gunicorn.conf.py (synchronous workers), 4 workers, no recycling during the measures."""
    port = free_port()
    server_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_TIMEOUT": "120",
        "GUNICORN_MAX_REQUESTS": "0",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 (our own argv)
            [str(gunicorn), "config.wsgi", "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=server_env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, port, log)
    wait_ready(server)
    return server


def wait_ready(server: Server, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn s'est arrêté :\n{server.log_tail()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            connection.request("GET", "/sante/", headers={"X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"gunicorn ne répond pas après {timeout:.0f} s :\n{server.log_tail()}")
