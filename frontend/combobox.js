// ARIA combobox: the input keeps focus, arrow keys move aria-activedescendant through
// the listbox, Enter picks, Escape closes. Picking stores the IRI in the hidden input
// named by data-target, or opens the page when data-navigate is set.
let counter = 0;

export function initCombobox(input) {
  const id = input.id || `combo-${++counter}`;
  const list = document.createElement("ul");
  list.id = `${id}-listbox`;
  list.className = "combo-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", `Suggestions for ${input.labels?.[0]?.textContent || "search"}`);
  list.hidden = true;
  input.after(list);
  const status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  list.after(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");
  const hidden = input.dataset.target ? document.getElementById(input.dataset.target) : null;
  let items = [];
  let active = -1;
  let timer = null;
  let seq = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function render() {
    list.replaceChildren();
    items.forEach((item, i) => {
      const li = document.createElement("li");
      li.id = `${id}-opt-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      li.dataset.index = String(i);
      const name = document.createElement("span");
      name.textContent = item.label;
      const kind = document.createElement("span");
      kind.className = "combo-kind";
      kind.textContent = item.kind;
      li.append(name, " ", kind);
      li.addEventListener("mousedown", (e) => { e.preventDefault(); pick(i); });
      list.append(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
    status.textContent = items.length ? `${items.length} suggestions` : "No suggestions";
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", `${id}-opt-${active}`);
      list.children[active]?.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function pick(i) {
    const item = items[i];
    if (!item) return;
    input.value = input.dataset.fill === "iri" ? item.iri : item.label;
    if (hidden) hidden.value = item.iri;
    close();
    if (input.dataset.navigate !== undefined) window.location.href = item.href;
  }

  async function fetchItems() {
    const q = input.value.trim();
    if (hidden) hidden.value = "";
    if (q.length < 2) { items = []; close(); return; }
    const mine = ++seq;
    const url = new URL(input.dataset.autocomplete, window.location.href);
    url.searchParams.set("q", q);
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok || mine !== seq) return;
      items = (await response.json()).results;
      active = -1;
      render();
    } catch (_err) {
      items = [];
      close();
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(fetchItems, 150);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!items.length) return;
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      active = (active + step + items.length) % items.length;
      render();
    } else if (e.key === "Enter" && !list.hidden && active >= 0) {
      e.preventDefault();
      pick(active);
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
}
