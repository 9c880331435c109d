"""Messages for people: where the core wrote an address into a message, the resource's
name instead; and analytics failures as a sentence a reader can act on."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from ..errors import CCGraphError
from .labels import Langs, labels

__all__ = ["attempt", "without_addresses"]

log = logging.getLogger("ccgraph.read")

# An address as the core writes it in a message: <iri>, 'iri' or a bare http(s) URL.
_ADDRESS = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^\s<>]+)>|'(https?://[^\s']+)'"
                      r"|\b(https?://[^\s<>'\",;]+[^\s<>'\",;.)])")


def _address(match: re.Match[str]) -> str:
    return next(g for g in match.groups() if g)


def without_addresses(store: Any, message: str, langs: Langs) -> tuple[str, list[str]]:
    """The message with each address replaced by the resource's name in quotes, or "this
    resource" when it has none (or no store is at hand); and the addresses, for the
    technical details."""
    found = [_address(m) for m in _ADDRESS.finditer(message)]
    if not found:
        return message, []
    try:
        names = labels(store, found, langs) if store is not None else {}
    except Exception:  # the store may be what failed: the words still come without names
        log.warning("names for an error message could not be read", exc_info=True)
        names = {}

    def name(match: re.Match[str]) -> str:
        iri = _address(match)
        return f"“{names[iri]}”" if iri in names else "this resource"

    return _ADDRESS.sub(name, message), list(dict.fromkeys(found))


def attempt(engine: Any, method: str, store: Any, langs: Langs,
            *args: Any, **kwargs: Any) -> tuple[Any, str | None]:
    """(answer, None), or (None, a message a person can act on) when the analysis fails:
    pages show what they can without it."""
    call: Callable[..., Any] = getattr(engine, method)
    try:
        return call(*args, **kwargs), None
    except CCGraphError as exc:  # said on the page: names, not addresses
        return None, without_addresses(store, exc.message, langs)[0]
    except Exception:  # the engine is optional for the pages: say so, log the cause
        log.exception("analytics.%s failed", method)
        return None, "This analysis is not available right now (the complementarity " \
                     "engine reported an error; see the server log)."
