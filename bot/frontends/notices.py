"""The words of each notice in the reader's language, shared by the front ends; each writes times its own way.

A front end's notice renderer (discord/notices.py, text/notices.py) builds its messages from these
sentences: Discord adds timestamps every reader sees in their own zone, the console writes conference time.
Every piece of programme text (titles, rooms, session ids) goes through the front end's `escape`, so that
Discord shows it as written rather than as its Markdown or mentions; the console needs none.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from bot.core.changes import Change
from bot.core.live import Place, WatchLink
from bot.core.notices import LiveSession, PublicChange, ReminderNotice
from bot.core.text import clip
from bot.i18n import WEEKDAYS_EN, WEEKDAYS_ZH, fmt_time, listing, tr

__all__ = [
    "TITLE_LIMIT",
    "Escape",
    "as_written",
    "change_hint",
    "change_sentence",
    "post_details",
    "public_change_sentence",
    "reminder_headline",
    "reminder_room",
    "reminder_stop",
    "watch_words",
    "zone_name",
]

TITLE_LIMIT = 300  # characters of a title in a notice: a notice must fit one Discord message
ROOM_LIMIT = 200

Escape = Callable[[str], str]


def as_written(text: str) -> str:
    """No escaping: for front ends that show text as it is."""
    return text


def zone_name(dt: datetime) -> str:
    """The name of the zone `dt` is in: its IANA key ("Asia/Shanghai") when it has one, else its abbreviation."""
    key = getattr(dt.tzinfo, "key", None)
    return key if isinstance(key, str) else dt.strftime("%Z")


def reminder_headline(notice: ReminderNotice, lang: str, when: str, escape: Escape = as_written) -> str:
    """“Reminder: “Title” starts {when}”, or its apology when the reminder is late."""
    title = escape(clip(notice.session.title_in(lang), TITLE_LIMIT))
    return tr("notice.reminder.late" if notice.late else "notice.reminder", lang, title=title, when=when)


def reminder_room(notice: ReminderNotice, lang: str, escape: Escape = as_written) -> str:
    """“ · Room: …”, or nothing for a session without a room."""
    room = notice.session.room_in(lang)
    return tr("notice.reminder.room", lang, room=escape(clip(room, ROOM_LIMIT))) if room else ""


def reminder_stop(notice: ReminderNotice, lang: str, escape: Escape = as_written) -> str:
    return tr("notice.reminder.stop", lang, id=escape(notice.session.id))


def _when(dt: datetime | None, tz: tzinfo | None, lang: str) -> str:
    """A session's time in conference time, "Fri 10:00", or "no time yet"."""
    if dt is None:
        return tr("notice.change.no_time", lang)
    local = dt.astimezone(tz) if tz is not None else dt
    return f"{(WEEKDAYS_ZH if lang == 'zh' else WEEKDAYS_EN)[local.weekday()]} {fmt_time(local)}"


def _room(room: str | None, lang: str, escape: Escape) -> str:
    return escape(room) if room else tr("notice.change.no_room", lang)


def change_sentence(change: Change, lang: str, tz: tzinfo | None = None, escape: Escape = as_written) -> str:
    """One line for attendees: “Title” moved from Fri 10:00 to Fri 14:00 (Pier 2); times in `tz` (else the change's zone)."""
    tz = tz or change.tz
    old, new = change.old, change.new
    kinds = change.kinds
    new_title = new.title_in(lang) if new is not None else (old.title if old is not None else change.session_id)
    old_title = old.title if old is not None else new_title
    quoted = tr("notice.change.title", lang, title=escape(new_title))
    if "renamed" in kinds and old_title != new_title:
        quoted_old = tr("notice.change.title", lang, title=escape(old_title))
        title = tr("notice.change.formerly", lang, title=quoted, old_title=quoted_old)
    else:
        title = quoted
    new_room = _room(new.room_in(lang) if new is not None else None, lang, escape)
    old_room = _room(old.room if old is not None else None, lang, escape)
    old_start = old.start if old is not None else None
    new_start = new.start if new is not None else None

    if "cancelled" in kinds:
        when = _when(old_start, tz, lang)
        if old is not None and old.room:
            return tr("notice.change.cancelled.room", lang, title=title, when=when, room=escape(old.room))
        return tr("notice.change.cancelled", lang, title=title, when=when)
    if "restored" in kinds:
        return tr("notice.change.restored", lang, title=title, when=_when(new_start, tz, lang), room=new_room)
    if "moved" in kinds:
        old_when = _when(old_start, tz, lang)
        if new_start is None:
            return tr("notice.change.unscheduled", lang, title=title, old_when=old_when)
        when = _when(new_start, tz, lang)
        if old_start is None:
            return tr("notice.change.scheduled", lang, title=title, when=when, room=new_room)
        key = "notice.change.moved.room" if "re-roomed" in kinds else "notice.change.moved"
        return tr(key, lang, title=title, old_when=old_when, old_room=old_room, when=when, room=new_room)
    when = _when(new_start, tz, lang)
    if "re-roomed" in kinds:
        return tr("notice.change.re_roomed", lang, title=title, when=when, old_room=old_room, room=new_room)
    # renamed only
    return tr(
        "notice.change.renamed",
        lang,
        old_title=tr("notice.change.title", lang, title=escape(old_title)),
        title=quoted,
        when=when,
        room=new_room,
    )


def change_hint(change: Change, lang: str, escape: Escape = as_written) -> str:
    return tr("notice.change.hint", lang, id=escape(change.session_id))


# ---------------------------------------------------------------- the conference, live (issue 12)


def watch_words(watch: WatchLink | None, lang: str) -> str:
    """“Watch: URL” for a session's own link, “Livestream: URL” for its room's stream, "" for neither."""
    if watch is None:
        return ""
    return tr("live.watch.session" if watch.source == "session" else "live.watch.room", lang, url=watch.url)


def post_details(item: LiveSession, place: Place, lang: str) -> list[str]:
    """A room post's lines about one session below its title: speakers and track, its room when the channel is not
    its room's own, where to watch; `escape` is applied by the caller."""
    session = item.session
    bits = []
    presenters = listing(session.presenters_in(lang), lang)
    if presenters:
        bits.append(tr("live.post.speakers", lang, names=clip(presenters, ROOM_LIMIT)))
    if item.track is not None and place.kind != "track":
        bits.append(tr("live.post.track", lang, name=clip(item.track.name_in(lang), ROOM_LIMIT)))
    room = session.room_in(lang)
    if room and (place.kind != "room" or session.room != place.key):
        bits.append(tr("live.post.room", lang, room=clip(room, ROOM_LIMIT)))
    return [" · ".join(bits)] if bits else []


def public_change_sentence(item: PublicChange, lang: str, tz: tzinfo | None = None, escape: Escape = as_written) -> str:
    """One line for everyone: what changed (as stargazers read it), a new session, or a slot taken over."""
    change = item.change
    if "added" in change.kinds and change.new is not None:
        new = change.new
        title = tr("notice.change.title", lang, title=escape(clip(new.title_in(lang), TITLE_LIMIT)))
        if new.start is None:
            return tr("live.change.added.unscheduled", lang, title=title)
        return tr(
            "live.change.added",
            lang,
            title=title,
            when=_when(new.start, tz or change.tz, lang),
            room=_room(new.room_in(lang), lang, escape),
        )
    what = change_sentence(change, lang, tz, escape)
    if item.replaced_by is not None:
        other = tr("notice.change.title", lang, title=escape(clip(item.replaced_by.title_in(lang), TITLE_LIMIT)))
        return tr("live.change.replaced", lang, what=what, title=other)
    return what
