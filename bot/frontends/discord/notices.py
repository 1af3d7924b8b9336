"""Notices as Discord messages: times as Discord timestamps each reader sees in their own zone, users as mentions.

Programme text (titles, rooms, session ids) is shown as written: its Markdown (bold, spoilers, masked
links) is escaped as the embeds escape it, and so is mention syntax (`<@&123456>`, `<#1>`, `@everyone`), so a
presenter's name or a title reads the same in a reminder as in the programme.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import discord
from discord.utils import format_dt

from bot.core.notices import AnnouncementNotice, BrokenFilesNotice, ChangeNotice, Notice, ReminderNotice
from bot.core.text import clip
from bot.frontends.discord.render import NO_MENTIONS
from bot.frontends.notices import (
    change_hint,
    change_sentence,
    reminder_headline,
    reminder_room,
    reminder_stop,
    zone_name,
)
from bot.i18n import fmt_moment, tr

__all__ = ["DISCORD_LIMIT", "MENTION_WIDTH", "allowed_mentions", "escape", "mentions_per_post", "render"]

DISCORD_LIMIT = 2000  # characters in one message
MENTION_WIDTH = len("<@18446744073709551615> ")  # the widest user mention and its separator
CHANGE_LIMIT = 1200  # characters of a change's description
REPORT_LIMIT = 1900  # characters of a report to organizers, its last line included

# Discord's angle-bracket markup: user, role and channel mentions, custom emoji, timestamps, command mentions.
_ANGLE_MARKUP = re.compile(r"<(?=[@#:/]|a:|t:)")


def escape(text: str) -> str:
    """Programme text as Discord should show it: as written, its Markdown and mention syntax inert."""
    text = discord.utils.escape_markdown(text)
    text = _ANGLE_MARKUP.sub(r"\<", text)
    return discord.utils.escape_mentions(text)


def reminder_text(notice: ReminderNotice, lang: str) -> str:
    """Title and start as Discord timestamps, the start in conference time with the room, and how to stop it."""
    start = notice.start
    local = start.astimezone(notice.tz)
    when = tr("notice.reminder.relative", lang, time=format_dt(start, "t"), relative=format_dt(start, "R"))
    conference = tr("notice.reminder.conference_time", lang, moment=fmt_moment(local, lang), zone=zone_name(local))
    return "\n".join(
        (
            "⏰ " + reminder_headline(notice, lang, when, escape),
            conference + reminder_room(notice, lang, escape),
            reminder_stop(notice, lang, escape),
        )
    )


def change_text(notice: ChangeNotice, lang: str) -> str:
    """What changed in one line (the new start as a Discord timestamp), and how to stop hearing of it."""
    change = notice.change
    line = clip(change_sentence(change, lang, escape=escape), CHANGE_LIMIT)
    if change.new is not None and change.new.start is not None and "cancelled" not in change.kinds:
        line += tr("notice.change.at", lang, when=format_dt(change.new.start, "F"))
    return "📣 " + tr("notice.change", lang, what=line) + "\n" + change_hint(change, lang, escape)


def broken_files_text(notice: BrokenFilesNotice, lang: str) -> str:
    text = "⚠ " + tr("notice.broken_files", lang) + "\n" + "\n".join(f"• {p}" for p in notice.problems)
    if len(text) <= REPORT_LIMIT:
        return text
    more = "\n" + tr("notice.broken_files.more", lang)
    return text[: REPORT_LIMIT - len(more)] + more


def render(notice: Notice, lang: str, mention_user_ids: Sequence[int] = ()) -> str:
    """The message for `notice` in `lang`, followed by a line mentioning `mention_user_ids` when there are any."""
    if isinstance(notice, ReminderNotice):
        text = reminder_text(notice, lang)
    elif isinstance(notice, ChangeNotice):
        text = change_text(notice, lang)
    elif isinstance(notice, AnnouncementNotice):
        text = notice.text
    else:
        text = broken_files_text(notice, lang)
    if mention_user_ids:
        text += "\n" + " ".join(f"<@{u}>" for u in mention_user_ids)
    return text


def mentions_per_post(notice: Notice, lang: str) -> int:
    """How many users one post of `notice` can mention within Discord's 2,000 characters, whatever their ids."""
    return max(1, (DISCORD_LIMIT - len(render(notice, lang)) - 1) // MENTION_WIDTH)


def allowed_mentions(notice: Notice, mention_user_ids: Sequence[int] = ()) -> discord.AllowedMentions:
    """Who a post may ping: the users it names for them; an announcement's mentions only when the organizer asked."""
    if isinstance(notice, AnnouncementNotice):
        return discord.AllowedMentions.all() if notice.ping else NO_MENTIONS
    if mention_user_ids:
        return discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(id=u) for u in mention_user_ids]
        )
    return NO_MENTIONS
