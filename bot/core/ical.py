"""iCalendar (RFC 5545) export of a reader's agenda, to import or subscribe to in any calendar app.

Each session becomes one VEVENT whose UID is `{session.id}@{domain}`, so importing a newer export
updates the events instead of duplicating them. Times are written in the conference's zone with a
VTIMEZONE describing it, so the calendar app shows them right wherever the reader is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from bot.clock import elapsed, require_aware, shift
from bot.core.model import ScheduledSession, Session, Track, is_scheduled
from bot.i18n import listing

__all__ = ["DEFAULT_DURATION", "MAX_ABSTRACT_CHARS", "agenda_ics"]

DEFAULT_DURATION = timedelta(minutes=30)  # for a session whose end is unknown
MAX_ABSTRACT_CHARS = 1200  # calendar apps show descriptions in small panes

_LABELS = {
    "en": {"presenters": "Speakers", "track": "Track", "type": "Type", "link": "Link"},
    "zh": {"presenters": "講者", "track": "議程軌", "type": "類型", "link": "連結"},
}


def _truncate(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, at a word boundary when there is one nearby."""
    text = re.sub(r"\n{3,}", "\n\n", text.strip())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= limit * 0.8:  # Chinese text has no spaces: cut it anywhere
        cut = cut[:space]
    return cut.rstrip(" ,;:.-\n") + "…"


def _track_name(s: Session, tracks: Mapping[str, Track], lang: str) -> str:
    """The track's display name in the reader's language (its key when the programme names it no other way)."""
    track = tracks.get(s.track)
    return track.name_in(lang) if track is not None else s.track


def _description(s: Session, lang: str, track: str) -> str:
    labels = _LABELS.get(lang, _LABELS["en"])
    lines: list[str] = []
    other = s.title_in("en" if lang == "zh" else "zh")
    if other and other != s.title_in(lang):
        lines.append(other)
    presenters = s.presenters_in(lang)
    if presenters:
        lines.append(f"{labels['presenters']}: {listing(presenters, lang)}")
    if track:
        lines.append(f"{labels['track']}: {track}")
    if s.stype:
        lines.append(f"{labels['type']}: {s.stype}")
    if s.link:
        lines.append(f"{labels['link']}: {s.link}")
    abstract = _truncate(s.abstract_in(lang), MAX_ABSTRACT_CHARS)
    if abstract:
        lines.extend(["", abstract])
    return "\n".join(lines).strip()


def _when(moment: datetime, tz: ZoneInfo) -> datetime:
    """`moment` as the event writes it: in the conference's zone, except in the hour that happens twice on a
    fall-back night, where a local time would be read as its first occurrence (RFC 5545): there, in UTC."""
    local = moment.astimezone(tz)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local


def _vtimezone(tz: ZoneInfo, sessions: Sequence[ScheduledSession], now: datetime) -> Timezone:
    # Describe the zone only around the conference: a short VTIMEZONE that still covers
    # every event (and any DST change near it).
    days = [s.start.date() for s in sessions] or [now.date()]
    first = min(days) - timedelta(days=366)
    last = max(days) + timedelta(days=366)
    return Timezone.from_tzid(tz.key, first_date=date(first.year, 1, 1), last_date=date(last.year + 1, 1, 1))


def agenda_ics(
    sessions: Sequence[Session],
    *,
    calendar_name: str,
    tz: ZoneInfo,
    domain: str = "confbot",
    now: datetime,
    lang: str = "en",
    default_duration: timedelta = DEFAULT_DURATION,
    tracks: Mapping[str, Track] | None = None,
) -> bytes:
    """The sessions as an RFC 5545 calendar (UTF-8, CRLF, folded lines); unscheduled ones are left out.

    `now` stamps every event (DTSTAMP); `lang` picks the language of titles, rooms, track names (from
    `tracks`, the catalog's) and texts; a session without an end (or with an end before its start) lasts
    `default_duration` of elapsed time.
    """
    tracks = tracks or {}
    now_utc = require_aware(now, "now").astimezone(UTC)
    scheduled = sorted((s for s in sessions if is_scheduled(s)), key=lambda s: (s.start.timestamp(), s.id))

    cal = Calendar()
    cal.add("prodid", f"-//confbot//{domain}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    cal.add("name", calendar_name)  # RFC 7986 spelling of the same
    cal.add("x-wr-timezone", tz.key)
    cal.add_component(_vtimezone(tz, scheduled, now_utc))

    for s in scheduled:
        start = require_aware(s.start, f"start of {s.id}").astimezone(tz)
        later = s.end is not None and elapsed(start, require_aware(s.end, f"end of {s.id}")) > timedelta(0)
        end = s.end.astimezone(tz) if later and s.end is not None else None
        track = _track_name(s, tracks, lang)
        ev = Event()
        ev.add("uid", f"{s.id}@{domain}")
        ev.add("dtstamp", now_utc)
        ev.add("dtstart", _when(start, tz))
        ev.add("dtend", _when(end or shift(start, default_duration), tz))
        ev.add("summary", s.title_in(lang))
        room = s.room_in(lang)
        if room:
            ev.add("location", room)
        description = _description(s, lang, track)
        if description:
            ev.add("description", description)
        if s.link:
            ev.add("url", s.link)
        if track:
            ev.add("categories", [track])
        cal.add_component(ev)

    return cal.to_ical()
