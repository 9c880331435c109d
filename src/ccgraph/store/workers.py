"""Engine processes that can be stopped: the only way to give Oxigraph a deadline.

pyoxigraph cannot cancel a running query and crashes on some hostile input, so
the web service evaluates every query and write in a child process. At the
deadline the child is killed (the work really stops) and replaced; if it dies,
the request fails and the service goes on.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import os
import queue
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from typing import Any, TypeVar, cast

from ..errors import CCGraphError, EngineCrashed, QueryTimeout, StoreError

__all__ = ["EnginePool"]

T = TypeVar("T")


def _limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        # RLIMIT_DATA covers heap and private mappings (Linux >= 4.7) but not
        # RocksDB's shared file mappings, unlike RLIMIT_AS.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _serve(fd: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    conn = Connection(fd)
    init, init_args, memory_mb = conn.recv()
    _limit_memory(memory_mb)
    state = init(*init_args)
    while True:
        try:
            func, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", func(state, *args))
        except CCGraphError as exc:
            reply = ("error", exc)
        except MemoryError:
            reply = ("error", EngineCrashed("the request exceeded the engine's memory limit"))
        except Exception as exc:  # a bug or an engine error: reported as a server fault
            reply = ("error", StoreError(f"{type(exc).__name__}: {exc}"))
        conn.send(reply)


@functools.cache
def _jemalloc() -> str | None:
    return ctypes.util.find_library("jemalloc")


def _engine_env(malloc: str) -> dict[str, str]:
    """The process environment without ccgraph's settings: an engine works from what its
    pool hands it (`init_args`), so a setting cannot reach it by a second road.

    Oxigraph evaluates 1.5-2x faster on jemalloc than on glibc's malloc (bench/README.md):
    engines preload it when the system has it (Debian: libjemalloc2), unless `malloc` is
    "system" (`Settings.engine_malloc`).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCGRAPH_")}
    library = _jemalloc()
    if library and not env.get("LD_PRELOAD") and malloc != "system":
        env["LD_PRELOAD"] = library
    return env


class _Engine:
    # A plain subprocess (not multiprocessing): no re-import of the parent's __main__,
    # which under the web server or a test runner is not ours to import.
    def __init__(self, init: Callable[..., Any], init_args: tuple[Any, ...],
                 memory_mb: int, malloc: str) -> None:
        parent, child = socket.socketpair()
        code = f"from ccgraph.store.workers import _serve; _serve({child.fileno()})"
        self.process = subprocess.Popen([sys.executable, "-c", code], pass_fds=(child.fileno(),),
                                        stdin=subprocess.DEVNULL, close_fds=True,
                                        env=_engine_env(malloc))
        child.close()
        self.conn = Connection(parent.detach())
        self.conn.send((init, init_args, memory_mb))

    def call(self, func: Callable[..., Any], args: tuple[Any, ...], timeout: float,
             what: str) -> Any:
        self.conn.send((func, args))
        if not self.conn.poll(max(timeout, 0)):
            self.kill()
            raise QueryTimeout(f"the {what} did not finish within its deadline of "
                               f"{timeout:.1f} s and was stopped", deadline_seconds=timeout)
        try:
            status, payload = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise EngineCrashed(f"the engine stopped while running this {what} (crash or "
                                "memory limit); the service continues") from None
        if status == "error":
            raise payload
        return payload

    def kill(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self.conn.close()


class EnginePool:
    """`size` engine processes; each call gets one, with a deadline covering the wait."""

    def __init__(self, size: int, init: Callable[..., Any], init_args: Iterable[Any] = (),
                 memory_mb: int = 0, malloc: str = "jemalloc",
                 what: str = "query") -> None:
        self._factory = (init, tuple(init_args), memory_mb, malloc)
        self._what = what
        # Last in, first out: the engine that just answered is still awake and its caches
        # warm (a point lookup took 0.50 ms round trip when engines took turns, 0.34 ms so).
        self._idle: queue.LifoQueue[_Engine] = queue.LifoQueue()
        self._all: set[_Engine] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        engine = _Engine(*self._factory)
        with self._lock:
            if self._closed:
                engine.kill()
                return
            self._all.add(engine)
        self._idle.put(engine)

    def _replace(self, engine: _Engine) -> None:
        with self._lock:
            self._all.discard(engine)
        # Starting a process takes a moment: do it off the request's path.
        threading.Thread(target=self._add, daemon=True).start()

    def call(self, func: Callable[..., T], *args: Any, timeout: float) -> T:
        deadline = time.monotonic() + timeout
        try:
            engine = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"every engine was busy until the deadline of {timeout:.1f} s",
                               deadline_seconds=timeout) from None
        try:
            result = engine.call(func, args, deadline - time.monotonic(), self._what)
        except (QueryTimeout, EngineCrashed):
            self._replace(engine)
            raise
        except BaseException:
            self._idle.put(engine)
            raise
        self._idle.put(engine)
        return cast(T, result)  # what `func` returned, sent back across the process border

    def close(self) -> None:
        with self._lock:
            self._closed = True
            engines = list(self._all)
            self._all.clear()
        for engine in engines:
            engine.kill()
