"""Instants in the database: ISO 8601 text in UTC with an explicit offset, read back as aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["from_db", "opt_from_db", "opt_to_db", "to_db"]


def to_db(dt: datetime, what: str = "datetime") -> str:
    """'2026-08-07T02:00:00+00:00' for any aware instant; a naive one is refused with ValueError naming `what`."""
    if not isinstance(dt, datetime):
        raise TypeError(f"{what} must be a datetime, got {type(dt).__name__}")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {dt.isoformat()}")
    return dt.astimezone(UTC).isoformat()


def opt_to_db(dt: datetime | None, what: str = "datetime") -> str | None:
    return None if dt is None else to_db(dt, what)


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def opt_from_db(text: str | None) -> datetime | None:
    return None if text is None else from_db(text)
