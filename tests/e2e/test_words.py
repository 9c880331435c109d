"""Issue 17 in a real headless Chromium, desktop and 375 px: pages in words, the finder
graph's layout, errors as pages, the region dossier and its PDF, no sideways scrolling."""

from __future__ import annotations

import io
import math
from pathlib import Path
from urllib.parse import quote

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
NUTS = "http://data.europa.eu/nuts/code/"
FINDER = f"/finder?a={quote(NUTS + 'AT221', safe='')}&b={quote(NUTS + 'HU221', safe='')}"

# One page of each kind a person reads.
PAGE_KINDS = {
    "home": "/", "search": "/search?q=automotive", "cluster": "/id/cluster/at-acstyria",
    "example-cluster": "/id/cluster/synthetic-35",
    "programme": "/id/programme/interreg-austria-hungary-2021-2027",
    "instrument": "/id/instrument/synthetic-1", "project": "/id/project/clustercoop",
    "region": "/region/AT22", "industry": "/resource?iri=" + quote(
        "http://data.europa.eu/ux2/nace2/29", safe=""),
    "finder": FINDER, "gaps": "/gaps?threshold=0.3&limit=5", "map": "/map",
    "queries": "/queries", "query": "/queries/instruments-for-two-regions?run=1&regionA="
    + quote(NUTS + "AT221", safe="") + "&regionB=" + quote(NUTS + "HU221", safe=""),
    "contacts": "/contacts", "events": "/events", "compare": "/compare?a=AT22&b=HU22",
    "dossier": "/region/AT22/dossier", "ontology": "/ontology", "sparql": "/sparql-editor",
    "error": "/queries/nope",
}


@pytest.fixture(scope="module")
def phone(chromium, site):
    context = chromium.new_context(viewport={"width": 375, "height": 740}, is_mobile=True,
                                   locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_nothing_scrolls_sideways_at_375_px(phone, site, kind):
    phone.goto(site.url + PAGE_KINDS[kind], wait_until="networkidle")
    width = phone.evaluate("document.documentElement.scrollWidth")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / f"e2e-375-{kind}.png"), full_page=False)
    assert width <= 375, (kind, width)


def test_finder_graph_names_edges_in_words_and_crosses_no_node(visit):
    visit.go(FINDER)
    visit.page.wait_for_function("window.ccgraphFinderGraph !== undefined")
    geometry = visit.page.evaluate("""() => {
      const cy = window.ccgraphFinderGraph;
      return {
        nodes: cy.nodes().map(n => ({id: n.id(), x: n.position('x'), y: n.position('y'),
                                     box: n.boundingBox({includeLabels: true})})),
        edges: cy.edges().map(e => ({s: e.source().id(), t: e.target().id(),
                                     label: e.data('label'),
                                     straight: e.style('curve-style') === 'straight'}))};
    }""")
    labels = {e["label"] for e in geometry["edges"]}
    assert {"is eligible in", "is part of"} <= labels
    assert not any("_" in label for label in labels)
    where = {n["id"]: n for n in geometry["nodes"]}
    for edge in (e for e in geometry["edges"] if e["straight"]):
        a, b = where[edge["s"]], where[edge["t"]]
        for node in geometry["nodes"]:
            if node["id"] in (edge["s"], edge["t"]):
                continue
            assert _distance(node, a, b) > 15, (edge, node["id"])
    boxes = [n["box"] for n in geometry["nodes"]]
    for i, one in enumerate(boxes):
        for other in boxes[i + 1:]:
            assert not _overlap(one, other), (one, other)
    assert "Interreg Austria-Hungary 2021-2027" in visit.page.locator("ol.instruments").inner_text()
    assert visit.page.locator("ol.instruments .status").first.inner_text() == "current"
    visit.shot("e2e-finder-words")


def _distance(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = (p["x"], p["y"]), (a["x"], a["y"]), (b["x"], b["y"])
    length = (bx - ax) ** 2 + (by - ay) ** 2
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) *
                                                   (by - ay)) / length))
    return math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)))


def _overlap(a, b) -> bool:
    return a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]


def test_finder_same_region_twice_says_so(visit):
    visit.go(f"/finder?a={quote(NUTS + 'AT221', safe='')}&b={quote(NUTS + 'AT221', safe='')}")
    assert "You chose Graz twice" in visit.page.get_by_role("alert").inner_text()


def test_a_browser_gets_errors_as_a_page_in_words(visit):
    response = visit.page.goto(visit.base + "/gaps?threshold=abc")
    assert response.status == 400
    assert "Threshold must be a number" in visit.page.locator("main").inner_text()
    assert visit.page.get_by_role("link", name="Go to the start page.").is_visible()
    visit.shot("e2e-error-page", full_page=False)
    visit.errors.clear()  # the 400 itself is logged by Chromium as a failed resource


def test_resource_page_hides_addresses_in_technical_details(visit):
    visit.go("/id/cluster/at-acstyria")
    main = visit.page.locator("main")
    assert "https://" not in main.inner_text()  # folded details are not rendered text
    visit.page.get_by_text("Technical details").click()
    assert "https://w3id.org/ccgraph/id/cluster/at-acstyria" in main.inner_text()
    badges = visit.page.locator(".kind-line .type").all_inner_texts()
    assert badges and all(":" not in b for b in badges)
    visit.shot("e2e-resource-words")


def test_region_dossier_prints_and_downloads_as_a_pdf(visit):
    pypdf = pytest.importorskip("pypdf")
    visit.go("/region/AT22")
    visit.page.get_by_role("link", name="Region dossier").click()
    visit.page.wait_for_url("**/region/AT22/dossier")
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.get_by_role("heading", name="Best partner regions abroad").is_visible()
    visit.shot("e2e-dossier")
    with visit.page.expect_download() as info:
        visit.page.get_by_role("link", name="Download as PDF").click()
    download = info.value
    assert download.suggested_filename == "ccgraph-dossier-AT22.pdf"
    reader = pypdf.PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in ("Steiermark (AT22)", "ACstyria Mobility Cluster",
                     "Interreg Austria-Hungary 2021-2027", "Funding gaps", "Sources"):
        assert expected in text, expected
    # printing the page itself: Chromium's own PDF, without navigation, absolute links
    visit.page.emulate_media(media="print")
    assert not visit.page.locator(".site-header nav").is_visible()
    printed = visit.page.pdf(format="A4")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "e2e-dossier-printed.pdf").write_bytes(printed)
    assert len(printed) > 10_000


def test_printed_links_carry_the_site_address(visit):
    visit.go("/region/AT22")
    visit.page.emulate_media(media="print")
    after = visit.page.evaluate("""() => {
      const a = document.querySelector('main a[href^="/region/"]');
      return getComputedStyle(a, '::after').content; }""")
    assert visit.base in after, after


def test_search_results_show_codes_languages_and_pages(visit):
    visit.go("/search?q=automotive")
    assert visit.page.locator("ol.results .kind").first.inner_text().lower() == "cluster"
    assert "of" in visit.page.locator("#results-heading").inner_text()
    visit.page.get_by_role("link", name="Next").click()
    visit.page.wait_for_load_state("networkidle")
    assert "Results 21" in visit.page.locator("#results-heading").inner_text()
    visit.shot("e2e-search-page-2")


def test_query_form_takes_names_and_shows_names(visit):
    visit.go("/queries/instruments-for-two-regions")
    box = visit.page.get_by_role("combobox", name="NUTS region").first
    box.click()
    box.press_sequentially("Graz", delay=20)
    visit.page.get_by_role("option").filter(has_text="Graz").first.click()
    other = visit.page.get_by_role("combobox", name="Another NUTS region")
    other.click()
    other.press_sequentially("Győr", delay=20)
    visit.page.get_by_role("option").filter(has_text="Győr").first.click()
    assert visit.page.get_by_label("Scope").locator("option").count() >= 3
    visit.page.get_by_role("button", name="Run", exact=True).click()
    visit.page.wait_for_load_state("networkidle")
    headers = visit.page.locator("table.results-table th").all_inner_texts()
    assert "Instrument" in headers and not any("Label" in h or h.islower() for h in headers)
    assert "Interreg Austria-Hungary 2021-2027" in visit.page.locator("table").inner_text()
    assert visit.page.locator("#param-regionA").input_value() == "Graz"
    visit.shot("e2e-query-in-words")


def _run(visit, query: str) -> None:
    visit.page.evaluate("q => { window.ccgraphYasgui.getTab().setQuery(q); }", query)
    visit.page.locator(".yasqe_queryButton").click()
    visit.page.wait_for_function("!document.querySelector('.yasqe_queryButton.busy')")
    visit.page.wait_for_timeout(500)


PREFIX = ("PREFIX ccg: <https://w3id.org/ccgraph/ontology#>\n"
          "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")


def test_sparql_editor_errors_in_words_and_columns_in_query_order(visit):
    visit.go("/sparql-editor")
    visit.page.locator(".yasqe .CodeMirror").wait_for()
    _run(visit, "SELECT * WHERE {\n  ?s ?p ?o . FILTER( }")
    visit.errors.clear()  # the 400 answer is logged by Chromium
    error = visit.page.locator("#sparql-error")
    error.wait_for()
    assert error.inner_text().startswith("Line 2, column")
    assert "“}” is not expected here" in error.inner_text()
    visit.errors.clear()  # the 400 answer is logged by Chromium
    _run(visit, PREFIX + "SELECT * WHERE { ?zcluster a ccg:Cluster ; "
                "ccg:locatedIn ?aregion } LIMIT 3")
    visit.page.locator(".yasr table tbody tr").first.wait_for()
    headers = [h.strip() for h in visit.page.locator(".yasr table thead th").all_inner_texts()]
    assert headers.index("zcluster") < headers.index("aregion"), headers
    assert visit.page.locator("#sparql-error").is_hidden()


def test_sparql_editor_shows_a_map_a_chart_and_a_graph(visit):
    visit.go("/sparql-editor")
    visit.page.locator(".yasqe .CodeMirror").wait_for()
    _run(visit, PREFIX + "SELECT ?region (COUNT(?c) AS ?clusters) WHERE { ?c a ccg:Cluster ; "
                "ccg:locatedIn ?region } GROUP BY ?region ORDER BY DESC(?clusters) LIMIT 20")
    visit.page.evaluate("() => { window.ccgraphYasgui.getTab().getYasr().selectPlugin('map'); }")
    visit.page.wait_for_function("(document.querySelector('.sparql-map') || {dataset: {}})"
                                 ".dataset.regions > 0")
    visit.page.locator(".sparql-map path.leaflet-interactive").first.wait_for()
    visit.page.locator(".yasr").screenshot(path=str(ARTIFACTS / "e2e-sparql-map.png"))
    visit.page.evaluate("() => { window.ccgraphYasgui.getTab().getYasr().selectPlugin('chart'); }")
    visit.page.wait_for_function("document.querySelector('.sparql-chart canvas')")
    assert visit.page.locator(".sparql-chart").get_attribute("data-kind") == "bar"
    visit.page.locator(".yasr").screenshot(path=str(ARTIFACTS / "e2e-sparql-chart.png"))
    _run(visit, PREFIX + "CONSTRUCT { ?c ccg:locatedIn ?r . ?c rdfs:label ?l } WHERE { ?c a "
                "ccg:Cluster ; ccg:locatedIn ?r ; rdfs:label ?l } LIMIT 12")
    visit.page.evaluate("() => { window.ccgraphYasgui.getTab().getYasr().selectPlugin('graph'); }")
    visit.page.wait_for_function("(document.querySelector('.sparql-graph') || {dataset: {}})"
                                 ".dataset.nodes > 2")
    assert int(visit.page.locator(".sparql-graph").get_attribute("data-edges")) >= 1
    visit.page.locator(".yasr").screenshot(path=str(ARTIFACTS / "e2e-sparql-graph.png"))
    downloads = visit.page.locator(".yasr_downloadIcon, .yasr .yasr_btn.yasr_downloadIcon")
    assert downloads.count() >= 1
