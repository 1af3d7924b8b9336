"""Resolution: the parts a phrase names turned into an aware datetime (or a day) in the reader's zone.

Days are counted in the reader's zone; an explicit zone says only whose clock the time of day is on. A wall time
skipped by a DST change is refused with the nearest real time as the example; a repeated one takes its first
occurrence. "in 2 hours" is elapsed time, "in 2 days" keeps the wall-clock time. A part of the day without an hour
is its default time; a day alone where a moment is asked for is when that day's programme starts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.core.text import has_cjk
from bot.core.timeparse.context import Ctx, eg_date, md, quote, show
from bot.core.timeparse.errors import TimeParseError
from bot.core.timeparse.lexicon import PART_OF_DAY_DEFAULTS, WEEKDAY_NAMES
from bot.core.timeparse.parts import Parts, Time
from bot.core.timeparse.relative import resolve_weekday
from bot.core.timeparse.time_of_day import hour_of_day
from bot.i18n import WEEKDAYS_ZH


def resolve_date(parts: Parts, today: date, ctx: Ctx) -> date | None:
    """The day the parts name, seen from today (None when they name none); a date and a weekday must agree."""
    chosen = parts.date_fn(today) if parts.date_fn else None
    if parts.weekday is None:
        return chosen
    wd, mode = parts.weekday
    if chosen is None:
        return resolve_weekday(today, wd, mode)
    if chosen.weekday() != wd:
        real = chosen.weekday()
        day = chosen
        raise ctx.error(
            "time.wrong_weekday",
            date=lambda lang: (
                f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{md(day, False)}, {day.year}"
            ),
            real=lambda lang: WEEKDAYS_ZH[real] if lang == "zh" else WEEKDAY_NAMES[real],
            said=lambda lang: WEEKDAYS_ZH[wd] if lang == "zh" else WEEKDAY_NAMES[wd],
            examples=eg_date(ctx, [md(day, False)], [md(day, True)]),
        )
    return chosen


def _localise(naive: datetime, zone: tzinfo, ctx: Ctx) -> datetime:
    """A wall time on zone's clock; one repeated when the clocks went back is its first occurrence (fold=0)."""
    aware = naive.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != naive:
        # A wall time skipped when the clocks went forward.
        name = getattr(zone, "key", str(zone))
        raise ctx.error(
            "time.skipped", wall=f"{naive:%Y-%m-%d %H:%M}", zone=name, examples=quote([f"{back:%Y-%m-%d %H:%M}"])
        )
    return aware


_PERIOD_EXAMPLE = {
    None: ("3pm", "下午3点"),
    "am": ("9am", "9点"),
    "early": ("5am", "5点"),
    "pm": ("3pm", "3点"),
    "evening": ("8pm", "8点"),
    "noon": ("12:30", "12点半"),
}


def _need_time_error(text: str, parts: Parts, ctx: Ctx) -> TimeParseError:
    day = parts.date_src or parts.weekday_src
    en, cn = _PERIOD_EXAMPLE[parts.period]
    if has_cjk(text):
        said = day + parts.period_src if parts.period_src != day else day
        ex = said + (cn if parts.period else "下午3点")
    else:
        # "tonight" is both the day and the part of day: "tonight 8pm", not "tonight tonight 8pm".
        ex = f"{day} {en}".strip() if day else f"{parts.period_src} {en}".strip()
    return ctx.error("time.needs_time", text=show(text.strip()), examples=quote([ex]))


def moment(text: str, parts: Parts, now: datetime, tz: tzinfo, ctx: Ctx) -> datetime:
    """The moment the parts name, as an aware datetime in tz."""
    # Days are counted in tz, the reader's calendar; an explicit zone says only whose clock
    # the time of day is on: "tomorrow 9am EDT" is tomorrow here, at 9 on New York's clock.
    zone = parts.zone or tz
    local_now = now.astimezone(zone)
    today = now.astimezone(tz).date()
    has_day = parts.date_fn is not None or parts.weekday is not None
    if parts.rel is not None:
        if parts.rel.seconds and (has_day or parts.time or parts.period):
            ex = ["2小时后", "明天下午3点"] if ctx.zh else ["in 2 hours", "tomorrow 3pm"]
            raise ctx.error("time.already_moment", src=ctx.show(parts.rel_src), examples=quote(ex))
        if parts.time is None and not has_day and parts.period is None:
            # Calendar days keep the wall-clock time; hours and minutes are elapsed time.
            wall = local_now.replace(tzinfo=None) + timedelta(days=parts.rel.days)
            moved = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
            return (moved.astimezone(UTC) + timedelta(seconds=parts.rel.seconds)).astimezone(tz)
        if has_day:
            ex = (
                ["2天后下午3点", f"{md(ctx.ref, True)}下午3点"]
                if ctx.zh
                else ["in 2 days 3pm", f"{md(ctx.ref, False)} 3pm"]
            )
            raise ctx.error("time.rel_and_day", src=ctx.show(parts.rel_src), examples=quote(ex))
        if parts.rel.days != int(parts.rel.days):
            raise ctx.error("time.whole_days", examples=quote(["2天后下午3点" if ctx.zh else "in 2 days 3pm"]))
        today = today + timedelta(days=int(parts.rel.days))
    day = resolve_date(parts, today, ctx) or today
    t = parts.time
    if t is None and parts.date_is_offset and parts.period is None and parts.weekday is None:
        wall = datetime.combine(day, now.astimezone(tz).time().replace(tzinfo=None))
        return wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    if t is None:
        default = PART_OF_DAY_DEFAULTS.get(parts.period or "")
        if default is not None:  # "tomorrow morning" is tomorrow at 09:00
            t = Time(default.hour, default.minute, source=parts.period_src)
        elif parts.period is None and parts.zone is None and has_day and ctx.day_start is not None:
            start = ctx.day_start(day)  # "tomorrow" is when tomorrow's programme starts
            if start is None:
                raise _need_time_error(text, parts, ctx)
            return start.astimezone(tz)
        else:
            raise _need_time_error(text, parts, ctx)
    hour = hour_of_day(t, parts.period, ctx)
    if hour == 24:
        day, hour = day + timedelta(days=1), 0
    naive = datetime.combine(day, time(hour, t.minute, t.second))
    return _localise(naive, zone, ctx).astimezone(tz)
