"""Notices as Discord messages: times as Discord timestamps each reader sees in their own zone, users as mentions.

Programme text (titles, rooms, session ids) is shown as written: its Markdown (bold, spoilers, masked
links) is escaped as the embeds escape it, and so is mention syntax (`<@&123456>`, `<#1>`, `@everyone`), so a
presenter's name or a title reads the same in a reminder as in the programme.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord
from discord.utils import format_dt

from bot.core.live import WatchLink
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
from bot.core.text import clip
from bot.frontends.discord.render import NO_MENTIONS, plain
from bot.frontends.notices import (
    TITLE_LIMIT,
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

__all__ = ["DISCORD_LIMIT", "MENTION_WIDTH", "allowed_mentions", "escape", "mentions_per_post", "render"]

DISCORD_LIMIT = 2000  # characters in one message
MENTION_WIDTH = len("<@18446744073709551615> ")  # the widest user mention and its separator
CHANGE_LIMIT = 1200  # characters of a change's description
REPORT_LIMIT = 1900  # characters of a report to organizers, its last line included


def escape(text: str) -> str:
    """Programme text as Discord should show it: as written, its Markdown and mention syntax inert (the same
    rule as replies' embeds, `render.plain`)."""
    return plain(text)


def reminder_text(notice: ReminderNotice, lang: str) -> str:
    """Title and start as Discord timestamps, the start in conference time with the room, and how to stop it."""
    start = notice.start
    local = start.astimezone(notice.tz)
    when = tr("notice.reminder.relative", lang, time=format_dt(start, "t"), relative=format_dt(start, "R"))
    conference = tr("notice.reminder.conference_time", lang, moment=fmt_moment(local, lang), zone=zone_name(local))
    lines = [
        "⏰ " + reminder_headline(notice, lang, when, escape),
        conference + reminder_room(notice, lang, escape),
    ]
    watch = _watch_line(notice.watch, lang)  # where to watch it (issue 12)
    if watch:
        lines.append(watch)
    lines.append(reminder_stop(notice, lang, escape))
    return "\n".join(lines)


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
    elif isinstance(notice, BrokenFilesNotice):
        text = broken_files_text(notice, lang)
    else:
        text = live_text(notice, lang)
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


# ---------------------------------------------------------------- the conference, live (issue 12)

POST_SESSIONS = 8  # sessions written out in full in one room post; a busier slot names the rest by title


def _watch_line(watch: WatchLink | None, lang: str) -> str:
    """📺 and where to watch, the URL in <> so that Discord shows no preview of it under every post."""
    if watch is None:
        return ""
    return "📺 " + watch_words(WatchLink(f"<{watch.url}>", watch.source), lang)


def room_post_text(notice: RoomPostNotice, lang: str) -> str:
    """The room, the start as Discord timestamps, each session's title, speakers and where to watch it, in one
    message however many sessions share the post (each gets its share of the 2,000 characters)."""
    start = notice.start
    local = start.astimezone(notice.tz)
    when = tr("notice.reminder.relative", lang, time=format_dt(start, "t"), relative=format_dt(start, "R"))
    place = "**" + escape(clip(notice.place.name_in(lang), 100)) + "**"
    head = ["🎙 " + tr("live.post.head", lang, place=place, when=when)]
    if notice.late:
        head.append(tr("live.post.late", lang))
    tail = tr("live.post.conference_time", lang, moment=fmt_moment(local, lang), zone=zone_name(local))
    full, rest = notice.sessions[:POST_SESSIONS], notice.sessions[POST_SESSIONS:]
    room = DISCORD_LIMIT - sum(len(x) + 1 for x in head) - len(tail) - 10
    share = room // (len(full) + (1 if rest else 0)) - 4  # each block, its blank line and a margin for escapes
    blocks = []
    for item in full:
        block = ["**" + escape(clip(item.session.title_in(lang), min(TITLE_LIMIT, share // 3))) + "**"]
        block += [escape(clip(line, share // 3)) for line in post_details(item, notice.place, lang)]
        watch = _watch_line(item.watch, lang)
        if watch and len(watch) <= share // 3:
            block.append(watch)
        blocks.append(clip("\n".join(block), share))
    if rest:
        blocks.append(clip(" · ".join(escape(clip(i.session.title_in(lang), 80)) for i in rest), share))
    return "\n\n".join(["\n".join(head), *blocks, tail])


def programme_changes_text(notice: ProgrammeChangeNotice, lang: str) -> str:
    """A bulleted line per change (new starts also as Discord timestamps), within one message."""
    per_line = max(100, (DISCORD_LIMIT - 100) // max(1, len(notice.changes)) - 40)
    lines = ["📣 **" + tr("live.changes.title", lang) + "**"]
    for item in notice.changes:
        line = clip(public_change_sentence(item, lang, notice.tz, escape), per_line)
        new = item.change.new
        if new is not None and new.start is not None and "cancelled" not in item.change.kinds:
            line += tr("notice.change.at", lang, when=format_dt(new.start, "F"))
        lines.append("• " + line)
    return "\n".join(lines)


def announcement_failed_text(notice: AnnouncementFailedNotice, lang: str) -> str:
    what = tr(
        "announce.failed",
        lang,
        id=notice.announcement_id,
        channel=f"<#{notice.channel_id}>",
        error=escape(clip(notice.error, 300)),
    )
    quoted = "\n".join("> " + line for line in escape(clip(notice.text, 1000)).splitlines())
    return "⚠ " + what + "\n" + quoted + "\n" + tr("announce.failed.hint", lang)


def live_setup_text(notice: LiveSetupNotice, lang: str) -> str:
    lines = ["⚠ " + tr("live.setup.title", lang)]
    for p in notice.problems[:25]:
        channel = f"<#{p.channel_id}>" if p.channel_id else ""
        lines.append("• " + tr(f"live.setup.{p.kind}", lang, name=escape(clip(p.name, 100)), channel=channel))
    return clip("\n".join(lines), REPORT_LIMIT)


def live_text(
    notice: RoomPostNotice | ProgrammeChangeNotice | AnnouncementFailedNotice | LiveSetupNotice, lang: str
) -> str:
    if isinstance(notice, RoomPostNotice):
        return room_post_text(notice, lang)
    if isinstance(notice, ProgrammeChangeNotice):
        return programme_changes_text(notice, lang)
    if isinstance(notice, AnnouncementFailedNotice):
        return announcement_failed_text(notice, lang)
    return live_setup_text(notice, lang)
