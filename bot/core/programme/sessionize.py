"""Sessionize's API v2 `/view/All` JSON: `sessions`, `speakers`, `rooms`, `categories`, `questions`.

What real exports do, and how it is read: `startsAt`/`endsAt` carry no offset and the file names no zone,
so they are the conference's wall-clock time (conference.timezone); speakers are ids resolved through
`speakers[].fullName`, rooms through `roomId`; breaks are `isServiceSession`; the track is whichever session
category the organisers made for it (its title may be a question: "Which track does your session best fit
into?"); stream and video links are usually in `questionAnswers` rather than `liveUrl`/`recordingUrl`; titles
may start with a space. Problems are located by JSON path.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.core.programme.imported import Collector, Reading, Zones, jpath, language_code, link_kind, text
from bot.core.programme.source import Lengths

__all__ = ["FORMAT", "read", "recognise"]

FORMAT = "Sessionize API v2 (/view/All)"
_TRACK = re.compile(r"track|stream|theme|thema|topic|category|kategorie", re.I)
_LANGUAGE = re.compile(r"language|sprache|langue|idioma|语言", re.I)
_TYPE = re.compile(r"session type|format|type", re.I)
_CANCELLED_STATUS = frozenset({"cancelled", "canceled", "declined"})


def recognise(data: Any) -> bool:
    """Whether parsed JSON is shaped like Sessionize's /view/All: an object with a `sessions` list and speakers
    or rooms beside it."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("sessions"), list)
        and ("speakers" in data or "rooms" in data or "categories" in data)
    )


def read(data: Any, origin: str, zones: Zones, lengths: Lengths | None = None) -> Reading:
    """A Sessionize /view/All document (already parsed) as sessions; never raises."""
    tz = zones.configured  # the file names no zone: its times are the configured zone's
    out = Collector(origin, FORMAT, tz, lengths)
    if not recognise(data):
        out.whole("error", "not a Sessionize /view/All document: expected an object with a sessions list")
        return out.finish(ok=False)
    rooms: dict[str, str] = {}
    listed_rooms = data.get("rooms")
    if isinstance(listed_rooms, list):
        ordered = [r for r in listed_rooms if isinstance(r, dict)]
        ordered.sort(key=_sort)
        for r in ordered:
            name = text(r.get("name"))
            if name:
                rooms[_key(r.get("id"))] = name
                out.room_order.append(name)
    speakers: dict[str, str] = {}
    listed_speakers = data.get("speakers")
    if isinstance(listed_speakers, list):
        for sp in listed_speakers:
            if isinstance(sp, dict):
                name = text(sp.get("fullName")) or " ".join(
                    p for p in (text(sp.get("firstName")), text(sp.get("lastName"))) if p
                )
                if name:
                    speakers[_key(sp.get("id"))] = name
    items, track_items, language_items = _categories(data.get("categories"))
    questions = _questions(data.get("questions"))
    sessions: list[Any] = data["sessions"]
    floating = 0
    for i, session in enumerate(sessions):
        where = jpath("$.sessions", i)
        if not isinstance(session, dict):
            out.events += 1
            out.problem(where, "error", "a session is not an object: skipped")
            continue
        floating += _session(out, where, session, rooms, speakers, items, track_items, language_items, questions)
    if floating and not zones.given:
        out.whole(
            "warning",
            f"Sessionize times carry no time zone: read as {tz.key}, the configured default "
            "(set conference.timezone to the venue's zone)",
        )
    return out.finish()


def _categories(value: Any) -> tuple[dict[str, str], set[str], set[str]]:
    """Every category item's name by id; which items are tracks, and which are spoken languages."""
    items: dict[str, str] = {}
    tracks: set[str] = set()
    languages: set[str] = set()
    if not isinstance(value, list):
        return items, tracks, languages
    session_categories = [c for c in value if isinstance(c, dict) and c.get("type", "session") == "session"]
    session_categories.sort(key=_sort)
    track_category: dict[str, Any] | None = None
    for category in session_categories:
        title = text(category.get("title"))
        listed = category.get("items")
        if not isinstance(listed, list):
            continue
        ids = []
        for item in listed:
            if isinstance(item, dict) and text(item.get("name")):
                items[_key(item.get("id"))] = text(item.get("name"))
                ids.append(_key(item.get("id")))
        if _LANGUAGE.search(title):
            languages.update(ids)
        elif track_category is None and _TRACK.search(title) and not _TYPE.search(title):
            track_category = category
            tracks.update(ids)
    if track_category is None:  # no category says "track": the first one that is neither language nor type
        for category in session_categories:
            title = text(category.get("title"))
            listed = category.get("items")
            if isinstance(listed, list) and not _LANGUAGE.search(title) and not _TYPE.search(title):
                tracks.update(_key(item.get("id")) for item in listed if isinstance(item, dict))
                break
    return items, tracks, languages


def _questions(value: Any) -> dict[str, str]:
    """Each question's text by id (a stream or video link is often an answer to one)."""
    out: dict[str, str] = {}
    if isinstance(value, list):
        for q in value:
            if isinstance(q, dict):
                out[_key(q.get("id"))] = text(q.get("question"))
    return out


def _session(
    out: Collector,
    where: str,
    session: dict[str, Any],
    rooms: dict[str, str],
    speakers: dict[str, str],
    items: dict[str, str],
    track_items: set[str],
    language_items: set[str],
    questions: dict[str, str],
) -> int:
    """One session; returns 1 when it has a time (wall-clock, zone from the configuration)."""
    get = session.get
    start: datetime | None = None
    end: datetime | None = None
    written = get("startsAt")
    if written in (None, ""):
        out.problem(where, "warning", "no startsAt: kept as unscheduled (found by /talk, never in /next)", "startsAt")
    else:
        when = out.when(written, out.tz)
        if isinstance(when, datetime):
            start = when
        else:
            out.problem(where, "error", f"{when}; kept as unscheduled", "startsAt")
    written_end = get("endsAt")
    if start is not None and written_end not in (None, ""):
        when = out.when(written_end, out.tz)
        if isinstance(when, datetime):
            end = when
        else:
            out.problem(where, "warning", f"endsAt: {when}", "endsAt")
    people: list[str] = []
    listed = get("speakers")
    if isinstance(listed, list):
        for sp in listed:
            if isinstance(sp, dict):  # /view/Sessions writes {id, name}
                name = text(sp.get("name"))
            else:
                name = speakers.get(_key(sp), "")
                if not name:
                    out.problem(where, "warning", f"speaker {sp!r} is not in the speakers list", "speakers")
            if name:
                people.append(name)
    elif listed is not None:
        out.problem(where, "warning", "speakers is not a list of speaker ids: ignored", "speakers")
    track = language = ""
    chosen = get("categoryItems")
    if isinstance(chosen, list):
        for item in chosen:
            key = _key(item)
            if key in track_items and not track:
                track = items.get(key, "")
            elif key in language_items and not language:
                language = items.get(key, "")
            elif key not in items:
                out.problem(where, "warning", f"category item {item!r} is not in the categories", "categoryItems")
    elif chosen is not None:
        out.problem(where, "warning", "categoryItems is not a list of category item ids: ignored", "categoryItems")
    room_id = get("roomId")
    room = rooms.get(_key(room_id), "") if room_id is not None else out.string(where, get("room"), "room")
    if room_id is not None and not room:
        out.problem(where, "warning", f"room {room_id!r} is not in the rooms list", "roomId")
    stream = out.url(where, get("liveUrl"), "liveUrl")
    recording = out.url(where, get("recordingUrl"), "recordingUrl")
    links: list[tuple[str, str]] = []
    answers = get("questionAnswers")
    if isinstance(answers, list):
        for answer in answers:
            if not isinstance(answer, dict):
                out.problem(
                    where, "warning", "an answer in questionAnswers is not an object: ignored", "questionAnswers"
                )
                continue
            written = answer.get("answerValue") or answer.get("answer")
            value = text(written) if isinstance(written, str) else ""
            if not value.startswith(("http://", "https://")):
                continue  # an answer that is not a link (a short name, yes/no) is not shown
            question = questions.get(_key(answer.get("questionId") or answer.get("id")), "")
            kind = link_kind(question, value)
            if kind == "stream" and stream is None:
                stream = value
            elif kind == "recording" and recording is None:
                recording = value
            else:
                links.append((question or value, value))
    elif answers is not None:
        out.problem(where, "warning", "questionAnswers is not a list: ignored", "questionAnswers")
    service = get("isServiceSession")
    if service is not None and not isinstance(service, bool):
        out.problem(
            where, "warning", f"isServiceSession {service!r} is not true or false: read as false", "isServiceSession"
        )
    description = get("description")
    if description is not None and not isinstance(description, str):
        out.problem(where, "warning", "description is not text: ignored", "description")
        description = ""
    status = out.string(where, get("status"), "status").lower()
    ident = get("id")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, (str, int))):
        out.problem(where, "warning", f"id {ident!r} is not an id: ignored", "id")
    out.add(
        where,
        id=_key(ident),
        title=out.string(where, get("title"), "title"),
        start=start,
        end=end,
        room=room,
        track=track,
        language=language_code(language),
        presenters=people,
        abstract=(description or "",),
        links=links,
        stream=stream,
        recording=recording,
        service=service is True,
        cancelled=status in _CANCELLED_STATUS,
    )
    return 1 if start is not None else 0


def _sort(entry: dict[str, Any]) -> int:
    """Where Sessionize's `sort` puts a room or category (junk sorts first)."""
    value = entry.get("sort")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _key(value: Any) -> str:
    """An id as a dictionary key: Sessionize writes the same id as 77530 in one place and "77530" in another."""
    if isinstance(value, bool) or value is None:
        return ""
    return str(value).strip() if isinstance(value, (str, int)) else ""
