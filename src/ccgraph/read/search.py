"""Full-text search over the labels of every resource, in every language present.

The index is an in-memory SQLite FTS5 table, rebuilt from the store whenever its
generation changes, so it never serves labels of data that has been replaced.
Ranking puts the kinds people look for first (clusters, organisations, instruments and
regions, then programmes and projects, then classification entries and the rest) and,
within them, orders by how well the name matches: the whole name, every word whole, then
BM25 on the label text. Classification entries carry their code (NACE 47.30 beside
47.3), so entries of one name can be told apart.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef

from ..namespaces import CCG, RDFS, SKOS
from . import words

__all__ = ["KINDS", "KIND_WORDS", "Hit", "SearchIndex", "kind_of", "matches"]

# Kind of a resource from its types, in order of precedence.
KINDS = (
    (CCG.Cluster, "cluster"),
    (CCG.Region, "region"),
    (CCG.FundingInstrument, "instrument"),
    (CCG.Project, "project"),
    (CCG.Programme, "programme"),
    (CCG.Policy, "policy"),
    (CCG.PolicyMeasure, "policy measure"),
    (CCG.EmergingIndustry, "industry"),
    (CCG.Industry, "industry"),
    (CCG.Organisation, "organisation"),
    (CCG.Event, "event"),
    (CCG.SourceDocument, "source"),
    (SKOS.Concept, "concept"),
)
_BOOST = {"cluster": 3.0, "region": 2.5, "instrument": 2.5, "project": 2.0, "programme": 1.5,
          "organisation": 2.0}
_TIER = {"cluster": 0, "organisation": 0, "instrument": 0, "region": 0, "programme": 1,
         "project": 1}

_LABELS = f"""
SELECT ?s ?p ?label ?type WHERE {{
  VALUES ?p {{ <{RDFS.label}> <{SKOS.prefLabel}> <{SKOS.altLabel}> <{SKOS.notation}> }}
  ?s ?p ?label .
  FILTER(isIRI(?s) && isLiteral(?label))
  OPTIONAL {{ ?s a ?type }}
}}"""

_WORD = re.compile(r"\w+", re.UNICODE)


def kind_of(types: Iterable[Any]) -> str:
    names = {URIRef(str(t)) for t in types}
    for iri, kind in KINDS:
        if iri in names:
            return kind
    return "resource"


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    lang: str
    kind: str
    code: str = ""


class SearchIndex:
    """Labels of one store, re-read whenever `store.generation` moves on."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._db: sqlite3.Connection | None = None
        self._codes: dict[str, str] = {}

    def search(self, text: str, *, kinds: tuple[str, ...] = (), limit: int = 20,
               langs: tuple[str, ...] = ()) -> list[Hit]:
        match = _match_expression(text)
        if not match:
            return []
        with self._lock:
            db = self._current()
            rows = db.execute(
                "SELECT iri, label, lang, kind, bm25(labels) AS score, "
                "label = ? COLLATE NOCASE AS exact FROM labels WHERE labels MATCH ? "
                "ORDER BY score LIMIT 2000", (text.strip(), match)).fetchall()
            codes = self._codes
        hits = _rank(rows, kinds, limit, langs, _WORD.findall(text.lower()))
        return [Hit(h.iri, h.label, h.lang, h.kind, codes.get(h.iri, "")) for h in hits]

    def _current(self) -> sqlite3.Connection:
        generation = self._store.generation
        if self._db is None or generation != self._generation:
            self._db, self._codes = _build(self._store)
            self._generation = generation
        return self._db


def _build(store: Any) -> tuple[sqlite3.Connection, dict[str, str]]:
    """The FTS table of every label, and the shortest code (skos:notation) of each IRI."""
    types: dict[str, set[Any]] = {}
    labels: set[tuple[str, str, str]] = set()
    codes: dict[str, str] = {}
    for row in store.select(_LABELS, row_cap=2**31):
        iri = str(row["s"])
        types.setdefault(iri, set())
        if "type" in row:
            types[iri].add(row["type"])
        label = row["label"]
        labels.add((iri, str(label), getattr(label, "language", None) or ""))
        if row.get("p") == SKOS.notation and (iri not in codes or len(str(label)) <
                                              len(codes[iri])):
            codes[iri] = str(label)
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE VIRTUAL TABLE labels USING fts5(label, iri UNINDEXED, lang UNINDEXED, "
               "kind UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO labels (label, iri, lang, kind) VALUES (?, ?, ?, ?)",
                   [(label, iri, lang, kind_of(types[iri])) for iri, label, lang in labels])
    db.commit()
    return db, codes


def _match_expression(text: str) -> str:
    """Every word must match, the last as a prefix (search as you type)."""
    words = _WORD.findall(text or "")[:12]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _rank(rows: list[tuple[Any, ...]], kinds: tuple[str, ...], limit: int,
          langs: tuple[str, ...], words: list[str]) -> list[Hit]:
    """Best label per resource; whole-word matches of every word beat prefix matches
    ("Example Cluster 1" puts cluster 1 before cluster 112)."""
    best: dict[str, tuple[float, Hit]] = {}
    preference = {lang: len(langs) - i for i, lang in enumerate(langs)}
    for iri, label, lang, kind, score, exact in rows:
        if kinds and kind not in kinds:
            continue
        # bm25 is lower-is-better and negative; boosts make good kinds more negative.
        value = score * _BOOST.get(kind, 1.0) - (5.0 if exact else 0.0)
        if words and set(words) <= set(_WORD.findall(label.lower())):
            value -= 3.0
        value -= 0.01 * preference.get(lang.split("-")[0].lower(), 0)
        if iri not in best or value < best[iri][0]:
            best[iri] = (value, Hit(iri, label, lang, kind))
    ordered = sorted(best.values(),
                     key=lambda pair: (_TIER.get(pair[1].kind, 2), pair[0], pair[1].label))
    return [hit for _value, hit in ordered[:limit]]


KIND_WORDS = {"instrument": "funding instrument", "source": "source document",
              "resource": "other", "concept": "classification entry",
              "industry": "industry (NACE)", "policy measure": "policy measure"}


def matches(index: SearchIndex, text: str, kinds: tuple[str, ...], limit: int,
            langs: tuple[str, ...]) -> list[dict[str, str]]:
    """The search results as a reader sees them: name, IRI, kind in words, code and the
    language of the name that matched."""
    return [{"iri": h.iri, "label": h.label, "lang": h.lang, "kind": h.kind, "code": h.code,
             "language": words.language_name(h.lang),
             "kind_words": KIND_WORDS.get(h.kind, h.kind)}
            for h in index.search(text, kinds=kinds, limit=limit, langs=langs)]
