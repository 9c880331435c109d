"""The Flask application: SPARQL protocol, graph store, JSON API, linked data, pages."""

from __future__ import annotations

import atexit
import logging

from flask import Flask

from ..config import Settings
from . import api, cache, errors, gsp, ld, openapi, sparql
from .services import Services

__all__ = ["create_app"]


def create_app(settings: Settings, store=None) -> Flask:
    """Build the app from settings its caller made (the CLI, app.py, a test): the app never
    reads the environment. The store opens on the first request, in the serving process."""
    app = Flask(__name__)
    app.config.update(JSON_SORT_KEYS=False)
    app.json.sort_keys = False
    services = Services(settings, store)
    app.extensions["ccgraph"] = services
    atexit.register(services.close)
    errors.init_app(app)
    cache.init_app(app)
    for blueprint in (sparql.bp, gsp.bp, api.bp, ld.bp, openapi.bp):
        app.register_blueprint(blueprint)
    _register_pages(app)
    logging.getLogger("ccgraph").setLevel(logging.INFO)
    return app


def _register_pages(app: Flask) -> None:
    try:
        from . import pages
    except ImportError:  # the pages are optional for API-only deployments
        return
    pages.init_app(app)
