"""The `ccgraph` command line: serve, load, query, reason, export, synth and more."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .config import Settings
from .errors import CCGraphError

# The one registry of commands defined outside this module, imported only when used (the
# analytics commands pull in networkx). Every other command is defined below with @main.command.
_LAZY = {
    "paths": "ccgraph.analytics.cli:paths_command",
    "partners": "ccgraph.analytics.cli:partners_command",
    "instruments": "ccgraph.analytics.cli:instruments_command",
    "gaps": "ccgraph.analytics.cli:gaps_command",
    "brokers": "ccgraph.analytics.cli:brokers_command",
    "communities": "ccgraph.analytics.cli:communities_command",
    "export-graph": "ccgraph.analytics.cli:export_graph_command",
}


class _Group(click.Group):
    """Turns ccgraph errors into a clear message and a non-zero exit, never a traceback.

    Commands from heavier packages (networkx, the generator) are imported only when used.
    """

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *_LAZY})

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None and name in _LAZY:
            import importlib

            module, _, attr = _LAZY[name].partition(":")
            try:
                command = getattr(importlib.import_module(module), attr)
            except (ImportError, AttributeError):
                return None
        return command

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CCGraphError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2 if exc.status < 500 else 1)


def _store(ctx: click.Context):
    """Open the store lazily, so `--help` and `synth` never touch it."""
    obj = ctx.ensure_object(dict)
    if "store" not in obj:
        from .store import open_store

        settings = obj["settings"]
        obj["store"] = open_store(settings.store, settings)
        ctx.call_on_close(obj["store"].close)
    return obj["store"]


class _LazyStore(dict):
    """`ctx.obj["store"]` for commands registered from other packages."""

    def __init__(self, ctx: click.Context, **items) -> None:
        super().__init__(**items)
        self._ctx = ctx

    def __missing__(self, key):
        if key == "store":
            return _store(self._ctx)
        raise KeyError(key)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_url", envvar="CCGRAPH_STORE", default=None,
              help="oxigraph:PATH (default oxigraph:var/store), memory: or sparql:QUERY_URL "
                   "[update=URL] [gsp=URL]. Also CCGRAPH_STORE.")
@click.version_option(__version__, prog_name="ccgraph")
@click.pass_context
def main(ctx: click.Context, store_url: str | None) -> None:
    """ccgraph: a knowledge graph of cluster-policy linkages in Central Europe."""
    # The one place the process reads its settings; every command hands them down.
    settings = Settings.from_env(**({"store": store_url} if store_url else {}))
    ctx.obj = _LazyStore(ctx, settings=settings)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--graph", help="Load every file into this named graph (default: one graph "
                              "per file, named after it).")
@click.option("--replace/--append", default=True, show_default=True,
              help="Replace the graph's content, or add to it.")
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples", "nquads", "trig",
                                                    "jsonld", "rdfxml"]),
              help="Input format (default: from the extension or the content).")
@click.option("--dry-run", is_flag=True, help="Parse and validate, write nothing.")
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check the data against ontology/shapes.ttl before writing.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.pass_context
def load(ctx, files, graph, replace, fmt, dry_run, validate, quiet) -> None:
    """Load RDF files (optionally gzipped) as one transaction.

    Every file is parsed and validated before anything is written; on any error
    the store is unchanged and the exit code is non-zero.

    \b
    Example:
      ccgraph load data/seed/clustercoop.ttl
      ccgraph load --graph https://example.org/g --append a.ttl b.nt.gz
    """
    from .load import load_files

    progress = _Progress(quiet, files)
    report = load_files(_store(ctx), files, graph=graph, mode="replace" if replace else "append",
                        fmt=fmt, validate=validate, dry_run=dry_run,
                        shacl_engine=ctx.obj["settings"].shacl_engine)
    progress.close()
    if not quiet:
        verb = "would load" if dry_run else "loaded"
        for iri, count in report.graphs.items():
            click.echo(f"{verb} {count} triples into <{iri or 'default graph'}>")
        click.echo(f"{report.triples} triples in {report.seconds:.2f} s"
                   + ("" if dry_run else f" (generation {report.generation})"))
    if not dry_run:
        _refresh_inferences(ctx, quiet)


def _refresh_inferences(ctx, quiet: bool, always: bool = False) -> None:
    """Keep urn:ccgraph:inferred in step with the data once `ccgraph reason` has made it."""
    from .namespaces import INFERRED_GRAPH

    store = _store(ctx)
    if not always and str(INFERRED_GRAPH) not in store.graph_names():
        return
    from .inference import materialise_store

    count = materialise_store(store, ctx.obj["settings"], timeout=600)
    if not quiet:
        click.echo(f"refreshed {count} inferred triples in <{INFERRED_GRAPH}>")


class _Progress:
    """A spinner for long loads on a terminal (the work itself runs in Oxigraph)."""

    def __init__(self, quiet: bool, files) -> None:
        self._bar = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            total = sum(Path(f).stat().st_size for f in files if Path(f).exists())
            self._bar = tqdm(total=total, unit="B", unit_scale=True, desc="loading",
                             file=sys.stderr, leave=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.update(self._bar.total - self._bar.n)
            self._bar.close()


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def graphs(ctx, as_json) -> None:
    """List named graphs with their provenance (files, SHA-256, triples, load time)."""
    infos = _store(ctx).graphs()
    if as_json:
        click.echo(json.dumps([{"graph": i.iri, "triples": i.triples, **i.meta} for i in infos],
                              indent=2, default=str))
        return
    for info in infos:
        files = ", ".join(info.meta.get("files", [])) or "-"
        flag = " [synthetic]" if info.meta.get("synthetic") else ""
        click.echo(f"{info.iri}\t{info.triples}\t{info.meta.get('loaded', '-')}\t{files}{flag}")


@main.command("bundle")
@click.option("--if-empty", is_flag=True, help="Do nothing if the store already holds data.")
@click.option("--validate/--no-validate", default=True, show_default=True)
@click.option("--reason", "with_reason", is_flag=True,
              help="Also materialise inferences into urn:ccgraph:inferred.")
@click.option("--with-example", is_flag=True,
              help="Also load the synthetic example population (for demos and tests; "
                   "every answer that uses it is marked synthetic).")
@click.option("--quiet", "-q", is_flag=True)
@click.pass_context
def bundle_command(ctx, if_empty, validate, with_reason, with_example, quiet) -> None:
    """Load the bundled ontology, reference, seed and real data (data/manifest.yaml)."""
    from .bundle import load_bundled

    store = _store(ctx)
    if if_empty and store.graph_names():
        if not quiet:
            click.echo("the store already holds data; nothing loaded")
        return
    report = load_bundled(store, validate=validate, with_example=with_example)
    if not quiet:
        click.echo(f"loaded {report.triples} triples into {len(report.graphs)} graphs "
                   f"in {report.seconds:.1f} s")
    if with_reason:
        _refresh_inferences(ctx, quiet, always=True)


@main.command()
@click.argument("name_or_file", required=False)
@click.option("--text", "-e", help="SPARQL text instead of a named query.")
@click.option("--param", "-p", multiple=True, metavar="NAME=VALUE",
              help="A parameter of a named query (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "xml",
                                                    "turtle", "ntriples", "jsonld"]),
              default="table", show_default=True)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@click.pass_context
def query(ctx, name_or_file, text, param, fmt, list_queries) -> None:
    """Run a named query from queries/, a .rq file or SPARQL text.

    \b
    Examples:
      ccgraph query --list
      ccgraph query projects-by-programme
      ccgraph query instruments-for-regions -p regionA=http://data.europa.eu/nuts/code/HU22 \\
                                            -p regionB=http://data.europa.eu/nuts/code/AT11
      ccgraph query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from .queries import QueryRegistry
    from .read.console import render

    registry = QueryRegistry(ctx.obj["settings"].queries_dir)
    if list_queries:
        for named in registry.all():
            click.echo(f"{named.name}\t{named.title}")
        return
    click.echo(render(_store(ctx), registry, name_or_file, text, param, fmt), nl=False)


@main.command()
@click.argument("text", required=False)
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def update(ctx, text, path) -> None:
    """Run a SPARQL Update (atomic) given as TEXT or --file."""
    if bool(text) == bool(path):
        raise click.UsageError("give the update as TEXT or --file, not both")
    generation = _store(ctx).update(text or Path(path).read_text())
    click.echo(f"done (generation {generation})")


@main.command()
@click.option("--graph", "graph_iris", multiple=True, help="Only these graphs (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads"]), default="trig",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="-")
@click.pass_context
def export(ctx, graph_iris, fmt, output) -> None:
    """Write the named graphs (with provenance) as TriG or N-Quads."""
    from .backup import export_dataset

    with click.open_file(output, "wb") as handle:
        count = export_dataset(_store(ctx), handle, fmt, graph_iris or None)
    click.echo(f"exported {count} quads", err=True)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.pass_context
def backup(ctx, directory) -> None:
    """Write a consistent backup of the store to DIRECTORY (N-Quads, gzipped, with a manifest)."""
    from .backup import backup_store

    manifest = backup_store(_store(ctx), Path(directory))
    click.echo(f"backed up {manifest['quads']} quads in {len(manifest['graphs'])} graphs "
               f"to {directory}")


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the store's content.")
@click.pass_context
def restore(ctx, directory, yes) -> None:
    """Replace the store's content with a backup made by `ccgraph backup` (atomic)."""
    from .backup import restore_store

    if not yes:
        click.confirm("This replaces every graph in the store. Continue?", abort=True)
    manifest = restore_store(_store(ctx), Path(directory))
    click.echo(f"restored {manifest['quads']} quads in {len(manifest['graphs'])} graphs")


@main.command("import-table")
@click.argument("table", type=click.Path(exists=True, dir_okay=False))
@click.option("--mapping", required=True, type=click.Path(exists=True, dir_okay=False),
              help="YAML mapping of columns to ontology properties.")
@click.option("--graph", help="Target named graph (default: named after the table).")
@click.option("--dry-run", is_flag=True)
@click.option("--quiet", "-q", is_flag=True)
@click.pass_context
def import_table(ctx, table, mapping, graph, dry_run, quiet) -> None:
    """Import a CSV or XLSX sheet through a declarative mapping (validated, atomic).

    \b
    Example:
      ccgraph import-table data/tables/clusters.csv --mapping data/tables/clusters.yaml
    """
    from .tables import import_table as run_import

    report = run_import(_store(ctx), Path(table), Path(mapping), graph=graph, dry_run=dry_run)
    if not quiet:
        verb = "would import" if dry_run else "imported"
        click.echo(f"{verb} {report.triples} triples into "
                   f"{', '.join(f'<{g}>' for g in report.graphs)}")
    if not dry_run:
        _refresh_inferences(ctx, quiet)


@main.command()
@click.option("--check", is_flag=True, help="Only prove consistency; write nothing.")
@click.option("--timeout", type=float, default=300, show_default=True,
              help="Seconds before the reasoner is stopped.")
@click.pass_context
def reason(ctx, check, timeout) -> None:
    """Check the ontology and data with HermiT; materialise inferences into urn:ccgraph:inferred."""
    from .inference import check_store, materialise_store

    if check:
        report = check_store(_store(ctx), ctx.obj["settings"], timeout=timeout)
        click.echo(report.summary())
        if not report.ok:
            ctx.exit(1)
        return
    count = materialise_store(_store(ctx), ctx.obj["settings"], timeout=timeout)
    click.echo(f"materialised {count} inferred triples into <urn:ccgraph:inferred>")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int,
              help="Web worker processes; they share the store (one writer at a time).")
@click.option("--threads", default=8, show_default=True, type=int)
@click.pass_context
def serve(ctx, host, port, workers, threads) -> None:
    """Serve SPARQL, the graph store, the JSON API and the pages with granian (WSGI)."""
    from .server import run

    run(ctx.obj["settings"], host=host, port=port, workers=workers, threads=threads)


@main.command("synth")
@click.option("--clusters", type=click.IntRange(1, 5_000_000), default=None,
              help="Number of clusters (default 300).")
@click.option("--triples", "target", type=click.IntRange(1), default=None,
              help="Approximate number of triples instead of --clusters, e.g. 10000000.")
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="Output file; - for standard output.")
@click.option("--format", "fmt", type=click.Choice(["nt", "ttl"]), default=None,
              help="Default: from the --out suffix (.ttl), else nt.")
@click.option("--with-reference", is_flag=True,
              help="Add a minimal copy of the regions and NACE codes used.")
def synth_command(clusters, target, seed, out, fmt, with_reference):
    """Generate an illustrative, clearly synthetic population of clusters (for benchmarks,
    tests and demos; never loaded by default, every resource flagged ccg:synthetic)."""
    import time

    from .synth import clusters_for_triples, write

    if clusters is not None and target is not None:
        raise click.UsageError("give --clusters or --triples, not both")
    n = clusters_for_triples(target, seed) if target else (clusters or 300)
    fmt = fmt or ("ttl" if out.endswith(".ttl") else "nt")
    started = time.perf_counter()
    with click.open_file(out, "w", encoding="utf-8", atomic=out != "-") as fh:
        count = write(fh, n, seed, fmt, with_reference)
    took = time.perf_counter() - started
    click.echo(f"{count} triples for {n} clusters (seed {seed}) in {took:.1f} s "
               f"({count / max(took, 1e-9):,.0f} triples/s)", err=True)


if __name__ == "__main__":
    main()
