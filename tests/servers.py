"""Real ccgraph servers for tests: a subprocess on 127.0.0.1 that stops by itself."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

TOKEN = "test-token-0123456789"
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    store_url: str
    process: subprocess.Popen
    log_path: Path
    token: str = TOKEN

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    @property
    def store(self) -> str:
        return self.url + "/store"

    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None


def start_server(store_url: str | None = None, *, env: dict | None = None,
                 lifetime: int = 900, workers: int = 1) -> LiveServer:
    """Start `ccgraph serve`; it is killed after `lifetime` seconds whatever happens."""
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="ccgraph-test-"))
    store_url = store_url or f"oxigraph:{workdir / 'store'}"
    full_env = {**os.environ, "CCGRAPH_STORE": store_url, "CCGRAPH_UPDATE_TOKEN": TOKEN,
                **(env or {})}
    log_path = workdir / "server.log"
    command = ["timeout", "-s", "KILL", str(lifetime), sys.executable, "-m", "ccgraph.cli",
               "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env=full_env, stdout=log, stderr=subprocess.STDOUT,
                                   cwd=ROOT, start_new_session=True)
    server = LiveServer(f"http://127.0.0.1:{port}", store_url, process, log_path)
    _wait_ready(server)
    return server


def _wait_ready(server: LiveServer, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"server exited early:\n{server.log()}")
        with contextlib.suppress(requests.ConnectionError):
            if requests.get(server.url + "/api/health", timeout=30).status_code == 200:
                return
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"server did not become ready:\n{server.log()}")


def stop_server(server: LiveServer) -> None:
    """SIGTERM to the server alone, as a process manager sends it; then SIGKILL to what is
    left of the group (engines still starting). A SIGTERM to the whole group reaches a granian
    worker twice (from us and from its master): about one stop in eight the worker then hung
    in granian's signal handler until its 10 s kill timeout, 10 s lost per server."""
    for pid in _children(server.process.pid) or [server.process.pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.process.wait(10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(10)
    shutil.rmtree(server.log_path.parent, ignore_errors=True)


def _children(pid: int) -> list[int]:
    """The processes `pid` started (here: the server under its `timeout` wrapper)."""
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(child) for child in listed.split()]
    except (OSError, ValueError):
        return []


@contextlib.contextmanager
def serving_copy(store_path: Path, directory: Path) -> Iterator[LiveServer]:
    """A live server on a private copy of a store (tests may write to it)."""
    copy = directory / "store"
    shutil.copytree(store_path, copy)
    server = start_server(f"oxigraph:{copy}")
    try:
        yield server
    finally:
        stop_server(server)


def start_oxigraph(location: Path, lifetime: int = 1800) -> tuple[str, subprocess.Popen]:
    """A real `oxigraph serve` (PyPI package oxigraph) on 127.0.0.1 with a union default graph."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    process = subprocess.Popen(
        ["timeout", "-s", "KILL", str(lifetime), binary, "serve", "--location", str(location),
         "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        with contextlib.suppress(requests.ConnectionError):
            requests.get(url + "/query", params={"query": "ASK {}"}, timeout=2)
            return url, process
        time.sleep(0.1)
    stop_oxigraph(process)
    raise RuntimeError("oxigraph serve did not start")


def stop_oxigraph(process: subprocess.Popen) -> None:
    """Kill the process group: killing the `timeout` wrapper alone leaves oxigraph running."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, 9)
    process.wait(10)


# The vocabulary and reference data that examples in tests refer to (loaded unvalidated).
REFERENCE_FILES = ["ontology/ccgraph.ttl", "data/reference/countries.ttl",
                   "data/reference/nuts-2024.ttl", "data/reference/nace2.ttl"]
