"""Organizer commands: /announce (previewed, then sent), /announce-send, /announce-edit, /announcements,
/unannounce, /reload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.commands.base import (
    AT,
    BOOL,
    CHANNEL,
    INT,
    TEXT,
    ChannelId,
    Ctx,
    Entry,
    Option,
    Reply,
    Section,
    UserError,
    command,
)
from bot.core.announcer import Announcer
from bot.core.storage import Announcement
from bot.core.text import clip
from bot.i18n import fmt_moment, tr

MAX_ANNOUNCEMENT = 1900  # Discord's 2,000 characters, less room for the header


@dataclass(slots=True)
class AnnouncementPreview(Reply):
    """A reply showing an announcement that is not sent yet: a front end offers Send and Cancel buttons for it."""

    announcement_id: int = 0
    channel_id: int | None = None  # where it will go, for a front end that can name the channel


def _channel_for(ctx: Ctx) -> int:
    """Where the announcement goes: the channel the running front end names for them, else where it was asked."""
    channel = ctx.app.services.announce_channel(ctx.channel_id)
    if channel is None:
        raise UserError(tr("announce.no_channel", ctx.lang), tr("announce.no_channel.hint", ctx.lang))
    return channel


def _announcer(ctx: Ctx, command: str) -> Announcer:
    """The running announcer (a command that `sends` is refused before this where nothing delivers)."""
    announcer = ctx.app.services.announcer
    if announcer is None:
        raise UserError(
            tr("error.needs_delivery", ctx.lang, command=command), tr("error.needs_delivery.hint", ctx.lang)
        )
    return announcer


def _text(ctx: Ctx, message: str) -> str:
    text = message.replace("\\n", "\n").strip()
    if len(text) > MAX_ANNOUNCEMENT:
        raise UserError(
            tr("announce.too_long", ctx.lang, n=len(text), limit=MAX_ANNOUNCEMENT),
            tr("announce.too_long.hint", ctx.lang),
        )
    return text


def _when(ctx: Ctx, at: datetime) -> str:
    return fmt_moment(at.astimezone(ctx.app.tz), ctx.lang)


@command(
    "announce",
    "Preview an announcement, then send it now or at a typed time (“in 10 minutes”, “明天上午9点”)",
    Option("message", "What to announce (up to 1,900 characters)", TEXT, required=True),
    Option("at", "When to post it; leave empty for as soon as you send it", AT),
    Option("ping", "Let @mentions in the message notify people (off by default)", BOOL),
    Option("channel", "Post it in this channel instead of the announcements channel", CHANNEL),
    organizer_only=True,
    needs_storage=True,
    sends=True,
)
async def announce(
    ctx: Ctx, message: str, at: datetime | None = None, ping: bool | None = None, channel: ChannelId | None = None
) -> Reply:
    """Nothing goes out yet: the organizer sees the announcement as it will read, where and when, and sends it."""
    text = _text(ctx, message)
    if at is not None and at < ctx.now:
        raise UserError(tr("announce.past", ctx.lang, when=_when(ctx, at)), tr("announce.past.hint", ctx.lang))
    announcer = _announcer(ctx, "announce")
    target = int(channel) if channel is not None else _channel_for(ctx)
    scheduled = at is not None and at > ctx.now
    draft = await announcer.preview(
        created_by=ctx.user.id,
        created_by_name=ctx.user.name,
        channel_id=target,
        text=text,
        due_at=at if scheduled else None,
        ping=bool(ping),
    )
    lines = [
        tr("announce.preview.at" if scheduled else "announce.preview.now", ctx.lang),
        tr("announce.preview.channel.chosen" if channel is not None else "announce.preview.channel.default", ctx.lang),
    ]
    if ping:
        lines.append(tr("announce.preview.ping", ctx.lang))
    entry = Entry(
        title=f"#{draft.id}", start=at.astimezone(ctx.app.tz) if scheduled and at else None, lines=lines, body=text
    )
    return AnnouncementPreview(
        title="📣",
        text=tr("announce.preview", ctx.lang, id=draft.id),
        sections=[Section("", [entry])],
        footer=tr("announce.preview.hint", ctx.lang, id=draft.id),
        announcement_id=draft.id,
        channel_id=target,
    )


@command(
    "announce-send",
    "Send an announcement you previewed with /announce (its Send button does the same)",
    Option("id", "The announcement's number, from its preview", INT, required=True, min_value=1),
    organizer_only=True,
    needs_storage=True,
    sends=True,
)
async def announce_send(ctx: Ctx, id: int) -> Reply:
    announcer = _announcer(ctx, "announce-send")
    draft = await (await ctx.storage()).get_announcement(id)
    if draft is None or draft.state != "draft":
        raise UserError(tr("announce.send.unknown", ctx.lang, id=id), tr("announce.send.unknown.hint", ctx.lang))
    if not draft.post_now and draft.due_at < ctx.now:
        raise UserError(
            tr("announce.send.too_late", ctx.lang, id=id, when=_when(ctx, draft.due_at)),
            tr("announce.send.too_late.hint", ctx.lang),
        )
    sent = await announcer.confirm(id)
    if sent is None:  # sent or cancelled meanwhile (two presses at once)
        raise UserError(tr("announce.send.unknown", ctx.lang, id=id), tr("announce.send.unknown.hint", ctx.lang))
    entry = Entry(title=clip(sent.text, 200))
    if sent.post_now or sent.due_at <= ctx.now:
        status = tr("announce.posted" if sent.state == "sent" else "announce.pending", ctx.lang)
        return Reply(title="📣", text=status, sections=[Section("", [entry])])
    entry.start = sent.due_at.astimezone(ctx.app.tz)
    return Reply(
        title="📣",
        text=tr("announce.scheduled", ctx.lang, id=id),
        sections=[Section("", [entry])],
        footer=tr("announce.cancel_hint", ctx.lang, id=id),
    )


@command(
    "announce-edit",
    "Change the text of an announcement that is waiting to be posted",
    Option("id", "The announcement's number, from /announcements", INT, required=True, min_value=1),
    Option("message", "Its new text (up to 1,900 characters)", TEXT, required=True),
    organizer_only=True,
    needs_storage=True,
)
async def announce_edit(ctx: Ctx, id: int, message: str) -> Reply:
    """Only the stored text changes (no delivery needed): a running bot posts what the database says when due."""
    text = _text(ctx, message)
    storage = await ctx.storage()
    edited = await storage.edit_announcement(id, text, by=ctx.user.id, by_name=ctx.user.name, now=ctx.now)
    if edited is None:
        raise UserError(tr("announce.edit.unknown", ctx.lang, id=id), tr("announce.unknown.hint", ctx.lang))
    start = None if edited.state == "draft" and edited.post_now else edited.due_at.astimezone(ctx.app.tz)
    return Reply(
        title="📣",
        text=tr("announce.edited", ctx.lang, id=id),
        sections=[Section("", [Entry(title=f"#{id}", start=start, lines=_who(ctx, edited), body=text)])],
    )


def _who(ctx: Ctx, a: Announcement) -> list[str]:
    """Who scheduled it, and who last changed its text."""
    lines = [tr("announce.by", ctx.lang, name=a.created_by_name or a.created_by)]
    if a.edited_by_name:
        lines.append(tr("announce.edited_by", ctx.lang, name=a.edited_by_name))
    return lines


@command(
    "announcements",
    "Announcements waiting to be posted, and who scheduled each",
    organizer_only=True,
    needs_storage=True,
    read_only=True,
)
async def announcements(ctx: Ctx) -> Reply:
    pending = await (await ctx.storage()).upcoming_announcements()
    if not pending:
        return Reply(title="📣", text=tr("announce.none", ctx.lang), footer=tr("announce.none.hint", ctx.lang))
    entries = [
        Entry(title=f"#{a.id} · {clip(a.text, 120)}", start=a.due_at.astimezone(ctx.app.tz), lines=_who(ctx, a))
        for a in pending
    ]
    return Reply(title="📣", sections=[Section("", entries)], footer=tr("announce.list.hint", ctx.lang))


@command(
    "unannounce",
    "Cancel an announcement that has not been posted",
    Option("id", "The announcement's number, from /announcements", INT, required=True, min_value=1),
    organizer_only=True,
    needs_storage=True,
)
async def unannounce(ctx: Ctx, id: int) -> Reply:
    """Cancelled in the database (no delivery needed): a running bot never posts a cancelled announcement."""
    announcer = ctx.app.services.announcer
    if announcer is not None:  # it also drops the wake-up it planned
        cancelled = await announcer.cancel(id, by=ctx.user.id, by_name=ctx.user.name)
    else:
        storage = await ctx.storage()
        cancelled = await storage.cancel_announcement(id, by=ctx.user.id, by_name=ctx.user.name, now=ctx.now)
    if not cancelled:
        raise UserError(tr("announce.unknown", ctx.lang, id=id), tr("announce.unknown.hint", ctx.lang))
    return Reply(title="📣", text=tr("announce.cancelled", ctx.lang, id=id))


@command("reload", "Read the programme files again now (the bot also notices changes by itself)", organizer_only=True)
async def reload(ctx: Ctx) -> Reply:
    result = await ctx.app.reload()
    s = result.new.summary()
    counts = {k: s[k] for k in ("sessions", "scheduled", "tracks", "rooms", "problems")}
    if result.changes:  # their stargazers are being told
        text = tr("reload.summary.changed", ctx.lang, changed=len(result.changes), **counts)
    else:
        text = tr("reload.summary", ctx.lang, **counts)
    entries = [Entry(title=str(p)) for p in result.new.problems if p.severity == "error"][:20]
    return Reply(
        title=tr("reload.title", ctx.lang),
        text=text,
        sections=[Section(tr("reload.problems", ctx.lang), entries)] if entries else [],
        footer=tr("reload.broken", ctx.lang, n=len(result.broken)) if result.broken else "",
    )
