"""schemathesis against the live service's own OpenAPI document (/openapi.json): generated
requests (documented examples, boundary values, random values) never get a 500, and every
answer has a documented status code, content type and body shape."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from servers import start_server, stop_server

pytestmark = pytest.mark.slow
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_schema_conformance,response_headers_conformance")


@pytest.fixture(scope="module")
def live(bundled_store_path, tmp_path_factory):
    """A server on a copy of the bundled data, so that documented examples reach the engine."""
    copy = tmp_path_factory.mktemp("openapi") / "store"
    shutil.copytree(bundled_store_path, copy, ignore=shutil.ignore_patterns("*.lock"))
    server = start_server(f"oxigraph:{copy}")
    yield server
    stop_server(server)


def test_the_document_is_served_and_names_every_json_api_route(live):
    document = requests.get(live.url + "/openapi.json", timeout=30).json()
    assert document["openapi"].startswith("3.1")
    routes = {"/api/health", "/api/graphs", "/api/queries", "/api/queries/{name}",
              "/api/queries/{name}/results", "/api/paths", "/api/partners",
              "/api/instruments", "/api/gaps", "/api/brokers", "/api/communities"}
    assert routes <= set(document["paths"])


def test_schemathesis_finds_no_server_error_and_no_schema_violation(live, tmp_path):
    cli = Path(sys.executable).with_name("schemathesis")
    if not cli.exists():
        pytest.skip("schemathesis is not installed (pip install -e '.[dev]')")
    result = subprocess.run(
        [str(cli), "run", f"{live.url}/openapi.json", "--checks", CHECKS,
         "--phases", "examples,coverage,fuzzing", "--max-examples", "25", "--seed", "8",
         "--workers", "1", "--request-timeout", "60", "--no-color",
         "--suppress-health-check", "all", "--generation-database", "none"],
        capture_output=True, text=True, timeout=400, cwd=tmp_path)  # no state in the repo
    summary = result.stdout[-6000:]
    assert result.returncode == 0, summary
    document = requests.get(live.url + "/openapi.json", timeout=30).json()
    operations = sum(len(methods) for methods in document["paths"].values())
    assert re.search(rf"Tested: {operations}\b", result.stdout), summary  # none skipped
    assert live.alive()
