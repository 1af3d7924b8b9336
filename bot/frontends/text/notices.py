"""Notices as plain text for the terminal: times in conference time, users by id."""

from __future__ import annotations

from datetime import tzinfo

from bot.core.notices import (
    AnnouncementFailedNotice,
    AnnouncementNotice,
    BrokenFilesNotice,
    ChangeNotice,
    LiveSetupNotice,
    Notice,
    ProgrammeChangeNotice,
    ReminderNotice,
    RoomPostNotice,
)
from bot.frontends.notices import (
    change_hint,
    change_sentence,
    post_details,
    public_change_sentence,
    reminder_headline,
    reminder_room,
    reminder_stop,
    watch_words,
    zone_name,
)
from bot.i18n import fmt_moment, tr

__all__ = ["channel_heading", "label", "render"]


def render(notice: Notice, lang: str, tz: tzinfo) -> str:
    """The notice in `lang` as lines of plain text, every time in `tz` (the conference's zone)."""
    if isinstance(notice, ReminderNotice):
        local = notice.start.astimezone(tz)
        when = tr("notice.reminder.local_time", lang, moment=fmt_moment(local, lang), zone=zone_name(local))
        watch = watch_words(notice.watch, lang)  # where to watch it (issue 12)
        return (
            reminder_headline(notice, lang, when)
            + reminder_room(notice, lang)
            + ("\n" + watch if watch else "")
            + "\n"
            + reminder_stop(notice, lang)
        )
    if isinstance(notice, ChangeNotice):
        change = notice.change
        return tr("notice.change", lang, what=change_sentence(change, lang, tz)) + "\n" + change_hint(change, lang)
    if isinstance(notice, AnnouncementNotice):
        return notice.text
    if isinstance(notice, BrokenFilesNotice):
        return tr("notice.broken_files", lang) + "\n" + "\n".join(f"• {p}" for p in notice.problems)
    return live_text(notice, lang, tz)


def label(notice: Notice, lang: str) -> str:
    """What kind of notice a printed line is, with its sign: "⏰ reminder", "📣 announcement"."""
    if isinstance(notice, ReminderNotice):
        return "⏰ " + tr("notice.console.reminder", lang)
    if isinstance(notice, ChangeNotice):
        return "📣 " + tr("notice.console.change", lang)
    if isinstance(notice, AnnouncementNotice):
        return "📣 " + tr("notice.console.announcement", lang)
    if isinstance(notice, BrokenFilesNotice):
        return "⚠ " + tr("notice.console.broken_files", lang)
    if isinstance(notice, RoomPostNotice):
        return "🎙"
    if isinstance(notice, ProgrammeChangeNotice):
        return "📣 " + tr("live.console.changes", lang)
    if isinstance(notice, AnnouncementFailedNotice):
        return "⚠ " + tr("live.console.announcement_failed", lang)
    return "⚠ " + tr("live.console.setup", lang)


# ---------------------------------------------------------------- the conference, live (issue 12)


def channel_heading(notice: Notice, lang: str) -> str | None:
    """How the console names the channel of a room post, as Discord would show it: "[#Lighthouse Hall]"."""
    if isinstance(notice, RoomPostNotice):
        return f"[#{notice.place.name_in(lang)}]"
    return None


def live_text(
    notice: RoomPostNotice | ProgrammeChangeNotice | AnnouncementFailedNotice | LiveSetupNotice, lang: str, tz: tzinfo
) -> str:
    if isinstance(notice, RoomPostNotice):
        local = notice.start.astimezone(tz)
        when = tr("notice.reminder.local_time", lang, moment=fmt_moment(local, lang), zone=zone_name(local))
        lines = [tr("live.post.starts", lang, when=when)]  # the console's heading names the room
        if notice.late:
            lines.append(tr("live.post.late", lang))
        for item in notice.sessions:
            lines.append(tr("notice.change.title", lang, title=item.session.title_in(lang)))
            lines.extend("  " + line for line in post_details(item, notice.place, lang))
            watch = watch_words(item.watch, lang)
            if watch:
                lines.append("  " + watch)
        return "\n".join(lines)
    if isinstance(notice, ProgrammeChangeNotice):
        head = tr("live.changes.title", lang)
        return head + "\n" + "\n".join(f"• {public_change_sentence(c, lang, tz)}" for c in notice.changes)
    if isinstance(notice, AnnouncementFailedNotice):
        where = f"#{notice.channel_id}"
        what = tr("announce.failed", lang, id=notice.announcement_id, channel=where, error=notice.error)
        return what + "\n" + notice.text + "\n" + tr("announce.failed.hint", lang)
    lines = [tr("live.setup.title", lang)]
    for p in notice.problems:
        channel = f"#{p.channel_id}" if p.channel_id else ""
        lines.append("• " + tr(f"live.setup.{p.kind}", lang, name=p.name, channel=channel))
    return "\n".join(lines)
