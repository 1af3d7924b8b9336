"""The document-source path: a programme published as one file or URL (pretalx/frab schedule.json, frab/Pentabarf
schedule.xml, Sessionize /view/All JSON, an iCalendar feed) read into a Catalog, and read again when it changes.

The format is recognised from the content, never the name: a document that is none of them gets one message
naming what was expected. A document that stops being readable (junk, cut short, a wrong format) keeps the
programme last read well, and so does one that cannot be fetched; a session whose id is gone from a readable
version is gone from the programme (the change notices then tell its stargazers it was cancelled).

Sessions a catalog serves are never changed afterwards: a new version of the document makes new objects only
for sessions that differ, and keeps the objects of those that did not (so the search index and the change
diff see only what changed).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.core.model import Problem, Session
from bot.core.programme import frab_json, frab_xml, ical_feed, sessionize
from bot.core.programme.catalog import Catalog
from bot.core.programme.imported import Collector, Reading, Zones
from bot.core.programme.loader import _PAUSE_GC_FROM, _quiet_gc
from bot.core.programme.source import Lengths, _DefaultLengths

__all__ = [
    "EXPECTED",
    "DocumentLoader",
    "Fetched",
    "Origin",
    "is_url",
    "read_document",
]

log = logging.getLogger(__name__)

EXPECTED = (
    "a pretalx/frab schedule.json, a pretalx/frab/Pentabarf schedule.xml, "
    "a Sessionize API v2 /view/All JSON, or an iCalendar (.ics) feed"
)
MAX_BYTES = 64 * 1024 * 1024  # a 10,000-session schedule.json is about 30 MB
_PAUSE_BYTES = 1 << 20  # a document this large: the cyclic collector waits while it is read (see loader)


def is_url(source: str) -> bool:
    """Whether a configured programme source is a web address (else it is a file or a folder)."""
    return source.strip().lower().startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Fetched:
    """One look at a programme document: a new version (`body`), the same as last time, or a failure (`reason`)."""

    status: str  # "new" | "same" | "failed"
    body: bytes | None = None
    reason: str = ""
    validators: tuple[str | None, str | None] = (None, None)  # ETag, Last-Modified of a web answer

    @property
    def failed(self) -> bool:
        return self.status == "failed"


class Origin(Protocol):
    """Where a programme document comes from (bot.core.programme.remote): a file, or a URL with a saved copy."""

    @property
    def location(self) -> str: ...

    def read_now(self) -> Fetched:
        """Look now, blocking (at start, for `check`, for an organizer's /reload): a body, or a failure."""
        ...

    async def fetch(self) -> Fetched:
        """Look again on the event loop (the poller): "new" only when the document changed."""
        ...

    def fallback(self) -> Fetched | None:
        """The last good copy kept from an earlier run (a URL's copy beside the database), if any."""
        ...

    def keep(self, fetched: Fetched) -> None:
        """This version read well: remember it as the last good one."""
        ...


def read_document(
    raw: bytes, origin: str, tz: ZoneInfo, lengths: Lengths | None = None, *, zone_given: bool = True
) -> Reading:
    """A programme document, whatever its format, as a Reading; never raises."""
    zones = Zones(tz, zone_given)
    try:
        return _read(raw, origin, zones, lengths)
    except (RecursionError, MemoryError) as exc:  # a pathological document: nesting or size no programme has
        out = Collector(origin, "unknown", tz, lengths)
        out.whole("error", f"unreadable ({type(exc).__name__})")
        return out.finish(ok=False)


def _read(raw: bytes, origin: str, zones: Zones, lengths: Lengths | None) -> Reading:
    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if len(raw) > MAX_BYTES:
        return _refused(
            origin, zones, lengths, f"{len(raw):,} bytes, larger than any programme ({MAX_BYTES:,} at most)"
        )
    if not head:
        return _refused(origin, zones, lengths, f"empty; expected {EXPECTED}")
    if ical_feed.recognise(raw):
        return ical_feed.read(raw, origin, zones, lengths)
    if head.startswith(b"<"):
        root = frab_xml.root_tag(raw)
        if root == "schedule":
            return frab_xml.read(raw, origin, zones, lengths)
        if root is not None and root.lower() == "html":
            return _refused(origin, zones, lengths, f"a web page (HTML), not a programme; expected {EXPECTED}")
        what = f"XML whose root is <{root}>" if root else "not well-formed XML"
        return _refused(origin, zones, lengths, f"{what}, not a programme; expected {EXPECTED}")
    if head[:1] in (b"{", b"["):
        try:
            data = json.loads(raw)
        except UnicodeDecodeError:
            return _refused(origin, zones, lengths, "JSON that is not UTF-8 text", 0)
        except json.JSONDecodeError as exc:
            return _refused(
                origin, zones, lengths, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", exc.lineno
            )
        if frab_json.recognise(data):
            return frab_json.read(data, origin, zones, lengths)
        if sessionize.recognise(data):
            return sessionize.read(data, origin, zones, lengths)
        if isinstance(data, list) and data and isinstance(data[0], dict) and "sessions" in data[0]:
            message = f"Sessionize's /view/Sessions (grouped sessions), not /view/All; expected {EXPECTED}"
        else:
            keys = ", ".join(list(data)[:5]) if isinstance(data, dict) else "a list"
            message = f"JSON of another shape ({keys}), not a programme; expected {EXPECTED}"
        return _refused(origin, zones, lengths, message)
    return _refused(origin, zones, lengths, f"not a programme this bot reads; expected {EXPECTED}")


def _refused(origin: str, zones: Zones, lengths: Lengths | None, message: str, line: int | None = None) -> Reading:
    out = Collector(origin, "unknown", zones.configured, lengths, lines=line is not None)
    if line:
        out.problem(line, "error", message)
    else:
        out.whole("error", message)
    return out.finish(ok=False)


def _fields(s: Session) -> tuple[Any, ...]:
    reduced = s.__reduce__()[1]
    return (type(s), *reduced)


class DocumentLoader:
    """Loads a programme document into Catalogs, keeping its last good version (see the module's docstring).

    `load()` reads the document from its origin; a poller that already fetched and read a new version hands it
    over with `offer()` and then reloads naming the origin's location, which takes the offered version without
    looking again. Not thread-safe for two loads at once (bot.core.programme.Programme runs them one at a time);
    `offer` may come from another thread.
    """

    def __init__(
        self,
        origin: Origin,
        tz: ZoneInfo,
        lengths: Lengths | None = None,
        *,
        zone_given: bool = True,
    ):
        self.origin = origin
        self.tz = tz
        self.lengths: Lengths = lengths if lengths is not None else _DefaultLengths()
        self.zone_given = zone_given
        self.title: str | None = None  # the conference's name, as the document says it
        self.format: str | None = None  # what the document was last read as
        self._catalog: Catalog | None = None
        self._good: tuple[Fetched, Reading] | None = None  # the version served
        self._offered: tuple[Fetched, Reading] | None = None
        self._lock = threading.Lock()

    @property
    def location(self) -> str:
        return self.origin.location

    def read(self, body: bytes) -> Reading:
        """A version of the document read as this loader reads it (in its zone, with its lengths)."""
        tz = self._catalog.tz if self._catalog is not None else self.tz  # the zone stays what it was at start
        given = self.zone_given or self._catalog is not None
        with _quiet_gc(len(body) >= _PAUSE_BYTES):  # a few hundred thousand objects and no cycles
            return read_document(body, self.location, tz, self.lengths, zone_given=given)

    def offer(self, fetched: Fetched, reading: Reading) -> None:
        """A new version a poller fetched and read well: the next load naming the location serves it."""
        with self._lock:
            self._offered = (fetched, reading)

    def restore(self) -> bool:
        """Serve the version last read well again at the next load (after an outage); False when there is none."""
        with self._lock:
            if self._good is None:
                return False
            self._offered = self._good
            return True

    # ------------------------------------------------------------------ loading

    def load(self, keep_last_good: bool = False, changed: Iterable[str] | None = None) -> Catalog:
        """The programme as a Catalog: the offered version, else the document as it is now (see the class)."""
        with self._lock:
            offered, self._offered = self._offered, None
        if offered is not None:
            with _quiet_gc(len(offered[1].sessions) >= _PAUSE_GC_FROM):
                return self._serve(*offered)
        if changed is not None and self._catalog is not None:
            return self._catalog  # a reload naming the document with nothing new offered: nothing changed
        fetched = self.origin.read_now()
        if fetched.failed or fetched.body is None:
            return self._unreachable(fetched, keep_last_good)
        if self._good is not None and fetched.body == self._good[0].body:
            if self._catalog is not None and not self._catalog.failed_files:
                return self._catalog
            return self._serve(fetched, self._good[1])  # readable again: the problems of the outage go
        reading = self.read(fetched.body)
        if reading.ok:
            with _quiet_gc(len(reading.sessions) >= _PAUSE_GC_FROM):
                return self._serve(fetched, reading)
        if keep_last_good and self._catalog is not None:
            return self._kept(reading.problems)
        copy = self.origin.fallback() if self._catalog is None else None
        if copy is not None and copy.body is not None:
            kept = self.read(copy.body)
            if kept.ok:
                note = self._problem(
                    "error", f"this version could not be read; serving the copy saved from {self.location}"
                )
                return self._serve(copy, kept, extra=[*reading.problems, note], failed=True)
        self.format = reading.format
        return self._empty(reading.problems)

    def _unreachable(self, fetched: Fetched, keep_last_good: bool) -> Catalog:
        """The document could not be fetched or read: the programme served stays, else the saved copy."""
        problem = self._problem("error", f"could not be read: {fetched.reason}")
        if self._catalog is not None and keep_last_good:
            return self._kept([problem])
        copy = self.origin.fallback()
        if copy is not None and copy.body is not None:
            reading = self.read(copy.body)
            if reading.ok:
                note = self._problem("warning", "serving the last good copy saved beside the database")
                return self._serve(copy, reading, extra=[problem, note], failed=True)
        return self._empty([problem])

    def _problem(self, severity: str, message: str) -> Problem:
        return Problem(self.location, 0, None, severity, message, at="")

    def _kept(self, problems: list[Problem]) -> Catalog:
        """The programme last read well, with what is wrong with the document now."""
        assert self._catalog is not None
        note = self._problem("warning", "kept the last good version of the programme until the document is fixed")
        current = self._catalog
        return Catalog(
            tz=current.tz,
            sessions=current.sessions,
            tracks=current.tracks,
            rooms=current.rooms,
            days=current.days,
            problems=[*problems, note],
            failed_files=[self.location],
        )

    def _empty(self, problems: list[Problem]) -> Catalog:
        return Catalog(self.tz, [], {}, [], [], problems, [self.location])

    def _serve(
        self, fetched: Fetched, reading: Reading, *, extra: list[Problem] | None = None, failed: bool = False
    ) -> Catalog:
        """A catalog of a version read well; sessions that did not change keep their objects."""
        previous = self._catalog.by_id if self._catalog is not None else {}
        sessions: list[Session] = []
        for s in reading.sessions:
            old = previous.get(s.id)
            sessions.append(old if old is not None and _fields(old) == _fields(s) else s)
        days = sorted({s.start.astimezone(reading.tz).date() for s in sessions if s.start is not None})
        catalog = Catalog(
            tz=reading.tz,
            sessions=sessions,
            tracks=reading.tracks,
            rooms=reading.rooms,
            days=days,
            problems=[*reading.problems, *(extra or [])],
            failed_files=[self.location] if failed else [],
        )
        self._catalog = catalog
        self._good = (fetched, reading)
        self.title, self.format = reading.title, reading.format
        if not failed:
            try:
                self.origin.keep(fetched)
            except OSError as exc:  # the copy is a convenience: the bot runs on without it
                log.warning("could not keep a copy of %s: %s", self.location, exc)
        return catalog
