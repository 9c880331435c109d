// Draws the finder's connections as a graph (Cytoscape). The same paths are listed as
// sentences on the page for screen readers and print.
//
// Layout: columns by distance from the first end (breadth-first layers). An edge of a
// breadth-first layering joins nodes of the same or of neighbouring columns, so a
// straight edge between neighbouring columns cannot cross a node; edges inside one
// column are drawn as arcs that bow out of it. Labels are narrower than a column and
// rows are taller than a wrapped label, so labels do not overlap.
import cytoscape from "cytoscape";

const KIND_COLOURS = {
  cluster: "#2b8cbe", region: "#31a354", instrument: "#e6550d", project: "#756bb1",
  industry: "#636363", organisation: "#8c6d31",
};
const COLUMN = 230;
const ROW = 110;

function layers(graph) {
  const next = new Map(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) {
    next.get(e.source)?.push(e.target);
    next.get(e.target)?.push(e.source);
  }
  const depth = new Map();
  const queue = graph.start ? [graph.start] : [];
  if (graph.start) depth.set(graph.start, 0);
  while (queue.length) {
    const id = queue.shift();
    for (const other of next.get(id) || []) {
      if (!depth.has(other)) { depth.set(other, depth.get(id) + 1); queue.push(other); }
    }
  }
  let last = Math.max(0, ...depth.values());
  for (const n of graph.nodes) if (!depth.has(n.id)) depth.set(n.id, ++last);
  return depth;
}

function positions(graph) {
  const depth = layers(graph);
  const columns = new Map();
  for (const n of graph.nodes) {
    const d = depth.get(n.id);
    if (!columns.has(d)) columns.set(d, []);
    columns.get(d).push(n.id);
  }
  const tallest = Math.max(...[...columns.values()].map((c) => c.length));
  const place = {};
  for (const [d, ids] of columns) {
    const offset = ((tallest - ids.length) * ROW) / 2;
    ids.forEach((id, i) => { place[id] = { x: d * COLUMN, y: offset + i * ROW }; });
  }
  return { place, depth };
}

function draw(el, graph) {
  const { place, depth } = positions(graph);
  const elements = [
    ...graph.nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind }, position: place[n.id] })),
    ...graph.edges.map((e, i) => ({
      data: { id: `e${i}`, source: e.source, target: e.target, label: e.label },
      classes: depth.get(e.source) === depth.get(e.target) ? "same-column" : "",
    })),
  ];
  const cy = cytoscape({
    container: el,
    elements,
    style: [
      { selector: "node", style: {
        label: "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": COLUMN - 40,
        "text-valign": "bottom", "text-margin-y": 4, "text-background-color": "#fff",
        "text-background-opacity": 0.85, "text-background-padding": 1,
        "background-color": (n) => KIND_COLOURS[n.data("kind")] || "#999", width: 18, height: 18 } },
      { selector: "edge", style: {
        width: 1.5, "line-color": "#999", "target-arrow-shape": "triangle", "target-arrow-color": "#999",
        "curve-style": "straight", label: "data(label)", "font-size": 9, color: "#333",
        "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": 2 } },
      { selector: "edge.same-column", style: {
        "curve-style": "unbundled-bezier", "control-point-distances": [COLUMN / 2], "control-point-weights": [0.5] } },
    ],
    layout: { name: "preset", padding: 30 },
    userZoomingEnabled: true,
  });
  cy.on("tap", "node", (evt) => {
    const href = evt.target.data("id");
    const link = document.querySelector(`a[data-iri="${CSS.escape(href)}"]`);
    if (link) window.location.href = link.getAttribute("href");
  });
  el.dataset.nodes = String(cy.nodes().length);
  el.dataset.edges = String(cy.edges().length);
  window.ccgraphFinderGraph = cy;  // the browser tests read positions from it
}

document.querySelectorAll("[data-paths]").forEach((el) => {
  const source = document.getElementById(el.dataset.paths);
  if (source) draw(el, JSON.parse(source.textContent));
});
