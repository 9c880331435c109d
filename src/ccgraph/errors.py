"""One exception family for everything ccgraph refuses or cannot do.

The web layer maps `status` to the HTTP status code and `to_dict()` to the one
JSON error shape; the CLI prints `str(error)` and exits non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class CCGraphError(Exception):
    """Base class. `status` is the HTTP status a web client would get."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = {k: v for k, v in details.items() if v is not None}

    def to_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, **self.details}}

    def __reduce__(self):
        # Errors cross process borders (query and write engines run in subprocesses).
        return (_restore, (type(self), self.args, self.__dict__.copy()))


def _restore(cls, args, state):
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class BadRequest(CCGraphError):
    status = 400
    code = "bad_request"


class NotFound(CCGraphError):
    status = 404
    code = "not_found"


class NoPath(NotFound):
    code = "no_path"


class Unauthorized(CCGraphError):
    status = 401
    code = "unauthorized"


class Forbidden(CCGraphError):
    status = 403
    code = "forbidden"


class NotAcceptable(CCGraphError):
    status = 406
    code = "not_acceptable"


class UnsupportedMediaType(CCGraphError):
    status = 415
    code = "unsupported_media_type"


class PayloadTooLarge(CCGraphError):
    status = 413
    code = "payload_too_large"


class LengthRequired(CCGraphError):
    status = 411
    code = "length_required"


class UriTooLong(CCGraphError):
    status = 414
    code = "uri_too_long"


class QueryTimeout(CCGraphError):
    status = 503
    code = "deadline_exceeded"


class EngineCrashed(CCGraphError):
    """The engine process died while working on a request (crash or memory cap)."""

    status = 500
    code = "engine_crashed"


class StoreLocked(CCGraphError):
    status = 503
    code = "store_locked"


class StoreError(CCGraphError):
    status = 500
    code = "store_error"


class RemoteStoreError(CCGraphError):
    status = 502
    code = "remote_store_error"


class ConfigError(CCGraphError):
    status = 500
    code = "config_error"


@dataclass(frozen=True)
class Problem:
    """One precise reason an input was rejected."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    focus_node: str | None = None
    path: str | None = None
    severity: str | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if v is not None and k != "extra"}
        return {**d, **self.extra}

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        if self.focus_node:
            node = f"focus node <{self.focus_node}>"
            node += f", path <{self.path}>" if self.path else ""
            where = f"{where} {node}".strip()
        return f"{where}: {self.message}" if where else self.message


class InvalidData(BadRequest):
    """Input that does not parse or does not conform; carries every problem found."""

    code = "invalid_data"

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems = list(problems or [])
        super().__init__(message)
        if self.problems:
            self.details["problems"] = [p.to_dict() for p in self.problems]

    def __str__(self) -> str:
        lines = [self.message, *(f"  {p}" for p in self.problems[:50])]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        return "\n".join(lines)
