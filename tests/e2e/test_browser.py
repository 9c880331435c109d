"""End-to-end: what a policy maker does, in a real headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

CLUSTER_6 = "Example Cluster 6 (Creative industries, Bratislavský kraj)"
CLUSTER_271 = "Example Cluster 271 (Creative industries"
CLUSTER_35 = "Example Cluster 35 (Creative industries"


def test_search_leads_to_the_cluster_page(visit):
    visit.go("/")
    box = visit.page.get_by_role("combobox", name="Search names in any language")
    box.click()
    box.press_sequentially("Example Cluster 35", delay=20)
    option = visit.page.get_by_role("option").filter(has_text=CLUSTER_35)
    option.first.wait_for()
    visit.shot("e2e-search-suggestions", full_page=False)
    # keyboard only: arrow down to the suggestion, Enter opens its page
    for _ in range(10):
        box.press("ArrowDown")
        active = visit.page.locator("[role=option][aria-selected=true]")
        if CLUSTER_35 in active.inner_text():
            break
    box.press("Enter")
    visit.page.wait_for_url("**/id/cluster/synthetic-35")
    visit.page.wait_for_load_state("networkidle")
    assert CLUSTER_35 in visit.page.locator("h1").inner_text()
    assert visit.page.locator(".synthetic-banner").is_visible()
    visit.page.locator(".map path.leaflet-interactive").first.wait_for()
    assert visit.page.get_by_role("heading", name="Top partners").is_visible()
    visit.shot("e2e-cluster-page")


def _choose(visit, label: str, typed: str, wanted: str) -> None:
    box = visit.page.get_by_role("combobox", name=label)
    box.click()
    box.press_sequentially(typed, delay=20)
    visit.page.get_by_role("option").filter(has_text=wanted).first.click()


def test_instrument_finder_shows_instruments_and_draws_the_path(visit):
    visit.go("/finder")
    _choose(visit, "First cluster or region", "Example Cluster 6", CLUSTER_6)
    _choose(visit, "Second cluster or region", "Example Cluster 271", CLUSTER_271)
    assert visit.page.locator("#a-iri").input_value().endswith("/cluster/synthetic-6")
    visit.page.get_by_role("button", name="Find instruments").click()
    visit.page.wait_for_load_state("networkidle")
    instruments = visit.page.locator("ol.instruments > li")
    assert instruments.count() >= 1
    # real programmes come first now that the bundle holds them; the example call is listed
    assert "Example Instrument 4 (cross-border call)" in visit.page.locator(
        "ol.instruments").inner_text()
    assert "Why it matches" in instruments.first.inner_text()
    graph = visit.page.locator("#path-graph")
    visit.page.wait_for_function(
        "document.getElementById('path-graph').dataset.nodes > 0")
    assert int(graph.get_attribute("data-nodes")) >= 3
    assert int(graph.get_attribute("data-edges")) >= 2
    assert graph.locator("canvas").count() >= 1
    visit.shot("e2e-finder")


def test_sparql_editor_runs_a_query_and_shows_rows(visit):
    visit.go("/sparql")  # a browser asking /sparql gets the editor
    visit.page.locator(".yasqe .CodeMirror").wait_for()
    visit.page.evaluate("""() => { window.ccgraphYasgui.getTab().setQuery(
      'PREFIX ccg: <https://w3id.org/ccgraph/ontology#>\\n' +
      'SELECT ?cluster WHERE { ?cluster a ccg:Cluster } ORDER BY ?cluster LIMIT 7'); }""")
    visit.page.locator(".yasqe_queryButton").click()
    rows = visit.page.locator(".yasr table tbody tr")
    rows.first.wait_for()
    visit.page.wait_for_function(
        "document.querySelectorAll('.yasr table tbody tr').length === 7")
    assert "cluster/" in rows.first.inner_text()  # a real cluster sorts first now
    link = rows.first.locator("a.iri")
    assert link.get_attribute("href").startswith("/id/cluster/")  # stays on this server
    visit.shot("e2e-sparql-editor")


def test_named_query_page_downloads_csv(visit):
    visit.go("/queries/resource-sources")
    visit.page.get_by_role("combobox", name="resource").fill(
        "https://w3id.org/ccgraph/id/project/clustercoop")
    visit.page.get_by_role("button", name="Run").click()
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.locator("table.results-table tbody tr").count() >= 1
    visit.shot("e2e-named-query")
    with visit.page.expect_download() as info:
        visit.page.get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename == "resource-sources.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("resource name,resource,source name,source") and "clustercoop" in text


def test_map_draws_the_regions_and_links_them(visit):
    visit.go("/map")
    visit.page.wait_for_function("document.getElementById('nuts-map').dataset.drawn > 0")
    assert int(visit.page.locator("#nuts-map").get_attribute("data-drawn")) == 125
    paths = visit.page.locator("#nuts-map path.leaflet-interactive")
    assert paths.count() == 125
    fills = set(visit.page.eval_on_selector_all(
        "#nuts-map path.leaflet-interactive", "els => els.map(e => e.getAttribute('fill'))"))
    assert len(fills) >= 3  # coloured by counts, not one flat colour
    assert visit.page.locator(".leaflet-tile").count() == 0  # no tile server
    visit.shot("e2e-map", full_page=False)
    visit.page.get_by_role("link", name=re.compile("Gießen")).first.click()
    visit.page.wait_for_url("**/region/DE72")


def test_phone_layout_has_no_horizontal_scroll(chromium, site):
    context = chromium.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        for path, name in (("/", "home"), ("/id/cluster/synthetic-6", "cluster"),
                           ("/finder?a=https://w3id.org/ccgraph/id/cluster/synthetic-6"
                            "&b=https://w3id.org/ccgraph/id/cluster/synthetic-271", "finder")):
            page.goto(site.url + path, wait_until="networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=str(_artifact(f"e2e-phone-{name}")), full_page=False)
            assert width <= 380, (path, width)
    finally:
        context.close()


def test_skip_link_is_first_and_moves_focus_to_main(visit):
    visit.go("/gaps")
    visit.page.keyboard.press("Tab")
    focused = visit.page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    visit.page.keyboard.press("Enter")
    assert visit.page.evaluate("location.hash") == "#main"


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
