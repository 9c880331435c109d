"""Settings, read once from the environment into one frozen dataclass.

The process entry (the CLI, app.py, a test) builds them and hands them down: server,
app factory, store and engines take them as an argument and never read the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .namespaces import DEFAULT_INSTANCE_BASE

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"expected a boolean (1/0, true/false), got {value!r}")


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None


def _list(raw: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (raw or "").split(",") if x.strip())


@dataclass(frozen=True)
class Settings:
    store: str = "oxigraph:var/store"
    update_token: str | None = None
    union_default_graph: bool = True
    instance_base: str = DEFAULT_INSTANCE_BASE
    query_timeout: float = 20.0           # seconds, the ceiling a request may lower
    update_timeout: float = 60.0
    row_cap: int = 100_000
    gsp_row_cap: int = 5_000_000        # triples a graph store GET returns
    max_query_bytes: int = 100_000        # query text, in a URL or a body
    max_request_target: int = 16_384      # path and query string; a longer GET gets a 414
    max_upload_bytes: int = 200 * 1024 * 1024
    max_nesting: int = 200                # brackets in a query, checked before parsing
    query_workers: int = 3
    worker_memory_mb: int = 4096
    engine_malloc: str = "jemalloc"       # or "system": glibc's malloc in engine processes
    federation_allowlist: tuple[str, ...] = ()
    answer_cache_mb: float = 64.0         # repeated reads answered in the web process; 0: off
    shacl_engine: str = "auto"            # auto (fast where it can), fast, pyshacl
    shapes_path: Path = field(default_factory=lambda: PROJECT_ROOT / "ontology" / "shapes.ttl")
    ontology_path: Path = field(default_factory=lambda: PROJECT_ROOT / "ontology" / "ccgraph.ttl")
    queries_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "queries")
    data_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "data")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = dict(os.environ if env is None else env)
        settings = cls(
            store=env.get("CCGRAPH_STORE") or cls.store,
            update_token=env.get("CCGRAPH_UPDATE_TOKEN") or None,
            union_default_graph=_flag(env.get("CCGRAPH_UNION_DEFAULT_GRAPH"), True),
            instance_base=env.get("CCGRAPH_INSTANCE_BASE") or DEFAULT_INSTANCE_BASE,
            query_timeout=_number(env, "CCGRAPH_QUERY_TIMEOUT", cls.query_timeout),
            update_timeout=_number(env, "CCGRAPH_UPDATE_TIMEOUT", cls.update_timeout),
            row_cap=int(_number(env, "CCGRAPH_ROW_CAP", cls.row_cap)),
            gsp_row_cap=int(_number(env, "CCGRAPH_GSP_ROW_CAP", cls.gsp_row_cap)),
            max_upload_bytes=int(_number(env, "CCGRAPH_MAX_UPLOAD_BYTES", cls.max_upload_bytes)),
            query_workers=int(_number(env, "CCGRAPH_QUERY_WORKERS", cls.query_workers)),
            worker_memory_mb=int(_number(env, "CCGRAPH_WORKER_MEMORY_MB", cls.worker_memory_mb)),
            engine_malloc=env.get("CCGRAPH_ENGINE_MALLOC") or cls.engine_malloc,
            federation_allowlist=_list(env.get("CCGRAPH_FEDERATION_ALLOWLIST")),
            answer_cache_mb=_number(env, "CCGRAPH_ANSWER_CACHE_MB", cls.answer_cache_mb),
            shacl_engine=env.get("CCGRAPH_SHACL_ENGINE") or cls.shacl_engine,
        )
        return replace(settings, **overrides) if overrides else settings
