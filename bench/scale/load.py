"""One page under load: a urllib check, then wrk with report.lua (parseable summary)."""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.scale.targets import Page

SCRIPT = Path(__file__).with_name("report.lua")
THREADS = 2
PROXY = {"X-Forwarded-Proto": "https"}  # we speak as the TLS proxy (SECURE_SSL_REDIRECT stays on)


@dataclass
class LoadResult:
    requests: int
    duration_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    rps: float
    non_2xx_3xx: int
    socket_errors: int
    matched: int
    missed: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


@dataclass
class Check:
    status: int
    ok: bool
    detail: str = ""


def request_headers(page: Page, host: str) -> dict[str, str]:
    headers = {"Host": host, "User-Agent": "clea-bench-scale", **PROXY, **page.identity.http_headers()}
    if page.method == "POST":
        headers["Origin"] = f"https://{host}"
    return headers


def check(page: Page, host: str, target: tuple[str, str] | None = None) -> Check:
    """One request with the page's headers: the expected status and, when set, the marker in the body."""
    path, body = target or (page.path, "")
    headers = request_headers(page, host)
    if page.vary_ip:
        headers["X-Forwarded-For"] = "10.255.255.1"
    name, port = host.split(":")
    connection = http.client.HTTPConnection(name, int(port), timeout=60)
    try:
        connection.request(page.method, path, body=body.encode() or None, headers=headers)
        response = connection.getresponse()
        content = response.read().decode(errors="replace")
    except OSError as exc:
        return Check(0, False, f"pas de réponse : {exc}")
    finally:
        connection.close()
    if response.status != page.expect:
        location = response.getheader("Location") or ""
        return Check(response.status, False, f"HTTP {response.status} {location}".strip())
    if page.marker and page.marker.casefold() not in content.casefold():
        return Check(response.status, False, f"« {page.marker} » absent de la réponse")
    return Check(response.status, True)


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def drain(host: str) -> None:
    """Wait for the requests the previous run left queued in gunicorn (wrk stops without waiting for
    them): one request to the trivial page answers only once the workers got through them."""
    name, port = host.split(":")
    connection = http.client.HTTPConnection(name, int(port), timeout=300)
    try:
        connection.request("GET", "/accessibilite/", headers={"Host": host, **PROXY})
        connection.getresponse().read()
    except OSError:
        pass
    finally:
        connection.close()


def run_wrk(
    page: Page, host: str, *, duration: float, connections: int, requests: list[tuple[str, str]] | None = None
) -> LoadResult:
    headers = "\n".join(f"{k}: {v}" for k, v in request_headers(page, host).items())
    env = {
        **os.environ,
        "BENCH_METHOD": page.method,
        "BENCH_HEADERS": headers,
        "BENCH_THREADS": str(THREADS),
        # Bodies are read only where each answer must be checked (the saves): reading costs the client.
        "BENCH_MARKER": (page.marker or "") if requests else "",
        "BENCH_VARY_IP": "1" if page.vary_ip else "",
        "BENCH_REQUESTS": "",
    }
    drain(host)
    with tempfile.TemporaryDirectory(prefix="clea-wrk-") as folder:
        if requests:
            listing = Path(folder) / "requests.tsv"
            listing.write_text("".join(f"{path}\t{body}\n" for path, body in requests))
            env["BENCH_REQUESTS"] = str(listing)
        command = [
            "wrk",
            f"-t{THREADS}",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--timeout",
            "30s",
            "-s",
            str(SCRIPT),
            f"http://{host}{page.path}",
        ]
        completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (our own argv)
    return parse(completed.stdout, completed.stderr)


def parse(stdout: str, stderr: str = "") -> LoadResult:
    line = next((ln for ln in stdout.splitlines() if ln.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk n'a pas produit de résumé : {stdout[-500:]} {stderr[-500:]}")
    values = {k: int(float(v)) for k, v in (item.split("=", 1) for item in line.split()[1:])}
    duration = values["duration_us"] / 1e6
    return LoadResult(
        requests=values["requests"],
        duration_s=round(duration, 2),
        p50_ms=values["p50_us"] / 1000,
        p95_ms=values["p95_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        max_ms=values["max_us"] / 1000,
        rps=values["requests"] / duration if duration else 0.0,
        non_2xx_3xx=values["status_errors"],
        socket_errors=sum(values[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")),
        matched=values["matched"],
        missed=values["missed"],
    )
