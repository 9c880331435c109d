// The SPARQL editor: YASGUI bundled from npm, pointed at this server's /sparql.
// Everything that would call another host is switched off: LOV term completion,
// prefix.cc, the endpoint catalogue's defaults and CORS probes.
import Yasgui from "@zazuko/yasgui";
import "@zazuko/yasgui/build/yasgui.min.css";

const el = document.getElementById("yasgui");
if (el) {
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
    yasr: { prefixes: JSON.parse(el.dataset.prefixes || "{}") },
  });
  const tab = yasgui.getTab();
  if (tab && el.dataset.query && !tab.getQuery().trim()) tab.setQuery(el.dataset.query);
  window.ccgraphYasgui = yasgui;
}
