"""The policy-maker pages on the bundled data, rendered in process through Flask's test
client (`client`, conftest.py); what a page loads is also checked through a real
`ccgraph serve` (`site`), as a browser would fetch it."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlparse

import pytest
import requests

from servers import ROOT, TOKEN, serving_copy

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ID = "https://w3id.org/ccgraph/id/"
NUTS = "http://data.europa.eu/nuts/code/"
DIST = ROOT / "src" / "ccgraph" / "web" / "static" / "dist"

# Two example clusters an instrument covers (Example Instrument 4, a cross-border call
# eligible in Bratislavský kraj and Észak-Magyarország). docs/policy-makers.md cites them.
LINK_A, LINK_B = ID + "cluster/synthetic-6", ID + "cluster/synthetic-271"
INSTRUMENT = "Example Instrument 4 (cross-border call)"


@pytest.fixture(scope="module")
def site(bundled_store_path, tmp_path_factory):
    """A live server on a private copy of the bundled store."""
    with serving_copy(bundled_store_path, tmp_path_factory.mktemp("pages")) as live:
        yield live


def get(client, path: str, headers=HTML, params: dict | None = None):
    """A response of the app in this process."""
    return client.get(path, headers=headers, query_string=params)


def fetch(site, path: str, headers=HTML) -> requests.Response:
    """A response of the live server, over HTTP."""
    return requests.get(site.url + path, headers=headers, timeout=120)


class Links(HTMLParser):
    """Every URL a page would load or link to (src, href, action, data-* URLs)."""

    URL_ATTRS = frozenset({"src", "href", "action", "data-geojson", "data-autocomplete",
                           "data-endpoint", "data-region-href", "poster", "srcset"})

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.inputs: list[dict] = []
        self.labels: set[str] = set()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name in self.URL_ATTRS and value is not None:
                self.urls.append((tag, name, value))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "label" and attributes.get("for"):
            self.labels.add(attributes["for"])
        if tag in ("input", "select", "textarea"):
            self.inputs.append(attributes)


def parse(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("", ) and not url.startswith("//"):
        return True
    return parsed.scheme in ("http", "https") and parsed.hostname == "127.0.0.1"


def query_names(client) -> list[str]:
    return [q["name"] for q in get(client, "/api/queries", headers={}).json["queries"]]


PAGES = [
    "/",
    "/search?q=Gie%C3%9Fen",
    "/search?q=Example+Cluster+3",
    "/id/cluster/synthetic-1",
    "/id/instrument/synthetic-1",
    "/id/project/synthetic-1",
    "/id/project/clustercoop",
    "/region/DE72",
    "/region/SK",
    "/resource?iri=" + quote("http://data.europa.eu/ux2/nace2/58", safe=""),
    "/finder",
    f"/finder?a={quote(LINK_A, safe='')}&b={quote(LINK_B, safe='')}",
    "/gaps",
    "/gaps?threshold=0.3&limit=5",
    "/map",
    "/queries",
    "/sparql-editor",
    "/ontology",
]
SYNTHETIC = {"/", "/id/cluster/synthetic-1", "/id/instrument/synthetic-1", "/gaps", "/map",
             "/id/project/synthetic-1", "/finder", "/region/DE72"}
REAL = {"/id/project/clustercoop", "/ontology"}


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_with_banner_where_synthetic(client, path):
    response = get(client, path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"].startswith("text/html")
    banner = 'class="banner synthetic-banner"' in response.text
    if path in SYNTHETIC:
        assert banner, f"{path} shows example data without the synthetic banner"
    if path in REAL:
        assert not banner, f"{path} shows only real data but carries the synthetic banner"


def test_every_named_query_page_runs_with_its_example_values(client):
    names = query_names(client)
    assert names, "no named query is installed"
    for name in names:
        page = get(client, f"/queries/{name}")
        assert page.status_code == 200, name
        example = re.search(r'class="example" href="([^"]+)"', page.text)
        target = example.group(1).replace("&amp;", "&") if example else f"/queries/{name}?run=1"
        ran = get(client, target)
        assert ran.status_code == 200, (name, ran.text[:300])
        assert 'class="notice" role="alert"' not in ran.text, (name, target)
        assert "row" in ran.text and "Download:" in ran.text, name


def test_no_page_refers_to_another_host(site, client, built_assets):
    paths = PAGES + [f"/queries/{n}" for n in query_names(client)]
    for path in paths:
        links = parse(fetch(site, path).text)
        outside = [u for u in links.urls if not local(u[2])]
        assert not outside, f"{path} refers to other hosts: {outside}"
        for tag, attr, url in links.urls:
            if attr == "src" or (tag == "link" and attr == "href"):
                assert fetch(site, urljoin("/", url), headers={}).status_code == 200, (path, url)


@pytest.fixture(scope="module")
def built_assets():
    if not any(DIST.glob("*.js")):
        if shutil.which("npm") is None:
            pytest.fail("front-end assets are not built and npm is missing: run `make assets`")
        if not (ROOT / "node_modules").is_dir():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
        subprocess.run(["npm", "run", "--silent", "build"], cwd=ROOT, check=True)
    return sorted(p for p in DIST.rglob("*") if p.suffix in (".js", ".css"))


_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)")
# Hosts a front-end library might load code, styles, fonts, tiles or terms from.
_LOADERS = re.compile(r"(fonts\.googleapis|fonts\.gstatic|unpkg\.com|jsdelivr|cdnjs|"
                      r"tile\.openstreetmap|\{z\}/\{x\}/\{y\}|googletagmanager|"
                      r"https?://[^\s\"'`]+\.(?:js|css|woff2?|ttf|png|jpe?g|gif)[\"'`])")


def test_built_assets_load_nothing_from_another_host(built_assets):
    assert built_assets, "no built asset"
    for asset in built_assets:
        text = asset.read_text(errors="replace")
        if asset.suffix == ".css":
            for match in _CSS_URL.finditer(text):
                url = match.group(1) or match.group(2)
                if url.startswith(("data:", "#")):  # inline data, or IE's url(#default#VML)
                    continue
                assert local(url), f"{asset.name} loads {url}"
                assert (asset.parent / url.split("?")[0].split("#")[0]).is_file(), url
        else:
            found = _LOADERS.findall(text)
            assert not found, f"{asset.name} refers to outside resources: {found[:5]}"


def test_served_assets_are_the_built_ones(site, built_assets):
    for asset in built_assets:
        path = "/static/" + asset.relative_to(DIST.parent).as_posix()
        assert fetch(site, path, headers={}).status_code == 200, path


def test_every_input_has_a_label_and_pages_have_a_skip_link(client):
    for path in ("/", "/finder", "/gaps", "/queries/resource-sources", "/search?q=x"):
        html = get(client, path).text
        assert 'class="skip-link" href="#main"' in html and 'id="main"' in html
        assert '<html lang="en">' in html
        assert 'name="viewport"' in html and 'media="print"' in html
        links = parse(html)
        for attrs in links.inputs:
            if attrs.get("type") == "hidden":
                continue
            assert attrs.get("id") in links.labels, (path, attrs)


def test_search_finds_labels_in_every_language_ranked(client):
    def hits(q, **extra):
        return get(client, "/search.json", headers={}, params={"q": q, **extra}).json["results"]

    hungarian = hits("nemzetgazdasagi")  # diacritics are folded
    assert any(h["iri"] == ID + "organisation/hu-ministry-for-national-economy"
               for h in hungarian)
    german = hits("Gieß")
    assert german[0]["iri"] == NUTS + "DE72" and german[0]["href"] == "/region/DE72"
    clusters = hits("example cluster 35", kind="cluster")
    assert clusters and {h["kind"] for h in clusters} == {"cluster"}
    assert clusters[0]["iri"] == ID + "cluster/synthetic-35"
    assert hits("") == [] and hits("zzzqqqxxx") == []


def test_search_follows_writes_to_the_store(client):
    assert get(client, "/search.json", headers={}, params={"q": "Quokkaville"}).json[
        "results"] == []
    turtle = (f'<{ID}organisation/quokka> a <https://w3id.org/ccgraph/ontology#Organisation> ;\n'
              '  <http://www.w3.org/2000/01/rdf-schema#label> "Quokkaville Testing Agency"@en .\n'
              f'<{ID}organisation/quokka-markup> '
              '<http://www.w3.org/2000/01/rdf-schema#label> "Quokka <script>bad()</script>" .\n')
    put = client.put("/store", query_string={"graph": "https://example.org/test/quokka"},
                     data=turtle.encode(),
                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"})
    assert put.status_code in (200, 201, 204), put.text
    results = get(client, "/search.json", headers={}, params={"q": "Quokkaville"}).json["results"]
    assert [r["iri"] for r in results] == [ID + "organisation/quokka"]
    for path in ("/search?q=Quokka", "/id/organisation/quokka-markup"):
        html = get(client, path).text
        assert "Quokka &lt;script&gt;bad()&lt;/script&gt;" in html
        assert "<script>bad()" not in html
    page = get(client, "/id/organisation/quokka")
    assert page.status_code == 200 and "Quokkaville Testing Agency" in page.text
    assert 'synthetic-banner' not in page.text


def test_labels_follow_accept_language(client):
    path = "/id/organisation/hu-ministry-for-national-economy"
    hungarian = get(client, path, headers={**HTML, "Accept-Language": "hu-HU,hu;q=0.9,en;q=0.5"})
    english = get(client, path, headers={**HTML, "Accept-Language": "de"})
    assert "<h1>Nemzetgazdasági Minisztérium</h1>" in hungarian.text
    assert "<h1>Ministry for National Economy (Hungary)</h1>" in english.text
    region = get(client, "/region/DE72", headers={**HTML, "Accept-Language": "en"})
    assert "<h1>Gießen</h1>" in region.text  # only a German label: any language will do


def test_cluster_page_has_profile_partners_and_sources(client):
    html = get(client, "/id/cluster/synthetic-6").text
    for heading in ("Profile", "Projects", "Top partners", "Instruments that could fund links",
                    "Sources", "Everything recorded"):
        assert f">{heading}</h2>" in html, heading
    assert 'data-highlight="SK01"' in html
    assert "score" in html and "Find instruments for this link" in html
    # instruments carry their status today; closed calls come last, never as if open
    funding = html.split('id="instruments-heading"')[1].split("</section>")[0]
    statuses = re.findall(r'<span class="status">([^<]+)</span>', funding)
    assert statuses and statuses == sorted(statuses, key=lambda s: s.startswith("closed"))
    assert "Synthetic example data generated by ccgraph synth" in html


def test_seed_project_shows_partners_and_its_source_document(client):
    html = get(client, "/id/project/clustercoop").text
    assert "Lead partner" in html and "Ministry for National Economy (Hungary)" in html
    assert "The ClusterCOOP Project (project description)" in html
    assert "000-clustercoop.ttl" in html


def test_real_region_listing_example_clusters_says_so(client):
    html = get(client, "/region/DE72").text
    assert "Contains synthetic example data." in html  # the region is real, its clusters not
    assert "This region was generated" not in html


def test_instrument_and_region_pages(client):
    inst = get(client, "/id/instrument/synthetic-1").text
    assert 'data-highlight="SI03 SI04"' in inst
    assert "Projects funded" in inst and "Interregional" in inst
    region = get(client, "/region/DE72").text
    assert "Clusters in this region (6)" in region and "Example Cluster 1 (" in region
    assert "Instruments open to this region" in region


def test_finder_lists_instruments_with_rule_and_path(client):
    html = get(client, "/finder", params={"a": LINK_A, "b": LINK_B}).text
    assert INSTRUMENT in html
    assert "Why it matches:" in html and "cross-border scope fits" in html
    assert 'id="graph-data"' in html and "How they are connected" in html


def test_finder_without_javascript_resolves_typed_names(client):
    html = get(client, "/finder", params={"a_label": "Example Cluster 6",
                                        "b_label": "Example Cluster 271"}).text
    assert INSTRUMENT in html


def test_finder_reports_a_mixed_pair_plainly(client):
    html = get(client, "/finder", params={"a": LINK_A, "b": NUTS + "DE72"}).text
    assert 'role="alert"' in html and "two clusters or two regions" in html


def test_gaps_report_lists_region_pairs(client):
    html = get(client, "/gaps", params={"threshold": "0.3", "limit": "5"}).text
    assert "pairs scored" in html and "<table class=\"gaps\">" in html


def test_map_page_counts_clusters_per_nuts2(client):
    html = get(client, "/map").text
    counts = re.search(r"data-counts='([^']+)'", html)
    assert counts
    import json

    numbers = json.loads(counts.group(1))
    assert sum(numbers.values()) >= 300 and all(len(code) == 4 for code in numbers)
    geo = get(client, "/geo/nuts2.geojson", headers={})
    assert geo.status_code == 200 and len(geo.json["features"]) == 125
    assert "GISCO" in html and "EuroGeographics" in html


def test_named_query_page_offers_downloads_that_work(client):
    html = get(client, "/queries/resource-sources", params={
        "run": "1", "resource": ID + "project/clustercoop"}).text
    links = dict(re.findall(r'<a href="([^"]+)" download data-format="([^"]+)"', html))
    assert set(links.values()) == {"CSV", "Excel (XLSX)", "JSON"}
    for href, label in links.items():
        response = get(client, href.replace("&amp;", "&"), headers={})
        assert response.status_code == 200, label
        if label == "CSV":
            assert response.text.startswith("resource name,resource,source name,source")
            assert "clustercoop" in response.text


def test_sparql_hands_browsers_the_editor_and_clients_the_description(site):
    browser = fetch(site, "/sparql")
    assert browser.status_code == 200 and 'id="yasgui"' in browser.text
    for accept in ("text/turtle", "*/*", "application/ld+json"):
        client = requests.get(site.sparql, headers={"Accept": accept}, timeout=30)
        assert client.status_code == 200 and "yasgui" not in client.text
    bare = requests.get(site.sparql, timeout=30, headers={"Accept": ""})
    assert "yasgui" not in bare.text
    query = requests.get(site.sparql, params={"query": "ASK {}"}, headers=HTML, timeout=30)
    assert "yasgui" not in query.text


def test_ontology_page_documents_classes_and_properties(client):
    html = get(client, "/ontology").text
    assert 'id="Cluster"' in html and "<code>ccg:locatedIn</code>" in html
    assert "Classes" in html and "Object properties" in html
    turtle = get(client, "/ontology", headers={"Accept": "text/turtle"})
    assert turtle.headers["Content-Type"].startswith("text/turtle")
    assert "owl:Ontology" in turtle.text


def test_unknown_resources_are_404_pages(client):
    for path in ("/id/cluster/does-not-exist", "/region/XX99",
                 "/resource?iri=" + quote("https://example.org/nothing", safe=""),
                 "/resource?iri=not%20an%20iri"):
        response = get(client, path)
        assert response.status_code == 404, path
        assert "Not found" in response.text


def test_print_stylesheet_and_responsive_rules_exist():
    static = ROOT / "src" / "ccgraph" / "web" / "static"
    assert "@media (max-width" in (static / "site.css").read_text()
    assert "display: none" in (static / "print.css").read_text()


def test_pages_module_keeps_to_the_web_layer_rules():
    import ast

    web = ROOT / "src" / "ccgraph" / "web"
    for module in [*web.glob("pages/*.py"), *(web.parent / "read").glob("*.py")]:
        tree = ast.parse(Path(module).read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in ("networkx", "owlready2", "pyoxigraph"), \
                    (module.name, name)


GUIDE = ROOT / "docs" / "policy-makers.md"
_GUIDE_URL = re.compile(r"<http://127\.0\.0\.1:8000(/[^>]*)>")


def test_every_address_in_the_policy_makers_guide_works(client):
    text = GUIDE.read_text()
    paths = _GUIDE_URL.findall(text)
    assert len(paths) >= 15
    for path in paths:
        response = get(client, path)
        assert response.status_code == 200, (path, response.text[:300])
        if path.startswith("/finder?"):
            assert "Why it matches:" in response.text, path
        if "format=csv" in path:
            assert response.headers["Content-Type"].startswith("text/csv")
        if "format=csv" in path and path.startswith("/api/queries/resource-sources"):
            assert response.text.startswith("resource name,resource,source name,source")
    assert 'id="yasgui"' in get(client, "/sparql").text
    assert not re.findall(r"<https?://(?!127\.0\.0\.1:8000/)[^>]+>", text), \
        "the guide links to other hosts"


def test_guide_claims_about_search_hold(client):
    def first(q):
        return get(client, "/search.json", headers={}, params={"q": q}).json["results"][0]

    assert "Gießen" in GUIDE.read_text() and first("Gieß")["label"] == "Gießen"
    assert first("nemzetgazdasagi")["lang"] == "hu"


def test_vocabulary_terms_link_to_the_ontology_page(client):
    html = get(client, "/id/cluster/synthetic-1").text
    assert 'href="/ontology#locatedIn"' in html and 'href="/ontology#Cluster"' in html
    assert 'id="locatedIn"' in get(client, "/ontology").text


def test_facts_stated_by_several_sources_show_once_in_the_readers_language(client):
    html = get(client, "/id/project/clustercoop", headers={**HTML, "Accept-Language": "en"}).text
    lead = html.split("<dt>Lead partner</dt>")[1].split("</dd>")[0]
    assert lead.count("Ministry for National Economy (Hungary)") == 1
    objectives = html.split("<h3>Objectives</h3>")[1].split("</ul>")[0]
    assert "Specific objective 1" in objectives and "Hlavní cíl" not in objectives
    czech = get(client, "/id/project/clustercoop", headers={**HTML, "Accept-Language": "cs"}).text
    assert "Hlavní cíl" in czech.split("<h3>Objectives</h3>")[1].split("</ul>")[0]


def test_search_text_is_never_fts_syntax():
    from ccgraph.read.search import _match_expression

    assert _match_expression("Gieß en") == '"Gieß" "en"*'
    assert _match_expression('a" OR label:* NEAR(') == '"a" "OR" "label" "NEAR"*'
    assert _match_expression("  -- ") == ""


def test_label_choice_prefers_the_readers_language_then_english_then_any():
    from rdflib import Literal

    from ccgraph.read.labels import in_language, pick

    labels = [Literal("Gießen", lang="de"), Literal("Giessen", lang="en")]
    assert str(pick(labels, ("hu", "en"))) == "Giessen"
    assert str(pick(labels, ("de", "en"))) == "Gießen"
    assert str(pick([Literal("Gießen", lang="de")], ("en",))) == "Gießen"
    assert str(pick([Literal("x"), Literal("y", lang="fr")], ("en",))) == "x"
    assert pick([], ("en",)) is None
    texts = [Literal("a", lang="cs"), Literal("b", lang="en")]
    assert in_language(texts, ("cs", "en")) == [texts[0]]
    assert in_language(texts, ("pl",)) == texts


def test_whole_words_rank_before_longer_numbers(client):
    results = get(client, "/search.json", headers={},
                  params={"q": "Example Cluster 1", "kind": "cluster"}).json["results"]
    assert results[0]["iri"] == ID + "cluster/synthetic-1"
