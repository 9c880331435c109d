"""Validated request parameters for the JSON API (bounds are part of the contract), and
the reader's languages from Accept-Language."""

from __future__ import annotations

import datetime as dt
import re

from flask import request

from ..errors import BadRequest

__all__ = ["boolean", "date", "decimal", "integer", "iri", "languages", "optional_iri"]

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")


def iri(name: str) -> str:
    value = request.args.get(name)
    if not value:
        raise BadRequest(f"the parameter {name!r} is required (an IRI)", parameter=name)
    if not _IRI.match(value):
        raise BadRequest(f"the parameter {name!r} must be an absolute IRI, got {value!r}",
                         parameter=name)
    return value


def optional_iri(name: str) -> str | None:
    return iri(name) if request.args.get(name) else None


def integer(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an integer, got {raw!r}", parameter=name) from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}, got {value}",
                         parameter=name, minimum=low, maximum=high)
    return value


def decimal(name: str, default: float, low: float, high: float) -> float:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a number, got {raw!r}", parameter=name) from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}, got {value}",
                         parameter=name, minimum=low, maximum=high)
    return value


def date(name: str) -> dt.date | None:
    """An optional calendar day, YYYY-MM-DD."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a day written YYYY-MM-DD, got {raw!r}",
                         parameter=name) from None


def boolean(name: str, default: bool) -> bool:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    if raw.lower() in ("1", "true", "yes"):
        return True
    if raw.lower() in ("0", "false", "no"):
        return False
    raise BadRequest(f"{name} must be true or false, got {raw!r}", parameter=name)


def languages() -> tuple[str, ...]:
    """Primary language subtags from Accept-Language, best first, then English."""
    langs: list[str] = []
    for value, _quality in request.accept_languages:
        primary = value.split("-")[0].lower()
        if primary != "*" and primary not in langs:
            langs.append(primary)
    if "en" not in langs:
        langs.append("en")
    return tuple(langs)
