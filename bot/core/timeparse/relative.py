"""Days named from today: "today", "明天", "the day after tomorrow", "tonight", "friday", "next Monday", "下周一",
"in 2 days", "3天后", and "now".

Weekdays mean the next such day, today included; "next friday" on a Friday is a week on; 下周X is that day of
next week (weeks start Monday).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.core.timeparse.context import Ctx, eg_date
from bot.core.timeparse.durations import Duration
from bot.core.timeparse.lexicon import DAY_AND_PERIOD, DAY_OFFSETS, NB, REL_SUFFIX, WEEKDAYS, alts
from bot.core.timeparse.parts import Parts, Rule


def _tok_relative_word(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    word = m.group(0).strip()
    if word in DAY_AND_PERIOD:
        days, period = DAY_AND_PERIOD[word]
        p.put("date_fn", lambda today: today + timedelta(days=days), word, also=(("period", period),))
        return
    days = DAY_OFFSETS[word]
    p.put("date_fn", lambda today: today + timedelta(days=days), word)


def _tok_weekday_en(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    mode = {"next": "next", "this": "coming", "coming": "coming", "last": "last", None: "coming"}[m.group(1)]
    p.put("weekday", (WEEKDAYS[m.group(2)], mode), m.group(0))


def _tok_weekday_zh(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    prefix, wd = m.group(1), m.group(2)
    mode = {
        None: "coming",
        "这": "thisweek",
        "這": "thisweek",
        "本": "thisweek",
        "下": "nextweek",
        "下下": "weekafter",
        "上": "lastweek",
    }[prefix]
    index = 6 if wd in "日天" else int(wd) - 1
    if not 0 <= index <= 6:
        raise ctx.error(
            "time.not_weekday", src=ctx.show(m.group(0)), examples=eg_date(ctx, ["Saturday"], ["周六", "星期天"])
        )
    p.put("weekday", (index, mode), m.group(0))


def resolve_weekday(today: date, weekday: int, mode: str) -> date:
    """The day a weekday names, seen from today, in one of the modes the tokens record."""
    ahead = (weekday - today.weekday()) % 7
    if mode == "coming":
        return today + timedelta(days=ahead)
    if mode == "next":
        return today + timedelta(days=ahead or 7)
    if mode == "last":
        return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
    monday = today - timedelta(days=today.weekday())
    weeks = {"thisweek": 0, "nextweek": 1, "weekafter": 2, "lastweek": -1}[mode]
    return monday + timedelta(days=7 * weeks + weekday)


def _tok_in_days(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    n = int(m.group("n") or m.group("n2"))
    weeks = m.group("wk") or m.group("wk2")
    days = n * 7 if weeks else n
    p.put("date_fn", lambda today: today + timedelta(days=days), m.group(0))
    p.date_is_offset = True


def _tok_zh_in_days(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    n = int(m.group(1))
    days = n * 7 if m.group("wk") else n
    p.put("date_fn", lambda today: today + timedelta(days=days), m.group(0))
    p.date_is_offset = True


def _tok_now(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    p.put("rel", Duration(), m.group(0))


IN_DAYS: Rule = (
    re.compile(
        r"(?:in\s+(?P<n>\d{1,4})\s*(?:(?P<wk>weeks?|wks?|w)|days?|d)"
        rf"|(?P<n2>\d{{1,4}})\s*(?:(?P<wk2>weeks?)|days?)\s+(?:from\s+(?:now|today)|later)){NB}"
    ),
    _tok_in_days,
)
ZH_IN_DAYS: Rule = (
    re.compile(r"(\d{1,4})\s*(?:(?P<wk>[个個]?星期|[个個]?礼拜|[个個]?禮拜|周|週)|天)" + REL_SUFFIX),
    _tok_zh_in_days,
)
NOW: Rule = (re.compile(rf"(?:right\s+)?now{NB}|现在|現在|马上|馬上|立刻|立即"), _tok_now)
_EN_DAY_WORDS = alts(w for w in [*DAY_OFFSETS, *DAY_AND_PERIOD] if w.isascii())
_ZH_DAY_WORDS = alts(w for w in [*DAY_OFFSETS, *DAY_AND_PERIOD] if not w.isascii())
DAY_WORD: Rule = (
    re.compile(rf"(?:the\s+)?(?:{_EN_DAY_WORDS}){NB}|{_ZH_DAY_WORDS}"),
    _tok_relative_word,
)
WEEKDAY_EN: Rule = (re.compile(rf"(?:(next|this|coming|last)\s+)?({alts(WEEKDAYS)})\.?{NB}"), _tok_weekday_en)
WEEKDAY_ZH: Rule = (
    re.compile(r"(下下|下|这|這|本|上)?\s*(?:[个個])?(?:周|週|星期|礼拜|禮拜)\s*(\d|日|天)"),
    _tok_weekday_zh,
)
