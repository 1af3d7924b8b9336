"""Discord's error answers: a route raises `Reply` to answer with a status, Discord's JSON error code and form errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class Reply(Exception):
    """Raised by a route handler to answer with an error status (and headers, for a 429)."""

    def __init__(self, status: int, body: dict[str, Any] | None, headers: dict[str, str] | None = None):
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers or {}


def error(status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> Reply:
    body: dict[str, Any] = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return Reply(status, body)


def form_errors(problems: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Discord's nested `errors` object for 50035 Invalid Form Body (discord.py flattens it back)."""
    tree: dict[str, Any] = {}
    for path, message in problems:
        node = tree
        for part in [p for p in path.split(".") if p] or ["_root"]:
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": "BASE_TYPE_INVALID", "message": message})
    return tree


def invalid_form_body(*problems: tuple[str, str]) -> Reply:
    """400, code 50035, with one (path, message) per broken field."""
    return error(400, 50035, "Invalid Form Body", form_errors(problems))
