// Indicator charts for the cluster quality section and the region comparison.
// Each <canvas data-chart="..."> names a JSON <script> block the server wrote; the
// table beside every chart gives the same numbers without a mouse or a screen.
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale,
  LineController, LineElement, PointElement, Tooltip,
} from "chart.js";
import "./quality.css";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController,
  LineElement, PointElement, Legend, Tooltip);

const RANGE = "rgba(116, 169, 207, 0.45)";
const MIDDLE = "rgba(4, 90, 141, 0.75)";
const OWN = "#e6550d";

// One chart per indicator: a thin bar from min to max, a thick bar from q1 to q3,
// a dash at the median and, for a cluster, its own value as a large point.
function datasets(groups, own) {
  const sets = [
    { type: "bar", label: "Range (lowest to highest)", backgroundColor: RANGE,
      data: groups.map((g) => (g.n ? [g.min, g.max] : null)), barPercentage: 0.25,
      grouped: false, order: 3 },
    { type: "bar", label: "Middle half (first to third quartile)", backgroundColor: MIDDLE,
      data: groups.map((g) => (g.n ? [g.q1, g.q3] : null)), barPercentage: 0.6,
      grouped: false, order: 2 },
    { type: "line", label: "Median", data: groups.map((g) => (g.n ? g.median : null)),
      showLine: false, pointStyle: "line", pointRadius: 16, pointBorderWidth: 3,
      borderColor: "#111", backgroundColor: "#111", order: 1 },
  ];
  if (own !== undefined && own !== null) {
    sets.push({ type: "line", label: "This cluster", data: groups.map(() => own),
      showLine: false, pointStyle: "rectRot", pointRadius: 8, borderColor: "#7a1f00",
      backgroundColor: OWN, order: 0 });
  }
  return sets;
}

function draw(canvas, spec) {
  const chart = new Chart(canvas, {
    type: "bar",
    data: { labels: spec.groups.map((g) => `${g.label} (n=${g.summary.n || 0})`),
            datasets: datasets(spec.groups.map((g) => g.summary), spec.value) },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { beginAtZero: true, title: { display: Boolean(spec.unit), text: spec.unit || "" },
                     suggestedMin: spec.min ?? undefined, suggestedMax: spec.max ?? undefined } },
      plugins: { legend: { position: "bottom" },
                 tooltip: { callbacks: { label: (ctx) => {
                   const raw = ctx.raw;
                   const text = Array.isArray(raw) ? `${raw[0]} – ${raw[1]}` : `${raw}`;
                   return `${ctx.dataset.label}: ${text}`;
                 } } } },
    },
  });
  canvas.dataset.drawn = "true";
  return chart;
}

window.ccgraphCharts = [];
document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
  try {
    const source = document.getElementById(canvas.dataset.chart);
    window.ccgraphCharts.push(draw(canvas, JSON.parse(source.textContent)));
  } catch (err) {
    canvas.replaceWith(document.createTextNode("The chart could not be drawn: " + err.message));
  }
});
