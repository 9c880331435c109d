// The SPARQL editor: YASGUI bundled from npm, pointed at this server's /sparql.
// Everything that would call another host is switched off: LOV term completion,
// prefix.cc, the endpoint catalogue's defaults and CORS probes.
import Yasgui from "@zazuko/yasgui";
import "@zazuko/yasgui/build/yasgui.min.css";
import { ChartView, errorInWords, graphView, mapView, queryOrder } from "./sparql_views.js";

// Result cells link to this server's pages for the IRI, never to another host.
function localHref(iri, instanceBase, nutsBase) {
  if (instanceBase && iri.startsWith(instanceBase)) return "/id/" + iri.slice(instanceBase.length);
  if (nutsBase && iri.startsWith(nutsBase)) return "/region/" + encodeURIComponent(iri.slice(nutsBase.length));
  return "/resource?iri=" + encodeURIComponent(iri);
}

function keepLinksLocal(instanceBase, nutsBase) {
  const Table = Yasgui.Yasr.plugins.table;
  if (!Table || !Table.prototype.getUriLinkFromBinding) return;
  const original = Table.prototype.getUriLinkFromBinding;
  Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
    const html = original.call(this, binding, prefixes);
    // the sanitizer may have rewritten the quotes: match either
    return html.replace(/href=(["'])[^"']*\1/, `href="${localHref(binding.value, instanceBase, nutsBase)}"`);
  };
}

// SELECT * gives its columns in the order the query names them, not alphabetically.
function columnsInQueryOrder(yasgui) {
  // after the tab has handed the response to its result view (same event, later listener)
  yasgui.on("queryResponse", (_yasgui, tab) => setTimeout(() => {
    const results = tab.getYasr().results;
    if (!results || !results.getVariables) return;
    const original = results.getVariables.bind(results);
    results.getVariables = () => queryOrder(tab.getQuery(), original());
    tab.getYasr().refresh();
  }, 0));
}

// Syntax errors in words, with line, column and the unexpected token, above the results.
function errorsInWords(yasgui, box) {
  yasgui.on("queryResponse", (_yasgui, tab) => setTimeout(() => {
    box.hidden = true;
    const results = tab.getYasr().results;
    const error = results && results.getError && results.getError();
    if (!error) return;
    let message = error.text || error.statusText || "";
    try { message = JSON.parse(message).error.message; } catch (_ignored) { /* not JSON */ }
    box.textContent = errorInWords(message, tab.getQuery());
    box.hidden = false;
    const where = /error at (\d+):(\d+)/.exec(message);
    if (where) tab.getYasqe().setCursor({ line: Number(where[1]) - 1, ch: Number(where[2]) - 1 });
  }, 0));
}

const el = document.getElementById("yasgui");
if (el) {
  keepLinksLocal(el.dataset.instanceBase, el.dataset.nutsBase);
  const prefixes = JSON.parse(el.dataset.prefixes || "{}");
  Yasgui.Yasr.registerPlugin("map", mapView(el.dataset.nutsBase, el.dataset.geojson));
  Yasgui.Yasr.registerPlugin("chart", ChartView);
  Yasgui.Yasr.registerPlugin("graph", graphView(prefixes));
  const endpoint = new URL(el.dataset.endpoint, window.location.href).toString();
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  const yasgui = new Yasgui(el, {
    requestConfig: { endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint }] },
    corsProxy: undefined,
    persistenceId: "ccgraph-sparql",
    yasqe: {
      value: el.dataset.query,
      autocompleters: ["prefixes", "variables"],
      prefixCcApi: null,
      resizeable: true,
      editorHeight: "260px",
    },
    yasr: { prefixes, pluginOrder: ["table", "response", "map", "chart", "graph"] },
  });
  const tab = yasgui.getTab();
  if (tab && el.dataset.query && !tab.getQuery().trim()) tab.setQuery(el.dataset.query);
  columnsInQueryOrder(yasgui);
  errorsInWords(yasgui, document.getElementById("sparql-error"));
  window.ccgraphYasgui = yasgui;
}
