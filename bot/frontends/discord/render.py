"""Replies as Discord embeds: the reader's own time as Discord timestamps, the conference time beside it, within Discord's limits."""

from __future__ import annotations

import re

import discord
from discord.utils import format_dt

from bot.clock import require_aware
from bot.commands.reply import Entry, Reply
from bot.core.text import clip
from bot.i18n import fmt_span, tr

COLOUR = discord.Colour.from_rgb(46, 134, 193)
ERROR_COLOUR = discord.Colour.from_rgb(192, 57, 43)
NO_MENTIONS = discord.AllowedMentions.none()

# What Discord would turn into a mention, a channel, a command, an emoji or a timestamp: "<@&1>", "<#1>",
# "</x:1>", "<:e:1>", "<a:e:1>", "<t:1>", "@everyone", "@here".
_SPECIAL = re.compile(r"<(?=[@#/:]|a:|t:)|@(?=everyone|here)")
_ZWSP = "\u200b"


def inert(text: str) -> str:
    """`text` shown as written: a zero-width space after "<" or "@" keeps Discord from reading a mention (which
    would show a role's name instead, or ping when a message is posted), a channel, an emoji or a timestamp."""
    return _SPECIAL.sub(lambda m: m.group(0) + _ZWSP, text)


def plain(text: str) -> str:
    """`text` shown as written, Markdown and all (for titles and headings, which come from programme files)."""
    return inert(discord.utils.escape_markdown(text))


def _entry_markdown(entry: Entry, lang: str, dated: bool) -> str:
    """One entry: the reader's own time (a Discord timestamp) with the conference time beside it."""
    head = f"**{plain(entry.title)}**"
    lines = []
    if entry.start is not None:
        conference = fmt_span(entry.start, entry.end, lang, with_day=not dated)
        start = require_aware(entry.start, "an entry's start")
        lines.append(f"{format_dt(start, 'f')} · {format_dt(start, 'R')} · {conference}")
    lines.insert(0, head)
    lines.extend(inert(line) for line in entry.lines)
    if entry.body:
        lines.append("")
        lines.append(inert(entry.body))
    if entry.speakers:  # the speakers' bios, under a heading of our own
        lines.append("")
        lines.append(f"**{plain(tr('label.speakers', lang))}**")
        lines.append(inert(entry.speakers))
    return "\n".join(lines)


def render_embed(page: Reply, lang: str, zone: str | None = None) -> discord.Embed:
    """One page of a reply as an embed, inside Discord's limits; `zone` names the conference's time zone."""
    if page.error:
        embed = discord.Embed(description=clip("❌ " + inert(page.text), 4000), colour=ERROR_COLOUR)
        if page.footer:
            embed.set_footer(text=clip(inert(page.footer), 2000))
        return embed
    parts: list[str] = []
    if page.text:
        parts.append(inert(page.text))
    for section in page.sections:
        if section.heading:
            parts.append(f"__**{plain(section.heading)}**__")
        for entry in section.entries:
            parts.append(_entry_markdown(entry, lang, section.dated))
    description = "\n\n".join(parts)
    embed = discord.Embed(
        title=clip(plain(page.title), 256) if page.title else None,
        description=clip(description, 4000) if description else None,
        colour=COLOUR,
    )
    footer = []
    if page.footer and page.page == page.pages_total:
        footer.append(inert(page.footer))
    if zone and any(entry.start is not None for section in page.sections for entry in section.entries):
        # Each reader sees the Discord timestamps in their own zone; say which zone the plain times are in.
        footer.append(tr("discord.conference_time", lang, zone=zone))
    if page.pages_total > 1:
        footer.append(tr("page", lang, i=page.page, n=page.pages_total))
    if footer:
        embed.set_footer(text=clip(" · ".join(footer), 2000))
    return embed
