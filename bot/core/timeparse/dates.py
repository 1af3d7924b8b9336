"""Days named on the calendar or by the programme: "2026-08-09", "Aug 8", "8 August", "8/9", "8月9日", "9号", "the 9th",
"day 2", "第三天", "last day".

A month and day without a year is the nearest such date; "8/9" is refused as ambiguous unless only one reading is a
conference day; a conference day needs the programme's days.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import date

from bot.core.timeparse.context import Ctx, eg_calendar, eg_date, md
from bot.core.timeparse.errors import TimeParseError
from bot.core.timeparse.lexicon import MONTH_NAMES, MONTHS, NB, ORDINALS, alts
from bot.core.timeparse.parts import Parts, Rule
from bot.i18n import fmt_day


def _check_day(y: int, m: int, d: int, src: str, ctx: Ctx) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise ctx.error("time.not_on_calendar", src=ctx.show(src), examples=eg_calendar(ctx)) from None


def _month_day(month: int, day: int, year: int | None, src: str, ctx: Ctx) -> Callable[[date], date]:
    if not 1 <= month <= 12:
        raise ctx.error("time.no_month", src=ctx.show(src), month=str(month), examples=eg_calendar(ctx))
    if year is not None:
        fixed = _check_day(year, month, day, src, ctx)
        return lambda today: fixed

    def resolve(today: date) -> date:
        # The nearest such date to today, ties to the future: "Aug 5" typed on Aug 7 is two
        # days ago, not next year.
        candidates = []
        for y in (today.year - 1, today.year, today.year + 1):
            with contextlib.suppress(ValueError):
                candidates.append(date(y, month, day))
        if not candidates:
            _check_day(today.year, month, day, src, ctx)
        return min(candidates, key=lambda c: (abs((c - today).days), c < today))

    if day < 1 or day > 31 or (month == 2 and day > 29) or (month in (4, 6, 9, 11) and day > 30):
        _check_day(2000, month, day, src, ctx)  # 2000: a leap year, so only impossible days fail
    return resolve


def _conference_day(n: int, src: str, ctx: Ctx) -> Callable[[date], date]:
    if not ctx.days:
        raise ctx.error("time.no_days", src=ctx.show(src), examples=eg_calendar(ctx))
    if n == -1:
        n = len(ctx.days)
    if not 1 <= n <= len(ctx.days):
        last = len(ctx.days)
        first_day, last_day = ctx.days[0], ctx.days[-1]
        if last == 1:
            ex = eg_date(ctx, ["day 1", md(first_day, False)], ["第1天", md(first_day, True)])
            raise ctx.error(
                "time.outside_day", first=lambda lang: fmt_day(first_day, lang), src=ctx.show(src), examples=ex
            )
        ex = eg_date(ctx, ["day 1", f"day {last}"], ["第1天", f"第{last}天"])
        raise ctx.error(
            "time.outside_days",
            n=str(last),
            first=lambda lang: fmt_day(first_day, lang),
            last=lambda lang: fmt_day(last_day, lang),
            src=ctx.show(src),
            examples=ex,
        )
    chosen = ctx.days[n - 1]
    return lambda today: chosen


def _year(text: str | None, src: str, ctx: Ctx) -> int | None:
    if text is None:
        return None
    y = int(text)
    if not 1970 <= y <= 2200:
        iso = ctx.ref.isoformat()
        raise ctx.error("time.unlikely_year", src=ctx.show(src), examples=eg_date(ctx, [iso], [iso]))
    return y


def _day_of_month(day: int, src: str, ctx: Ctx) -> Callable[[date], date]:
    if not 1 <= day <= 31:
        raise ctx.error("time.not_day_of_month", src=ctx.show(src), examples=eg_date(ctx, ["the 9th"], ["9号"]))

    def resolve(today: date) -> date:
        # The nearest month that has this day: "5号" on Aug 7 is Aug 5.
        options = []
        for delta in (-1, 0, 1):
            y, mo = divmod(today.month - 1 + delta, 12)
            with contextlib.suppress(ValueError):
                options.append(date(today.year + y, mo + 1, day))
        return min(options, key=lambda c: (abs((c - today).days), c < today))

    return resolve


def _tok_iso(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    y = _year(m.group(1), m.group(0), ctx)
    d = _check_day(y, int(m.group(2)), int(m.group(3)), m.group(0), ctx)  # type: ignore[arg-type]
    p.put("date_fn", lambda today: d, m.group(0))


def _tok_zh_date(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    fn = _month_day(int(m.group(2)), int(m.group(3)), _year(m.group(1), m.group(0), ctx), m.group(0), ctx)
    p.put("date_fn", fn, m.group(0))


def _tok_day_of_month(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    p.put("date_fn", _day_of_month(int(m.group(1)), m.group(0), ctx), m.group(0))


def _tok_month_first(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    fn = _month_day(MONTHS[m.group(1)], int(m.group(2)), _year(m.group(3), m.group(0), ctx), m.group(0), ctx)
    p.put("date_fn", fn, m.group(0))


def _tok_day_first(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    fn = _month_day(MONTHS[m.group(2)], int(m.group(1)), _year(m.group(3), m.group(0), ctx), m.group(0), ctx)
    p.put("date_fn", fn, m.group(0))


def _tok_numeric_md(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    a, b, src = int(m.group(1)), int(m.group(3)), m.group(0)
    year = m.group(4)
    if year is not None and len(year) == 2:
        year = "20" + year
    y = _year(year, src, ctx)
    readings: list[tuple[int, int, Callable[[date], date]]] = []
    for month, day in ((a, b), (b, a)):
        if 1 <= month <= 12 and 1 <= day <= 31 and (month, day) not in [r[:2] for r in readings]:
            with contextlib.suppress(TimeParseError):
                readings.append((month, day, _month_day(month, day, y, src, ctx)))
    if not readings:
        raise ctx.error("time.not_date", src=ctx.show(src), examples=eg_calendar(ctx))
    if len(readings) > 1 and ctx.days:
        # Only one reading falls on the conference: that is the one meant.
        on_days = [r for r in readings if any(d.month == r[0] and d.day == r[1] for d in ctx.days)]
        if len(on_days) == 1:
            readings = on_days
    if len(readings) > 1:
        (m1, d1, _), (m2, d2, _) = readings
        one, other = f"{MONTH_NAMES[m1 - 1]} {d1}", f"{MONTH_NAMES[m2 - 1]} {d2}"
        one_zh, other_zh = f"{m1}月{d1}日", f"{m2}月{d2}日"
        raise ctx.error(
            "time.two_dates",
            src=ctx.show(src),
            one=lambda lang: one_zh if lang == "zh" else one,
            other=lambda lang: other_zh if lang == "zh" else other,
            examples=eg_date(ctx, [one, other], [one_zh, other_zh]),
        )
    p.put("date_fn", readings[0][2], src)


def _tok_conf_day(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    src = m.group(0)
    if m.group("n"):
        n = int(m.group("n"))
    elif m.group("ord"):
        n = ORDINALS[m.group("ord")]
    else:
        n = -1  # last day
    p.put("date_fn", _conference_day(n, src, ctx), src)


def _tok_zh_conf_day(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    src = m.group(0)
    if m.group(1):
        n = int(m.group(1))
    elif "首" in src:
        n = 1
    else:
        n = -1
    p.put("date_fn", _conference_day(n, src, ctx), src)


ISO_DATE: Rule = (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)(?:t(?=\d))?"), _tok_iso)
ZH_DATE: Rule = (
    re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号|號)?(?![\d后後])"),
    _tok_zh_date,
)
CONFERENCE_DAY: Rule = (
    re.compile(
        rf"(?:day\s*(?P<n>\d{{1,2}})(?![\d:a-z])|(?:the\s+)?(?:(?P<ord>{alts(ORDINALS)})|(?P<last>last|final))\s+day{NB})"
    ),
    _tok_conf_day,
)
ZH_CONFERENCE_DAY: Rule = (
    re.compile(r"(?:会议|會議)?(?:第\s*(\d{1,2})\s*[天日]|最后\s*1\s*天|最後\s*1\s*天|首日)"),
    _tok_zh_conf_day,
)
MONTH_FIRST: Rule = (
    re.compile(
        rf"({alts(MONTHS)})\.?\s*(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])(?:\s*,?\s*(\d{{4}})(?![\d:]))?"
    ),
    _tok_month_first,
)
DAY_FIRST: Rule = (
    re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?({alts(MONTHS)})\.?{NB}(?:\s*,?\s*(\d{{4}})(?![\d:]))?"),
    _tok_day_first,
)
# "8/9", "8.9" (but not "3.30pm"): month first, as in China and the US; see _tok_numeric_md.
NUMERIC_DATE: Rule = (
    re.compile(r"(\d{1,2})([/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d/.a-z]|\s*[ap]\.?m\.?(?![a-z]))"),
    _tok_numeric_md,
)
ZH_DAY_OF_MONTH: Rule = (re.compile(r"(\d{1,2})\s*(?:号|號|日)(?![后後])"), _tok_day_of_month)
EN_DAY_OF_MONTH: Rule = (re.compile(rf"(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th){NB}"), _tok_day_of_month)
