// The SPARQL editor: YASGUI bundled from npm, pointed at this server's /sparql.
// Everything that would call another host is switched off: LOV term completion,
// prefix.cc, the endpoint catalogue's defaults and CORS probes.
import Yasgui from "@zazuko/yasgui";
import "@zazuko/yasgui/build/yasgui.min.css";

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

const el = document.getElementById("yasgui");
if (el) {
  keepLinksLocal(el.dataset.instanceBase, el.dataset.nutsBase);
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
