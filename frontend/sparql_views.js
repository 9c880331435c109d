// Result views beyond the table for the SPARQL editor, all offline (bundled libraries and
// this server's NUTS boundaries): a map when results carry NUTS regions or coordinates, a
// bar or line chart when a column is numeric, a graph for CONSTRUCT and DESCRIBE results.
// Each view offers a download of what it shows.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import Chart from "chart.js/auto";
import cytoscape from "cytoscape";

const NUTS_CODE = /^[A-Z]{2}[A-Z0-9]{0,3}$/;

// Icons as inline SVG paths: no icon font or emoji glyph is needed on the reader's side.
const ICONS = {
  map: "M1 3l4-2 6 2 4-2v12l-4 2-6-2-4 2z M5 1v12 M11 3v12",
  chart: "M1 15h14 M3 13V7 M7 13V3 M11 13V9",
  graph: "M4 4l8 3-6 6z M4 4a1.5 1.5 0 1 0 .01 0 M12 7a1.5 1.5 0 1 0 .01 0 M6 13a1.5 1.5 0 1 0 .01 0",
};

function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "15");
  svg.setAttribute("height", "15");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[name]);
  path.setAttribute("fill", "none");
  path.setAttribute("stroke", "currentColor");
  path.setAttribute("stroke-width", "1.4");
  svg.appendChild(path);
  const span = document.createElement("span");
  span.appendChild(svg);
  return span;
}

function bindings(yasr) {
  return yasr.results && yasr.results.getType() === "json" ? yasr.results.getBindings() || [] : [];
}

function variables(yasr) {
  return yasr.results && yasr.results.getVariables ? yasr.results.getVariables() || [] : [];
}

function csv(rows) {
  return rows.map((r) => r.map((v) => `"${String(v ?? "").replace(/"/g, '""')}"`).join(",")).join("\r\n");
}

// -- map ------------------------------------------------------------------------------
function nutsCode(term, nutsBase) {
  if (!term) return null;
  if (term.type === "uri" && nutsBase && term.value.startsWith(nutsBase)) return term.value.slice(nutsBase.length);
  if (term.type !== "uri" && NUTS_CODE.test(term.value) && term.value.length >= 4) return term.value;
  return null;
}

function coordinateColumns(yasr) {
  const vars = variables(yasr);
  const lat = vars.find((v) => /^lat/i.test(v));
  const lon = vars.find((v) => /^(lon|lng|long)/i.test(v));
  return lat && lon ? [lat, lon] : null;
}

export function mapView(nutsBase, geojsonUrl) {
  return class MapView {
    constructor(yasr) { this.yasr = yasr; this.priority = 3; this.label = "Map"; this.counts = {}; this.points = []; }
    canHandleResults() {
      const rows = bindings(this.yasr);
      return rows.some((row) => Object.values(row).some((t) => nutsCode(t, nutsBase))) || (coordinateColumns(this.yasr) !== null && rows.length > 0);
    }
    getIcon() { return icon("map"); }
    async draw() {
      const rows = bindings(this.yasr);
      // shaded by the first numeric column when there is one (a count per region), else rows
      const measure = numericColumns(this.yasr)[0];
      this.counts = {};
      for (const row of rows) {
        const weight = measure && row[measure] ? Number(row[measure].value) : 1;
        for (const t of Object.values(row)) {
          const code = nutsCode(t, nutsBase);
          if (code) { const c2 = code.slice(0, 4); this.counts[c2] = (this.counts[c2] || 0) + weight; }
        }
      }
      this.measure = measure || "rows";
      const coords = coordinateColumns(this.yasr);
      this.points = coords ? rows.map((r) => [Number(r[coords[0]]?.value), Number(r[coords[1]]?.value)])
        .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b)) : [];
      const el = document.createElement("div");
      el.className = "map sparql-map";
      el.style.height = "420px";
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", "Map of the NUTS regions and points in the results");
      this.yasr.resultsEl.appendChild(el);
      const geojson = await (await fetch(geojsonUrl)).json();
      const map = L.map(el, { scrollWheelZoom: false });
      map.attributionControl.setPrefix(false);
      map.attributionControl.addAttribution("Data source: GISCO – Eurostat (European Commission); © EuroGeographics");
      const max = Math.max(1, ...Object.values(this.counts));
      const layer = L.geoJSON(geojson, {
        style: (f) => {
          const n = this.counts[f.properties.NUTS_ID] || 0;
          return { color: "#666", weight: 0.5, fillOpacity: n ? 0.25 + 0.6 * (n / max) : 0.1, fillColor: n ? "#e6550d" : "#ddd" };
        },
        onEachFeature: (f, lyr) => lyr.bindTooltip(`${f.properties.NUTS_NAME} (${f.properties.NUTS_ID}): ${this.measure} ${this.counts[f.properties.NUTS_ID] || 0}`),
      }).addTo(map);
      for (const [lat, lon] of this.points) L.circleMarker([lat, lon], { radius: 5, color: "#045a8d" }).addTo(map);
      map.fitBounds(layer.getBounds());
      el.dataset.regions = String(Object.keys(this.counts).length);
      el.dataset.points = String(this.points.length);
    }
    download() {
      return { contentType: "text/csv", title: "Download the mapped regions (CSV)", filename: "map-regions.csv",
               getData: () => csv([["nuts2", this.measure], ...Object.entries(this.counts)]) };
    }
  };
}

// -- chart ----------------------------------------------------------------------------
function numericColumns(yasr) {
  const rows = bindings(yasr);
  return variables(yasr).filter((v) => rows.length > 0 && rows.every((r) => !r[v] || (r[v].type !== "uri" && r[v].value !== "" && Number.isFinite(Number(r[v].value)))) && rows.some((r) => r[v]));
}

export class ChartView {
  constructor(yasr) { this.yasr = yasr; this.priority = 2; this.label = "Chart"; this.data = []; }
  canHandleResults() { return numericColumns(this.yasr).length > 0; }
  getIcon() { return icon("chart"); }
  draw() {
    const rows = bindings(this.yasr);
    const numbers = numericColumns(this.yasr);
    const labelVar = variables(this.yasr).find((v) => !numbers.includes(v));
    const dateLike = labelVar && rows.every((r) => !r[labelVar] || /^\d{4}(-\d\d)?(-\d\d)?/.test(r[labelVar].value));
    const labels = rows.map((r, i) => (labelVar && r[labelVar] ? (r[labelVar + "Label"]?.value || r[labelVar].value) : String(i + 1)));
    this.data = [[labelVar || "row", ...numbers], ...rows.map((r, i) => [labels[i], ...numbers.map((v) => r[v]?.value ?? "")])];
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `${dateLike ? "Line" : "Bar"} chart of ${numbers.join(", ")}`);
    const box = document.createElement("div");
    box.className = "sparql-chart";
    box.style.height = "380px";
    box.appendChild(canvas);
    this.yasr.resultsEl.appendChild(box);
    this.chart = new Chart(canvas, {
      type: dateLike ? "line" : "bar",
      data: { labels, datasets: numbers.map((v) => ({ label: v, data: rows.map((r) => Number(r[v]?.value)) })) },
      options: { responsive: true, maintainAspectRatio: false, animation: false },
    });
    box.dataset.kind = dateLike ? "line" : "bar";
    box.dataset.series = String(numbers.length);
  }
  download() {
    return { contentType: "text/csv", title: "Download the charted values (CSV)", filename: "chart.csv",
             getData: () => csv(this.data) };
  }
}

// -- graph ----------------------------------------------------------------------------
function short(term, prefixes) {
  if (term.termType === "Literal") return term.value.length > 60 ? term.value.slice(0, 57) + "…" : term.value;
  for (const [p, ns] of Object.entries(prefixes || {})) if (term.value.startsWith(ns)) return `${p}:${term.value.slice(ns.length)}`;
  return term.value;
}

export function graphView(prefixes) {
  return class GraphView {
    constructor(yasr) { this.yasr = yasr; this.priority = 4; this.label = "Graph"; }
    canHandleResults() { return !!this.yasr.results && this.yasr.results.getType() === "ttl"; }
    getIcon() { return icon("graph"); }
    draw() {
      const quads = this.yasr.results.getStatements() || [];
      const labels = {};
      for (const q of quads) {
        if (/label$/i.test(q.predicate.value) && q.object.termType === "Literal" && !labels[q.subject.value]) labels[q.subject.value] = q.object.value;
      }
      const nodes = new Map();
      const edges = [];
      const node = (t) => {
        const id = t.termType === "Literal" ? `lit:${nodes.size}:${t.value}` : t.value;
        if (!nodes.has(id)) nodes.set(id, { data: { id, label: labels[t.value] || short(t, prefixes), literal: t.termType === "Literal" } });
        return id;
      };
      quads.slice(0, 400).forEach((q, i) => {
        if (/label$/i.test(q.predicate.value)) return;
        edges.push({ data: { id: `q${i}`, source: node(q.subject), target: node(q.object), label: short(q.predicate, prefixes) } });
      });
      const el = document.createElement("div");
      el.className = "graph sparql-graph";
      el.style.height = "480px";
      el.setAttribute("role", "img");
      el.setAttribute("aria-label", `Graph of ${quads.length} statements`);
      this.yasr.resultsEl.appendChild(el);
      const cy = cytoscape({
        container: el, elements: [...nodes.values(), ...edges],
        style: [
          { selector: "node", style: { label: "data(label)", "font-size": 9, "text-wrap": "wrap", "text-max-width": 140, width: 14, height: 14, "background-color": "#2b8cbe" } },
          { selector: "node[?literal]", style: { shape: "round-rectangle", "background-color": "#bbb" } },
          { selector: "edge", style: { width: 1, "line-color": "#aaa", "target-arrow-shape": "triangle", "target-arrow-color": "#aaa", "curve-style": "bezier", label: "data(label)", "font-size": 8, color: "#444" } },
        ],
        layout: { name: "cose", animate: false, randomize: false },
      });
      el.dataset.nodes = String(cy.nodes().length);
      el.dataset.edges = String(cy.edges().length);
    }
    download() {
      return { contentType: "text/turtle", title: "Download the graph (Turtle)", filename: "graph.ttl",
               getData: () => this.yasr.results.getOriginalResponseAsString() };
    }
  };
}

// -- errors in words and columns in query order -----------------------------------------
export function errorInWords(message, query) {
  const found = /error at (\d+):(\d+): expected one of (.*)$/.exec(message || "");
  if (!found) return (message || "").replace(/^SPARQL syntax error: /, "The query is not valid SPARQL: ");
  const [line, column] = [Number(found[1]), Number(found[2])];
  const whole = query.split("\n")[line - 1] || "";
  const text = whole.slice(column - 1);
  // the parser may point just past the token it could not use: then name that token
  const token = text.trim()
    ? ((/^\s*(\S+?)(?=[\s{}().;,]|$)/.exec(text) || [])[1] || text.trim()[0])
    : (/(\S+)\s*$/.exec(whole.slice(0, column - 1)) || [])[1];
  const expected = found[3].split(/,\s*/);
  const shown = expected.slice(0, 8).join(", ") + (expected.length > 8 ? ` and ${expected.length - 8} more` : "");
  const what = token ? `“${token}” is not expected here` : "the query ends too early";
  return `Line ${line}, column ${column}: ${what}. SPARQL allows one of: ${shown}.`;
}

export function queryOrder(query, vars) {
  const select = /SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?([\s\S]*?)\s*(?:WHERE|FROM|\{)/i.exec(query || "");
  if (!select || select[1].trim() !== "*") return vars;
  const order = [];
  for (const m of query.slice(select.index).matchAll(/[?$]([A-Za-z_][A-Za-z0-9_]*)/g)) if (!order.includes(m[1])) order.push(m[1]);
  return [...vars].sort((a, b) => (order.indexOf(a) + 1 || 1e9) - (order.indexOf(b) + 1 || 1e9));
}
