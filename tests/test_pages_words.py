"""Pages in people's words (issue 17), rendered in process with Flask's test client on
the bundled data with the example population: no address or vocabulary name outside the
technical details, errors as pages for browsers, the region dossier and its PDF.
`client` (conftest.py) is the app on a private copy of the bundled store."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language": "en-GB,en;q=0.9"}
NUTS = "http://data.europa.eu/nuts/code/"
GRAZ, GYOR = NUTS + "AT221", NUTS + "HU221"

# One page of every kind a person reads (the ontology and the SPARQL editor document
# and edit vocabulary names: those are their subject).
PAGE_KINDS = {
    "home": "/",
    "search": "/search?q=automotive",
    "real cluster": "/id/cluster/at-acstyria",
    "example cluster": "/id/cluster/synthetic-35",
    "programme": "/id/programme/interreg-austria-hungary-2021-2027",
    "example instrument": "/id/instrument/synthetic-1",
    "project": "/id/project/clustercoop",
    "region": "/region/AT22",
    "country": "/region/SK",
    "industry": "/resource?iri=" + quote("http://data.europa.eu/ux2/nace2/29", safe=""),
    "finder": f"/finder?a={quote(GRAZ, safe='')}&b={quote(GYOR, safe='')}",
    "gaps": "/gaps?threshold=0.3&limit=5",
    "map": "/map",
    "queries": "/queries",
    "query": "/queries/resource-sources?run=1&resource="
             + quote("https://w3id.org/ccgraph/id/project/clustercoop", safe=""),
    "contacts": "/contacts",
    "events": "/events",
    "compare": "/compare?a=AT22&b=HU22",
    "dossier": "/region/AT22/dossier",
}


class VisibleText(HTMLParser):
    """The text a person sees, without scripts, styles, hidden inputs or the folded
    technical details (where addresses belong)."""

    SKIP = frozenset({"script", "style", "template", "code", "pre"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        hidden = tag in self.SKIP or "data-technical" in attributes or \
            "hidden" in attributes or (self.stack and self.stack[-1][1])
        if tag not in ("input", "br", "img", "meta", "link", "hr", "source", "wbr"):
            self.stack.append((tag, bool(hidden)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, text):
        if not (self.stack and self.stack[-1][1]):
            self.parts.append(text)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.parts))


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return parser.text


_PREFIXED = re.compile(r"\b(?:ccg|rdf|rdfs|skos|owl|xsd|org|dcterms|prov|foaf|schema|"
                       r"vcard|id|nuts|nace|geo|frapo|qb|dcat):[A-Za-z_]")


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_address_or_vocabulary_name_outside_the_technical_details(client, kind):
    response = client.get(PAGE_KINDS[kind], headers=HTML)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = visible(response.get_data(as_text=True))
    assert "http://" not in text and "https://" not in text, \
        [m for m in re.findall(r"https?://\S+", text)][:5]
    assert not _PREFIXED.search(text), _PREFIXED.findall(text)[:5]


def test_facts_are_named_in_words_and_each_is_shown_once(client):
    html = client.get("/id/cluster/at-acstyria", headers=HTML).get_data(as_text=True)
    facts = html.split('id="facts-heading"')[1].split("data-technical")[0]
    rows = re.findall(r'<th scope="row"><a [^>]+>([^<]+)</a></th>', facts)
    assert "Name" in rows and rows.count("Name") == 1  # rdfs:label and skos:prefLabel
    assert "Source" in rows and rows.count("Source") == 1  # dcterms:source, prov:wasDerivedFrom
    assert "Type" in rows and "Number of members" in rows
    assert "number of members: 300 (2021)" in facts  # a reported value as a phrase
    assert "rdf:type" not in facts and "(a nested description)" not in facts
    # the addresses are still there for those who need them, folded away
    technical = html.split("data-technical")[1]
    assert "https://w3id.org/ccgraph/id/cluster/at-acstyria" in technical
    assert "/describe?iri=" in technical


def test_type_badges_are_words(client):
    html = client.get("/id/cluster/synthetic-35", headers=HTML).get_data(as_text=True)
    badges = re.findall(r'<span class="type">([^<]+)</span>', html)
    assert badges and all(":" not in b and b[:1].isupper() for b in badges), badges


def test_member_count_unknown_is_not_zero(client):
    html = client.get("/id/cluster/at-acstyria", headers=HTML).get_data(as_text=True)
    assert "<dt>Members</dt><dd>180 or 300" in html
    events = visible(client.get("/events", headers=HTML).get_data(as_text=True))
    assert " 0 " not in events.replace(" 0 participants", "")


def test_rdf_downloads_of_the_technical_details_work(client):
    iri = quote("https://w3id.org/ccgraph/id/cluster/at-acstyria", safe="")
    turtle = client.get(f"/describe?iri={iri}&format=turtle")
    assert turtle.status_code == 200 and turtle.content_type.startswith("text/turtle")
    assert b"ACstyria" in turtle.data
    jsonld = client.get(f"/describe?iri={iri}&format=json-ld")
    assert jsonld.content_type.startswith("application/ld+json")
    assert client.get(f"/describe?iri={iri}&format=doc").status_code == 400


@pytest.mark.parametrize("path, status, words", [
    ("/queries/nope", 404, "No named query"),
    ("/no-such-page", 404, "Not found"),
    ("/gaps?threshold=abc", 400, "Threshold must be a number"),
    ("/gaps?limit=1000", 400, "between 1 and 100"),
    ("/compare?a_label=Xyzzy&b=AT22", 404, "No region is called"),
    ("/region/AT22/dossier.pdf?x=1".replace("AT22", "ZZ9"), 404, "No region has the NUTS code"),
])
def test_browsers_get_errors_as_pages_and_programs_as_json(client, path, status, words):
    page = client.get(path, headers=HTML)
    assert page.status_code == status
    assert page.content_type.startswith("text/html")
    html = page.get_data(as_text=True)
    assert words in html and "What you can do" in html
    assert 'href="/"' in html  # a way on
    program = client.get(path, headers={"Accept": "application/json"})
    assert program.status_code == status
    assert program.get_json()["error"]["status"] == status
    assert client.get(path).get_json()["error"]["code"]  # no Accept: JSON as before


def test_finder_refuses_the_same_region_twice_in_words(client):
    html = client.get(f"/finder?a={quote(GRAZ, safe='')}&b={quote(GRAZ, safe='')}",
                      headers=HTML).get_data(as_text=True)
    assert "You chose Graz twice" in html
    assert 'id="instruments-heading"' not in html


def test_finder_refuses_a_cluster_with_a_region(client):
    cluster = quote("https://w3id.org/ccgraph/id/cluster/at-acstyria", safe="")
    html = client.get(f"/finder?a={cluster}&b={quote(GYOR, safe='')}",
                      headers=HTML).get_data(as_text=True)
    assert "two clusters or two regions" in html
    assert 'id="instruments-heading"' not in html


def test_finder_names_its_sources_instead_of_printing_addresses(client):
    html = client.get(PAGE_KINDS["finder"], headers=HTML).get_data(as_text=True)
    assert "Interreg Austria-Hungary 2021-2027" in html
    sources = html.split('class="sources"><strong>Sources:</strong>')[1].split("</p>")[0]
    assert "/resource?iri=" in sources and ">http" not in sources


def test_region_dossier_has_every_part(client):
    html = client.get("/region/AT22/dossier", headers=HTML).get_data(as_text=True)
    for heading in ("Clusters (", "Programmes and instruments covering it", "Best partner "
                    "regions abroad", "Funding gaps", "Contact points", "Events held here",
                    "Sources ("):
        assert heading in html, heading
    assert "ACstyria Mobility Cluster" in html
    assert "Interreg Austria-Hungary 2021-2027" in html
    assert re.search(r"<td>current</td>", html) and re.search(r"<td>closed</td>", html)
    assert "/region/AT22/dossier.pdf" in html
    region = client.get("/region/AT22", headers=HTML).get_data(as_text=True)
    assert 'href="/region/AT22/dossier"' in region


def test_region_dossier_pdf_is_rendered_here_and_reads_like_the_page(client):
    pypdf = pytest.importorskip("pypdf")
    response = client.get("/region/AT22/dossier.pdf")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert "ccgraph-dossier-AT22.pdf" in response.headers["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Steiermark (AT22)" in text
    assert "ACstyria Mobility Cluster" in text
    assert "Interreg Austria-Hungary 2021-2027" in text
    assert "Best partner regions abroad" in text and "Sources" in text
    assert len(reader.pages) >= 2


def test_printed_links_are_absolute(client):
    html = client.get("/region/AT22", headers=HTML,
                      base_url="http://ccgraph.example:8000").get_data(as_text=True)
    assert '" (http://ccgraph.example:8000" attr(href)' in html


def test_search_puts_clusters_first_shows_codes_the_total_and_pages(client):
    html = client.get("/search?q=automotive", headers=HTML).get_data(as_text=True)
    kinds = re.findall(r'<span class="kind">([^<]+)</span>', html)
    assert kinds[0] == "cluster"
    first_other = next(i for i, k in enumerate(kinds) if k != "cluster")
    assert all(k != "cluster" for k in kinds[first_other:])  # every cluster before the rest
    total = int(re.search(r"Results 1 to 20 of (\d+)", html).group(1))
    assert total > 20 and 'rel="next"' in html
    # the two NACE entries of one name are told apart by their codes
    assert '<span class="code">47.3</span>' in html or "47.30" in client.get(
        "/search?q=automotive&page=2", headers=HTML).get_data(as_text=True)
    last = client.get(f"/search?q=automotive&page={-(-total // 20)}", headers=HTML)
    assert 'rel="prev"' in last.get_data(as_text=True)
    assert client.get("/search?q=automotive&page=99", headers=HTML).status_code == 400


def test_search_names_languages_not_tags(client):
    html = client.get("/search?q=Steiermark", headers=HTML).get_data(as_text=True)
    assert '<span class="lang" lang="de">in German</span>' in html
    assert ">DE<" not in html and ">de<" not in html


@pytest.mark.parametrize("path, sheet, first_columns", [
    ("/events", "Events", ["date", "event", "event address"]),
    ("/map", "Clusters per region", ["region", "NUTS code", "region address"]),
    (PAGE_KINDS["finder"], "Instruments for Graz and Győr-M",
     ["programme or instrument", "address", "status"]),
    ("/gaps?threshold=0.3&limit=5", "Funding gaps", ["first region", "first region address"]),
    ("/contacts", "Contact points", ["country", "contact point", "contact point address"]),
])
def test_every_page_table_downloads_with_names_beside_addresses(client, path, sheet,
                                                                 first_columns):
    openpyxl = pytest.importorskip("openpyxl")
    page = client.get(path, headers=HTML).get_data(as_text=True)
    assert "Download this table:" in page
    joiner = "&" if "?" in path else "?"
    table = client.get(path + joiner + "format=csv")
    assert table.status_code == 200 and table.content_type.startswith("text/csv")
    header = table.get_data(as_text=True).splitlines()[0].split(",")
    assert header[:len(first_columns)] == first_columns
    book = openpyxl.load_workbook(io.BytesIO(client.get(path + joiner + "format=xlsx").data))
    assert book.sheetnames == [sheet]
    data = client.get(path + joiner + "format=json").get_json()
    assert data["columns"][:len(first_columns)] == first_columns
    assert client.get(path + joiner + "format=pdf", headers=HTML).status_code == 400


def test_named_query_download_has_names_and_a_sheet_named_after_the_query(client):
    openpyxl = pytest.importorskip("openpyxl")
    base = ("/api/queries/instruments-for-two-regions/results?regionA=" + quote(GRAZ, safe="")
            + "&regionB=" + quote(GYOR, safe=""))
    text = client.get(base + "&format=csv").get_data(as_text=True)
    assert text.startswith("regionA name,regionA,regionB name,regionB")
    assert "Graz,http://data.europa.eu/nuts/code/AT221" in text
    book = openpyxl.load_workbook(io.BytesIO(client.get(base + "&format=xlsx").data))
    assert book.sheetnames == ["Instruments open to two regions"]


def test_query_form_fields_are_in_words_with_a_choice_of_scopes(client):
    html = client.get("/queries/instruments-for-two-regions", headers=HTML).get_data(
        as_text=True)
    labels = re.findall(r'<label for="param-[^"]+">([^<]+)</label>', html)
    assert labels == ["NUTS region", "Another NUTS region", "Scope"]
    assert "(iri)" not in html
    assert re.search(r'<select id="param-scope".*?>cross-border</option>', html, re.S)
    example = re.search(r'class="example" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    ran = client.get(example, headers=HTML).get_data(as_text=True)
    assert 'value="Graz"' in ran and 'value="Győr-Moson-Sopron"' in ran  # names, not addresses
    headers = re.findall(r'<th scope="col">([^<]+)</th>', ran)
    assert "Instrument" in headers and "instrumentLabel" not in headers and "Region A" in headers


def _tables(client, path: str, table: str) -> tuple[list[list[str]], object, dict]:
    """The CSV rows, the XLSX workbook and the JSON of one table of a page."""
    openpyxl = pytest.importorskip("openpyxl")
    joiner = "&" if "?" in path else "?"
    url = f"{path}{joiner}table={table}&format=" if table else f"{path}{joiner}format="
    csv_file = client.get(url + "csv")
    assert csv_file.status_code == 200 and csv_file.content_type.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(csv_file.get_data(as_text=True))))
    book = openpyxl.load_workbook(io.BytesIO(client.get(url + "xlsx").data))
    return rows, book, client.get(url + "json").get_json()


def _same_table(rows, book, data) -> None:
    sheet = book[book.sheetnames[0]]
    assert [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(
        values_only=True)] == rows
    assert data["columns"] == rows[0] and len(data["rows"]) == len(rows) - 1


@pytest.mark.parametrize("table, columns, name, address", [
    ("clusters", ["cluster", "cluster address"], "ACstyria Mobility Cluster",
     "https://w3id.org/ccgraph/id/cluster/at-acstyria"),
    ("instruments", ["instrument", "instrument address"],
     "Clusters Go International, 2020 call (COS-CLUSINT-2020-3-01)",
     "https://w3id.org/ccgraph/id/instrument/escp-4i-2020"),
])
def test_region_page_lists_download_with_names_beside_addresses(client, table, columns,
                                                                 name, address):
    page = client.get("/region/AT22", headers=HTML).get_data(as_text=True)
    assert f"table={table}&amp;format=csv" in page or f"table={table}&format=csv" in page
    rows, book, data = _tables(client, "/region/AT22", table)
    assert rows[0] == columns
    opening = "Clusters in" if table == "clusters" else "Instruments open to"
    assert book.sheetnames == [f"{opening} Steiermark"]
    _same_table(rows, book, data)
    found = [r for r in rows[1:] if r[0] == name]
    assert found and found[0][1].startswith(address), rows[:5]
    assert all(not r[0].startswith("http") and r[1].startswith("http") for r in rows[1:])
    assert client.get("/region/AT22?format=csv").status_code == 400  # which table?
    assert client.get("/region/AT22?format=csv&table=nope").status_code == 400


_DOSSIER = {
    "clusters": (["cluster", "cluster address", "sectors", "example data"],
                 "ACstyria Mobility Cluster"),
    "programmes": (["programme or instrument", "address", "status", "start", "end"],
                   "Interreg Austria-Hungary 2021-2027"),
    "partners": (["partner region", "partner region address", "recommended pairs",
                  "cluster here", "cluster here address"], None),
    "gaps": (["first region", "first region address", "second region"], None),
    "contacts": (["contact point", "contact point address", "e-mail", "telephone"], None),
    "events": (["date", "event", "event address", "participants recorded"], None),
    "sources": (["source", "source address"], None),
}


@pytest.mark.parametrize("table", _DOSSIER)
def test_region_dossier_tables_download_with_names_beside_addresses(client, table):
    columns, name = _DOSSIER[table]
    html = client.get("/region/AT22/dossier", headers=HTML).get_data(as_text=True)
    rows, book, data = _tables(client, "/region/AT22/dossier", table)
    assert rows[0][:len(columns)] == columns
    assert len(book.sheetnames) == 1 and "Steiermark" in book.sheetnames[0], book.sheetnames
    _same_table(rows, book, data)
    if len(rows) > 1 or table in ("clusters", "programmes", "sources"):
        assert f"table={table}&amp;format=xlsx" in html
        assert len(rows) > 1, f"the dossier shows {table} but the download is empty"
    if name:
        assert name in [r[0] for r in rows[1:]]
    for i, column in enumerate(rows[0]):  # every address column holds addresses only
        if column.endswith("address"):
            assert all(r[i] == "" or r[i].startswith("http") for r in rows[1:]), column
            assert all(not r[i - 1].startswith("http") for r in rows[1:]), rows[0][i - 1]


def test_region_dossier_clusters_download_matches_the_page(client):
    html = client.get("/region/AT22/dossier", headers=HTML).get_data(as_text=True)
    shown = int(re.search(r"Clusters \((\d+)\)", html).group(1))
    rows, _book, data = _tables(client, "/region/AT22/dossier", "clusters")
    assert len(rows) - 1 == shown == len(data["rows"])
    assert client.get("/region/AT22/dossier?format=csv&table=nope").status_code == 400


def test_search_results_download_every_match(client):
    page = client.get("/search?q=automotive", headers=HTML).get_data(as_text=True)
    total = int(re.search(r"Results 1 to 20 of (\d+)", page).group(1))
    assert "Download this table:" in page
    rows, book, data = _tables(client, "/search?q=automotive", "")
    assert rows[0] == ["name", "address", "kind", "code", "language"]
    assert len(rows) - 1 == total  # every match, not the 20 on the page
    assert book.sheetnames == ["Search results for automotive"]
    _same_table(rows, book, data)
    assert rows[1][2] == "cluster" and rows[1][1].startswith("https://")
    codes = {r[3] for r in rows[1:] if r[2] == "industry (NACE)"}
    assert {"47.3", "47.30"} <= codes
    assert all(not r[0].startswith("http") for r in rows[1:])


def test_unnamed_resources_referring_here_are_named_by_their_type(client):
    """A synthetic observation has no name: the cluster it is about lists it by its type
    and the cluster's name, never by words made from its address."""
    html = client.get("/id/cluster/synthetic-35", headers=HTML).get_data(as_text=True)
    incoming = html.split('id="incoming-heading"')[1].split("</section>")[0]
    link = re.search(r'<a href="/id/observation/synthetic-35-members"[^>]*>([^<]+)</a>',
                     incoming)
    assert link and link.group(1) == "an observation of Example Cluster 35 (Creative " \
        "industries, Stredné Slovensko)", incoming[-600:]
    assert "synthetic 35 members" not in html and "synthetic-35-members<" not in html
    page = client.get("/id/observation/synthetic-35-members", headers=HTML)
    assert "<h1>An observation</h1>" in page.get_data(as_text=True)
    # many of one kind are numbered, in number order
    indicator = client.get("/id/indicator/synthetic-members", headers=HTML).get_data(
        as_text=True)
    numbers = [int(n) for n in re.findall(r">an observation of [^<]+ \((\d+) of \d+\)</a>",
                                          indicator)]
    assert numbers and numbers == sorted(numbers) and numbers[:2] == [1, 2]


def test_a_kind_of_reads_as_words():
    from ccgraph.read.words import a_kind_of

    assert a_kind_of("Observation", "Example Cluster 35") == \
        "an observation of Example Cluster 35"
    assert a_kind_of("Quality label") == "a quality label"
    assert a_kind_of("NUTS region") == "a NUTS region"
    assert a_kind_of("") == "an unnamed resource"


def test_error_pages_name_the_resource_and_fold_its_address(client):
    """The core's "no cluster <iri>" reads with the resource's name on the page; the
    address stays in the technical details, and JSON clients keep the message as it was."""
    region = quote(NUTS + "AT22", safe="")
    page = client.get(f"/api/indicators?cluster={region}", headers=HTML)
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    text = visible(html)
    assert "No cluster “Steiermark”" in text and "http" not in text, text
    details = html.split("data-technical")[1]
    assert f"<code>{NUTS}AT22</code>" in details
    unknown = client.get("/describe?iri=" + quote("https://w3id.org/ccgraph/id/cluster/nope",
                                                   safe=""), headers=HTML)
    assert unknown.status_code == 404
    assert "Nothing is known about this resource" in visible(unknown.get_data(as_text=True))
    program = client.get(f"/api/indicators?cluster={region}",
                         headers={"Accept": "application/json"}).get_json()
    assert program["error"]["message"] == f"no cluster <{NUTS}AT22>"


def test_error_words_leave_messages_without_addresses_alone(client):
    from ccgraph.web.pages.common import without_addresses

    with client.application.test_request_context():
        assert without_addresses("threshold must be a number") == (
            "threshold must be a number", [])
        words, found = without_addresses(f"no region 'http://example.org/x' or <{GRAZ}>")
    assert words == "no region this resource or “Graz”" and found == [
        "http://example.org/x", GRAZ]
