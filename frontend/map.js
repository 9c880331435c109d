// NUTS-2 choropleth with Leaflet and the bundled GeoJSON: no tile server, only the
// region polygons. A table next to every map gives the same facts without a mouse.
import L from "leaflet";
import "leaflet/dist/leaflet.css";

const PALETTE = ["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"];

function colour(count, max) {
  if (!count) return "#ffffff";
  const step = Math.min(PALETTE.length - 1, Math.ceil((count / Math.max(max, 1)) * (PALETTE.length - 1)));
  return PALETTE[Math.max(1, step)];
}

function highlighted(code, prefixes) {
  return prefixes.some((p) => code.startsWith(p));
}

function addLegend(map, max, unit) {
  const legend = L.control({ position: "bottomleft" });
  legend.onAdd = () => {
    const box = L.DomUtil.create("div", "map-legend");
    const steps = PALETTE.length - 1;
    const rows = [["#ffffff", "none"]];
    for (let i = 1; i <= steps; i++) {
      const low = Math.floor(((i - 1) / steps) * max) + 1;
      const high = Math.floor((i / steps) * max);
      if (high >= low) rows.push([PALETTE[i], low === high ? `${low}` : `${low}–${high}`]);
    }
    const title = unit.charAt(0).toUpperCase() + unit.slice(1);
    box.innerHTML = `<strong>${title}</strong>` + rows.map(([c, t]) =>
      `<div><span style="background:${c}"></span>${t}</div>`).join("");
    return box;
  };
  legend.addTo(map);
}

async function drawMap(el) {
  const response = await fetch(el.dataset.geojson);
  const geojson = await response.json();
  const counts = el.dataset.counts ? JSON.parse(el.dataset.counts) : null;
  const marks = (el.dataset.highlight || "").split(/\s+/).filter(Boolean);
  const hrefBase = el.dataset.regionHref;
  const unit = el.dataset.unit || "clusters";
  const max = counts ? Math.max(0, ...Object.values(counts)) : 0;
  const map = L.map(el, { zoomSnap: 0.25, attributionControl: true, scrollWheelZoom: false });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(
    "Data source: GISCO – Eurostat (European Commission); administrative boundaries: © EuroGeographics");
  const layer = L.geoJSON(geojson, {
    style: (feature) => {
      const code = feature.properties.NUTS_ID;
      if (counts) {
        return { color: "#555", weight: 0.6, fillOpacity: 0.9, fillColor: colour(counts[code] || 0, max) };
      }
      const on = highlighted(code, marks);
      return { color: on ? "#7a1f00" : "#888", weight: on ? 1.5 : 0.5,
               fillOpacity: on ? 0.8 : 0.3, fillColor: on ? "#e6550d" : "#eeeeee" };
    },
    onEachFeature: (feature, lyr) => {
      const code = feature.properties.NUTS_ID;
      const name = `${feature.properties.NUTS_NAME} (${code})`;
      const suffix = counts ? `: ${counts[code] || 0} ${unit}` : "";
      lyr.bindTooltip(name + suffix, { sticky: true });
      lyr.on("click", () => { window.location.href = hrefBase + encodeURIComponent(code); });
    },
  }).addTo(map);
  if (counts) addLegend(map, max, unit);
  const focus = marks.length
    ? L.featureGroup(layer.getLayers().filter((l) => highlighted(l.feature.properties.NUTS_ID, marks)))
    : layer;
  const bounds = focus.getLayers().length ? focus.getBounds() : layer.getBounds();
  map.fitBounds(bounds, { padding: [10, 10], maxZoom: 7 });
  el.dataset.drawn = String(layer.getLayers().length);
}

document.querySelectorAll(".map[data-geojson]").forEach((el) => {
  drawMap(el).catch((err) => {
    el.textContent = "The map could not be drawn: " + err.message;
  });
});
