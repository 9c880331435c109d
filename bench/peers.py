"""The servers a benchmark run compares, each started on 127.0.0.1 and stopped at the end.

A `Peer` is one SPARQL endpoint over HTTP with the process tree behind it; its
peak memory is sampled from /proc while it runs. Loading is timed from the
outside, with each system's own loader, as a user would run it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

BIN = Path(sys.executable).parent
TOKEN = "bench-token-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- memory of a process tree, from /proc --------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = Path(entry.path, "stat").read_text()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_pids(root: int) -> list[int]:
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, ()))
    return found


def _kib(path: str, key: str) -> int:
    with contextlib.suppress(OSError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    return 0


def tree_memory(root: int) -> tuple[int, int]:
    """(RSS, PSS) of the tree in bytes. PSS shares the pages that several
    processes map (RocksDB files opened by every engine) instead of counting each."""
    pids = tree_pids(root)
    rss = sum(_kib(f"/proc/{p}/status", "VmRSS:") for p in pids)
    pss = sum(_kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
    return rss * 1024, pss * 1024


class MemoryWatch(threading.Thread):
    """Samples a process tree every `interval` seconds; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0
        self._halt = threading.Event()
        self.start()

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def sample(self) -> None:
        rss, pss = tree_memory(self.pid)
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)

    def stop(self) -> None:
        self._halt.set()
        self.sample()


# -- a running endpoint -------------------------------------------------------------------


@dataclass
class Peer:
    name: str
    url: str                    # the SPARQL query endpoint
    process: subprocess.Popen
    log: Path
    base: str = ""              # server root, for the JSON API
    load_seconds: float | None = None
    watch: MemoryWatch | None = None
    throughput: dict | None = None
    peak_before_api: tuple[int, int] = (0, 0)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.watch = MemoryWatch(self.process.pid)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.watch:
            self.watch.stop()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(15)


def _spawn(command: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})},
                                start_new_session=True)


def _run(command: list[str], log: Path, env: dict | None = None) -> float:
    started = time.perf_counter()
    with open(log, "ab") as out:
        subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=True,
                       env={**os.environ, **(env or {})})
    return time.perf_counter() - started


def wait_ready(peer: Peer, probe: str, seconds: float) -> float:
    """Wait until `probe` answers 200; return how long that took."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if not peer.alive():
            raise RuntimeError(f"{peer.name} exited:\n{peer.log.read_text()[-3000:]}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(probe, timeout=max(5.0, seconds / 10)).status_code == 200:
                return time.perf_counter() - started
        time.sleep(0.2)
    peer.stop()
    raise TimeoutError(f"{peer.name} was not ready within {seconds:.0f} s")


_ASK = {"query": "ASK { ?s ?p ?o }"}


def start_oxigraph(data: Path, work: Path, log: Path, name: str = "oxigraph",
                   graph: str | None = None) -> Peer:
    """`oxigraph load` (timed), then `oxigraph serve --union-default-graph`, in the
    store directory work/<name>. With `graph`, the data is loaded into that one named
    graph (`oxigraph load --graph`), as ccgraph stores it; without, into the default graph."""
    location = work / name
    shutil.rmtree(location, ignore_errors=True)
    command = [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(data)]
    if graph:
        command += ["--graph", graph]
    seconds = _run(command, log)
    port = free_port()
    process = _spawn([str(BIN / "oxigraph"), "serve", "--location", str(location),
                      "--bind", f"127.0.0.1:{port}", "--union-default-graph"], log)
    base = f"http://127.0.0.1:{port}"
    peer = Peer(name, base + "/query", process, log, base, seconds)
    wait_ready(peer, f"{peer.url}?query=ASK%7B%7D", 120)
    return peer


def ccgraph_env(store: str, cache_mb: float = 0) -> dict:
    # The bench asks long queries of big stores: the deadline must not cut a measurement.
    # The answer cache is off unless asked for: the query mix repeats every query, and the
    # per-class comparison with raw Oxigraph is of answers computed (bench/issue19.py
    # measures the cache on a peer of its own).
    return {"CCGRAPH_STORE": store, "CCGRAPH_UPDATE_TOKEN": TOKEN,
            "CCGRAPH_QUERY_TIMEOUT": "300", "PYTHONUNBUFFERED": "1",
            "CCGRAPH_ANSWER_CACHE_MB": str(cache_mb)}


def start_ccgraph(data: Path | None, store: str, log: Path, name: str,
                  workers: int = 1, cache_mb: float = 0) -> Peer:
    """`ccgraph load --no-validate` (if `data`), then `ccgraph serve`."""
    env = ccgraph_env(store, cache_mb)
    seconds = None
    if data is not None:
        seconds = _run([str(BIN / "ccgraph"), "load", "--no-validate", "--quiet", str(data)],
                       log, env)
    port = free_port()
    process = _spawn([str(BIN / "ccgraph"), "serve", "--host", "127.0.0.1", "--port", str(port),
                      "--workers", str(workers)], log, env)
    base = f"http://127.0.0.1:{port}"
    peer = Peer(name, base + "/sparql", process, log, base, seconds)
    wait_ready(peer, base + "/api/health", 120)
    return peer


def start_ccgraph_remote(oxigraph: Peer, log: Path) -> Peer:
    """ccgraph in remote mode over a running `oxigraph serve` (its data is already there:
    the bench passes the peer whose data is in a named graph, ccgraph's own layout)."""
    store = f"sparql:{oxigraph.base}/query update={oxigraph.base}/update"
    return start_ccgraph(None, store, log, "ccgraph-remote")


def start_rdflib(data: Path, log: Path, cap: float) -> Peer:
    """rdflib-endpoint over rdflib's in-memory store; it parses the file as it starts."""
    port = free_port()
    process = _spawn([str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1",
                      "--port", str(port), str(data)], log)
    base = f"http://127.0.0.1:{port}"
    peer = Peer("rdflib-endpoint", base + "/", process, log, base)
    # Its endpoint is at / (not /sparql); "ready" means the file is parsed.
    peer.load_seconds = wait_ready(peer, f"{base}/?query=ASK%7B%7D", cap)
    return peer


def install_peer_packages() -> None:
    """rdflib-endpoint is a peer, not a dependency: the bench installs it into this venv."""
    if (BIN / "rdflib-endpoint").exists():
        return
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "rdflib-endpoint[cli]==0.6.3"], check=True)
