"""Organizer commands: /announce, /announcements, /unannounce, /reload."""

from __future__ import annotations

from datetime import datetime

from bot.commands.base import AT, BOOL, INT, TEXT, Ctx, Entry, Option, Reply, Section, UserError, command
from bot.core.announcer import Announcer
from bot.i18n import fmt_moment, tr

MAX_ANNOUNCEMENT = 1900  # Discord's 2,000 characters, less room for the header


def _channel_for(ctx: Ctx) -> int:
    """Where the announcement goes: the channel the running front end names for them, else where it was asked."""
    channel = ctx.app.services.announce_channel(ctx.channel_id)
    if channel is None:
        raise UserError(tr("announce.no_channel", ctx.lang), tr("announce.no_channel.hint", ctx.lang))
    return channel


def _announcer(ctx: Ctx) -> Announcer:
    announcer = ctx.app.services.announcer
    if announcer is None:
        raise UserError(tr("announce.not_running", ctx.lang), tr("announce.not_running.hint", ctx.lang))
    return announcer


@command(
    "announce",
    "Post an announcement now, or at a time typed as people type it (“in 10 minutes”, “明天上午9点”)",
    Option("message", "What to announce (up to 1,900 characters)", TEXT, required=True),
    Option("at", "When to post it; leave empty for now", AT),
    Option("ping", "Let @mentions in the message notify people (off by default)", BOOL),
    organizer_only=True,
    needs_storage=True,
)
async def announce(ctx: Ctx, message: str, at: datetime | None = None, ping: bool | None = None) -> Reply:
    text = message.replace("\\n", "\n").strip()
    if len(text) > MAX_ANNOUNCEMENT:
        raise UserError(
            tr("announce.too_long", ctx.lang, n=len(text), limit=MAX_ANNOUNCEMENT),
            tr("announce.too_long.hint", ctx.lang),
        )
    if at is not None and at < ctx.now:
        raise UserError(
            tr("announce.past", ctx.lang, when=fmt_moment(at.astimezone(ctx.app.tz), ctx.lang)),
            tr("announce.past.hint", ctx.lang),
        )
    announcer = _announcer(ctx)
    posted = await announcer.add(
        created_by=ctx.user.id, channel_id=_channel_for(ctx), text=text, due_at=at or ctx.now, ping=bool(ping)
    )
    if at is None or at <= ctx.now:
        status = tr("announce.posted" if posted.state == "sent" else "announce.pending", ctx.lang)
        return Reply(title="📣", text=status, sections=[Section("", [Entry(title=text[:200])])])
    return Reply(
        title="📣",
        text=tr("announce.scheduled", ctx.lang, id=posted.id),
        sections=[Section("", [Entry(title=text[:200], start=at.astimezone(ctx.app.tz))])],
        footer=tr("announce.cancel_hint", ctx.lang, id=posted.id),
    )


@command("announcements", "Announcements waiting to be posted", organizer_only=True, needs_storage=True)
async def announcements(ctx: Ctx) -> Reply:
    pending = await (await ctx.app.services.open_storage()).upcoming_announcements()
    if not pending:
        return Reply(title="📣", text=tr("announce.none", ctx.lang), footer=tr("announce.none.hint", ctx.lang))
    entries = [Entry(title=f"#{a.id} · {a.text[:120]}", start=a.due_at.astimezone(ctx.app.tz)) for a in pending]
    return Reply(title="📣", sections=[Section("", entries)], footer=tr("announce.list.hint", ctx.lang))


@command(
    "unannounce",
    "Cancel an announcement that has not been posted",
    Option("id", "The announcement's number, from /announcements", INT, required=True, min_value=1),
    organizer_only=True,
    needs_storage=True,
)
async def unannounce(ctx: Ctx, id: int) -> Reply:
    if not await _announcer(ctx).cancel(id):
        raise UserError(tr("announce.unknown", ctx.lang, id=id), tr("announce.unknown.hint", ctx.lang))
    return Reply(title="📣", text=tr("announce.cancelled", ctx.lang, id=id))


@command("reload", "Read the programme files again now (the bot also notices changes by itself)", organizer_only=True)
async def reload(ctx: Ctx) -> Reply:
    result = await ctx.app.reload()
    s = result.new.summary()
    text = (
        f"{s['sessions']} sessions ({s['scheduled']} scheduled), {s['tracks']} tracks, {s['rooms']} rooms, "
        f"{s['problems']} problems."
    )
    entries = [Entry(title=str(p)) for p in result.new.problems if p.severity == "error"][:20]
    footer = ""
    if result.broken:
        footer = (
            f"{len(result.broken)} files could not be read; sessions from them keep their last good version. "
            "Fix them and /reload, or run `python -m bot check`."
        )
    if result.changes:
        text += f" {len(result.changes)} starred sessions changed; their stargazers are being told."
    return Reply(
        title="🔄 Programme reloaded",
        text=text,
        sections=[Section("Problems", entries)] if entries else [],
        footer=footer,
    )
