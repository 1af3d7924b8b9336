"""Stars and reminder settings: /star, /unstar, /agenda, /remind."""

from __future__ import annotations

from datetime import timedelta

from bot.commands.base import BOOL, CHOICE, LEAD, SESSION, Action, Ctx, Entry, Option, Reply, Section, UserError, command
from bot.commands.programme import session_entry
from bot.core.model import Session

MIN_LEAD = timedelta(minutes=1)
MAX_LEAD = timedelta(hours=24)

STAR_TEXT = {
    "starred": ("Starred: {title}. You'll be reminded {lead} min before it starts ({delivery}).",
                "已收藏：{title}。开始前 {lead} 分钟会提醒你（{delivery}）。"),
    "already": ("You had already starred {title}.", "你已经收藏过 {title}。"),
    "unstarred": ("Unstarred: {title}. No reminder will come for it.", "已取消收藏：{title}，不会再提醒。"),
    "not_starred": ("{title} was not starred.", "{title} 还没有被收藏。"),
    "past": ("{title} has already started; starred anyway, but no reminder will come.", "{title} 已经开始；已收藏，但不会再提醒。"),
    "unscheduled": ("{title} has no time yet; starred, and you'll be reminded once it has one.", "{title} 时间待定；已收藏，定下时间后会提醒你。"),
    "agenda": ("My agenda", "我的日程"),
    "agenda.empty": ("You have not starred any session yet.", "你还没有收藏任何议程。"),
    "agenda.hint": ("Star sessions with /star or the ☆ button under any session.", "用 /star 或议程下方的 ☆ 按钮收藏。"),
    "agenda.overlap": ("⚠ overlaps {title}", "⚠ 与 {title} 时间冲突"),
    "agenda.export": ("Your starred sessions as a calendar file: open it, or import it into your calendar app. Importing again updates the same events.",
                      "你收藏的议程日历文件：打开或导入日历应用；再次导入会更新而不会重复。"),
    "agenda.gone": ("{n} starred sessions are no longer in the programme.", "{n} 个已收藏的议程已不在议程表中。"),
    "remind": ("Reminders: {lead} min before each starred session, by {delivery}.", "提醒设置：每个收藏的议程开始前 {lead} 分钟，通过{delivery}。"),
    "dm": ("direct message", "私信"),
    "channel": ("a mention in the reminders channel", "提醒频道里的 @ 提及"),
}


def _t(key: str, lang: str, **kw: object) -> str:
    en, zh = STAR_TEXT[key]
    return (zh if lang == "zh" else en).format(**kw)


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


@command("star", "Star a session: it joins your agenda and you get a reminder before it",
         Option("session", "The session (start typing its title)", SESSION, required=True), needs_storage=True)
async def star(ctx: Ctx, session: Session) -> Reply:
    new = await ctx.app.storage.star(ctx.user.id, session.id, ctx.now)
    title = f"“{session.title_in(ctx.lang)}”"
    lead, delivery = await _effective(ctx)
    if not new:
        text = _t("already", ctx.lang, title=title)
    elif session.start is None:
        text = _t("unscheduled", ctx.lang, title=title)
    elif session.start <= ctx.now:
        text = _t("past", ctx.lang, title=title)
    else:
        text = _t("starred", ctx.lang, title=title, lead=lead, delivery=_t(delivery, ctx.lang))
    await _replan(ctx)
    return Reply(title="☆", text=text, sections=[Section("", [session_entry(ctx, session)])],
                 actions=[Action("unstar", session.id, "Unstar")])


@command("unstar", "Remove a session from your agenda and its reminder",
         Option("session", "The session (start typing its title)", SESSION, required=True), needs_storage=True)
async def unstar(ctx: Ctx, session: Session) -> Reply:
    removed = await ctx.app.storage.unstar(ctx.user.id, session.id)
    title = f"“{session.title_in(ctx.lang)}”"
    await _replan(ctx)
    text = _t("unstarred" if removed else "not_starred", ctx.lang, title=title)
    return Reply(title="☆", text=text, actions=[Action("star", session.id, "☆ Star")] if session.start else [])


def _overlaps(sessions: list[Session]) -> dict[str, list[Session]]:
    clashes: dict[str, list[Session]] = {}
    timed = [s for s in sessions if s.start is not None]
    for i, a in enumerate(timed):
        for b in timed[i + 1:]:
            if b.start >= (a.end or a.start):
                break
            clashes.setdefault(a.id, []).append(b)
            clashes.setdefault(b.id, []).append(a)
    return clashes


@command("agenda", "Your starred sessions in time order, overlaps flagged; export:true gives an iCal file",
         Option("export", "Attach your agenda as an .ics calendar file", BOOL), needs_storage=True)
async def agenda(ctx: Ctx, export: bool | None = None) -> Reply:
    catalog = ctx.app.catalog
    ids = await ctx.app.storage.stars_of(ctx.user.id)
    sessions = [catalog.by_id[i] for i in ids if i in catalog.by_id]
    gone = len(ids) - len(sessions)
    sessions.sort(key=lambda s: (s.start is None, s.start or ctx.now))
    if not sessions:
        return Reply(title=_t("agenda", ctx.lang), text=_t("agenda.empty", ctx.lang), footer=_t("agenda.hint", ctx.lang))
    footer = _t("agenda.gone", ctx.lang, n=gone) if gone else ""
    if export:
        from bot.core.ical import agenda_ics

        data = agenda_ics(sessions, calendar_name=ctx.app.config.name, tz=ctx.app.tz, now=ctx.now, lang=ctx.lang)
        return Reply(title=_t("agenda", ctx.lang), text=_t("agenda.export", ctx.lang), file=("agenda.ics", data), footer=footer)
    clashes = _overlaps(sessions)
    entries: list[Entry] = []
    for s in sessions:
        entry = session_entry(ctx, s)
        for other in clashes.get(s.id, []):
            entry.lines.append(_t("agenda.overlap", ctx.lang, title=f"“{other.title_in(ctx.lang)}”"))
        entries.append(entry)
    lead, delivery = await _effective(ctx)
    text = _t("remind", ctx.lang, lead=lead, delivery=_t(delivery, ctx.lang))
    return Reply(title=_t("agenda", ctx.lang), text=text, sections=[Section("", entries)], footer=footer)


@command("remind", "How long before a starred session you are reminded, and how",
         Option("lead", "How long before: “15 minutes”, “1h”, “半小时” (1 minute to 24 hours)", LEAD),
         Option("delivery", "dm: a direct message; channel: a mention in the reminders channel", CHOICE, choices=("dm", "channel")),
         Option("language", "Language of your reminders", CHOICE, choices=("en", "zh")), needs_storage=True)
async def remind(ctx: Ctx, lead: timedelta | None = None, delivery: str | None = None, language: str | None = None) -> Reply:
    fields: dict[str, object] = {}
    if lead is not None:
        if not MIN_LEAD <= lead <= MAX_LEAD:
            raise UserError(f"A reminder {int(lead / timedelta(minutes=1))} minutes ahead is out of range.",
                            "Pick something from 1 minute to 24 hours, e.g. lead:\"15 minutes\".")
        fields["lead_minutes"] = int(lead / timedelta(minutes=1))
    if delivery is not None:
        if delivery == "channel" and ctx.app.config.discord.reminders_channel_id is None and ctx.app.config.discord.token:
            raise UserError("This server has no reminders channel, so reminders come by direct message.",
                            "Ask an organizer to set discord.reminders_channel_id.")
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
    return Reply(title="⏰", text=_t("remind", ctx.lang, lead=lead_min, delivery=_t(how, ctx.lang)))
