"""The region dossier: one page per NUTS region with what a policy maker needs before a
meeting (its clusters and their sectors, the programmes covering it with their status,
the best partner regions abroad and why, funding gaps, contact points, events and the
sources of it all), printable, and as a PDF rendered here by WeasyPrint. The data and
the downloads' rows come from `ccgraph.read.dossier`.

The PDF is the same HTML with the print stylesheet; WeasyPrint may read only this
app's own static files (its fetcher refuses every other URL), so rendering never calls
another host.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for

from ...read.dossier import dossier_data, shows_synthetic, tables
from .. import downloads
from .common import analytics, langs, page, store

__all__ = ["bp", "init_app"]

bp = Blueprint("dossier", __name__)


def _data(code: str) -> dict[str, Any]:
    return dossier_data(store(), code, langs(), analytics)


@bp.get("/region/<code>/dossier")
def dossier(code: str) -> Response:
    fmt = downloads.requested()
    info = _data(code)
    if fmt:
        found = tables(info)
        name = downloads.chosen_table(found)
        return downloads.table_response(fmt, f"dossier-{code}-{name}", *found[name])
    return page("dossier.html", d=info, pdf=False, synthetic=shows_synthetic(store(), info))


@bp.get("/region/<code>/dossier.pdf")
def dossier_pdf(code: str) -> Response:
    info = _data(code)
    html = render_template("dossier.html", d=info, pdf=True,
                           synthetic=shows_synthetic(store(), info))
    body = _pdf(html)
    response = Response(body, content_type="application/pdf")
    response.headers["Content-Disposition"] = \
        f'attachment; filename="ccgraph-dossier-{code}.pdf"'
    return response


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported on use: only this route needs it
    from weasyprint.urls import URLFetcherResponse

    static = Path(str(current_app.static_folder)).resolve()
    prefix = request.url_root.rstrip("/") + url_for("static", filename="")

    def fetch_local(url: str, *_args: Any, **_kwargs: Any) -> Any:
        if not url.startswith(prefix):
            raise ValueError(f"the dossier PDF reads only this site's files, not {url}")
        path = (static / url[len(prefix):].split("?")[0]).resolve()
        if static not in path.parents:
            raise ValueError(f"outside the static folder: {url}")
        return URLFetcherResponse(url, body=path.read_bytes(),
                                  headers={"Content-Type": _mime(path)})

    return HTML(string=html, base_url=request.url_root, url_fetcher=fetch_local).write_pdf()


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(
        path.suffix, "application/octet-stream")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(has_dossier=True)
