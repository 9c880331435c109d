"""What `ccgraph serve` (granian, ccgraph/server.py) adds around the app: request-head limits
answered before any Python runs, the forwarded scheme from a local proxy only, and no process
environment in request environs."""

from __future__ import annotations

import os
import socket

import pytest
import requests
from werkzeug.test import EnvironBuilder, run_wsgi_app

from ccgraph.config import Settings
from servers import start_server, stop_server


@pytest.fixture(scope="module")
def live():
    server = start_server()
    yield server
    stop_server(server)


def raw(server, data: bytes) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(("request_head", "status"), [
    (b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n", b"431"),
    (b"GET /api/health HTTP/1.1\r\nHost: x\r\n"
     + b"".join(b"X-%d: a\r\n" % i for i in range(200)) + b"\r\n", b"431"),
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414"),
    (b"GARBAGE\r\n\r\n", b"400"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", b"400"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", b"400"),
], ids=["big-header", "many-headers", "huge-target", "garbage", "two-lengths", "bad-name"])
def test_bad_request_heads_are_refused_by_the_http_layer(live, request_head, status):
    answer = raw(live, request_head)
    assert answer.startswith(b"HTTP/1.1 " + status), answer[:200]
    assert requests.get(live.url + "/api/health", timeout=30).status_code == 200


def test_a_long_target_gets_the_apps_json_414_and_a_normal_one_is_served(live):
    response = requests.get(live.url + "/api/health?" + "x" * 17_000, timeout=30)
    assert response.status_code == 414
    assert response.json()["error"]["code"] == "uri_too_long"
    assert requests.get(live.url + "/api/health?" + "x" * 15_000, timeout=30).status_code == 200


def test_the_forwarded_scheme_of_a_local_proxy_is_used(live):
    accept = {"Accept": "text/turtle"}
    plain = requests.get(live.sparql, headers=accept, timeout=30).text
    assert f"<{live.sparql}>" in plain
    proxied = requests.get(live.sparql, timeout=30,
                           headers={**accept, "X-Forwarded-Proto": "https"}).text
    assert "<" + live.sparql.replace("http://", "https://") + ">" in proxied


def test_the_process_environment_stays_out_of_request_environs(monkeypatch):
    # granian starts every request environ from a copy of os.environ
    monkeypatch.setenv("CCGRAPH_UPDATE_TOKEN", "env-token-0123456789")
    monkeypatch.setenv("HTTP_X_PROBE", "from-the-environment")
    from ccgraph.server import create_served_app

    app = create_served_app(Settings(store="memory:"))
    seen = {}

    def probe():
        from flask import request

        seen.update(probe=request.headers.get("X-Probe"),
                    token=any("env-token" in str(v) for v in request.environ.values()))
        return "ok"

    app.add_url_rule("/_probe", "probe", probe)
    for headers, expected in (({}, None), ({"X-Probe": "sent"}, "sent")):
        environ = {**os.environ,
                   **EnvironBuilder(path="/_probe", headers=headers).get_environ()}
        body, status, _ = run_wsgi_app(app, environ, buffered=True)
        assert status.startswith("200"), b"".join(body)
        assert seen["probe"] == expected
        assert not seen["token"]


def test_settings_reach_the_app_as_arguments_never_through_the_environment(monkeypatch):
    monkeypatch.setenv("CCGRAPH_STORE", "sparql:http://127.0.0.1:9/from-the-environment")
    monkeypatch.setenv("CCGRAPH_UPDATE_TOKEN", "env-token-0123456789")
    from ccgraph.server import create_served_app

    app = create_served_app(Settings(store="memory:", max_request_target=100))
    services = app.extensions["ccgraph"]
    assert services.settings.store == "memory:"
    assert services.settings.update_token is None
    client = app.test_client()
    assert client.get("/api/health?" + "x" * 80).status_code == 200
    response = client.get("/api/health?" + "x" * 95)
    assert response.status_code == 414
    assert "100 bytes" in response.json["error"]["message"]
