"""Stars and reminder settings: /star, /unstar, /agenda, /remind."""

from __future__ import annotations

from datetime import timedelta

from bot.commands.base import (
    BOOL,
    CHOICE,
    LEAD,
    SESSION,
    Action,
    Ctx,
    Entry,
    Option,
    Reply,
    Section,
    UserError,
    command,
)
from bot.commands.programme import session_entry
from bot.core.model import Session
from bot.i18n import tr

MIN_LEAD = timedelta(minutes=1)
MAX_LEAD = timedelta(hours=24)


async def _effective(ctx: Ctx) -> tuple[int, str]:
    cfg = ctx.app.config.reminders
    settings = await ctx.app.storage.get_settings(ctx.user.id)
    lead = settings.lead_minutes if settings.lead_minutes is not None else int(cfg.lead / timedelta(minutes=1))
    delivery = settings.delivery or cfg.delivery
    if settings.dm_closed and delivery == "dm":
        delivery = "channel"
    return lead, delivery


async def _replan(ctx: Ctx) -> None:
    service = getattr(ctx.app, "reminders", None)
    if service is not None:
        await service.replan()


@command(
    "star",
    "Star a session: it joins your agenda and you get a reminder before it",
    Option("session", "The session (start typing its title)", SESSION, required=True),
    needs_storage=True,
)
async def star(ctx: Ctx, session: Session) -> Reply:
    new = await ctx.app.storage.star(ctx.user.id, session.id, ctx.now)
    if ctx.user.locale and (await ctx.app.storage.get_settings(ctx.user.id)).language is None:
        # Reminders come later, outside any interaction: remember the language the user's client speaks.
        await ctx.app.storage.update_settings(ctx.user.id, language=ctx.lang)
    title = f"“{session.title_in(ctx.lang)}”"
    lead, delivery = await _effective(ctx)
    if not new:
        text = tr("star.already", ctx.lang, title=title)
    elif session.start is None:
        text = tr("star.unscheduled", ctx.lang, title=title)
    elif session.start <= ctx.now:
        text = tr("star.past", ctx.lang, title=title)
    else:
        text = tr("star.starred", ctx.lang, title=title, lead=lead, delivery=tr("star." + delivery, ctx.lang))
    await _replan(ctx)
    return Reply(
        title="☆",
        text=text,
        sections=[Section("", [session_entry(ctx, session)])],
        actions=[Action("unstar", session.id, "Unstar")],
    )


@command(
    "unstar",
    "Remove a session from your agenda and its reminder",
    Option("session", "The session (start typing its title)", SESSION, required=True),
    needs_storage=True,
)
async def unstar(ctx: Ctx, session: Session) -> Reply:
    removed = await ctx.app.storage.unstar(ctx.user.id, session.id)
    title = f"“{session.title_in(ctx.lang)}”"
    await _replan(ctx)
    text = tr("star.unstarred" if removed else "star.not_starred", ctx.lang, title=title)
    return Reply(title="☆", text=text, actions=[Action("star", session.id, "☆ Star")] if session.start else [])


def _overlaps(sessions: list[Session]) -> dict[str, list[Session]]:
    clashes: dict[str, list[Session]] = {}
    timed = [s for s in sessions if s.start is not None]
    for i, a in enumerate(timed):
        for b in timed[i + 1 :]:
            if b.start >= (a.end or a.start):
                break
            clashes.setdefault(a.id, []).append(b)
            clashes.setdefault(b.id, []).append(a)
    return clashes


@command(
    "agenda",
    "Your starred sessions in time order, overlaps flagged; export:true gives an iCal file",
    Option("export", "Attach your agenda as an .ics calendar file", BOOL),
    needs_storage=True,
)
async def agenda(ctx: Ctx, export: bool | None = None) -> Reply:
    catalog = ctx.app.catalog
    ids = await ctx.app.storage.stars_of(ctx.user.id)
    sessions = [catalog.by_id[i] for i in ids if i in catalog.by_id]
    gone = len(ids) - len(sessions)
    sessions.sort(key=lambda s: (s.start is None, s.start or ctx.now))
    if not sessions:
        return Reply(
            title=tr("star.agenda", ctx.lang),
            text=tr("star.agenda.empty", ctx.lang),
            footer=tr("star.agenda.hint", ctx.lang),
        )
    footer = tr("star.agenda.gone", ctx.lang, n=gone) if gone else ""
    if export:
        from bot.core.ical import agenda_ics

        data = agenda_ics(sessions, calendar_name=ctx.app.config.name, tz=ctx.app.tz, now=ctx.now, lang=ctx.lang)
        return Reply(
            title=tr("star.agenda", ctx.lang),
            text=tr("star.agenda.export", ctx.lang),
            file=("agenda.ics", data),
            footer=footer,
        )
    clashes = _overlaps(sessions)
    entries: list[Entry] = []
    for s in sessions:
        entry = session_entry(ctx, s)
        for other in clashes.get(s.id, []):
            entry.lines.append(tr("star.agenda.overlap", ctx.lang, title=f"“{other.title_in(ctx.lang)}”"))
        entries.append(entry)
    lead, delivery = await _effective(ctx)
    text = tr("star.remind", ctx.lang, lead=lead, delivery=tr("star." + delivery, ctx.lang))
    return Reply(title=tr("star.agenda", ctx.lang), text=text, sections=[Section("", entries)], footer=footer)


@command(
    "remind",
    "How long before a starred session you are reminded, and how",
    Option("lead", "How long before: “15 minutes”, “1h”, “半小时” (1 minute to 24 hours)", LEAD),
    Option(
        "delivery",
        "dm: a direct message; channel: a mention in the reminders channel",
        CHOICE,
        choices=("dm", "channel"),
    ),
    Option("language", "Language of your reminders", CHOICE, choices=("en", "zh")),
    needs_storage=True,
)
async def remind(
    ctx: Ctx, lead: timedelta | None = None, delivery: str | None = None, language: str | None = None
) -> Reply:
    fields: dict[str, object] = {}
    if lead is not None:
        if not MIN_LEAD <= lead <= MAX_LEAD:
            raise UserError(
                f"A reminder {int(lead / timedelta(minutes=1))} minutes ahead is out of range.",
                'Pick something from 1 minute to 24 hours, e.g. lead:"15 minutes".',
            )
        fields["lead_minutes"] = int(lead / timedelta(minutes=1))
    if delivery is not None:
        if (
            delivery == "channel"
            and ctx.app.config.discord.reminders_channel_id is None
            and ctx.app.config.discord.token
        ):
            raise UserError(
                "This server has no reminders channel, so reminders come by direct message.",
                "Ask an organizer to set discord.reminders_channel_id.",
            )
        fields["delivery"] = delivery
        if delivery == "dm":
            fields["dm_closed"] = False
    if language is not None:
        fields["language"] = language
    if fields:
        dm_closed = fields.pop("dm_closed", None)
        await ctx.app.storage.update_settings(ctx.user.id, **fields)
        if dm_closed is not None:
            await ctx.app.storage.set_dm_closed(ctx.user.id, dm_closed)
        await _replan(ctx)
    lead_min, how = await _effective(ctx)
    return Reply(title="⏰", text=tr("star.remind", ctx.lang, lead=lead_min, delivery=tr("star." + how, ctx.lang)))
