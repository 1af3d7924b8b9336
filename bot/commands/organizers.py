"""What organizers need to see during the conference: /popular (sessions by stars, with their rooms) and /stats."""

from __future__ import annotations

from datetime import date

from bot.commands.base import DAY, TRACK, Ctx, Entry, Option, Reply, Section, command
from bot.i18n import fmt_day, fmt_moment, listing, tr

MAX_POPULAR = 40  # five pages: the crowded talks are at the top


@command(
    "popular",
    "Sessions by number of stars, with the room each is in, to move a crowded talk before it fills",
    Option("day", "Only this day: “day 2”, “tomorrow”, “8月9日”", DAY),
    Option("track", "Only this track", TRACK),
    organizer_only=True,
    needs_storage=True,
    read_only=True,
)
async def popular(ctx: Ctx, day: date | None = None, track: str | None = None) -> Reply:
    catalog = ctx.app.catalog
    counts = await (await ctx.storage()).star_counts()
    chosen = [
        s
        for s in catalog.sessions
        if counts.get(s.id)
        and (track is None or s.track == track)
        and (day is None or (s.start is not None and s.start.astimezone(ctx.app.tz).date() == day))
    ]
    chosen.sort(key=lambda s: (-counts[s.id], s.start is None, s.start or ctx.now, s.id))
    filters = listing(
        (
            x
            for x in (
                fmt_day(day, ctx.lang, catalog.day_number(day)) if day else "",
                catalog.tracks[track].name_in(ctx.lang) if track and track in catalog.tracks else (track or ""),
            )
            if x
        ),
        ctx.lang,
    )
    title = tr("popular.title", ctx.lang) + (f" · {filters}" if filters else "")
    if not chosen:
        return Reply(title=title, text=tr("popular.none", ctx.lang))
    entries = [
        Entry(
            title=s.title_in(ctx.lang),
            start=s.start,
            end=s.end,
            lines=[
                tr(
                    "popular.stars",
                    ctx.lang,
                    n=counts[s.id],
                    room=s.room_in(ctx.lang) or tr("popular.no_room", ctx.lang),
                )
            ],
            session_id=s.id,
        )
        for s in chosen[:MAX_POPULAR]
    ]
    return Reply(title=title, sections=[Section("", entries)], footer=tr("popular.hint", ctx.lang))


@command(
    "stats",
    "Stars, reminders, room posts, announcements and the last programme reload",
    organizer_only=True,
    needs_storage=True,
    read_only=True,
)
async def stats(ctx: Ctx) -> Reply:
    storage = await ctx.storage()
    lang = ctx.lang
    users, stars = await storage.star_totals()
    reminders = await storage.delivery_counts("reminder")
    changes = await storage.delivery_counts("change")
    posts = await storage.live_post_counts()
    lines = [
        tr("stats.stars", lang, users=users, stars=stars),
        tr(
            "stats.reminders",
            lang,
            sent=reminders.get("sent", 0),
            failed=reminders.get("failed", 0),
            pending=reminders.get("pending", 0),
            missed=reminders.get("missed", 0),
        ),
        tr("stats.changes", lang, sent=changes.get("sent", 0), failed=changes.get("failed", 0)),
        tr(
            "stats.posts",
            lang,
            sent=posts.get("sent", 0),
            pending=posts.get("pending", 0),
            missed=posts.get("missed", 0),
            failed=posts.get("failed", 0),
        ),
        tr("stats.announcements", lang, n=await storage.waiting_announcement_count()),
    ]
    reload = ctx.app.services.last_reload
    if reload is None:
        catalog = ctx.app.catalog
        lines.append(tr("stats.loaded", lang, problems=len(catalog.problems), broken=len(catalog.failed_files)))
    else:
        when, problems, broken = reload
        lines.append(
            tr(
                "stats.reload",
                lang,
                when=fmt_moment(when.astimezone(ctx.app.tz), lang),
                problems=problems,
                broken=broken,
            )
        )
    return Reply(
        title=tr("stats.title", lang),
        sections=[Section("", [Entry(title=line) for line in lines])],
        footer=tr("stats.hint", lang),
    )
