"""The three parsers: ``parse_at`` (a moment), ``parse_day`` (a day), ``parse_lead`` (how long before), and
``parse`` (one of them by kind).

Each normalises the text, scans it with the grammar and resolves what it names; words the grammar does not know
go to the dateparser fallback (moments and days only) before the reader is told what was not understood.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import require_aware
from bot.core.timeparse.context import Ctx, DayStart, examples, prepare, show, what
from bot.core.timeparse.durations import match_duration
from bot.core.timeparse.errors import TimeParseError, Unrecognised
from bot.core.timeparse.fallback import read_with_dateparser
from bot.core.timeparse.grammar import scan
from bot.core.timeparse.resolve import moment, resolve_date


def _not_understood(text: str, ctx: Ctx, piece: str, normalised: str) -> TimeParseError:
    whole = show(text.strip())
    if piece and piece != normalised:
        return ctx.error(
            "time.unreadable.part", piece=ctx.show(piece), text=whole, what=what(ctx.kind), examples=examples(ctx)
        )
    return ctx.error("time.unreadable", text=whole, what=what(ctx.kind), examples=examples(ctx))


def parse_at(
    text: str,
    now: datetime,
    tz: ZoneInfo,
    days: Sequence[date] = (),
    *,
    day_start: DayStart | None = None,
    lang: str | None = None,
) -> datetime:
    """A moment, as an aware datetime in tz: "tomorrow 3pm", "in 10 minutes", "明天下午3点", "tomorrow morning".

    `days` are the programme's days ("day 2"); `day_start` says when the programme starts on a day, so that a day
    alone ("tomorrow", "下周一") is that start; `lang` is the reader's language for refusals (default: as typed).
    """
    require_aware(now, "now")
    s, ctx = prepare(text, "at", days, lang, now, tz, day_start)
    try:
        return moment(text, scan(s, ctx), now, tz, ctx)
    except Unrecognised as err:
        found = read_with_dateparser(s, now, tz, want_time=True)
        if found is not None:
            return found
        raise _not_understood(text, ctx, str(err), s) from None
    except OverflowError:
        raise ctx.error("time.too_far.now", examples=examples(ctx)) from None


def parse_day(text: str, now: datetime, tz: ZoneInfo, days: Sequence[date] = (), *, lang: str | None = None) -> date:
    """A day: "day 2", "tomorrow", "Sunday", "Aug 8", "第三天", "8月9日", "后天", "next Monday", "下周一"."""
    require_aware(now, "now")
    s, ctx = prepare(text, "day", days, lang, now, tz)
    try:
        parts = scan(s, ctx)
        has_day = parts.date_fn is not None or parts.weekday is not None
        if parts.rel is not None and not parts.rel.seconds and parts.time is None and not has_day:
            return (now.astimezone(tz) + timedelta(days=parts.rel.days)).date()  # "1 week 2 days later"
        if parts.time is not None or parts.rel is not None:
            if not has_day and parts.rel is None:
                raise ctx.error("time.not_a_day", text=show(text.strip()), examples=examples(ctx))
            # A day with a time ("tomorrow 3pm", "day 2 23:30 UTC"): the day that moment falls on here.
            return moment(text, parts, now, tz, ctx).date()
        if not has_day:
            raise ctx.error("time.names_no_day", text=show(text.strip()), examples=examples(ctx))
        return resolve_date(parts, now.astimezone(tz).date(), ctx)  # type: ignore[return-value]
    except Unrecognised as err:
        found = read_with_dateparser(s, now, tz, want_time=False)
        if found is not None:
            return found.date()
        raise _not_understood(text, ctx, str(err), s) from None
    except OverflowError:
        raise ctx.error("time.too_far.today", examples=examples(ctx)) from None


_LEAD_PREFIX = re.compile(r"^(?:in\s+|提前\s*|早\s*)")
_LEAD_SUFFIX = re.compile(r"\s*(?:before(?:hand)?|earlier|early|ahead|prior|in\s+advance|之前|以前|前|提醒(?:我)?)$")
_MAX_LEAD = timedelta(days=366)


def parse_lead(text: str, *, lang: str | None = None) -> timedelta:
    """How long before something to remind: "15 minutes", "1h30m", "half an hour", "半小时", "15"."""
    s, ctx = prepare(text, "lead", lang=lang)
    if s.startswith("-"):
        raise ctx.error("time.lead.positive", examples=examples(ctx))
    s = _LEAD_PREFIX.sub("", s)
    s = _LEAD_SUFFIX.sub("", s).strip()
    if re.fullmatch(r"\d{1,6}", s):
        lead = timedelta(minutes=int(s))  # a bare number where a lead is asked for is minutes
    else:
        found = match_duration(s, 0)
        if found is None or found[1] != len(s):
            raise ctx.error("time.unreadable", text=show(text.strip()), what=what("lead"), examples=examples(ctx))
        try:
            lead = found[0].as_timedelta()
        except OverflowError:
            lead = _MAX_LEAD * 2
    if lead <= timedelta(0):
        raise ctx.error("time.lead.positive", examples=examples(ctx))
    if lead > _MAX_LEAD:
        raise ctx.error("time.lead.too_long", text=show(text.strip()), examples=examples(ctx))
    return lead


def parse(
    text: str,
    kind: str,
    now: datetime,
    tz: ZoneInfo,
    days: Sequence[date] = (),
    *,
    day_start: DayStart | None = None,
    lang: str | None = None,
) -> datetime | date | timedelta:
    """Dispatch on kind: "at" for a moment, "day" for a date, "lead" for a duration."""
    if kind == "at":
        return parse_at(text, now, tz, days, day_start=day_start, lang=lang)
    if kind == "day":
        return parse_day(text, now, tz, days, lang=lang)
    if kind == "lead":
        return parse_lead(text, lang=lang)
    raise ValueError(f"unknown kind {kind!r}; expected 'at', 'day' or 'lead'")
