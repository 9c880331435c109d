// Bundles the npm packages the pages use (Leaflet, Cytoscape, YASGUI, Chart.js) and our own
// scripts into src/ccgraph/web/static/dist/. Everything is served by ccgraph itself:
// no page loads a script, style, font or tile from another host.
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.join(root, "src/ccgraph/web/static/dist");

await esbuild.build({
  absWorkingDir: root,
  entryPoints: {
    app: "frontend/app.js",
    map: "frontend/map.js",
    finder: "frontend/finder.js",
    sparql: "frontend/sparql.js",
    quality: "frontend/quality.js",
  },
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "iife",
  target: ["es2020"],
  outdir,
  legalComments: "linked",
  loader: { ".png": "file", ".svg": "file", ".gif": "file", ".woff": "file",
            ".woff2": "file", ".ttf": "file", ".eot": "file" },
  assetNames: "assets/[name]-[hash]",
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "info",
});
