"""An iCalendar feed (.ics) of the programme: one VEVENT per session, read with the icalendar library.

What real feeds do, and how it is read: times come with a TZID naming an IANA zone and no VTIMEZONE, with a
VTIMEZONE whose TZID line carries a parameter, in UTC with no zone at all, or floating (the conference's
wall-clock time); the conference's zone is the one the feed names (X-WR-TIMEZONE, a VTIMEZONE, a TZID)
unless one is configured. LOCATION is the room (it may list several), CATEGORIES the track; speakers are
ATTENDEE;CN, else ORGANIZER;CN, else a "Speaker: …" first line of the DESCRIPTION. Some feeds reuse one UID
for many events: each is kept (see imported.Collector). Folded lines may split a UTF-8 character: lines are
unfolded before the text is decoded. STATUS:CANCELLED and a title that says so leave the event out.
Problems are located by the line of the event's BEGIN:VEVENT.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.programme.imported import Collector, Reading, Zones, is_service, text, zone_named
from bot.core.programme.source import Lengths

__all__ = ["FORMAT", "read", "recognise"]

FORMAT = "iCalendar feed (.ics)"
_FOLD = re.compile(rb"\r?\n[ \t]")
_BEGIN = re.compile(rb"^BEGIN:VEVENT\s*$", re.M | re.I)
_SPEAKER_LINE = re.compile(
    r"^\s*(?:speakers?|presenters?|presented by|referent(?:in|en)?|vortragende[rn]?|von|by|relatore|relatori)\s*:\s*(.+)$",
    re.I,
)
_PEOPLE = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b)\s*")


def recognise(raw: bytes) -> bool:
    """Whether a document starts as an iCalendar object does."""
    return raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper().startswith(b"BEGIN:VCALENDAR")


def read(raw: bytes, origin: str, zones: Zones, lengths: Lengths | None = None) -> Reading:
    """An iCalendar feed as sessions; never raises."""
    import icalendar  # only a programme published as .ics needs it at start

    probe = Collector(origin, FORMAT, zones.configured, lengths, lines=True)
    body = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not re.search(rb"END:VCALENDAR\s*$", body[-200:], re.I):
        probe.whole("error", "cut short: the feed does not end with END:VCALENDAR")
        return probe.finish(ok=False)
    unfolded = _FOLD.sub(b"", body)
    decoded = unfolded.decode("utf-8", "replace")
    try:
        calendar = icalendar.Calendar.from_ical(decoded)
    except Exception as exc:  # noqa: BLE001 - the library raises ValueError, KeyError, IndexError… on junk
        probe.whole("error", f"not a readable iCalendar feed ({type(exc).__name__}: {_short(exc)})")
        return probe.finish(ok=False)
    named = _feed_zone(calendar)
    tz = zones.shown(named)
    out = Collector(origin, FORMAT, tz, lengths, lines=True)
    out.title = text(_get(calendar, "X-WR-CALNAME")) or None
    if "\ufffd" in decoded:
        out.whole("warning", "not all of it is UTF-8: unreadable characters are shown as �")
    floating_zone = named or zones.configured
    lines = _event_lines(raw)
    floating = 0
    try:
        events = list(calendar.walk("VEVENT"))
    except Exception as exc:  # noqa: BLE001 - a walk over a damaged tree
        out.whole("error", f"not a readable iCalendar feed ({type(exc).__name__}: {_short(exc)})")
        return out.finish(ok=False)
    for n, event in enumerate(events):
        line = lines[n] if n < len(lines) else 1
        try:
            floating += _event(out, line, event, floating_zone)
        except Exception as exc:  # noqa: BLE001 - one event's junk must not cost the others
            out.events += 1
            out.problem(line, "error", f"unreadable event ({type(exc).__name__}: {_short(exc)}): skipped")
    if not events:
        out.whole("warning", "the feed has no events")
    if named is None and not zones.given:
        out.floating_times(floating, floating_zone, "feed")
    return out.finish()


def _event(out: Collector, line: int, event: Any, floating_zone: ZoneInfo) -> int:
    """One VEVENT; returns 1 when its time had no zone at all (floating or UTC only)."""
    for name, message in getattr(event, "errors", None) or ():  # what the library could not read: left out
        out.problem(line, "warning", f"{name}: {_short(message)}: ignored", str(name))
    uid = text(_get(event, "UID"))
    title = text(_get(event, "SUMMARY"))
    start: datetime | None = None
    end: datetime | None = None
    zoneless = 0
    written = _get(event, "DTSTART")
    value = getattr(written, "dt", None)
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            tzid = getattr(written, "params", {}).get("TZID")
            if tzid:
                message = f"unknown time zone {tzid!r}: read as {floating_zone.key}"
                out.problem(line, "warning", message, "DTSTART")
            value = value.replace(tzinfo=floating_zone)
            zoneless = 1
        elif value.utcoffset() == timedelta(0) and not getattr(written, "params", {}).get("TZID"):
            zoneless = 1  # UTC: the instant is right, but the feed says nothing of the venue's zone
        start = value.astimezone(out.tz)
    elif isinstance(value, date):
        out.problem(line, "warning", "an all-day event: kept as unscheduled", "DTSTART")
    else:
        out.problem(line, "error", "no DTSTART: kept as unscheduled", "DTSTART")
    if start is not None:
        written_end = _get(event, "DTEND")
        end_value = getattr(written_end, "dt", None)
        if isinstance(end_value, datetime):
            if end_value.tzinfo is None or end_value.utcoffset() is None:
                end_value = end_value.replace(tzinfo=floating_zone)
            end = end_value.astimezone(out.tz)
        else:
            length = getattr(_get(event, "DURATION"), "dt", None)
            if isinstance(length, timedelta) and length >= timedelta(0):
                end = start + length
        if _get(event, "RRULE") is not None:
            out.problem(line, "warning", "a repeating event (RRULE): only its first time is shown", "RRULE")
    categories = _categories(event)
    people = _cn(event, "ATTENDEE") or _cn(event, "ORGANIZER")
    description = _get(event, "DESCRIPTION")
    abstract = str(description) if description is not None else ""
    if not people and abstract:
        first, _, rest = abstract.strip().partition("\n")
        m = _SPEAKER_LINE.match(first)
        if m:
            people = [p.strip(" .") for p in _PEOPLE.split(m.group(1)) if p.strip(" .")]
            abstract = rest
    url = text(_get(event, "URL"))
    status = text(_get(event, "STATUS")).upper()
    out.add(
        line,
        id=uid,
        title=title,
        start=start,
        end=end,
        room=text(_get(event, "LOCATION")),
        track=categories[0] if categories else "",
        stype=", ".join(categories),
        presenters=people,
        abstract=(abstract,),
        url=url if url.startswith(("http://", "https://")) else None,
        service=any(is_service(c) for c in categories),
        cancelled=status == "CANCELLED",
    )
    return zoneless


def _get(component: Any, name: str) -> Any:
    """A property's value; the first one when a feed repeats a property that is written once."""
    value = component.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _categories(event: Any) -> list[str]:
    found: list[str] = []
    value = event.get("CATEGORIES")
    for entry in value if isinstance(value, list) else [value] if value is not None else []:
        for cat in getattr(entry, "cats", None) or [entry]:
            name = text(cat)
            if name and name not in found:
                found.append(name)
    return found


def _cn(event: Any, name: str) -> list[str]:
    """The common names (CN) of an event's attendees or organizer, as written."""
    value = event.get(name)
    found: list[str] = []
    for entry in value if isinstance(value, list) else [value] if value is not None else []:
        params = getattr(entry, "params", None) or {}
        cn = text(params.get("CN"))
        if cn and cn not in found:
            found.append(cn)
    return found


def _feed_zone(calendar: Any) -> ZoneInfo | None:
    """The zone a feed names: X-WR-TIMEZONE, a VTIMEZONE's TZID, a (bogus but telling) VTIMEZONE property,
    or the TZID of its first DTSTART."""
    for value in (_get(calendar, "X-WR-TIMEZONE"), _get(calendar, "VTIMEZONE")):
        zone = zone_named(value)
        if zone is not None:
            return zone
    for component in calendar.walk("VTIMEZONE"):
        zone = zone_named(_get(component, "TZID"))
        if zone is not None:
            return zone
    for event in calendar.walk("VEVENT"):
        written = _get(event, "DTSTART")
        zone = zone_named(getattr(written, "params", {}).get("TZID")) if written is not None else None
        if zone is not None:
            return zone
        break
    return None


def _event_lines(raw: bytes) -> list[int]:
    """The line of each BEGIN:VEVENT, in order (the n-th event the library walks is the n-th in the file)."""
    lines: list[int] = []
    line, pos = 1, 0
    for m in _BEGIN.finditer(raw):
        line += raw.count(b"\n", pos, m.start())
        pos = m.start()
        lines.append(line)
    return lines


def _short(exc: object) -> str:
    message = str(exc).replace("\n", " ")
    return message[:160] + "…" if len(message) > 160 else message
