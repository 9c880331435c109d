"""Request plumbing shared by the blueprints: bodies with limits, tokens, negotiation."""

from __future__ import annotations

import functools
import hmac

from flask import current_app, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..errors import (
    BadRequest,
    Forbidden,
    LengthRequired,
    NotAcceptable,
    PayloadTooLarge,
    Unauthorized,
)

__all__ = ["negotiate", "read_body", "require_write_token", "settings"]

_TOKEN_PARAMS = ("token", "access_token", "auth", "bearer")


def settings():
    return current_app.extensions["ccgraph"].settings


def read_body(limit: int | None = None) -> bytes:
    """The whole body, or 413/411: never silently truncated (chunked bodies are counted)."""
    limit = limit or settings().max_upload_bytes
    length = request.content_length
    if length is not None and length > limit:
        raise PayloadTooLarge(f"the request body is {length} bytes; the limit is {limit}",
                              limit=limit)
    environ = request.environ
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    if chunked and not environ.get("wsgi.input_terminated"):
        raise LengthRequired("this server needs a Content-Length for chunked bodies")
    stream = environ["wsgi.input"]
    remaining = length if length is not None else None
    if remaining is None and not chunked:
        return b""
    return _read_limited(stream, remaining, limit)


def _read_limited(stream, remaining: int | None, limit: int) -> bytes:
    parts, total = [], 0
    while remaining is None or total < remaining:
        want = 65536 if remaining is None else min(65536, remaining - total)
        chunk = stream.read(want)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise PayloadTooLarge(f"the request body exceeds the limit of {limit} bytes",
                                  limit=limit)
        parts.append(chunk)
    return b"".join(parts)


def require_write_token() -> None:
    """Bearer token from the Authorization header only, compared in constant time."""
    if any(name in request.args for name in _TOKEN_PARAMS):
        raise BadRequest("tokens are never accepted in the URL; send an Authorization header")
    expected = settings().update_token
    if not expected:
        raise Forbidden("writes are disabled on this server (no CCGRAPH_UPDATE_TOKEN is set)")
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("this operation needs an Authorization: Bearer token")
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise Unauthorized("the token is not valid")


def negotiate(offers: list[tuple[str, str]], default: str, override: str | None = None) -> str:
    """Pick a format key from (key, media type) offers by the Accept header; 406 if none fits.

    The default's media type goes first so that `*/*` (and no Accept) chooses it.
    """
    keys = {key for key, _ in offers}
    if override and override in keys:
        return override
    accept = request.headers.get("Accept", "").strip()
    if not accept:
        return default
    chosen = _choose(accept, tuple(offers), default)
    if chosen is None:
        available = sorted({media for _, media in offers})
        raise NotAcceptable("cannot answer in any of the accepted media types; available: "
                            + ", ".join(available), available=available)
    return chosen


def _without_parameters(accept: str) -> str:
    """`text/turtle; charset=utf-8` matches the offer text/turtle: media-type parameters other
    than q are dropped (Werkzeug would require the offer to carry them too)."""
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        kept = [p for p in params if p.lower().startswith("q=")]
        ranges.append(";".join([media, *kept]))
    return ",".join(ranges)


@functools.lru_cache(maxsize=256)
def _choose(accept: str, offers: tuple[tuple[str, str], ...], default: str) -> str | None:
    # Clients send the same few Accept headers again and again; parsing and matching one
    # was an eighth of a point lookup's time in the web layer.
    ordered = sorted(offers, key=lambda offer: offer[0] != default)
    best = parse_accept_header(_without_parameters(accept), MIMEAccept).best_match(
        [media for _, media in ordered])
    if best is None:
        return None
    return next(key for key, media in ordered if media == best)
