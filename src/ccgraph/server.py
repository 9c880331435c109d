"""Run the web app under gunicorn (a production WSGI server), bound to loopback by default."""

from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication

__all__ = ["run"]


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Imported here: each worker builds its own app and opens the store itself.
        from .web import create_app

        return create_app()


def run(store_url: str | None, *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
        threads: int = 8, timeout: int = 120) -> None:
    if store_url:
        os.environ["CCGRAPH_STORE"] = store_url
    _Gunicorn({
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": timeout,
        "graceful_timeout": 10,
        "accesslog": "-",
        # Method and path, never the query string or headers: a token a client wrongly puts
        # in the URL (refused with 400) and the text of GET queries stay out of the log.
        "access_log_format": '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms',
        "limit_request_line": 16384,
    }).run()
