"""End-to-end (issue 9): the contact-point directory and its map, the indicator chart
of a cluster page, and the region comparison, in a real headless Chromium."""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

_PAINTED = """(canvas) => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  return painted;
}"""


def _painted_pixels(visit, selector: str) -> int:
    canvas = visit.page.locator(selector).first
    visit.page.wait_for_function(
        "(sel) => document.querySelector(sel)?.dataset.drawn === 'true'", arg=selector)
    return canvas.evaluate(_PAINTED)


def test_contact_directory_groups_by_country_and_its_map_draws(visit):
    visit.go("/contacts")
    assert visit.page.locator("h1").inner_text() == "Contact points by country"
    assert visit.page.locator(".synthetic-banner").is_visible()
    austria = visit.page.get_by_role("heading", name="Austria (AT)")
    assert austria.is_visible()
    visit.page.locator(".map path.leaflet-interactive").first.wait_for()
    the_map = visit.page.locator(".map[data-geojson]")
    visit.page.wait_for_function("Number(document.querySelector('.map').dataset.drawn) > 0")
    assert int(the_map.get_attribute("data-drawn")) > 100  # every NUTS-2 polygon
    # coloured by how many contact points serve each region (issue 17), not one colour
    fills = set(visit.page.eval_on_selector_all(
        ".map path.leaflet-interactive", "els => els.map(e => e.getAttribute('fill'))"))
    assert len(fills - {"#ffffff"}) >= 2
    visit.shot("e2e-contacts")


def test_cluster_page_draws_its_indicator_chart_beside_peers(visit):
    visit.go("/id/cluster/synthetic-3")
    section = visit.page.locator("section.quality")
    assert "ESCA Bronze label" in section.inner_text()
    assert _painted_pixels(visit, "section.quality canvas[data-chart]") > 500
    assert visit.page.evaluate("window.ccgraphCharts.length") == 4
    assert visit.page.evaluate("window.ccgraphCharts[0].data.labels.length") == 3
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=str(ARTIFACTS / "e2e-cluster-quality.png"))


def test_compare_two_regions_with_the_autocomplete_and_keyboard(visit):
    visit.go("/compare")
    for name, label, typed, wanted in (("a", "First region", "Bratisl", "Bratislavský kraj"),
                                       ("b", "Second region", "Észak-M", "Észak-Magyarország")):
        box = visit.page.get_by_role("combobox", name=label)
        box.click()
        box.press_sequentially(typed, delay=20)
        options = visit.page.locator(f"#{name}-input-listbox [role=option]")
        options.filter(has_text=wanted).first.wait_for()
        for _ in range(10):
            box.press("ArrowDown")
            if wanted in options.and_(visit.page.locator("[aria-selected=true]")).inner_text():
                break
        box.press("Enter")
    assert visit.page.locator("#a-iri").input_value().startswith("http://data.europa.eu/nuts/")
    visit.page.get_by_role("button", name="Compare").press("Enter")
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.locator("[data-clusters]").count() == 2
    assert _painted_pixels(visit, "canvas[data-chart]") > 500
    visit.shot("e2e-compare")


def test_events_page_prints_without_navigation(visit):
    visit.go("/events")
    assert visit.page.locator("table.events-table tbody tr").count() > 10
    visit.page.emulate_media(media="print")
    assert not visit.page.locator(".site-header nav").is_visible()
    visit.page.emulate_media(media="screen")
    visit.shot("e2e-events", full_page=False)


def test_phone_layout_has_no_horizontal_scroll(chromium, site):
    context = chromium.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        for path, name in (("/contacts", "contacts"), ("/events", "events"),
                           ("/compare?a=SK01&b=HU31", "compare"),
                           ("/id/cluster/synthetic-3", "cluster-quality")):
            page.goto(site.url + path, wait_until="networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            if name == "cluster-quality":
                page.locator("section.quality canvas").first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"e2e-phone-{name}.png"), full_page=False)
            assert width <= 380, (path, width)
    finally:
        context.close()
