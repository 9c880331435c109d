"""Click commands for the complementarity engine; each prints JSON.

They take the opened store from ``ctx.obj["store"]`` (the ccgraph group puts it
there) and go through `Engine`, like the web layer. ccgraph.cli registers them, by name, in
its one table of commands.
"""

from __future__ import annotations

import json
import sys

import click

from . import pathsearch, recommend, structure
from .engine import Engine
from .export import FORMATS

__all__ = ["brokers_command", "communities_command", "export_graph_command", "gaps_command",
           "instruments_command", "partners_command", "paths_command"]


def _engine(ctx: click.Context) -> Engine:
    return Engine(ctx.obj["store"])


def _print(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@click.command("paths")
@click.argument("a")
@click.argument("b")
@click.option("-k", "k", type=int, default=5, show_default=True,
              help=f"Paths to return (1-{pathsearch.MAX_K}).")
@click.option("--max-len", type=int, default=6, show_default=True,
              help=f"Most steps (1-{pathsearch.MAX_LEN}).")
@click.pass_context
def paths_command(ctx, a, b, k, max_len):
    """The k most complementary paths between two nodes (IRIs), explained."""
    _print(_engine(ctx).paths(a, b, k=k, max_len=max_len))


@click.command("partners")
@click.argument("cluster")
@click.option("-n", "n", type=int, default=10, show_default=True,
              help=f"Partners (1-{recommend.MAX_N}).")
@click.option("--cross-border-only", is_flag=True, help="Only clusters in other countries.")
@click.pass_context
def partners_command(ctx, cluster, n, cross_border_only):
    """Ranked partner recommendations for a cluster, with reasons."""
    _print(_engine(ctx).partners(cluster, n=n, cross_border_only=cross_border_only))


@click.command("instruments")
@click.argument("a")
@click.argument("b")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day whose status is reported (YYYY-MM-DD; default today).")
@click.pass_context
def instruments_command(ctx, a, b, on):
    """Programmes and instruments covering both clusters (or both regions), with their
    status, period, budget, reasons and sources; when none fits, why not.

    Example: ccgraph instruments http://data.europa.eu/nuts/code/AT221
    http://data.europa.eu/nuts/code/HU221"""
    _print(_engine(ctx).find_instruments(a, b, on.date() if on else None))


@click.command("gaps")
@click.option("--threshold", type=float, default=0.5, show_default=True,
              help="Least complementarity of a pair (0-1).")
@click.option("--limit", type=int, default=20, show_default=True,
              help=f"Region pairs (1-{recommend.MAX_N}).")
@click.pass_context
def gaps_command(ctx, threshold, limit):
    """Complementary cluster pairs no common instrument covers, by region pair."""
    _print(_engine(ctx).gaps(threshold=threshold, limit=limit))


@click.command("brokers")
@click.option("-n", "n", type=int, default=10, show_default=True,
              help=f"Brokers (1-{structure.MAX_N}).")
@click.option("--method", type=click.Choice(["constraint", "betweenness"]),
              default="constraint", show_default=True,
              help="Rank by Burt's constraint, or by sampled betweenness (slower).")
@click.pass_context
def brokers_command(ctx, n, method):
    """Clusters bridging otherwise separate groups (Burt's constraint, betweenness)."""
    _print(_engine(ctx).brokers(n=n, method=method))


@click.command("communities")
@click.pass_context
def communities_command(ctx):
    """Louvain communities of the collaboration network."""
    _print(_engine(ctx).communities())


@click.command("export-graph")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="graphml",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True)
@click.option("--kind", "kinds", multiple=True,
              help="Keep only nodes of this kind (repeatable), e.g. --kind cluster.")
@click.pass_context
def export_graph_command(ctx, fmt, out, kinds):
    """Export the projection for Gephi, yEd or a spreadsheet."""
    engine = _engine(ctx)
    if fmt == "csv":
        with click.open_file(out, "w", encoding="utf-8") as fh:
            engine.export(fmt, fh, kinds or None)
    elif out == "-":
        engine.export(fmt, sys.stdout.buffer, kinds or None)
    else:
        with click.open_file(out, "wb", atomic=True) as fh:
            engine.export(fmt, fh, kinds or None)

