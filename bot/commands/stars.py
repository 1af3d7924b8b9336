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
from bot.core.model import Session, is_scheduled
from bot.core.storage import UserSettings
from bot.i18n import tr

MIN_LEAD = timedelta(minutes=1)
MAX_LEAD = timedelta(hours=24)


def _minutes(lead: timedelta) -> int:
    return int(lead / timedelta(minutes=1))


def _effective(ctx: Ctx, settings: UserSettings) -> tuple[int, str]:
    """The user's lead time in minutes and how their reminders come, their own settings over the configured ones."""
    cfg = ctx.app.config.reminders
    lead = settings.effective_lead(_minutes(cfg.lead))
    delivery = settings.delivery or cfg.delivery
    if settings.dm_closed and delivery == "dm":
        delivery = "channel"
    return lead, delivery


@command(
    "star",
    "Star a session: it joins your agenda and you get a reminder before it",
    Option("session", "The session (start typing its title)", SESSION, required=True),
    needs_storage=True,
)
async def star(ctx: Ctx, session: Session) -> Reply:
    if session.service:  # a break or a meal (an imported programme's service slot): nothing to remind of
        text = tr("star.service", ctx.lang, title=f"“{session.title_in(ctx.lang)}”")
        return Reply(title="☆", text=text, sections=[Section("", [session_entry(ctx, session)])])
    storage = await ctx.storage()
    new = await storage.star(ctx.user.id, session.id, ctx.now)
    settings = await storage.get_settings(ctx.user.id)
    if ctx.user.locale and settings.language is None:
        # Reminders come later, outside any interaction: remember the language the user's client speaks.
        settings = await storage.update_settings(ctx.user.id, language=ctx.lang)
    title = f"“{session.title_in(ctx.lang)}”"
    lead, delivery = _effective(ctx, settings)
    if not new:
        text = tr("star.already", ctx.lang, title=title)
    elif session.start is None:
        text = tr("star.unscheduled", ctx.lang, title=title)
    elif session.start <= ctx.now:
        text = tr("star.past", ctx.lang, title=title)
    else:
        text = tr("star.starred", ctx.lang, title=title, lead=lead, delivery=tr("star." + delivery, ctx.lang))
    await ctx.app.services.replan()
    return Reply(
        title="☆",
        text=text,
        sections=[Section("", [session_entry(ctx, session)])],
        actions=[Action("unstar", session.id, tr("action.unstar", ctx.lang))],
    )


@command(
    "unstar",
    "Remove a session from your agenda and its reminder",
    Option("session", "The session (start typing its title)", SESSION, required=True),
    needs_storage=True,
)
async def unstar(ctx: Ctx, session: Session) -> Reply:
    removed = await (await ctx.storage()).unstar(ctx.user.id, session.id)
    title = f"“{session.title_in(ctx.lang)}”"
    await ctx.app.services.replan()
    text = tr("star.unstarred" if removed else "star.not_starred", ctx.lang, title=title)
    actions = [Action("star", session.id, tr("action.star", ctx.lang))] if session.start else []
    return Reply(title="☆", text=text, actions=actions)


def _overlaps(sessions: list[Session]) -> dict[str, list[Session]]:
    """For each session, the others (in time order) that overlap it."""
    clashes: dict[str, list[Session]] = {}
    timed = [s for s in sessions if is_scheduled(s)]
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
    read_only=True,
)
async def agenda(ctx: Ctx, export: bool | None = None) -> Reply:
    catalog = ctx.app.catalog
    storage = await ctx.storage()
    ids = await storage.stars_of(ctx.user.id)
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

        data = agenda_ics(
            sessions,
            calendar_name=ctx.app.config.conference_name(ctx.lang),
            tz=ctx.app.tz,
            now=ctx.now,
            lang=ctx.lang,
            tracks=catalog.tracks,
        )
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
    lead, delivery = _effective(ctx, await storage.get_settings(ctx.user.id))
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
    storage = await ctx.storage()
    fields: dict[str, object] = {}
    if lead is not None:
        if not MIN_LEAD <= lead <= MAX_LEAD:
            raise UserError(
                tr("star.lead_out_of_range", ctx.lang, minutes=_minutes(lead)),
                tr("star.lead_out_of_range.hint", ctx.lang),
            )
        fields["lead_minutes"] = _minutes(lead)
    if delivery is not None:
        if delivery == "channel" and not ctx.app.services.reminders_channel_available:
            raise UserError(tr("star.no_channel", ctx.lang), tr("star.no_channel.hint", ctx.lang))
        fields["delivery"] = delivery
    if language is not None:
        fields["language"] = language
    if fields:
        settings = await storage.update_settings(ctx.user.id, **fields)
        if delivery == "dm" and settings.dm_closed:
            # Asking for DMs again says they work now: try them, and fall back to the channel if they bounce.
            await storage.set_dm_closed(ctx.user.id, False)
        await ctx.app.services.replan()
    lead_min, how = _effective(ctx, await storage.get_settings(ctx.user.id))
    return Reply(title="⏰", text=tr("star.remind", ctx.lang, lead=lead_min, delivery=tr("star." + how, ctx.lang)))
