"""Shared fixtures: real stores in temporary directories and real servers on loopback."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient

sys.path.insert(0, str(Path(__file__).parent))

from ccgraph.config import Settings
from ccgraph.store import open_store
from servers import ROOT, TOKEN, start_oxigraph, start_server, stop_oxigraph, stop_server


@pytest.fixture
def store(tmp_path):
    """A real embedded store (Oxigraph on disk) in a temporary directory."""
    with open_store(f"oxigraph:{tmp_path / 'store'}") as opened:
        yield opened


@pytest.fixture(scope="session")
def bundled_store_path(tmp_path_factory):
    """A store with the bundled data and the synthetic example population (which many
    analytics and page tests need) loaded once per session (copied before mutation)."""
    from ccgraph.bundle import load_bundled

    path = tmp_path_factory.mktemp("bundled") / "store"
    with open_store(f"oxigraph:{path}") as opened:
        load_bundled(opened, with_example=True)
    return path


@pytest.fixture
def bundled_store(bundled_store_path, tmp_path):
    """A private copy of the bundled store, so a test may write to it."""
    copy = tmp_path / "bundled-store"
    shutil.copytree(bundled_store_path, copy)
    with open_store(f"oxigraph:{copy}") as opened:
        yield opened


@pytest.fixture(scope="module")
def bundled_app(bundled_store_path, tmp_path_factory):
    """The app in this process on a module's private copy of the bundled store: pages and
    JSON answers are tested through it, without a server (HTTP is not their subject)."""
    from ccgraph.web import create_app  # late: only tests of the web layer need flask

    copy = tmp_path_factory.mktemp("app") / "store"
    shutil.copytree(bundled_store_path, copy)
    settings = Settings(store=f"oxigraph:{copy}", update_token=TOKEN)
    with open_store(settings.store, settings) as opened:
        yield create_app(settings, store=opened)


class WholeResponseClient(FlaskClient):
    """Flask's test client reading every response whole and closing it, as a server does:
    a file a view sends is closed at once, not left to the garbage collector."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


@pytest.fixture
def client(bundled_app):
    """A test client on `bundled_app`."""
    return WholeResponseClient(bundled_app, bundled_app.response_class)


def _remote_store_url(request) -> str | None:
    """With CCGRAPH_TEST_REMOTE=1, service tests marked `remote` run against `oxigraph serve`."""
    if os.environ.get("CCGRAPH_TEST_REMOTE") != "1":
        return None
    if request.node.get_closest_marker("remote") is None:
        pytest.skip("not part of the remote-store subset")
    return "remote"


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real `oxigraph serve` on 127.0.0.1 for the remote-mode runs."""
    url, process = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"))
    yield url
    stop_oxigraph(process)


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """A live ccgraph server (embedded store, or `oxigraph serve` in remote mode)."""
    store_url = None
    if _remote_store_url(request):
        oxigraph = request.getfixturevalue("oxigraph_server")
        store_url = (f"sparql:{oxigraph}/query update={oxigraph}/update "
                     f"gsp={oxigraph}/store")
        import requests

        requests.post(oxigraph + "/update", data={"update": "DROP ALL"}, timeout=30)
    live = start_server(store_url)
    yield live
    stop_server(live)


__all__ = ["ROOT"]


class Canary:
    """A loopback HTTP server that records every request: it must see none."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self):
                hits.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"<http://canary/s> <http://canary/p> \"leak\" .\n")

            do_GET = do_POST = do_HEAD = _record

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canary():
    server = Canary()
    yield server
    server.close()
