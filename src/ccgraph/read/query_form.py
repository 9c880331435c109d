"""A named query's form in words: each parameter's label, hint, example and choices,
read from the query's header comment and named from the store's labels."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ..namespaces import CCG
from ..queries import NamedQuery, Parameter
from . import words
from .labels import Langs, labels

__all__ = ["in_words", "query_form", "words_of"]

# The header's description names an example: "e.g. <value>", else the first IRI in it.
_EXAMPLE = re.compile(r"e\.g\.\s+(\S+?)[),;]?(?:\s|$)")
_FIRST_IRI = re.compile(r"(https?://\S+?)[),;]?(?:\s|$)")


_TERM = re.compile(r"(?:ccg:|https://w3id\.org/ccgraph/ontology#|\.\.\.#)([A-Z][A-Za-z]+)")
_ANY_IRI = re.compile(r"\(?(?:https?://\S+?|ccg:[A-Za-z]+|\.\.\.#[A-Za-z]+)[),;]?(?=\s|$)\)?")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def words_of(name: str) -> str:
    """A parameter or column name in words: "regionA" -> "region A", "instrumentLabel"
    -> "instrument name"."""
    text = _CAMEL.sub(" ", name).replace("_", " ").replace("Label", "name").lower()
    text = re.sub(r"\b(\w+) label\b", r"\1 name", text)
    return re.sub(r"\b([a-z])$", lambda m: m.group(1).upper(), text)


def query_form(named: NamedQuery, args: Mapping[str, str], store: Any = None,
               langs: Langs = ("en",),
               resolve: Callable[[str], str] | None = None) -> list[dict[str, Any]]:
    """The form's fields in words: a label from the description, a hint with names where
    the description gives addresses, a choice where it lists ontology terms (scopes,
    levels, statuses), and the autocomplete for any other resource."""
    fields: list[dict[str, Any]] = []
    for param in named.parameters:
        example = _EXAMPLE.search(param.description) or (
            None if param.optional else _FIRST_IRI.search(param.description))
        choices = [str(CCG[t]) for t in dict.fromkeys(_TERM.findall(param.description))]
        choices = choices if len(choices) > 1 else []  # one example is no list to choose from
        value = args.get(param.name, "")
        if param.type == "iri" and not value and resolve is not None:
            value = resolve(param.name) or ""
        fields.append({"name": param.name, "type": param.type, "optional": param.optional,
                       "description": param.description, "label": _field_label(param),
                       "example": example.group(1) if example else "",
                       "choices": choices, "value": value})
    names = labels(store, [c for f in fields for c in f["choices"]]
                        + [f["value"] for f in fields if f["type"] == "iri" and f["value"]]
                        + [f["example"] for f in fields if f["example"].startswith("http")],
                        langs) if store is not None else {}
    for f in fields:
        f["choices"] = [(c, names.get(c) or words.readable(c)) for c in f["choices"]]
        f["value_label"] = names.get(f["value"], "") if f["type"] == "iri" else ""
        f["hint"] = _hint(f, names)
    return fields


_CCG_TERM = re.compile(r"\bccg:([A-Za-z]+)")


def in_words(text: str, store: Any, langs: Langs) -> str:
    """A description with ontology terms (ccg:leadPartner) written as their labels."""
    terms = [str(CCG[t]) for t in _CCG_TERM.findall(text)]
    names = labels(store, terms, langs) if terms else {}
    return _CCG_TERM.sub(lambda m: names.get(str(CCG[m.group(1)]))
                         or words.readable(str(CCG[m.group(1)])), text)


def _field_label(param: Parameter) -> str:
    text = param.description.replace("optional,", "").strip()
    text = re.split(r"\s*(?:\(?e\.g\.|\bdefault\b|[;:(])", text)[0]
    text = _ANY_IRI.sub("", text).strip(" ,.")
    text = re.sub(r"^(a|an|any|one)\s+", "", text, flags=re.I)
    if not text:
        text = words_of(param.name)
    return text[:1].upper() + text[1:]


def _hint(field: dict[str, Any], names: dict[str, str]) -> str:
    parts = ["Optional." if field["optional"] else "Required."]
    if field["choices"]:
        parts.append("Choose one." if not field["optional"] else "Leave it open for any.")
    elif field["type"] == "iri":
        example = names.get(field["example"]) if field["example"] else None
        parts.append("Type a name and pick it from the suggestions"
                     + (f", e.g. {example}." if example else "."))
    elif field["type"] == "date":
        parts.append("A day, e.g. 2024-01-31.")
    return " ".join(parts)
