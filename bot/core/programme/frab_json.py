"""The pretalx / frab schedule.json format (the c3voc schedule schema): `schedule.conference.days[].rooms{}`
of events, or the newer flat `schedule.events[]`.

What real exports do, and how it is read: `date` carries the offset (the only zone information in older
exports, which lack `time_zone_name`); `end` is preferred to `duration` when present; durations are "H:MM"
with any number of hours; the day an event is filed under is not its calendar date (CCC nights run past
midnight), so every event is kept whatever its day's bounds; persons are objects with `public_name` and/or
`name`; keys such as `url`, `language`, `links` may be missing and `subtitle` may be null.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from bot.core.programme.imported import (
    Collector,
    Reading,
    Zones,
    duration,
    is_service,
    jpath,
    kind_of,
    language_code,
    text,
    zone_named,
    zone_of_offsets,
)
from bot.core.programme.source import Lengths

__all__ = ["FORMAT", "read", "recognise"]

FORMAT = "schedule.json (pretalx/frab, c3voc schema)"


def recognise(data: Any) -> bool:
    """Whether parsed JSON is shaped like a c3voc schedule: `{"schedule": {"conference": …}}`."""
    return isinstance(data, dict) and isinstance(data.get("schedule"), dict)


def read(data: Any, origin: str, zones: Zones, lengths: Lengths | None = None) -> Reading:
    """A c3voc schedule.json document (already parsed) as sessions; never raises."""
    schedule = data.get("schedule") if isinstance(data, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    if not isinstance(conference, dict):
        out = Collector(origin, FORMAT, zones.configured, lengths)
        out.whole("error", 'not a schedule.json: it has no "schedule.conference" object')
        return out.finish(ok=False)
    written_zone = conference.get("time_zone_name")
    named = zone_named(written_zone)
    guessed = None if named is not None or zones.given else zone_of_offsets(_some_dates(schedule, conference))
    tz = zones.shown(named or guessed)
    out = Collector(origin, FORMAT, tz, lengths)
    out.title = text(conference.get("title")) or None
    base = "$.schedule.conference"
    if written_zone is not None and named is None:
        out.problem(jpath(base, "time_zone_name"), "warning", f"unknown time zone {written_zone!r}", "time_zone_name")
    floating = named or zones.configured
    rooms = conference.get("rooms")
    if isinstance(rooms, list):
        out.room_order = [name for r in rooms if isinstance(r, dict) and (name := text(r.get("name")))]
    days = conference.get("days")
    events = schedule.get("events") if isinstance(schedule, dict) else None
    base_url = text(schedule.get("base_url")) if isinstance(schedule, dict) else ""
    tracks = _track_names(conference.get("tracks"))
    found = False
    if isinstance(days, list):
        for d, day in enumerate(days):
            where = jpath(jpath(base, "days"), d)
            if not isinstance(day, dict):
                out.problem(where, "error", "a day is not an object: skipped")
                continue
            by_room = day.get("rooms")
            if by_room is None and isinstance(events, list):
                continue  # schema 2: days carry no events
            if not isinstance(by_room, dict):
                out.problem(jpath(where, "rooms"), "error", "rooms is not an object of room name -> events: skipped")
                continue
            found = True
            day_date = text(day.get("date"))
            for room, listed in by_room.items():
                room_where = jpath(jpath(where, "rooms"), str(room))
                if not isinstance(listed, list):
                    out.problem(room_where, "error", "a room's events are not a list: skipped")
                    continue
                for i, event in enumerate(listed):
                    _event(out, jpath(room_where, i), event, str(room), day_date, floating, base_url, tracks)
    elif days is not None:
        out.problem(jpath(base, "days"), "error", "days is not a list")
    if isinstance(events, list):
        found = True
        for i, event in enumerate(events):
            _event(out, jpath("$.schedule.events", i), event, "", "", floating, base_url, tracks)
    if not found:
        out.whole("error", "no events: expected schedule.conference.days[].rooms or schedule.events")
        return out.finish(ok=False)
    if named is None and not zones.given and out.events:
        shown = f"at their offset ({tz.key})" if guessed is not None else f"in {tz.key}, the configured default"
        out.whole(
            "warning",
            f"the file names no time zone: times are read by their offsets and shown {shown} "
            "(set conference.timezone to the venue's zone)",
        )
    return out.finish()


def _some_dates(schedule: Any, conference: dict[str, Any], most: int = 200) -> list[Any]:
    """The `date` of the first events (for the offset they carry, in a file that names no zone)."""
    found: list[Any] = []
    days = conference.get("days")
    for day in days if isinstance(days, list) else []:
        rooms = day.get("rooms") if isinstance(day, dict) else None
        for events in rooms.values() if isinstance(rooms, dict) else []:
            for event in events if isinstance(events, list) else []:
                if isinstance(event, dict):
                    found.append(event.get("date"))
                    if len(found) >= most:
                        return found
    events = schedule.get("events") if isinstance(schedule, dict) else None
    for event in events if isinstance(events, list) else []:
        if isinstance(event, dict):
            found.append(event.get("start"))
            if len(found) >= most:
                break
    return found


def _event(
    out: Collector,
    where: str,
    event: Any,
    room: str,
    day_date: str,
    floating: ZoneInfo,
    base_url: str = "",
    tracks: dict[str, str] | None = None,
) -> None:
    """One event object, read field by field: a bad field is reported, the rest of the event kept."""
    if not isinstance(event, dict):
        out.events += 1
        out.problem(where, "error", "an event is not an object: skipped")
        return
    get = event.get
    ident = _ident(out, where, event)
    start, end = _times(out, where, event, day_date, floating)
    written_room = get("room")
    if isinstance(written_room, dict):  # schema 2: a reference to one of conference.rooms
        written_room = written_room.get("name")
        if written_room is None:
            out.problem(where, "warning", "room names no room (no name): filed under its day's room", "room")
    people: list[str] = []
    key = "persons" if "persons" in event else "participants"
    persons = get(key)
    if isinstance(persons, list):
        for person in persons:
            if isinstance(person, dict):
                name = text(person.get("public_name")) or text(person.get("name")) or text(person.get("full_name"))
            elif isinstance(person, str):
                name = text(person)
            else:
                out.problem(where, "warning", f"a person in {key} is {kind_of(person)}, not a person: left out", key)
                continue
            if name:
                people.append(name)
            else:
                out.problem(where, "warning", f"a person without a name in {key}: left out", key)
    elif persons is not None:
        out.problem(where, "warning", f"{key} is {kind_of(persons)}, not a list of people: ignored", key)
    links: list[tuple[str, str]] = []
    listed = get("links")
    if isinstance(listed, list):
        for link in listed:
            if isinstance(link, dict):
                address = text(link.get("url") or link.get("href"))
                label = text(link.get("title")) or text(link.get("type"))
            else:
                address, label = text(link), ""
            if address.startswith(("http://", "https://")):
                links.append((label or address, address))
    elif listed is not None:
        out.problem(where, "warning", f"links is {kind_of(listed)}, not a list: ignored", "links")
    attachments = get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:  # slides, papers: relative to base_url
        if isinstance(attachment, dict) and isinstance(attachment.get("url"), str):
            address = urljoin(base_url, attachment["url"].strip()) if base_url else attachment["url"].strip()
            if address.startswith(("http://", "https://")):
                links.append((text(attachment.get("title")) or address, address))
    kind = out.string(where, get("type"), "type")
    written_language = get("language")
    language = language_code(written_language)
    if written_language is not None and not isinstance(written_language, str):
        out.problem(
            where, "warning", f"language is {kind_of(written_language)}, not a language code: ignored", "language"
        )
    out.add(
        where,
        id=ident,
        title=out.string(where, get("title"), "title"),
        start=start,
        end=end,
        room=out.string(where, written_room, "room") or room,
        track=_track(out, where, get("track"), tracks),
        stype=kind,
        language=language,
        presenters=people,
        abstract=(
            _long(out, where, get, "subtitle"),
            _long(out, where, get, "abstract"),
            _long(out, where, get, "description"),
        ),
        url=out.url(where, get("url"), "url"),
        links=links,
        stream=out.url(where, get("stream_url") or get("live_url"), "stream_url"),
        recording=out.url(where, get("video_download_url") or get("recording_url"), "video_download_url"),
        service=is_service(kind),
    )


def _times(
    out: Collector, where: str, event: dict[str, Any], day_date: str, floating: ZoneInfo
) -> tuple[datetime | None, datetime | None]:
    """Start and end: `date` (with its offset), else the day's date and `start`; `end`, else `duration`."""
    start: datetime | None = None
    bad_date = ""
    written = event.get("date")
    clock = event.get("start")
    if (written is None or written == "") and isinstance(clock, str) and "T" in clock:
        written = clock  # schema 2: `start` is the date-time
    if written is not None and written != "":
        when = out.when(written, floating)
        if isinstance(when, datetime):
            start = when
        else:
            bad_date = str(when)
    if start is None and day_date and isinstance(clock, str) and "T" not in clock:
        when = out.when(f"{day_date}T{clock.strip()}", floating)
        if isinstance(when, datetime):
            start = when
            if bad_date:
                out.problem(where, "warning", f"{bad_date}; read from its day and start instead", "date")
        else:
            out.problem(where, "error", f"start {clock!r} on {day_date}: {when}; kept as unscheduled", "start")
    elif start is None:
        message = bad_date or "no date or start"
        out.problem(where, "error", f"{message}; kept as unscheduled (found by /talk, never in /next)", "date")
    elif clock is not None and not isinstance(clock, str):
        out.problem(where, "warning", f"start is {kind_of(clock)}, not a time: ignored", "start")
    end: datetime | None = None
    written_end = event.get("end")
    if written_end is not None and written_end != "":
        when = out.when(written_end, floating)
        if isinstance(when, datetime):
            end = when
        else:
            out.problem(where, "warning", f"end: {when}", "end")
    length = event.get("duration")
    d = duration(length)
    if d is None and length is not None and length != "":
        out.problem(where, "warning", f'duration {length!r} is not "H:MM"', "duration")
    if end is None and start is not None and d is not None:
        end = start + d
    if end is not None and start is not None and end - start > timedelta(days=14):
        out.problem(where, "warning", f"lasts {(end - start).days} days: taken as written", "duration")
    return start, end


def _track_names(listed: Any) -> dict[str, str]:
    """conference.tracks by slug and guid -> display name (schema 2 events refer to a track by its slug)."""
    names: dict[str, str] = {}
    for track in listed if isinstance(listed, list) else []:
        if isinstance(track, dict) and (name := text(track.get("name"))):
            for key in ("slug", "guid", "name"):
                if isinstance(track.get(key), str):
                    names[track[key]] = name
    return names


def _track(out: Collector, where: str, value: Any, tracks: dict[str, str] | None) -> str:
    """An event's track: its name as written, or (schema 2) a reference {slug|guid|name} to conference.tracks."""
    if not isinstance(value, dict):
        return out.string(where, value, "track")
    for key in ("name", "slug", "guid"):
        ref = value.get(key)
        if isinstance(ref, str) and ref.strip():
            return (tracks or {}).get(ref, "") or text(ref)
    out.problem(where, "warning", "track names no track (no name, slug or guid): ignored", "track")
    return ""


def _ident(out: Collector, where: str, event: dict[str, Any]) -> str:
    """The event's own id: its guid, else its (pretalx) code, else its (frab) number."""
    for name in ("guid", "code", "id"):
        value = event.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            return str(value).strip()
        out.problem(where, "warning", f"{name} is {kind_of(value)}, not an id: ignored", name)
    return ""


def _long(out: Collector, where: str, get: Any, name: str) -> str:
    """A text field that may hold paragraphs (abstract, description); pretalx may give {language: text}."""
    value = get(name)
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, dict):
        found = next((v for v in value.values() if isinstance(v, str) and v.strip()), "")
        if found:
            return found
    out.problem(where, "warning", f"{name} is {kind_of(value)}, not text: ignored", name)
    return ""
