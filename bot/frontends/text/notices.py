"""Notices as plain text for the terminal: times in conference time, users by id."""

from __future__ import annotations

from datetime import tzinfo

from bot.core.notices import AnnouncementNotice, BrokenFilesNotice, ChangeNotice, Notice, ReminderNotice
from bot.frontends.notices import (
    change_hint,
    change_sentence,
    reminder_headline,
    reminder_room,
    reminder_stop,
    zone_name,
)
from bot.i18n import fmt_moment, tr

__all__ = ["label", "render"]


def render(notice: Notice, lang: str, tz: tzinfo) -> str:
    """The notice in `lang` as lines of plain text, every time in `tz` (the conference's zone)."""
    if isinstance(notice, ReminderNotice):
        local = notice.start.astimezone(tz)
        when = tr("notice.reminder.local_time", lang, moment=fmt_moment(local, lang), zone=zone_name(local))
        return reminder_headline(notice, lang, when) + reminder_room(notice, lang) + "\n" + reminder_stop(notice, lang)
    if isinstance(notice, ChangeNotice):
        change = notice.change
        return tr("notice.change", lang, what=change_sentence(change, lang, tz)) + "\n" + change_hint(change, lang)
    if isinstance(notice, AnnouncementNotice):
        return notice.text
    return tr("notice.broken_files", lang) + "\n" + "\n".join(f"• {p}" for p in notice.problems)


def label(notice: Notice, lang: str) -> str:
    """What kind of notice a printed line is, with its sign: "⏰ reminder", "📣 announcement"."""
    if isinstance(notice, ReminderNotice):
        return "⏰ " + tr("notice.console.reminder", lang)
    if isinstance(notice, ChangeNotice):
        return "📣 " + tr("notice.console.change", lang)
    if isinstance(notice, AnnouncementNotice):
        return "📣 " + tr("notice.console.announcement", lang)
    assert isinstance(notice, BrokenFilesNotice)
    return "⚠ " + tr("notice.console.broken_files", lang)
