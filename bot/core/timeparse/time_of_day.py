"""Clock times and parts of the day: "14:30", "3pm", "half past 3", "3 o'clock", "noon", "midnight", "下午3点半",
"三点一刻", "morning", "晚上", and how a written hour is placed on the 24-hour clock.

An hour without am/pm or a part of the day ("at 3", "三点") is read as conference hours: 7 to 11 are morning,
1 to 6 afternoon. Colon times and hours from 12 up are 24-hour. "midnight", "晚上12点" and "24:00" are the end of
the day named (hour 24); "12am" and "0点" its start.
"""

from __future__ import annotations

import re

from bot.core.timeparse.context import Ctx, eg_time, quote
from bot.core.timeparse.errors import TimeParseError
from bot.core.timeparse.lexicon import EN_PERIODS, NB, PERIOD_WORDS, ZH_PERIODS, alts
from bot.core.timeparse.parts import Parts, Rule, Time


def bad_time(src: str, ctx: Ctx) -> TimeParseError:
    ex = eg_time(ctx, ["14:30", "2:30pm"], ["下午3点", "15:00"])
    return ctx.error("time.bad_time", src=ctx.show(src), examples=ex)


def _marker(text: str | None) -> str | None:
    if not text:
        return None
    return "am" if text.startswith("a") else "pm"


def _tok_clock(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    h, mi, se = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    marker = _marker(m.group(4))
    ok = mi <= 59 and se <= 59 and (h <= 23 or (h == 24 and mi == 0 and se == 0))
    if marker:
        ok = ok and 1 <= h <= 12
    if not ok:
        raise bad_time(m.group(0), ctx)
    p.put("time", Time(h, mi, se, marker, source=m.group(0)), m.group(0))


def _tok_hour_marker(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    h = int(m.group(1))
    word = m.group(2)
    if word.startswith("o"):  # "3 o'clock" reads like a bare 3
        if h > 24:
            raise bad_time(m.group(0), ctx)
        p.put("time", Time(h, 0, bare=True, source=m.group(0)), m.group(0))
        return
    if not 1 <= h <= 12:
        raise bad_time(m.group(0), ctx)
    p.put("time", Time(h, 0, marker=_marker(word), source=m.group(0)), m.group(0))


def _tok_past_to(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    amount, direction, h = m.group(1), m.group(2), int(m.group(3))
    minutes = {"quarter": 15, "half": 30}.get(amount) or int(amount)
    marker = _marker(m.group(4))
    if (
        not 1 <= h <= 12
        or not 1 <= minutes <= 59
        or (direction in ("to", "before") and minutes == 30 and amount == "half")
    ):
        raise bad_time(m.group(0), ctx)
    if direction in ("to", "before"):
        h, mi = h - 1, 60 - minutes
        if h == 0:
            h = 12
    else:
        mi = minutes
    p.put("time", Time(h, mi, marker=marker, bare=marker is None, source=m.group(0)), m.group(0))


def _tok_zh_clock(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    h = int(m.group("h"))
    rest = m.group("rest") or ""
    if "半" in rest:
        mi = 30
    elif m.group("q"):
        mi = int(m.group("q")) * 15
    elif m.group("mi") or m.group("mi2"):
        mi = int(m.group("mi") or m.group("mi2"))
    else:
        mi = 0
    if h > 24 or mi > 59 or (h == 24 and mi):
        raise bad_time(m.group(0), ctx)
    p.put("time", Time(h, mi, bare=True, source=m.group(0)), m.group(0))


def _tok_noon(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    p.put("time", Time(12, 0, source=m.group(0)), m.group(0))


def _tok_midnight(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    p.put("time", Time(24, 0, source=m.group(0)), m.group(0))


def _tok_period(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    word = m.group("w") or m.group("wz")
    p.put("period", PERIOD_WORDS[word], m.group(0).strip())


def _tok_bare_hour(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    h = int(m.group(1))
    if h > 24:
        raise bad_time(m.group(0), ctx)
    p.put("time", Time(h, 0, bare=True, source=m.group(0)), m.group(0))


def hour_of_day(t: Time, period: str | None, ctx: Ctx) -> int:
    """The 24-hour hour (24 = end of the day) for a written hour and part of the day."""
    h = t.hour
    src = t.source
    if t.marker:
        if (period in ("am", "early") and t.marker == "pm") or (period in ("pm", "evening") and t.marker == "am"):
            ex = quote(
                [
                    f"明天{'上午' if t.marker == 'am' else '下午'}{t.hour}点"
                    if ctx.zh
                    else f"tomorrow {t.hour}{t.marker}"
                ]
            )
            raise ctx.error("time.part_mismatch", src=ctx.show(src), examples=ex)
        if t.marker == "am":
            return 0 if h == 12 else h
        return 12 if h == 12 else h + 12
    if period is None:
        if t.bare and 1 <= h <= 6:
            # Conference hours: "at 3" and "三点" are 15:00, "at 9" and "十点半" are morning.
            return h + 12
        return h
    if h == 24 or (h == 0 and period in ("am", "early")):
        return h
    if period in ("am", "early"):
        if h >= 13 or h == 0:
            raise bad_time(src, ctx)
        return 0 if (h == 12 and period == "early") else h
    if period == "noon":
        if h in (11, 12):
            return h
        if 1 <= h <= 4:
            return h + 12
        raise ctx.error("time.not_noon", src=ctx.show(src), examples=eg_time(ctx, ["12:30"], ["中午12点", "12:30"]))
    if period == "pm":
        if h == 0:
            raise bad_time(src, ctx)
        return h + 12 if h < 12 else h
    # evening
    if 5 <= h <= 11:
        return h + 12
    if h == 12:
        return 24
    if h == 0 or h >= 13:
        return h
    ex = eg_time(ctx, [f"{h}am", f"{h}pm"], [f"凌晨{h}点", f"{h + 12}点"])
    raise ctx.error("time.not_evening", src=ctx.show(src), examples=ex)


CLOCK: Rule = (re.compile(r"(\d{1,3}):(\d{1,3})(?::(\d{1,2}))?\s*(a\.?m\.?|p\.?m\.?|a|p)?(?![a-z])"), _tok_clock)
CLOCK_DOT: Rule = (re.compile(r"(\d{1,2})\.(\d{2})()\s*(a\.?m\.?|p\.?m\.?)(?![a-z])"), _tok_clock)
HOUR_MARKER: Rule = (re.compile(r"(\d{1,3})\s*(a\.?m\.?|p\.?m\.?|o'?clock)(?![a-z])"), _tok_hour_marker)
PAST_TO: Rule = (
    re.compile(
        rf"(?:a\s+)?(quarter|half|\d{{1,2}})\s+(?:minutes?\s+)?(past|after|to|before)\s+(\d{{1,2}})\s*(a\.?m\.?|p\.?m\.?)?{NB}"
    ),
    _tok_past_to,
)
ZH_CLOCK: Rule = (
    re.compile(
        r"(?P<h>\d{1,3})\s*[点點时時](?!间|間)(?P<rest>半|(?P<q>[13])\s*刻|(?P<mi>\d{1,3})(?:\s*分)?|\s+(?P<mi2>\d{1,3})\s*分|整|[钟鐘])?"
    ),
    _tok_zh_clock,
)
NOON: Rule = (re.compile(rf"(?:12\s+)?(?:noon|midday){NB}|正午12点|中午12点"), _tok_noon)
MIDNIGHT: Rule = (re.compile(rf"midnight{NB}|午夜|半夜"), _tok_midnight)
PERIOD: Rule = (
    re.compile(rf"(?:in\s+the\s+|at\s+)?(?:(?P<w>{alts(EN_PERIODS)}){NB}|(?P<wz>{alts(ZH_PERIODS)}))"),
    _tok_period,
)
BARE_HOUR: Rule = (re.compile(r"(\d{1,3})(?![\d.:])"), _tok_bare_hour)
