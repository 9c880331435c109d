// Draws the explained paths of the instrument finder as a graph (Cytoscape). The
// same paths are listed as sentences on the page for screen readers and print.
import cytoscape from "cytoscape";

const KIND_COLOURS = {
  cluster: "#2b8cbe", region: "#31a354", instrument: "#e6550d", project: "#756bb1",
  industry: "#636363", organisation: "#8c6d31",
};

function elements(paths) {
  const nodes = new Map();
  const edges = new Map();
  for (const path of paths) {
    for (const node of path.nodes) nodes.set(node.id, node);
    (path.steps || []).forEach((step) => {
      const key = [step.from, step.to].sort().join(" ");
      if (!edges.has(key)) edges.set(key, { id: `e${edges.size}`, source: step.from, target: step.to, label: step.rel || "" });
    });
    if (!path.steps) {
      for (let i = 0; i + 1 < path.nodes.length; i++) {
        const a = path.nodes[i].id, b = path.nodes[i + 1].id;
        const key = [a, b].sort().join(" ");
        if (!edges.has(key)) edges.set(key, { id: `e${edges.size}`, source: a, target: b, label: "" });
      }
    }
  }
  return [
    ...[...nodes.values()].map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind } })),
    ...[...edges.values()].map((e) => ({ data: e })),
  ];
}

function draw(el, paths) {
  const cy = cytoscape({
    container: el,
    elements: elements(paths),
    style: [
      { selector: "node", style: {
        label: "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 120,
        "background-color": (n) => KIND_COLOURS[n.data("kind")] || "#999", width: 18, height: 18 } },
      { selector: "edge", style: {
        width: 1.5, "line-color": "#999", label: "data(label)", "font-size": 8,
        "text-rotation": "autorotate", color: "#555" } },
    ],
    layout: { name: "breadthfirst", directed: false, padding: 10, spacingFactor: 1.1 },
    userZoomingEnabled: true,
  });
  cy.on("tap", "node", (evt) => {
    const href = evt.target.data("id");
    const link = document.querySelector(`a[data-iri="${CSS.escape(href)}"]`);
    if (link) window.location.href = link.getAttribute("href");
  });
  el.dataset.nodes = String(cy.nodes().length);
  el.dataset.edges = String(cy.edges().length);
}

document.querySelectorAll("[data-paths]").forEach((el) => {
  const source = document.getElementById(el.dataset.paths);
  if (source) draw(el, JSON.parse(source.textContent));
});
