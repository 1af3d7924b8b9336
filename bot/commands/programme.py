"""Questions about the programme: /talk, /next, /now, /schedule, /speaker, /tracks, /when, /help."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from bot.commands.context import Ctx, UserError
from bot.commands.options import (
    AT,
    DAY,
    MAX_ECHO,
    ROOM,
    SESSION,
    SPEAKER,
    TEXT,
    TRACK,
    Option,
    named_session,
    suggestions,
    taken_notes,
)
from bot.commands.registry import REGISTRY, command
from bot.commands.reply import Action, Entry, Reply, Section
from bot.core.live import watch_link
from bot.core.model import Session
from bot.core.text import clip
from bot.i18n import fmt_day, fmt_moment, listing, sentences, tr

MAX_ABSTRACT = 1500
MAX_BIOS = 1000  # the speakers' bios under the abstract: an embed holds 4,000 characters in all
NEXT_SLOTS = 2  # /next shows the sessions of the next two start times
MAX_SCHEDULE = 200  # 25 pages: past that nobody pages on, and a narrower question serves better
# Sessions a /talk reply lists: more than any real programme has matching one query (so none is left out);
# past it (10,000-session programmes), the reply says it lists the best ones and how many match in all.
MAX_TALK = 300
MAX_SPEAKERS = 50  # people a /speaker reply lists ("li" in a large programme); past it, the reply says so


def _lang_label(s: Session, lang: str) -> str:
    parts = []
    if s.language:
        parts.append(tr(f"lang.{s.language}", lang))
    if s.format != "talk":
        parts.append(tr(f"format.{s.format}", lang))
    return " ".join(parts)


def session_entry(ctx: Ctx, s: Session, *, full: bool = False) -> Entry:
    """A session as a reply line: where, which track, who; in full, the abstract too."""
    lang = ctx.lang
    catalog = ctx.app.catalog
    track = catalog.tracks.get(s.track)
    track_name = track.name_in(lang) if track else s.track
    bits = [b for b in (s.room_in(lang), track_name) if b]
    presenters = listing(s.presenters_in(lang), lang)
    lines = [" · ".join(bits)] if bits else []
    if presenters:
        lines.append(presenters)
    if full:
        label = _lang_label(s, lang)
        if label:
            lines.append(tr("label.pair", lang, label=tr("label.language", lang), value=label))
        if s.link:
            lines.append(tr("label.pair", lang, label=tr("label.link", lang), value=s.link))
        else:
            lines.extend(watch_lines(ctx, s))  # the room's livestream (issue 12)
        body = _clipped(s.abstract_in(lang), MAX_ABSTRACT)
        bios = _clipped(s.bios_in(lang), MAX_BIOS)
        return Entry(
            title=s.title_in(lang), start=s.start, end=s.end, lines=lines, body=body, session_id=s.id, speakers=bios
        )
    return Entry(title=s.title_in(lang), start=s.start, end=s.end, lines=lines, session_id=s.id)


def _clipped(text: str, limit: int) -> str:
    """`text` cut to about `limit` characters at a space (anywhere, for Chinese without spaces), with " …"."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    at = cut.rfind(" ")
    return (cut[:at] if at > limit * 0.8 else cut) + " …"


def _describe_filters(ctx: Ctx, track: str | None, room: str | None, day: date | None) -> str:
    parts = []
    lang = ctx.lang
    if track:
        t = ctx.app.catalog.tracks.get(track)
        parts.append(tr("filter.track", lang, name=t.name_in(lang) if t else track))
    if room:
        shown = next((s.room_in(lang) for s in ctx.app.catalog.scheduled if s.room == room), room) or room
        parts.append(tr("filter.room", lang, name=shown))
    if day:
        parts.append(fmt_day(day, ctx.lang, ctx.app.catalog.day_number(day)))
    return listing(parts, lang)


def _filtered(sessions, track: str | None, room: str | None):
    for s in sessions:
        if track and s.track != track:
            continue
        if room and s.room != room:
            continue
        yield s


def _star_actions(ctx: Ctx, sessions: list[Session]) -> list[Action]:
    return [Action("star", s.id, "☆ " + clip(s.title_in(ctx.lang), 70)) for s in sessions[:5] if s.start is not None]


def session_reply(ctx: Ctx, s: Session) -> Reply:
    """One session in full, with a Star button when it has a time."""
    return Reply(
        title=s.title_in(ctx.lang),
        sections=[Section("", [session_entry(ctx, s, full=True)])],
        actions=[Action("star", s.id, tr("action.star", ctx.lang))] if s.start else [],
    )


@command(
    "talk",
    "Find sessions by title, abstract, speaker, track or room (English or Chinese)",
    Option(
        "query", "Words from the title, a speaker's name, a track or a room", TEXT, required=True, autocomplete=SESSION
    ),
    ephemeral=False,
)
async def talk(ctx: Ctx, query: str) -> Reply:
    """A session's id or whole title shows it in full, as does a query only one session matches; anything else
    lists every match, best first, saying how many: a track, room or speaker named lists theirs first."""
    index, lang = ctx.app.index, ctx.lang
    session = named_session(ctx, query)
    if session is not None:
        return session_reply(ctx, session)
    shown = clip(query, 80)
    groups = _named_groups(ctx, query)
    named_ids = {s.id for _, sessions in groups for s in sessions}
    # Enough hits to list MAX_TALK beyond the named ones, and (but in huge programmes) to count them all once.
    found = index.find(query, limit=MAX_TALK + min(len(named_ids), MAX_TALK))
    if not found.hits and not groups:
        return Reply(title=tr("talk.none", lang, query=shown), text=tr("talk.none.hint", lang))
    if not groups and found.total == 1:
        return session_reply(ctx, found.hits[0].session)
    has_named = bool(groups)
    hits = found.hits if found.every or not has_named else []  # beside a named track, only full matches
    others = [h.session for h in hits if h.session.id not in named_ids]
    total = len(named_ids) + (found.total - (len(hits) - len(others)) if hits else 0)
    groups.append((tr("talk.others", lang, query=shown) if has_named else "", others))
    sections: list[Section] = []
    listed: list[Session] = []
    for heading, sessions in groups:  # at most MAX_TALK sessions in all, the named ones first
        room = sessions[: MAX_TALK - len(listed)]
        if room:
            sections.append(Section(heading, [session_entry(ctx, s) for s in room]))
            listed += room
    if has_named or found.every:
        notes = [tr("talk.count.one", lang) if total == 1 else tr("talk.count", lang, n=total)]
    else:
        notes = [tr("talk.some", lang, n=found.total)]
    if total > len(listed):
        notes.append(tr("talk.capped", lang, shown=len(listed)))
    if found.clipped:
        notes.append(tr("talk.clipped", lang))
    return Reply(
        title=tr("talk.many", lang, query=shown),
        text=sentences(notes, lang),
        sections=sections,
        footer=tr("talk.more", lang),
        actions=_star_actions(ctx, listed),
    )


def _named_groups(ctx: Ctx, query: str) -> list[tuple[str, list[Session]]]:
    """(heading, sessions) for the track, room and speaker a query names by a whole name, if any: /talk lists
    their sessions first."""
    index, lang = ctx.app.index, ctx.lang
    groups: list[tuple[str, list[Session]]] = []
    key = index.resolve_track(query)
    if key is not None:
        track = ctx.app.catalog.tracks.get(key)
        groups.append((tr("talk.track", lang, name=track.name_in(lang) if track else key), index.track_sessions(key)))
    room = index.resolve_room(query)
    if room is not None:
        sessions = index.room_sessions(room)
        name = next((s.room_in(lang) for s in sessions[:1]), None) or room
        groups.append((tr("talk.room", lang, name=name), sessions))
    person = index.speaker_named(query)
    if person is not None:
        groups.append((tr("speaker.title", lang, name=person.name_in(lang)), list(person.sessions)))
    seen: set[str] = set()
    out = []
    for heading, sessions in groups:
        fresh = [s for s in sessions if s.id not in seen]
        seen.update(s.id for s in fresh)
        if fresh:
            out.append((heading, fresh))
    return out


@command(
    "next",
    "The sessions that start next (after now, or after a time you give)",
    Option("track", "Only this track", TRACK),
    Option("room", "Only this room", ROOM),
    Option("at", "Start from this time instead of now, e.g. “tomorrow 9am”, “明天上午9点”", AT),
    ephemeral=False,
)
async def next_sessions(
    ctx: Ctx, track: str | None = None, room: str | None = None, at: datetime | None = None
) -> Reply:
    catalog = ctx.app.catalog
    when = at or ctx.now
    upcoming = list(_filtered(catalog.starting_from(when + timedelta(seconds=1) if at is None else when), track, room))
    title = (
        tr("next.title.at", ctx.lang, when=fmt_moment(when.astimezone(ctx.app.tz), ctx.lang))
        if at
        else tr("next.title", ctx.lang)
    )
    if not upcoming:
        filters = _describe_filters(ctx, track, room, None)
        text = tr("next.none", ctx.lang, when=fmt_moment(when.astimezone(ctx.app.tz), ctx.lang))
        hint = tr("schedule.wider", ctx.lang, option="track/room") if filters else tr("next.none.hint", ctx.lang)
        return _noted(
            ctx, Reply(title=title, text=text + (f" ({filters})" if filters else ""), footer=hint), track, room
        )
    starts = sorted({s.start for s in upcoming})[:NEXT_SLOTS]
    chosen = [s for s in upcoming if s.start in starts]
    sections = []
    for start in starts:
        group = [s for s in chosen if s.start == start]
        sections.append(Section(fmt_moment(start, ctx.lang), [session_entry(ctx, s) for s in group], dated=True))
    text = ""
    first_day = catalog.days[0] if catalog.days else None
    if first_day and when.astimezone(ctx.app.tz).date() < first_day:
        text = tr("next.before", ctx.lang, when=fmt_day(first_day, ctx.lang))
    return _noted(
        ctx, Reply(title=title, text=text, sections=sections, actions=_star_actions(ctx, chosen)), track, room
    )


@command(
    "now",
    "What is on right now, and what follows in each room",
    Option("track", "Only this track", TRACK),
    Option("room", "Only this room", ROOM),
    ephemeral=False,
)
async def now_on(ctx: Ctx, track: str | None = None, room: str | None = None) -> Reply:
    catalog = ctx.app.catalog
    now = ctx.now
    running = [s for s in _filtered(catalog.scheduled, track, room) if s.start <= now < (s.end or s.start)]
    following: dict[str, Session] = {}
    for s in _filtered(catalog.starting_from(now + timedelta(seconds=1)), track, room):
        if s.start.date() != now.astimezone(ctx.app.tz).date():
            break
        key = s.room or s.track
        following.setdefault(key, s)
    sections = []
    if running:
        on_now = [session_entry(ctx, s) for s in running]
        for entry, s in zip(on_now, running, strict=True):
            entry.lines.extend(watch_lines(ctx, s))  # where to watch what is on (issue 12)
        sections.append(Section(tr("now.title", ctx.lang), on_now))
    if following:
        sections.append(
            Section(
                tr("now.following", ctx.lang),
                [session_entry(ctx, s) for s in sorted(following.values(), key=lambda s: (s.start, s.room or ""))],
            )
        )
    if not sections:
        nxt = await next_sessions(ctx, track=track, room=room)
        nxt.title = tr("now.title", ctx.lang)
        nxt.text = (
            sentences(
                (tr("now.none", ctx.lang, when=fmt_moment(now.astimezone(ctx.app.tz), ctx.lang)), nxt.text), ctx.lang
            )
        ).strip()
        return nxt
    text = "" if running else tr("now.none", ctx.lang, when=fmt_moment(now.astimezone(ctx.app.tz), ctx.lang))
    reply = Reply(title=tr("now.title", ctx.lang), text=text, sections=sections, actions=_star_actions(ctx, running))
    return _noted(ctx, reply, track, room)


@command(
    "schedule",
    "The programme by day in time order, from today during the conference; filter by track, day or room",
    Option("track", "Only this track", TRACK),
    Option("day", "Only this day: “day 2”, “tomorrow”, “8月9日”", DAY),
    Option("room", "Only this room", ROOM),
)
async def schedule(ctx: Ctx, track: str | None = None, day: date | None = None, room: str | None = None) -> Reply:
    """The programme by day; without a day during the conference, from today on (earlier days by `day`)."""
    catalog = ctx.app.catalog
    chosen = [s for s in _filtered(catalog.scheduled, track, room) if day is None or s.start.date() == day]
    from_day = _from_today(ctx) if day is None else None
    if from_day is not None:
        upcoming = [s for s in chosen if s.start.date() >= from_day]
        from_day = from_day if upcoming else None  # nothing left today or later: the whole programme, as asked
        chosen = upcoming or chosen
    filters = _describe_filters(ctx, track, room, day)
    title = tr("schedule.title", ctx.lang) + (f" · {filters}" if filters else "")
    if not chosen:
        if day and catalog.days and day not in catalog.days:
            days = listing((fmt_day(d, ctx.lang, i + 1) for i, d in enumerate(catalog.days)), ctx.lang)
            raise UserError(
                tr("schedule.no_day", ctx.lang, day=fmt_day(day, ctx.lang)), tr("schedule.days", ctx.lang, days=days)
            )
        option = "day" if day else "track" if track else "room"
        reply = Reply(
            title=title,
            text=tr("schedule.empty", ctx.lang, filters=filters or "—"),
            footer=tr("schedule.wider", ctx.lang, option=option),
        )
        return _noted(ctx, reply, track, room)
    shown_note = ""
    if len(chosen) > MAX_SCHEDULE:
        shown_note = tr("schedule.capped", ctx.lang, shown=MAX_SCHEDULE, total=f"{len(chosen):,}")
        chosen = chosen[:MAX_SCHEDULE]
    by_day: dict[date, list[Session]] = defaultdict(list)
    for s in chosen:
        by_day[s.start.date()].append(s)
    sections = [
        Section(fmt_day(d, ctx.lang, catalog.day_number(d)), [session_entry(ctx, s) for s in by_day[d]], dated=True)
        for d in sorted(by_day)
    ]
    notes = []
    if from_day is not None:
        key = "schedule.from_today" if from_day == ctx.now.astimezone(ctx.app.tz).date() else "schedule.from_day"
        shown_note = sentences((tr(key, ctx.lang, day=fmt_day(from_day, ctx.lang)), shown_note), ctx.lang)
        notes.append(tr("schedule.earlier", ctx.lang, n=1))
    if not (track or room or day) and catalog.unscheduled:
        notes.append(tr("unscheduled.note", ctx.lang, n=len(catalog.unscheduled)))
    return _noted(
        ctx, Reply(title=title, text=shown_note, sections=sections, footer=sentences(notes, ctx.lang)), track, room
    )


def _noted(ctx: Ctx, reply: Reply, track: str | None, room: str | None) -> Reply:
    """The reply, saying first which track or room it took a part of a name for ("tomcat" -> Web Server/Tomcat)."""
    note = taken_notes(ctx, track, room)
    if note:
        reply.text = sentences((note, reply.text), ctx.lang)
    return reply


def _from_today(ctx: Ctx) -> date | None:
    """During the conference, after its first day: the first of its days from today on (today, on a conference day)."""
    days = ctx.app.catalog.days
    today = ctx.now.astimezone(ctx.app.tz).date()
    if not days or not days[0] < today <= days[-1]:
        return None
    return next(d for d in days if d >= today)


@command(
    "speaker",
    "A speaker's sessions",
    Option("name", "The speaker's name (any order, English or Chinese)", SPEAKER, required=True),
)
async def speaker(ctx: Ctx, name: str) -> Reply:
    """One person's sessions, headed with their name in the reader's language; a part of a name several people
    share ("wang") lists each of them with their sessions."""
    index, lang = ctx.app.index, ctx.lang
    people, total = index.speakers(name, MAX_SPEAKERS)
    if not people:
        raise UserError(
            tr("speaker.none", lang, name=clip(name, MAX_ECHO)),
            suggestions(index.closest("speaker", name), lang) or tr("speaker.none.hint", lang),
        )
    if len(people) == 1 and total == 1:
        (person,) = people
        return Reply(
            title=tr("speaker.title", lang, name=person.name_in(lang)),
            sections=[Section("", [session_entry(ctx, s) for s in person.sessions])],
            actions=_star_actions(ctx, list(person.sessions)),
        )
    notes = [tr("speaker.count", lang, n=total)]
    if total > len(people):
        notes.append(tr("speaker.capped", lang, shown=len(people)))
    sections = []
    for person in people:
        own, other = person.name_in(lang), person.name_in("en" if lang == "zh" else "zh")
        heading = f"{own} ({other})" if other and other != own else own
        sections.append(Section(heading, [session_entry(ctx, s) for s in person.sessions]))
    return Reply(
        title=tr("speaker.several", lang, name=clip(name, MAX_ECHO)),
        text=sentences(notes, lang),
        sections=sections,
        actions=_star_actions(ctx, [s for p in people for s in p.sessions]),
    )


@command("tracks", "The tracks with their names and how many sessions each has", ephemeral=False)
async def tracks(ctx: Ctx) -> Reply:
    catalog = ctx.app.catalog
    entries = []
    for t in sorted(catalog.tracks.values(), key=lambda t: (-t.count, t.key)):
        other = t.name_zh if ctx.lang == "en" else t.name
        title = t.name_in(ctx.lang) + (f" ({other})" if other and other != t.name_in(ctx.lang) else "")
        lines = [f"`{t.key}` · " + tr("tracks.sessions", ctx.lang, n=t.count)]
        if chairs := t.chairs_in(ctx.lang):  # from the Chinese track file for a Chinese reader
            lines.append(tr("tracks.chairs", ctx.lang, names=listing(chairs, ctx.lang)))
        entries.append(Entry(title=title, lines=lines))
    return Reply(
        title=tr("tracks.title", ctx.lang),
        sections=[Section("", entries)],
        footer=tr("tracks.hint", ctx.lang),
    )


@command(
    "when",
    "What a typed time means, in conference time and as an exact instant",
    Option("text", "A time as you would type it: “tomorrow 3pm”, “in 2 hours”, “明天下午3点”", AT, required=True),
)
async def when(ctx: Ctx, text: datetime) -> Reply:
    local = text.astimezone(ctx.app.tz)
    iso = local.isoformat(timespec="minutes")
    entry = Entry(
        title=_conference_time(ctx),
        start=local,
        lines=[
            tr("when.iso", ctx.lang, value=iso),
            tr("when.utc", ctx.lang, value=text.astimezone(UTC).isoformat(timespec="minutes")),
        ],
    )
    return Reply(title=tr("when.title", ctx.lang, text=ctx.raw.get("text", "")), sections=[Section("", [entry])])


def _conference_time(ctx: Ctx) -> str:
    """ "Harbour Summit time (Asia/Shanghai)", or "Conference time (…)" for a programme that names no conference."""
    name = ctx.app.config.known_name()
    zone = ctx.app.tz.key
    return tr("when.local", ctx.lang, name=name, zone=zone) if name else tr("when.local.neutral", ctx.lang, zone=zone)


def watch_lines(ctx: Ctx, s: Session) -> list[str]:
    """Where to watch a session (its own link, else its room's stream), as a line of a reply; [] for nowhere."""
    watch = watch_link(s, ctx.app.config.live.streams)
    if watch is None:
        return []
    return [tr("live.watch.session" if watch.source == "session" else "live.watch.room", ctx.lang, url=watch.url)]


@command("help", "What the bot can do")
async def help_(ctx: Ctx) -> Reply:
    entries = []
    for name, cmd in sorted(REGISTRY.items()):
        if cmd.organizer_only and not ctx.user.is_organizer:
            continue
        opts = " ".join(f"{o.name}:…" if o.required else f"[{o.name}]" for o in cmd.options)
        entries.append(Entry(title=f"/{name} {opts}".strip(), lines=[cmd.describe(ctx.lang)]))
    return Reply(
        title=tr("help.title", ctx.lang),
        sections=[Section("", entries)],
        footer=tr("help.footer", ctx.lang),
    )
