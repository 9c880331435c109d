"""Run the web app under granian's WSGI server, bound to loopback by default.

Granian's HTTP/1.1 handling is in Rust (hyper); only the app runs in Python, on a pool of
`threads` threads per worker process. Each worker calls `create_served_app(settings)` after
the fork, so it builds its own app (and opens the store itself); the settings reach it as an
argument of the loader granian calls, never through the environment. See
docs/architecture.md, "The HTTP server".
"""

from __future__ import annotations

import os
from functools import partial

from .config import Settings

__all__ = ["create_served_app", "run"]

# hyper itself refuses a header section over HEADER_BUFFER bytes (431, no body) and a target
# over 64 KiB (414, no body); a shorter target over Settings.max_request_target gets the app's
# JSON 414 ("send long queries by POST").
HEADER_BUFFER = 64 * 1024

# Method and path, never the query string or headers: a token a client wrongly puts in the
# URL (refused with 400) and the text of GET queries stay out of the log.
ACCESS_LOG_FORMAT = '%(addr)s "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1fms'


# gunicorn's defaults, kept: a proxy on this host may say the client came over https (URLs the
# app writes then use https); a forwarding header from anyone else is ignored.
TRUSTED_PROXIES = frozenset({"127.0.0.1", "::1"})
SECURE_SCHEME_HEADERS = {"HTTP_X_FORWARDED_PROTOCOL": "ssl", "HTTP_X_FORWARDED_PROTO": "https",
                         "HTTP_X_FORWARDED_SSL": "on"}
# The keys granian itself sets from the request; everything else it copies from os.environ.
_REQUEST_KEYS = frozenset({"REQUEST_METHOD", "PATH_INFO", "QUERY_STRING", "SERVER_PROTOCOL",
                           "SERVER_NAME", "SERVER_PORT", "REMOTE_ADDR", "SCRIPT_NAME",
                           "RAW_URI", "REQUEST_URI", "CONTENT_TYPE", "CONTENT_LENGTH"})


def create_served_app(settings: Settings):
    """The app factory each worker calls: the web app behind a thin WSGI layer that

    - drops the process environment granian copies into every request's environ (it would
      hand the update token, and any HTTP_* variable as a fake header, to every request),
    - takes the scheme from a trusted local proxy's forwarding header, as gunicorn did,
    - answers a request target over `settings.max_request_target` bytes with the app's JSON 414.
    """
    from flask import request

    from .errors import UriTooLong
    from .web import create_app

    app = create_app(settings)
    limit = settings.max_request_target
    process_env = {key: value for key, value in os.environ.items() if key not in _REQUEST_KEYS}

    @app.before_request
    def _request_target_limit():
        environ = request.environ
        length = len(environ.get("PATH_INFO", "").encode("utf-8", "replace")) + \
            len(environ.get("QUERY_STRING", "").encode("utf-8", "replace"))
        if length > limit:
            raise UriTooLong(f"the request target exceeds {limit} bytes; "
                             "send long queries by POST")

    flask_wsgi = app.wsgi_app

    def wsgi_app(environ, start_response):
        for key, value in process_env.items():
            if environ.get(key) == value:
                del environ[key]
        if environ.get("REMOTE_ADDR") in TRUSTED_PROXIES:
            for header, secure in SECURE_SCHEME_HEADERS.items():
                if environ.get(header, "").lower() == secure:
                    environ["wsgi.url_scheme"] = "https"
                    break
        return flask_wsgi(environ, start_response)

    app.wsgi_app = wsgi_app
    return app


def run(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
        threads: int = 8, header_timeout: int = 30) -> None:
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings

    Granian(
        "ccgraph.server:create_served_app",  # names the process; the loader below builds the app
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        http=HTTPModes.http1,
        workers=workers,
        blocking_threads=threads,
        # a slow client gets `header_timeout` seconds to send its request head (the wait is
        # in Rust: it holds no Python thread)
        http1_settings=HTTP1Settings(header_read_timeout=header_timeout * 1000,
                                     max_buffer_size=HEADER_BUFFER),
        websockets=False,
        log_access=True,
        log_access_format=ACCESS_LOG_FORMAT,
        respawn_failed_workers=True,   # as gunicorn did: a worker that dies is replaced
        workers_kill_timeout=10,       # a worker still busy 10 s after SIGTERM is killed
    ).serve(target_loader=partial(create_served_app, settings), wrap_loader=False)
