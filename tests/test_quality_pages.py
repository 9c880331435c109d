"""Issue 9 pages on the bundled data, rendered in process through the test client
(`client`, conftest.py): the contact-point directory, the events list,
region-versus-region benchmarking and the quality section of a cluster page."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from test_pages import HTML, ID, NUTS, parse

# Example Cluster 3 holds an ESCA Bronze label, a member count (2022) and the three other
# example indicators (2023 and 2024).
LABELLED = ID + "cluster/synthetic-3"
PAGES = ["/contacts", "/events", "/compare", "/compare?a=SK01&b=HU31",
         "/compare?a=" + quote(NUTS + "SK01", safe="") + "&b=HU31", "/id/cluster/synthetic-3"]


def get(client, path: str, headers=HTML):
    return client.get(path, headers=headers)


def on_this_server(url: str) -> bool:
    if url.startswith(("mailto:", "tel:")):  # addresses to write to, never loaded
        return True
    return not re.match(r"^[a-z][a-z0-9+.\-]*:|^//", url, re.I) or \
        url.startswith("http://localhost/")


def chart_data(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(
        r'<script type="application/json" id="chart-[^"]+-data">(.*?)</script>', html, re.S)]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_locally_labelled_with_the_banner(client, path):
    response = get(client, path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"].startswith("text/html")
    assert 'class="banner synthetic-banner"' in response.text, path
    links = parse(response.text)
    assert [u for u in links.urls if not on_this_server(u[2])] == []
    visible = [i for i in links.inputs if i.get("type") != "hidden"]
    assert all(i.get("id") in links.labels for i in visible), visible


def test_navigation_names_the_new_pages(client):
    nav = get(client, "/").text.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    for href, label in (("/contacts", "Contact points"), ("/events", "Events"),
                        ("/compare", "Compare regions")):
        assert f'href="{href}"' in nav and label in nav
    assert 'href="/events" aria-current="page"' in get(client, "/events").text


def test_contacts_are_grouped_by_country_with_vcard_details_and_a_map(client):
    page = get(client, "/contacts").text
    headings = re.findall(r'<h2 id="country-\d+">(.*?)</h2>', page, re.S)
    assert any("Austria" in h for h in headings) and any("Slovakia" in h for h in headings)
    assert headings[-1] == "Not tied to a country"  # the Clusterix coordinator: a project
    austria = page.split("Austria</a>", 1)[1].split("<section", 1)[0]
    assert "Example contact point AT (national)" in austria
    assert "Example contact point AT11 (Burgenland)" in austria  # served through its region
    assert 'href="/region/AT11"' in austria
    assert 'href="mailto:contact-at@example.org"' in austria
    assert "Clusterix 2.0" in page and "Simone Hagenauer" in page
    # the map is coloured by how many contact points serve each region (issue 17)
    counts = json.loads(re.search(r"data-counts='([^']+)'", page).group(1))
    assert counts["AT11"] > counts["AT12"] >= 1  # Burgenland has its own contact point
    assert len(set(counts.values())) >= 2


def test_contacts_filter_by_country_and_download(client):
    page = get(client, "/contacts?country=AT").text
    headings = re.findall(r'<h2 id="country-\d+">(.*?)</h2>', page, re.S)
    assert headings and all("Austria" in h for h in headings)
    assert '<option value="AT" selected>' in page
    assert get(client, "/contacts?country=XX").status_code == 400
    table = get(client, "/contacts?country=AT&format=csv", headers={}).text
    assert table.startswith("country,contact point,contact point address")
    assert "Example contact point AT11 (Burgenland)" in table and "Slovakia" not in table


def test_events_list_dates_places_participants_and_links(client):
    page = get(client, "/events").text
    rows = re.findall(r"<tr><td>(.*?)</tr>", page, re.S)
    assert len(rows) > 10
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', page)
    assert dates == sorted(dates, reverse=True)  # newest first
    gyor = next(r for r in rows if "Clusterix 2.0 consortium meeting" in r)
    assert "2018-03-01" in gyor and 'href="/region/HU221"' in gyor
    assert 'href="/id/event/clusterix-2-consortium-meeting-gyor-2018"' in gyor
    synthetic = next(r for r in rows if "Example Event" in r)
    assert int(re.findall(r"<td>(\d+)</td>", synthetic)[-1]) >= 2


def test_cluster_page_shows_its_label_and_indicator_chart(client):
    page = get(client, "/id/cluster/synthetic-3").text
    quality = page.split('id="quality-heading"', 1)[1].split("</section>", 1)[0]
    assert "ESCA Bronze label" in quality
    assert '<time datetime="2020-03-01">' in quality and "valid until" in quality
    charts = {c["indicator"].rsplit("/", 1)[-1]: c for c in chart_data(quality)}
    assert set(charts) == {"synthetic-members", "synthetic-sme-share", "synthetic-rd-projects",
                           "synthetic-partnerships"}
    assert charts["synthetic-sme-share"]["unit"] == "percent"
    assert (charts["synthetic-sme-share"]["min"], charts["synthetic-sme-share"]["max"]) == (0, 100)
    assert charts["synthetic-sme-share"]["year"] == 2024  # the newer of two years
    chart = charts["synthetic-members"]
    assert chart["value"] == 6 and chart["unit"] == "members" and chart["year"] == 2022
    assert [g["label"] for g in chart["groups"]] == ["Same industry", "Same country",
                                                     "All clusters"]
    api = next(i for i in client.get("/api/indicators",
                                     query_string={"cluster": LABELLED}).json["indicators"]
               if i["indicator"] == chart["indicator"])
    for group, key in zip(chart["groups"], ("industry", "country", "all"), strict=True):
        expected = api["peers"][key]
        assert group["summary"]["n"] == expected["n"]
        assert group["summary"]["median"] == expected["median"]
        assert group["summary"]["rank"] == expected["rank"]
        assert group["summary"]["min"] <= group["summary"]["q1"] <= group["summary"]["q3"] \
            <= group["summary"]["max"]
    assert "dist/quality.js" in page
    assert "<table" in quality and "Rank" in quality  # the same numbers without the chart


def test_cluster_without_indicators_says_so(client):
    api = client.get("/api/indicators",
                     query_string={"cluster": ID + "cluster/synthetic-1"}).json
    page = get(client, "/id/cluster/synthetic-1").text
    if not api["indicators"]:
        assert "No indicator value is recorded for this cluster." in page
    assert 'id="quality-heading"' in page


def test_compare_shows_both_regions_side_by_side_as_the_api_does(client):
    page = get(client, "/compare?a=SK01&b=HU31").text
    api = client.get("/api/compare-regions",
                     query_string={"a": NUTS + "SK01", "b": NUTS + "HU31"}).json
    assert f'data-clusters="SK01">{api["a"]["clusters"]}<' in page
    assert f'data-clusters="HU31">{api["b"]["clusters"]}<' in page
    assert "Bratislavský kraj" in page and "Észak-Magyarország" in page
    charts = chart_data(page)
    assert [c["indicator"] for c in charts] == [i["indicator"] for i in api["indicators"]]
    assert [g["label"] for g in charts[0]["groups"]] == ["Bratislavský kraj",
                                                        "Észak-Magyarország"]
    assert 'value="http://data.europa.eu/nuts/code/SK01"' in page  # the form keeps the choice


def test_compare_without_javascript_resolves_typed_region_names(client):
    page = get(client, "/compare?a_label=Bratislavsk%C3%BD+kraj&b_label=Wien").text
    assert 'data-clusters="SK01"' in page and 'data-clusters="AT13"' in page


@pytest.mark.parametrize(("query", "status", "parameter"), [
    ("a=XX99&b=SK01", 404, "a"),
    ("a=SK01&b=" + quote(NUTS + "ZZ1", safe=""), 404, "b"),
    ("a=SK01&b=not%20a%20code", 400, "b"),
    ("a=https%3A%2F%2Fexample.org%2Fx&b=SK01", 400, "a"),
    ("a_label=Nowhere-at-all-xyz&b=SK01", 404, "a"),
])
def test_compare_refuses_unknown_regions_with_the_one_error_shape(client, query, status,
                                                                  parameter):
    response = get(client, "/compare?" + query, headers={"Accept": "application/json"})
    assert response.status_code == status
    error = response.json["error"]
    assert error["status"] == status and error["parameter"] == parameter
    assert error["code"] == ("not_found" if status == 404 else "bad_request")
    assert error["message"]


def test_compare_with_one_region_asks_for_the_other(client):
    page = get(client, "/compare?a=SK01")
    assert page.status_code == 200
    assert "Choose two regions from the suggestions." in page.text


def test_labels_follow_accept_language(client):
    page = get(client, "/compare?a=SK01&b=HU31",
               headers={**HTML, "Accept-Language": "en"}).text
    assert "Bratislavský kraj" in page  # the only label NUTS gives: the national one
    contacts = get(client, "/contacts", headers={**HTML, "Accept-Language": "de"}).text
    assert "Österreich</a>" in contacts
    assert "Austria</a>" in get(client, "/contacts").text
