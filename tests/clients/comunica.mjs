// Comunica (@comunica/query-sparql, the npm package) against a live SPARQL endpoint, with
// its own generic data. Comunica has no bearer-token option: a fetch wrapper adds the
// header, and records what Comunica sent (method, Content-Type, Accept) for the test.
// Usage: node comunica.mjs ENDPOINT TOKEN  -> one JSON document on stdout.
import { QueryEngine } from "@comunica/query-sparql";

const [endpoint, token] = process.argv.slice(2);
const EX = "http://example.org/comunica/";
const sent = [];

function withToken(input, init = {}) {
  const headers = new Headers(init.headers || {});
  headers.set("Authorization", `Bearer ${token}`);
  sent.push({ method: init.method || "GET", contentType: headers.get("content-type"),
              accept: headers.get("accept") });
  return fetch(input, { ...init, headers });
}

const engine = new QueryEngine();
const source = { type: "sparql", value: endpoint };
const context = { sources: [source], destination: source, fetch: withToken };

async function rows(query) {
  const bindings = await (await engine.queryBindings(query, context)).toArray();
  return bindings.map((b) => Object.fromEntries([...b].map(([k, v]) => [k.value, v.value])));
}

async function step(name, run) {
  const before = sent.length;
  const value = await run();
  return [name, { value, requests: sent.slice(before) }];
}

const long = Array.from({ length: 80 }, (_, i) => `<${EX}none${i}>`).join(", ");
const out = Object.fromEntries([
  await step("insert", () => engine.queryVoid(
    `INSERT DATA { GRAPH <${EX}g> { <${EX}c1> <${EX}name> "one"@en . <${EX}c2> <${EX}name> "two" } }`,
    context)),
  await step("select_get", () => rows(`SELECT ?c ?name WHERE { ?c <${EX}name> ?name } ORDER BY ?c`)),
  // A URL past Comunica's 600 characters goes by POST.
  await step("select_post", () => rows(
    `SELECT ?c WHERE { ?c <${EX}name> ?name FILTER(?c NOT IN (${long})) } ORDER BY ?c`)),
  await step("ask", () => engine.queryBoolean(`ASK { <${EX}c1> ?p ?o }`, context)),
  await step("construct", async () => (await (await engine.queryQuads(
    `CONSTRUCT { ?c <${EX}label> ?name } WHERE { ?c <${EX}name> ?name }`, context)).toArray())
    .map((q) => [q.subject.value, q.predicate.value, q.object.value, q.object.language || ""])),
  await step("delete", () => engine.queryVoid(
    `DELETE DATA { GRAPH <${EX}g> { <${EX}c2> <${EX}name> "two" } }`, context)),
  await step("after_delete", () => rows(`SELECT ?c WHERE { ?c <${EX}name> ?name }`)),
]);
process.stdout.write(JSON.stringify(out));
