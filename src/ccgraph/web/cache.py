"""Answers to repeated reads, kept per store generation in the web process.

A read is a GET or HEAD, or a SPARQL query POSTed to /sparql. Its key is the normalised
request (path, sorted parameters with the query text, Accept, Accept-Language, and the
URL root, since answers carry the base IRI). An answer is stored only if the store's
generation was the same before and after it was computed, so it reflects exactly that
generation; every request reads the generation (one small file for the embedded store,
written by any process's writer before it acknowledges), and a new generation empties the
cache. So no worker or process serves an answer older than the last acknowledged write.

The same (generation, key) pair makes the `ETag`, so `If-None-Match` gets a 304 from any
worker without reaching an engine. Works with no view changes: two request hooks.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import parse_qs

from flask import Flask, Response, current_app, g, request

__all__ = ["AnswerCache", "init_app"]

# Surfaces whose answers are cached; the graph store (/store) returns whole graphs
# (millions of triples, better fetched once), static files have their own validators,
# and health must reach the live service.
# Only ccgraph's own read surfaces are cached: a view added elsewhere (a plugin, a test
# probe) may answer from headers the key does not hold.
_CACHED_BLUEPRINTS = frozenset({"sparql", "api", "ld", "openapi", "pages", "dossier",
                                "quality"})
_EXEMPT = frozenset({"static", "api.health", "gsp.read", "gsp.write", "gsp.delete",
                     "gsp.preflight"})
_QUERY_TYPES = ("application/sparql-query", "application/x-www-form-urlencoded")
_NOT_STORED = frozenset({"set-cookie", "date", "content-length", "etag", "cache-control"})
# Parameters that never change an answer. (`timeout` is not one: an invalid value must get
# its 400 even when a valid one was answered before.)
_IGNORED_PARAMS: frozenset[str] = frozenset()
_ENTRY_OVERHEAD = 400  # bytes per entry besides its body and headers (objects, key)


@dataclass(frozen=True)
class Entry:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + _ENTRY_OVERHEAD


class AnswerCache:
    """An LRU of answers bounded by bytes, holding one generation at a time."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.generation: int | None = None
        self.bytes = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, generation: int, key: str) -> Entry | None:
        with self._lock:
            self._advance(generation)
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, generation: int, key: str, entry: Entry) -> bool:
        # One entry may not take more than a quarter of the cache, or a single large
        # answer would evict everything the next requests repeat.
        if entry.size > self.max_bytes // 4:
            return False
        with self._lock:
            self._advance(generation)
            if generation != self.generation:  # computed on a generation already replaced
                return False
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self._entries[key] = entry
            self.bytes += entry.size
            while self.bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self.bytes -= evicted.size
            return True

    def _advance(self, generation: int) -> None:
        if self.generation is None or generation > self.generation:
            self._entries.clear()
            self.bytes = 0
            self.generation = generation


def etag_for(generation: int, key: str) -> str:
    """The entity tag (unquoted) of the answer to `key` at `generation`."""
    # Deterministic across processes (not `hash`), so any worker can answer a revalidation.
    return f"g{generation}-{hashlib.blake2b(key.encode(), digest_size=10).hexdigest()}"


def _normalised(params: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    out = []
    for name in sorted(params):
        if name in _IGNORED_PARAMS:
            continue
        values = params[name]
        if name == "query":
            values = [v.replace("\r\n", "\n").strip() for v in values]
        out.append((name, values))
    return out


def _sparql_post_params() -> dict[str, list[str]] | None:
    """The parameters of a SPARQL query POST, or None if it is not a cacheable query.

    The body is read here and put back as a fresh stream, so the view reads it as sent.
    """
    media = (request.mimetype or "").lower()
    length = request.content_length
    limit = current_app.extensions["ccgraph"].settings.max_query_bytes
    if media not in _QUERY_TYPES or length is None or length > limit:
        return None
    body = request.environ["wsgi.input"].read(length)
    request.environ["wsgi.input"] = BytesIO(body)
    params = {k: list(v) for k, v in request.args.lists()}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None  # the view refuses it; errors are never cached
    if media == "application/sparql-query":
        params.setdefault("query", []).append(text)
    else:
        for name, values in parse_qs(text, keep_blank_values=True).items():
            params.setdefault(name, []).extend(values)
    if "update" in params or "query" not in params:
        return None
    return params


def request_key() -> str | None:
    """The normalised key of a cacheable read, or None for anything else."""
    if request.endpoint in _EXEMPT or request.endpoint is None \
            or request.blueprint not in _CACHED_BLUEPRINTS:
        return None
    if "Authorization" in request.headers:  # answers that may depend on who asks
        return None
    target_limit = current_app.extensions["ccgraph"].settings.max_request_target
    if len(request.path) + len(request.query_string) > target_limit:
        return None
    if request.method in ("GET", "HEAD"):
        params = {k: list(v) for k, v in request.args.lists()}
    elif request.method == "POST" and request.endpoint == "sparql.endpoint":
        params = _sparql_post_params()
        if params is None:
            return None
    else:
        return None
    parts = [request.url_root, request.path, repr(_normalised(params)),
             request.headers.get("Accept", ""), request.headers.get("Accept-Language", "")]
    return "\x00".join(parts)


def _cache() -> AnswerCache:
    return current_app.extensions["ccgraph.cache"]


def _generation() -> int:
    return current_app.extensions["ccgraph"].store.generation


def _validators(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    # Browsers keep the answer but ask again each time; the 304 costs no engine work.
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Accept", "Accept-Language"))
    return response


def _before():
    key = request_key()
    if key is None:
        return None
    generation = _generation()
    g.ccgraph_cache = (generation, key)
    analytics = current_app.extensions["ccgraph"].built_analytics
    if analytics is not None:
        analytics.forget_reflected()
    etag = etag_for(generation, key)
    if not request.if_none_match.star_tag and request.if_none_match.contains(etag):
        g.ccgraph_cache_served = True
        response = Response(status=304)
        response.headers["Access-Control-Allow-Origin"] = "*"
        return _validators(response, etag)
    entry = _cache().get(generation, key)
    if entry is None:
        return None
    g.ccgraph_cache_served = True
    response = Response(entry.body, status=entry.status, headers=list(entry.headers))
    response.headers["X-CCGraph-Cache"] = "hit"
    return _validators(response, entry.etag)


def _storable(response: Response) -> bool:
    if response.status_code != 200 or response.is_streamed or response.direct_passthrough:
        return False
    headers = response.headers
    if "Set-Cookie" in headers or "X-CCGraph-Truncated" in headers:
        return False
    if {"cookie", "authorization", "*"} & {v.lower() for v in response.vary}:
        return False
    return "no-store" not in headers.get("Cache-Control", "")


def _reflects_current(generation: int) -> bool:
    """Analytics may answer from the previous projection while the next one is built;
    such an answer is right to give but not to keep under the new generation."""
    analytics = current_app.extensions["ccgraph"].built_analytics
    reflected = analytics.reflected_generation() if analytics is not None else None
    return reflected is None or reflected == generation


def _after(response: Response) -> Response:
    state = g.pop("ccgraph_cache", None)
    if state is None or g.pop("ccgraph_cache_served", False):
        return response
    generation, key = state
    if not _storable(response) or not _reflects_current(generation):
        return response
    if _generation() != generation:  # a write landed meanwhile: which one did we see?
        return response
    etag = etag_for(generation, key)
    _validators(response, etag)
    headers = tuple((k, v) for k, v in response.headers.items()
                    if k.lower() not in _NOT_STORED)
    _cache().put(generation, key, Entry(response.status_code, headers, response.get_data(), etag))
    return response


def init_app(app: Flask) -> None:
    services = app.extensions["ccgraph"]
    max_bytes = int(services.settings.answer_cache_mb * 1024 * 1024)
    if max_bytes <= 0 or services.settings.store.startswith("sparql:"):
        # A remote store can be written by others without ccgraph's generation moving on.
        return
    app.extensions["ccgraph.cache"] = AnswerCache(max_bytes)
    app.before_request(_before)
    app.after_request(_after)
