"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against a real
server with the bundled data. Every request a page makes must stay on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest

from servers import ROOT, serving_copy

CHROMIUM = os.environ.get("CCGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "artifacts"
DIST = ROOT / "src" / "ccgraph" / "web" / "static" / "dist"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium "
                    "(bash .ci/system-packages) to run the browser tests")
    from playwright.sync_api import sync_playwright  # a dev dependency: missing is an error

    _build_assets()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _build_assets() -> None:
    """The pages need the bundled scripts; build them as `make assets` would."""
    if (DIST / "app.js").is_file():
        return
    if shutil.which("npm") is None:
        pytest.fail("front-end assets are not built and npm is missing: run `make assets`")
    if not (ROOT / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    subprocess.run(["npm", "run", "--silent", "build"], cwd=ROOT, check=True)


@pytest.fixture(scope="session")
def site(bundled_store_path, tmp_path_factory):
    with serving_copy(bundled_store_path, tmp_path_factory.mktemp("e2e")) as live:
        yield live


class Visit:
    """One browser page that records every request and console error."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base = page, base
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def go(self, path: str):
        return self.page.goto(self.base + path, wait_until="networkidle")

    def shot(self, name: str, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def outside(self) -> list[str]:
        return [u for u in self.requests
                if urlparse(u).scheme not in ("data", "blob", "about")
                and urlparse(u).hostname != "127.0.0.1"]


@pytest.fixture
def visit(chromium, site):
    context = chromium.new_context(viewport={"width": 1280, "height": 900},
                                   accept_downloads=True, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)
    recorder = Visit(page, site.url)
    yield recorder
    context.close()
    assert recorder.outside() == [], "a page loaded something from another host"
    assert recorder.errors == [], f"errors in the browser: {recorder.errors}"


def pytest_terminal_summary(terminalreporter):
    """Say how many browser tests ran and, if they were skipped, why (a fresh machine
    without Chromium skips them: `bash .ci/system-packages` installs it)."""
    stats = terminalreporter.stats
    browser = [r for key in ("passed", "failed", "skipped", "error") for r in stats.get(key, [])
               if "browser" in getattr(r, "keywords", {})]
    if not browser:
        return
    ran = sum(1 for r in browser if r.outcome in ("passed", "failed") and r.when == "call")
    skipped = [r for r in browser if r.outcome == "skipped"]
    reasons = sorted({str(r.longrepr[-1]) if isinstance(r.longrepr, tuple) else str(r.longrepr)
                      for r in skipped})
    line = f"browser tests (headless Chromium at {CHROMIUM}): {ran} ran, {len(skipped)} skipped"
    terminalreporter.write_sep("-", line)
    for reason in reasons:
        terminalreporter.write_line(f"  skipped because: {reason}")
