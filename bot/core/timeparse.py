"""Reads the moments, days and reminder lead times attendees type, in English and Chinese.

Three questions the bot asks, three parsers:

* ``parse_at``   a moment: "tomorrow 3pm", "in 10 minutes", "day 2 14:00", "明天下午3点", "3pm UTC",
                 "tomorrow morning", "今天下午", and a day alone: "tomorrow", "下周一"
* ``parse_day``  a day: "day 2", "Sunday", "Aug 8", "第三天", "8月9日", "后天", "next Monday", "下周一"
* ``parse_lead`` how long before: "15 minutes", "1h30m", "half an hour", "半小时", or a bare "15"

Our own grammar (regexes over a normalised string) reads the common forms in microseconds.
dateparser is a last resort for English layouts the grammar does not know ("8-Aug-2026 3pm",
"Sat Aug  8 15:00:00 2026"): only short ASCII text with a digit and a calendar word, two
languages, no timestamps, and a day of the month required. Left to itself it spent over a
second failing one Chinese phrase, read "15h" as fifteen hours from now and "3" as March.

Rules a user would notice:

* A part of the day without an hour is a fixed time of that day: morning (上午, 早上, 今早,
  明早) 09:00, noon (中午) 12:00, afternoon (下午) 14:00, evening (tonight, 晚上, 今晚,
  明晚) 19:00. "tomorrow morning" is tomorrow 09:00, "晚上" today 19:00. Fixed times, not
  the programme's first session of that part of the day, so /when, /next and /announce
  read them alike; the reply shows the moment taken. The small hours (凌晨) have none:
  the bot asks for an hour.
* A day alone where a moment is asked for ("tomorrow", "后天", "day 2", "下周一") is when
  that day's programme starts, its first session, given the programme (``day_start``);
  on a day without sessions, or without a programme, the bot asks for a time of day.
  Where a day is asked for, it is simply that day.
* Times without a date are today, even when already past ("14:30" at 16:00 is today 14:30):
  the bot also asks "what's on at 14:30", which means today. Callers that need a future
  moment check the result against the clock.
* Weekdays mean the next such day, today included ("friday" on a Friday is today);
  "next friday" on a Friday is a week on. 下周X is that day of next week (weeks start Monday).
  Month-day dates without a year take the nearest year ("Aug 5" on Aug 7 is two days ago).
* "midnight", "晚上12点" and "24:00" are the end of the day named; "12am" and "0点" its start.
* An hour without am/pm or a part of the day ("at 3", "三点", "3点半", "half past 3") is read
  as conference hours, like a calendar's quick-add: 7 to 11 are morning, 1 to 6 afternoon.
  Colon times ("9:00", "3:30") and hours from 12 up are 24-hour.
* "8/9" is refused as ambiguous unless only one reading is a conference day; ISO dates and
  month names never are.
* An explicit zone ("3pm UTC", "Europe/Berlin", "GMT+2", "PDT") says whose clock the time of
  day is on; days are still counted in tz ("tomorrow 9am EDT" is tz's tomorrow at 9 in New
  York), and the answer is converted to tz. Abbreviations are fixed offsets (PST is always
  UTC-8; "PT" and "ET" follow DST); IST and CST are refused as ambiguous.
* A wall time skipped by a DST change is refused with the nearest real time as the example;
  a repeated one takes its first occurrence. "in 2 hours" is elapsed time, "in 2 days" keeps
  the wall-clock time.

Every refusal is a ``TimeParseError`` whose text is one line, says what was wrong and
gives an example that works: written in both languages from the message catalogue
(bot.i18n), ``str()`` in the reader's (``lang``, else the language typed), examples in
Chinese when the reader reads or typed Chinese, and dates in examples taken from the
programme's own days (else tomorrow), never a fixed date.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.clock import require_aware
from bot.core.text import clip, has_cjk
from bot.i18n import WEEKDAYS_ZH, fmt_day, tr

__all__ = ["DayStart", "TimeParseError", "parse", "parse_at", "parse_day", "parse_lead"]

LANGS = ("en", "zh")
DayStart = Callable[[date], datetime | None]
"""The start of the programme on a day (its first session), or None when it has no sessions that day."""

# What a part of the day means where no hour is given ("tomorrow morning", "今天下午", "tonight").
PART_OF_DAY_DEFAULTS = {"am": time(9, 0), "noon": time(12, 0), "pm": time(14, 0), "evening": time(19, 0)}


class TimeParseError(ValueError):
    """A refusal: one line saying what was wrong, with examples of input that works, in English and Chinese.

    str(err) is the line in the reader's language (the language typed when the caller did not say);
    `in_lang(lang)` gives it in either.
    """

    def __init__(self, texts: dict[str, str], lang: str = "en"):
        self.texts = texts
        self.lang = lang if lang in texts else "en"
        super().__init__(texts[self.lang])

    def in_lang(self, lang: str) -> str:
        return self.texts.get(lang, self.texts["en"])


Words = str | Callable[[str], str]  # a message's part: the same in both languages, or written for each


def _say(lang: str, key: str, params: dict[str, Words]) -> str:
    return tr(key, lang, **{k: v(lang) if callable(v) else v for k, v in params.items()})


# ---------------------------------------------------------------------------------------
# Examples shown in refusals, in the language the user typed.

# Each example must itself parse: the tests hold every refusal to that.
# {md} is a day of the programme being served ("Aug 8", "8月8日"), never a fixed date.
_EXAMPLES = {
    ("at", False): ["tomorrow 3pm", "in 30 minutes", "{md} 14:00"],
    ("at", True): ["明天下午3点", "30分钟后", "{md} 15:00"],
    ("day", False): ["tomorrow", "Sunday", "{md}"],
    ("day", True): ["明天", "周日", "{md}"],
    ("lead", False): ["15 minutes", "1h", "half an hour"],
    ("lead", True): ["15分钟", "1小时", "半小时"],
}
_CONFERENCE_DAY_EXAMPLE = {
    ("at", False): "day 2 14:00",
    ("at", True): "第二天下午2点",
    ("day", False): "day 2",
    ("day", True): "第二天",
}
_MAX_LEN = 100


def _quote(items: Sequence[str]) -> Callable[[str], str]:
    """Inputs that work, quoted as typed: "'a', 'b' or 'c'", "'a'、'b' 或 'c'"."""
    quoted = [f"'{item}'" for item in items]

    def written(lang: str) -> str:
        if len(quoted) == 1:
            return quoted[0]
        return tr("time.or", lang, first=("、" if lang == "zh" else ", ").join(quoted[:-1]), last=quoted[-1])

    return written


def _words(key: str) -> Callable[[str], str]:
    """A catalogue entry without placeholders, as a message part written for each language."""
    return lambda lang: tr(key, lang)


def _what(kind: str) -> Callable[[str], str]:
    return _words(f"time.what.{kind}")


class _Ctx:
    """What a parse needs besides the words: its kind, the programme's days, the reader's language.

    Refusals are written in `lang` (the reader's, else the language typed); examples are Chinese (`zh`) when the
    reader reads Chinese or typed it. `ref` is the day examples name: a day of the programme, else tomorrow.
    """

    def __init__(
        self,
        kind: str,
        zh: bool,
        days: Sequence[date] = (),
        text: str = "",
        lang: str = "en",
        ref: date | None = None,
        day_start: DayStart | None = None,
    ):
        self.kind = kind
        self.zh = zh
        self.days = tuple(days)
        self.text = text
        self.lang = lang
        self._ref = ref or (self.days[min(1, len(self.days) - 1)] if self.days else None)
        self.day_start = day_start

    @property
    def ref(self) -> date:
        """The day examples name; only moments and days have one (they come with a clock)."""
        if self._ref is None:
            raise RuntimeError("an example day is asked for without the programme's days or the clock")
        return self._ref

    def error(self, key: str, **params: Words) -> TimeParseError:
        """A refusal in both languages, shown in the reader's."""
        return TimeParseError({lang: _say(lang, key, params) for lang in LANGS}, self.lang)

    def show(self, piece: str) -> str:
        """A piece of the normalised input quoted back as the user typed it, where it can be found."""
        at = self.text.lower().find(piece) if piece else -1
        # Not found when normalising changed it ("九十九点" became "99点"): quote the whole input.
        return _show(self.text[at : at + len(piece)] if at >= 0 else self.text.strip())


def _examples(ctx: _Ctx) -> Callable[[str], str]:
    items = [item.format(md=_md(ctx.ref, ctx.zh)) if "{md}" in item else item for item in _EXAMPLES[(ctx.kind, ctx.zh)]]
    if ctx.days and ctx.kind != "lead":
        items.insert(1, _CONFERENCE_DAY_EXAMPLE[(ctx.kind, ctx.zh)])
    return _quote(items)


def _md(d: date, zh: bool) -> str:
    """A day as people type it: "Aug 8", "8月8日"."""
    return f"{d.month}月{d.day}日" if zh else f"{_MONTH_NAMES[d.month - 1]} {d.day}"


def _eg_time(ctx: _Ctx, en: Sequence[str], cn: Sequence[str]) -> Callable[[str], str]:
    """Examples that are a time of day; where a day is asked for they get one."""
    items = cn if ctx.zh else en
    if ctx.kind == "day":
        items = [("明天" if ctx.zh else "tomorrow ") + item for item in items]
    return _quote(items)


def _eg_date(ctx: _Ctx, en: Sequence[str], cn: Sequence[str]) -> Callable[[str], str]:
    """Examples that are a day; where a moment is asked for they get a time."""
    items = cn if ctx.zh else en
    if ctx.kind == "at":
        items = [item + ("下午3点" if ctx.zh else " 3pm") for item in items]
    return _quote(items)


def _eg_calendar(ctx: _Ctx) -> Callable[[str], str]:
    return _eg_date(ctx, [_md(ctx.ref, False), ctx.ref.isoformat()], [_md(ctx.ref, True), ctx.ref.isoformat()])


def _show(text: str, limit: int = 40) -> str:
    """The user's words, on one line and short enough to quote back."""
    return clip(" ".join(text.split()), limit)


class _Unrecognised(ValueError):
    """The grammar found words it does not know (str(err) is where they start); the dateparser fallback may try."""


# ---------------------------------------------------------------------------------------
# Normalisation: one lowercase, half-width, Arabic-digit string for the grammar.

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUMBER = re.compile("[零〇一二两兩三四五六七八九十百]+")


def _cn_to_int(run: str) -> int:
    if "十" not in run and "百" not in run:
        return int("".join(str(_CN_DIGITS[c]) for c in run))
    total = current = 0
    for ch in run:
        if ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
_EN_SMALL = {w: i for i, w in enumerate(_EN_UNITS)}
_EN_COMPOUND = re.compile(r"\b({})(?:[\s-]+({}))?\b".format("|".join(_EN_TENS), "|".join(_EN_UNITS[1:10])))
_EN_SINGLE = re.compile(r"\b({})\b".format("|".join(sorted(_EN_SMALL, key=len, reverse=True))))

# Fixed phrasings of durations, rewritten before the grammar sees them.
_PHRASES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"\b(?:an?\s+)?hour\s+and\s+a\s+half\b"), "90 minutes"),
    (re.compile(r"\b(\d+)\s+hours?\s+and\s+a\s+half\b"), r"\1.5 hours"),
    (re.compile(r"\b(\d+)\s+and\s+a\s+half\s+hours?\b"), r"\1.5 hours"),
    (re.compile(r"\b(?:a\s+)?half[\s-]+(?:an\s+)?hour\b"), "30 minutes"),
    (re.compile(r"\b3\s+quarters?\s+of\s+an\s+hour\b"), "45 minutes"),
    (re.compile(r"\b(?:an?\s+)?quarter(?:\s+of\s+an|[\s-])\s*hour\b"), "15 minutes"),
    (re.compile(r"\ban?\s+(?=(?:minute|min|hour|hr|day|week|wk|second|sec)s?\b)"), "1 "),
    (re.compile(r"(\d+)\s*[个個]?半\s*(?:[个個])?(小时|小時|钟头|鐘頭)"), r"\1.5\2"),
    (re.compile(r"半\s*[个個]?\s*(?:小时|小時|钟头|鐘頭)"), "30分钟"),
    (re.compile(r"(\d+)\s*刻\s*[钟鐘]"), lambda m: f"{int(m.group(1)) * 15}分钟"),
]
_SPACES = re.compile(r"\s+")


def _normalise(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).lower()
    s = s.replace("。", " ").replace("、", " ").replace("：", ":")
    s = _SPACES.sub(" ", s).strip()
    s = _CN_NUMBER.sub(lambda m: str(_cn_to_int(m.group(0))), s)
    s = _EN_COMPOUND.sub(lambda m: str(_EN_TENS[m.group(1)] + (_EN_SMALL[m.group(2)] if m.group(2) else 0)), s)
    s = _EN_SINGLE.sub(lambda m: str(_EN_SMALL[m.group(1)]), s)
    for pattern, repl in _PHRASES:
        s = pattern.sub(repl, s)
    return s


def _prepare(
    text: str,
    kind: str,
    days: Sequence[date] = (),
    lang: str | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    day_start: DayStart | None = None,
) -> tuple[str, _Ctx]:
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    typed_zh = has_cjk(text)
    reader = lang if lang in LANGS else ("zh" if typed_zh else "en")
    tomorrow = (now.astimezone(tz) + timedelta(days=1)).date() if now is not None and tz is not None else None
    ref = (days[min(1, len(days) - 1)] if days else None) or tomorrow
    ctx = _Ctx(kind, typed_zh or reader == "zh", days, text, reader, ref, day_start)
    if not text.strip():
        raise ctx.error("time.empty", what=_what(kind), examples=_examples(ctx))
    if len(text) > _MAX_LEN:
        raise ctx.error("time.too_long", what=_what(kind), examples=_examples(ctx))
    return _normalise(text), ctx


# ---------------------------------------------------------------------------------------
# Durations: shared by lead times and "in 2 hours" / "2小时后".

_UNIT_WORDS = [
    ("weeks", r"weeks?|wks?|w|[个個]?星期|[个個]?礼拜|[个個]?禮拜|周|週"),
    ("days", r"days?|d|天"),
    ("hours", r"hours?|hrs?|h|[个個]?小时|[个個]?小時|[个個]?钟头|[个個]?鐘頭"),
    ("minutes", r"minutes?|mins?|m|分钟|分鐘|分"),
    ("seconds", r"seconds?|secs?|s|秒钟|秒鐘|秒"),
]
_UNIT_RE = "|".join(f"(?P<{name}>{words})" for name, words in _UNIT_WORDS)
_DUR_ITEM = re.compile(rf"\s*(?:,|and|&|又)?\s*(?P<n>\d{{1,6}}(?:\.\d{{1,3}})?)\s*(?:{_UNIT_RE})(?![a-z])")
_DUR_TAIL_MINUTES = re.compile(r"\s*(\d{1,2})(?![\d.:])")


@dataclass(frozen=True)
class _Duration:
    days: float = 0.0  # calendar days (weeks folded in)
    seconds: float = 0.0  # elapsed time

    def as_timedelta(self) -> timedelta:
        return timedelta(days=self.days, seconds=self.seconds)


def _match_duration(s: str, pos: int) -> tuple[_Duration, int] | None:
    """Longest run of "<number> <unit>" items starting at pos, or None."""
    seen: dict[str, float] = {}
    end = pos
    while True:
        m = _DUR_ITEM.match(s, end)
        if not m:
            break
        unit = next(name for name, _ in _UNIT_WORDS if m.group(name) is not None)
        if unit in seen:
            break
        seen[unit] = float(m.group("n"))
        end = m.end()
    if not seen:
        return None
    if "hours" in seen and "minutes" not in seen and "seconds" not in seen:
        # "1h30", "1小时30": the minutes may go without their unit.
        m = _DUR_TAIL_MINUTES.match(s, end)
        if m and (m.end() == len(s) or not s[m.end()].isalpha() or s[m.end()] in "后後以之"):
            seen["minutes"] = float(m.group(1))
            end = m.end()
    days = seen.get("weeks", 0) * 7 + seen.get("days", 0)
    seconds = seen.get("hours", 0) * 3600 + seen.get("minutes", 0) * 60 + seen.get("seconds", 0)
    return _Duration(days, seconds), end


# ---------------------------------------------------------------------------------------
# Time zones.

_FIXED_ABBREVIATIONS = {
    "utc": 0,
    "gmt": 0,
    "wet": 0,
    "cet": 1,
    "cest": 2,
    "bst": 1,
    "eet": 2,
    "eest": 3,
    "msk": 3,
    "hkt": 8,
    "sgt": 8,
    "awst": 8,
    "jst": 9,
    "kst": 9,
    "aest": 10,
    "aedt": 11,
    "nzst": 12,
    "nzdt": 13,
    "est": -5,
    "edt": -4,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "akst": -9,
    "akdt": -8,
    "hst": -10,
}
_NAMED_ZONES = {
    "pt": "America/Los_Angeles",
    "et": "America/New_York",
    "北京时间": "Asia/Shanghai",
    "北京時間": "Asia/Shanghai",
}
_AMBIGUOUS_ZONES = {  # the catalogue's time.zone.<name> says which zones each could be
    "ist": ["Asia/Kolkata", "Europe/Dublin", "UTC+5:30"],
    "cst": ["Asia/Shanghai", "America/Chicago", "UTC+8"],
}


@lru_cache(maxsize=1)
def _iana_names() -> dict[str, str]:
    from zoneinfo import available_timezones

    return {name.lower(): name for name in available_timezones()}


def _fixed(hours: int, minutes: int = 0, sign: int = 1, name: str = "") -> tzinfo:
    offset = timedelta(hours=hours, minutes=minutes) * sign
    if offset == timedelta(0):
        return UTC
    return timezone(offset, name) if name else timezone(offset)


# ---------------------------------------------------------------------------------------
# What a phrase names, collected token by token and resolved once the zone is known.

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "weds": 2,
    "wed": 2,
    "thursday": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "sixth": 6,
    "6th": 6,
    "seventh": 7,
    "7th": 7,
}

# Period of day: how a 12-hour reading is placed.
_PERIOD_WORDS = {
    "am": "am",
    "a.m.": "am",
    "a.m": "am",
    "morning": "am",
    "上午": "am",
    "早上": "am",
    "早晨": "am",
    "清晨": "am",
    "早": "am",
    "凌晨": "early",
    "noon": "noon",
    "中午": "noon",
    "正午": "noon",
    "午间": "noon",
    "午間": "noon",
    "pm": "pm",
    "p.m.": "pm",
    "p.m": "pm",
    "afternoon": "pm",
    "下午": "pm",
    "午后": "pm",
    "午後": "pm",
    "evening": "evening",
    "night": "evening",
    "tonight": "evening",
    "傍晚": "evening",
    "晚上": "evening",
    "夜里": "evening",
    "夜裡": "evening",
    "夜间": "evening",
    "夜間": "evening",
    "晚": "evening",
}


@dataclass
class _Time:
    hour: int
    minute: int
    second: int = 0
    marker: str | None = None  # "am" / "pm" written next to the number
    bare: bool = False  # an hour alone, no minutes, no am/pm ("at 9", "9点")
    source: str = ""


@dataclass
class _Parts:
    date_fn: Callable[[date], date] | None = None
    date_src: str = ""
    weekday: tuple[int, str] | None = None  # (0=Monday.., mode)
    weekday_src: str = ""
    time: _Time | None = None
    period: str | None = None
    period_src: str = ""
    zone: tzinfo | None = None
    zone_src: str = ""
    rel: _Duration | None = None
    rel_src: str = ""
    date_is_offset: bool = False  # "in 2 days", "3天后": without a time, keep the time of now
    ctx: _Ctx | None = None

    def put(self, slot: str, value: object, src: str, also: tuple[tuple[str, object], ...] = ()) -> None:
        for name, val in ((slot, value), *also):
            if getattr(self, name) is not None:
                first = self.time.source if name == "time" else getattr(self, _SRC[name])  # type: ignore[union-attr]
                ctx = self.ctx or _Ctx("at", False)
                raise ctx.error(
                    "time.twice",
                    first=_show(first),
                    second=_show(src),
                    slot=_words(f"time.slot.{name}"),
                    examples=_quote(["明天下午3点" if ctx.zh else "tomorrow 3pm"]),
                )
            setattr(self, name, val)
            if name != "time":
                setattr(self, _SRC[name], src)


_SRC = {"date_fn": "date_src", "weekday": "weekday_src", "period": "period_src", "zone": "zone_src", "rel": "rel_src"}


def _check_day(y: int, m: int, d: int, src: str, ctx: _Ctx) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise ctx.error("time.not_on_calendar", src=ctx.show(src), examples=_eg_calendar(ctx)) from None


def _month_day(month: int, day: int, year: int | None, src: str, ctx: _Ctx) -> Callable[[date], date]:
    if not 1 <= month <= 12:
        raise ctx.error("time.no_month", src=ctx.show(src), month=str(month), examples=_eg_calendar(ctx))
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


def _conference_day(n: int, src: str, ctx: _Ctx) -> Callable[[date], date]:
    if not ctx.days:
        raise ctx.error("time.no_days", src=ctx.show(src), examples=_eg_calendar(ctx))
    if n == -1:
        n = len(ctx.days)
    if not 1 <= n <= len(ctx.days):
        last = len(ctx.days)
        first_day, last_day = ctx.days[0], ctx.days[-1]
        if last == 1:
            ex = _eg_date(ctx, ["day 1", _md(first_day, False)], ["第1天", _md(first_day, True)])
            raise ctx.error(
                "time.outside_day", first=lambda lang: fmt_day(first_day, lang), src=ctx.show(src), examples=ex
            )
        ex = _eg_date(ctx, ["day 1", f"day {last}"], ["第1天", f"第{last}天"])
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


def _year(text: str | None, src: str, ctx: _Ctx) -> int | None:
    if text is None:
        return None
    y = int(text)
    if not 1970 <= y <= 2200:
        iso = ctx.ref.isoformat()
        raise ctx.error("time.unlikely_year", src=ctx.show(src), examples=_eg_date(ctx, [iso], [iso]))
    return y


# Token handlers: each gets (match, parts, ctx) and records what the words name.


def _tok_iso(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    y = _year(m.group(1), m.group(0), ctx)
    d = _check_day(y, int(m.group(2)), int(m.group(3)), m.group(0), ctx)  # type: ignore[arg-type]
    p.put("date_fn", lambda today: d, m.group(0))


def _tok_zh_date(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    fn = _month_day(int(m.group(2)), int(m.group(3)), _year(m.group(1), m.group(0), ctx), m.group(0), ctx)
    p.put("date_fn", fn, m.group(0))


def _day_of_month(day: int, src: str, ctx: _Ctx) -> Callable[[date], date]:
    if not 1 <= day <= 31:
        raise ctx.error("time.not_day_of_month", src=ctx.show(src), examples=_eg_date(ctx, ["the 9th"], ["9号"]))

    def resolve(today: date) -> date:
        # The nearest month that has this day: "5号" on Aug 7 is Aug 5.
        options = []
        for delta in (-1, 0, 1):
            y, mo = divmod(today.month - 1 + delta, 12)
            with contextlib.suppress(ValueError):
                options.append(date(today.year + y, mo + 1, day))
        return min(options, key=lambda c: (abs((c - today).days), c < today))

    return resolve


def _tok_zh_dom(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    p.put("date_fn", _day_of_month(int(m.group(1)), m.group(0), ctx), m.group(0))


def _tok_en_dom(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    p.put("date_fn", _day_of_month(int(m.group(1)), m.group(0), ctx), m.group(0))


def _tok_month_first(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    fn = _month_day(_MONTHS[m.group(1)], int(m.group(2)), _year(m.group(3), m.group(0), ctx), m.group(0), ctx)
    p.put("date_fn", fn, m.group(0))


def _tok_day_first(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    fn = _month_day(_MONTHS[m.group(2)], int(m.group(1)), _year(m.group(3), m.group(0), ctx), m.group(0), ctx)
    p.put("date_fn", fn, m.group(0))


def _tok_numeric_md(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
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
        raise ctx.error("time.not_date", src=ctx.show(src), examples=_eg_calendar(ctx))
    if len(readings) > 1 and ctx.days:
        # Only one reading falls on the conference: that is the one meant.
        on_days = [r for r in readings if any(d.month == r[0] and d.day == r[1] for d in ctx.days)]
        if len(on_days) == 1:
            readings = on_days
    if len(readings) > 1:
        (m1, d1, _), (m2, d2, _) = readings
        one, other = f"{_MONTH_NAMES[m1 - 1]} {d1}", f"{_MONTH_NAMES[m2 - 1]} {d2}"
        one_zh, other_zh = f"{m1}月{d1}日", f"{m2}月{d2}日"
        raise ctx.error(
            "time.two_dates",
            src=ctx.show(src),
            one=lambda lang: one_zh if lang == "zh" else one,
            other=lambda lang: other_zh if lang == "zh" else other,
            examples=_eg_date(ctx, [one, other], [one_zh, other_zh]),
        )
    p.put("date_fn", readings[0][2], src)


def _tok_relative_word(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    word = m.group(0).strip()
    offsets = {
        "today": 0,
        "今天": 0,
        "今日": 0,
        "今儿": 0,
        "tomorrow": 1,
        "tmrw": 1,
        "tmr": 1,
        "tomorow": 1,
        "明天": 1,
        "明日": 1,
        "明儿": 1,
        "yesterday": -1,
        "昨天": -1,
        "昨日": -1,
        "后天": 2,
        "後天": 2,
        "大后天": 3,
        "大後天": 3,
        "前天": -2,
        "day after tomorrow": 2,
        "day before yesterday": -2,
    }
    compounds = {
        "tonight": (0, "evening"),
        "今晚": (0, "evening"),
        "明晚": (1, "evening"),
        "昨晚": (-1, "evening"),
        "今早": (0, "am"),
        "明早": (1, "am"),
        "this morning": (0, "am"),
        "this afternoon": (0, "pm"),
        "this evening": (0, "evening"),
    }
    if word in compounds:
        days, period = compounds[word]
        p.put("date_fn", lambda today: today + timedelta(days=days), word, also=(("period", period),))
        return
    days = offsets[word]
    p.put("date_fn", lambda today: today + timedelta(days=days), word)


def _tok_weekday_en(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    mode = {"next": "next", "this": "coming", "coming": "coming", "last": "last", None: "coming"}[m.group(1)]
    p.put("weekday", (_WEEKDAYS[m.group(2)], mode), m.group(0))


def _tok_weekday_zh(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
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
            "time.not_weekday", src=ctx.show(m.group(0)), examples=_eg_date(ctx, ["Saturday"], ["周六", "星期天"])
        )
    p.put("weekday", (index, mode), m.group(0))


def _tok_conf_day(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    src = m.group(0)
    if m.group("n"):
        n = int(m.group("n"))
    elif m.group("ord"):
        n = _ORDINALS[m.group("ord")]
    else:
        n = -1  # last day
    p.put("date_fn", _conference_day(n, src, ctx), src)


def _tok_zh_conf_day(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    src = m.group(0)
    if m.group(1):
        n = int(m.group(1))
    elif "首" in src:
        n = 1
    else:
        n = -1
    p.put("date_fn", _conference_day(n, src, ctx), src)


def _tok_now(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    p.put("rel", _Duration(), m.group(0))


def _iana_zone(name: str) -> tzinfo | None:
    """The IANA zone for a lowercased name; most are their title-cased form, so the full list is rarely read."""
    guess = "/".join("_".join(w[:1].upper() + w[1:] for w in part.split("_")) for part in name.split("/"))
    try:
        return ZoneInfo(guess)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        canonical = _iana_names().get(name)  # "america/port-au-prince", "etc/gmt+2"
        return ZoneInfo(canonical) if canonical else None


def _tok_zone_iana(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    name = m.group("z")
    zone = _iana_zone(name)
    if zone is None:
        ex = _eg_time(ctx, ["3pm Europe/Berlin", "3pm UTC+2"], ["下午3点 Europe/Berlin", "15:00 UTC+8"])
        raise ctx.error("time.unknown_zone", src=ctx.show(name), examples=ex)
    p.put("zone", zone, m.group(0))


def _tok_in_days(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    n = int(m.group("n") or m.group("n2"))
    weeks = m.group("wk") or m.group("wk2")
    days = n * 7 if weeks else n
    p.put("date_fn", lambda today: today + timedelta(days=days), m.group(0))
    p.date_is_offset = True


def _tok_zh_in_days(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    n = int(m.group(1))
    days = n * 7 if m.group("wk") else n
    p.put("date_fn", lambda today: today + timedelta(days=days), m.group(0))
    p.date_is_offset = True


def _tok_zone_offset(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    src = m.group(0).strip()
    sign = m.group("sign") or m.group("sign2")
    if sign is None:
        p.put("zone", UTC, src)
        return
    h, mi = int(m.group("h") or m.group("h2")), int(m.group("m") or m.group("m2") or 0)
    if h > 14 or mi > 59:
        ex = _eg_time(ctx, ["9am UTC+8", "9am GMT-5"], ["上午9点 UTC+8", "15:00 GMT-5"])
        raise ctx.error("time.bad_offset", src=ctx.show(src), examples=ex)
    p.put("zone", _fixed(h, mi, -1 if sign == "-" else 1), src)


def _tok_zone_word(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    word = m.group("z") or m.group("zh")
    src = m.group(0).strip()
    if word in _AMBIGUOUS_ZONES:
        zones = _AMBIGUOUS_ZONES[word]
        ex = _eg_time(ctx, [f"3pm {z}" for z in zones], [f"15:00 {z}" for z in zones])
        raise ctx.error(f"time.zone.{word}", examples=ex)
    if word in _NAMED_ZONES:
        p.put("zone", ZoneInfo(_NAMED_ZONES[word]), src)
    else:
        p.put("zone", _fixed(_FIXED_ABBREVIATIONS[word], name=word.upper()), src)


def _bad_time(src: str, ctx: _Ctx) -> TimeParseError:
    ex = _eg_time(ctx, ["14:30", "2:30pm"], ["下午3点", "15:00"])
    return ctx.error("time.bad_time", src=ctx.show(src), examples=ex)


def _marker(text: str | None) -> str | None:
    if not text:
        return None
    return "am" if text.startswith("a") else "pm"


def _tok_clock(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    h, mi, se = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    marker = _marker(m.group(4))
    ok = mi <= 59 and se <= 59 and (h <= 23 or (h == 24 and mi == 0 and se == 0))
    if marker:
        ok = ok and 1 <= h <= 12
    if not ok:
        raise _bad_time(m.group(0), ctx)
    p.put("time", _Time(h, mi, se, marker, source=m.group(0)), m.group(0))


def _tok_hour_marker(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    h = int(m.group(1))
    word = m.group(2)
    if word.startswith("o"):  # "3 o'clock" reads like a bare 3
        if h > 24:
            raise _bad_time(m.group(0), ctx)
        p.put("time", _Time(h, 0, bare=True, source=m.group(0)), m.group(0))
        return
    if not 1 <= h <= 12:
        raise _bad_time(m.group(0), ctx)
    p.put("time", _Time(h, 0, marker=_marker(word), source=m.group(0)), m.group(0))


def _tok_past_to(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    amount, direction, h = m.group(1), m.group(2), int(m.group(3))
    minutes = {"quarter": 15, "half": 30}.get(amount) or int(amount)
    marker = _marker(m.group(4))
    if (
        not 1 <= h <= 12
        or not 1 <= minutes <= 59
        or (direction in ("to", "before") and minutes == 30 and amount == "half")
    ):
        raise _bad_time(m.group(0), ctx)
    if direction in ("to", "before"):
        h, mi = h - 1, 60 - minutes
        if h == 0:
            h = 12
    else:
        mi = minutes
    p.put("time", _Time(h, mi, marker=marker, bare=marker is None, source=m.group(0)), m.group(0))


def _tok_zh_clock(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
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
        raise _bad_time(m.group(0), ctx)
    p.put("time", _Time(h, mi, bare=True, source=m.group(0)), m.group(0))


def _tok_noon(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    p.put("time", _Time(12, 0, source=m.group(0)), m.group(0))


def _tok_midnight(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    p.put("time", _Time(24, 0, source=m.group(0)), m.group(0))


def _tok_period(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    word = m.group("w") or m.group("wz")
    p.put("period", _PERIOD_WORDS[word], m.group(0).strip())


def _tok_bare_hour(m: re.Match[str], p: _Parts, ctx: _Ctx) -> None:
    h = int(m.group(1))
    if h > 24:
        raise _bad_time(m.group(0), ctx)
    p.put("time", _Time(h, 0, bare=True, source=m.group(0)), m.group(0))


def _alts(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NB = r"(?![a-z])"  # an English word ends here
_REL_SUFFIX = r"\s*(?:以后|以後|之后|之後|后|後)"

_EN_PERIODS = [w for w in _PERIOD_WORDS if w.isascii()]
_ZH_PERIODS = [w for w in _PERIOD_WORDS if not w.isascii()]

# Tried in order at each position; the first that matches takes the words.
_TOKENS: list[tuple[re.Pattern[str], Callable[[re.Match[str], _Parts, _Ctx], None]]] = [
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)(?:t(?=\d))?"), _tok_iso),
    (re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号|號)?(?![\d后後])"), _tok_zh_date),
    (
        re.compile(
            rf"(?:day\s*(?P<n>\d{{1,2}})(?![\d:a-z])|(?:the\s+)?(?:(?P<ord>{_alts(_ORDINALS)})|(?P<last>last|final))\s+day{_NB})"
        ),
        _tok_conf_day,
    ),
    (re.compile(r"(?:会议|會議)?(?:第\s*(\d{1,2})\s*[天日]|最后\s*1\s*天|最後\s*1\s*天|首日)"), _tok_zh_conf_day),
    (
        re.compile(
            r"(?:in\s+(?P<n>\d{1,4})\s*(?:(?P<wk>weeks?|wks?|w)|days?|d)"
            rf"|(?P<n2>\d{{1,4}})\s*(?:(?P<wk2>weeks?)|days?)\s+(?:from\s+(?:now|today)|later)){_NB}"
        ),
        _tok_in_days,
    ),
    (
        re.compile(r"(\d{1,4})\s*(?:(?P<wk>[个個]?星期|[个個]?礼拜|[个個]?禮拜|周|週)|天)" + _REL_SUFFIX),
        _tok_zh_in_days,
    ),
    (
        re.compile(
            rf"({_alts(_MONTHS)})\.?\s*(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])(?:\s*,?\s*(\d{{4}})(?![\d:]))?"
        ),
        _tok_month_first,
    ),
    (
        re.compile(
            rf"(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?({_alts(_MONTHS)})\.?{_NB}(?:\s*,?\s*(\d{{4}})(?![\d:]))?"
        ),
        _tok_day_first,
    ),
    # "8/9", "8.9" (but not "3.30pm"): month first, as in China and the US; see _tok_numeric_md.
    (re.compile(r"(\d{1,2})([/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d/.a-z]|\s*[ap]\.?m\.?(?![a-z]))"), _tok_numeric_md),
    (re.compile(r"(\d{1,2})\s*(?:号|號|日)(?![后後])"), _tok_zh_dom),
    (re.compile(rf"(?:right\s+)?now{_NB}|现在|現在|马上|馬上|立刻|立即"), _tok_now),
    (
        re.compile(
            r"(?:the\s+)?(?:{}){}|{}".format(
                _alts(
                    [
                        "tonight",
                        "this morning",
                        "this afternoon",
                        "this evening",
                        "today",
                        "tomorrow",
                        "tmrw",
                        "tmr",
                        "tomorow",
                        "yesterday",
                        "day after tomorrow",
                        "day before yesterday",
                    ]
                ),
                _NB,
                _alts(
                    [
                        "今天",
                        "今日",
                        "今儿",
                        "明天",
                        "明日",
                        "明儿",
                        "昨天",
                        "昨日",
                        "后天",
                        "後天",
                        "大后天",
                        "大後天",
                        "前天",
                        "今晚",
                        "明晚",
                        "昨晚",
                        "今早",
                        "明早",
                    ]
                ),
            )
        ),
        _tok_relative_word,
    ),
    (re.compile(rf"(?:(next|this|coming|last)\s+)?({_alts(_WEEKDAYS)})\.?{_NB}"), _tok_weekday_en),
    (re.compile(r"(下下|下|这|這|本|上)?\s*(?:[个個])?(?:周|週|星期|礼拜|禮拜)\s*(\d|日|天)"), _tok_weekday_zh),
    (
        re.compile(
            rf"(?:in\s+)?(?:utc|gmt)(?:\s*(?P<sign>[+-])\s*(?P<h>\d{{1,2}})(?::?(?P<m>\d{{2}}))?)?{_NB}"
            r"|(?P<sign2>[+-])(?P<h2>\d{2}):?(?P<m2>\d{2})(?!\d)"
        ),
        _tok_zone_offset,
    ),
    (
        re.compile(
            r"(?:in\s+)?(?P<z>{}){}|(?P<zh>{})".format(
                _alts([*_FIXED_ABBREVIATIONS, *_AMBIGUOUS_ZONES, *_NAMED_ZONES]), _NB, "北京时间|北京時間"
            )
        ),
        _tok_zone_word,
    ),
    (re.compile(r"(?:in\s+)?(?P<z>[a-z]+(?:[_-][a-z]+)*/[a-z0-9_+-]+(?:/[a-z0-9_+-]+)?)"), _tok_zone_iana),
    (re.compile(r"(\d{1,3}):(\d{1,3})(?::(\d{1,2}))?\s*(a\.?m\.?|p\.?m\.?|a|p)?(?![a-z])"), _tok_clock),
    (re.compile(r"(\d{1,2})\.(\d{2})()\s*(a\.?m\.?|p\.?m\.?)(?![a-z])"), _tok_clock),
    (re.compile(r"(\d{1,3})\s*(a\.?m\.?|p\.?m\.?|o'?clock)(?![a-z])"), _tok_hour_marker),
    (
        re.compile(
            rf"(?:a\s+)?(quarter|half|\d{{1,2}})\s+(?:minutes?\s+)?(past|after|to|before)\s+(\d{{1,2}})\s*(a\.?m\.?|p\.?m\.?)?{_NB}"
        ),
        _tok_past_to,
    ),
    (
        re.compile(
            r"(?P<h>\d{1,3})\s*[点點时時](?!间|間)(?P<rest>半|(?P<q>[13])\s*刻|(?P<mi>\d{1,3})(?:\s*分)?|\s+(?P<mi2>\d{1,3})\s*分|整|[钟鐘])?"
        ),
        _tok_zh_clock,
    ),
    (re.compile(rf"(?:12\s+)?(?:noon|midday){_NB}|正午12点|中午12点"), _tok_noon),
    (re.compile(rf"midnight{_NB}|午夜|半夜"), _tok_midnight),
    (
        re.compile(rf"(?:in\s+the\s+|at\s+)?(?:(?P<w>{_alts(_EN_PERIODS)}){_NB}|(?P<wz>{_alts(_ZH_PERIODS)}))"),
        _tok_period,
    ),
    (re.compile(rf"(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th){_NB}"), _tok_en_dom),
    (re.compile(r"(\d{1,3})(?![\d.:])"), _tok_bare_hour),
]
_FILLER = re.compile(rf"(?:\s+|,|@|at{_NB}|on{_NB}|the{_NB}|的|在|于|於|，)+")
_EN_REL = re.compile(r"in\s+")
_EN_REL_AFTER = re.compile(rf"\s*(?:from\s+now|later){_NB}")
_ZH_REL_AFTER = re.compile(_REL_SUFFIX)


def _match_relative(s: str, pos: int) -> tuple[_Duration, int] | None:
    """'in 2 hours', '2 hours from now', '2小时后' starting at pos."""
    m = _EN_REL.match(s, pos)
    if m:
        found = _match_duration(s, m.end())
        if found:
            return found
    found = _match_duration(s, pos)
    if found:
        duration, end = found
        after = _ZH_REL_AFTER.match(s, end) or _EN_REL_AFTER.match(s, end)
        if after:
            return duration, after.end()
    return None


def _scan(s: str, ctx: _Ctx) -> _Parts:
    parts = _Parts(ctx=ctx)
    pos, n = 0, len(s)
    while True:
        f = _FILLER.match(s, pos)
        if f:
            pos = f.end()
        if pos >= n:
            break
        rel = _match_relative(s, pos)
        token = None
        for pattern, handler in _TOKENS:
            m = pattern.match(s, pos)
            if m and m.end() > pos:
                token = m, handler
                break
        # "in 2 hours" is a moment; "in 2 days" is a day that may still take a time, unless
        # the duration runs on past what the day pattern read ("in 1 week 2 days").
        if rel and (rel[0].seconds or token is None or rel[1] > token[0].end()):
            parts.put("rel", rel[0], s[pos : rel[1]])
            pos = rel[1]
        elif token:
            token[1](token[0], parts, ctx)
            pos = token[0].end()
        else:
            raise _Unrecognised(s[pos:])
    return parts


# ---------------------------------------------------------------------------------------
# Resolution.


def _resolve_weekday(today: date, weekday: int, mode: str) -> date:
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


def _resolve_date(parts: _Parts, today: date, ctx: _Ctx) -> date | None:
    chosen = parts.date_fn(today) if parts.date_fn else None
    if parts.weekday is None:
        return chosen
    wd, mode = parts.weekday
    if chosen is None:
        return _resolve_weekday(today, wd, mode)
    if chosen.weekday() != wd:
        real = chosen.weekday()
        day = chosen
        raise ctx.error(
            "time.wrong_weekday",
            date=lambda lang: (
                f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{_md(day, False)}, {day.year}"
            ),
            real=lambda lang: WEEKDAYS_ZH[real] if lang == "zh" else _WEEKDAY_NAMES[real],
            said=lambda lang: WEEKDAYS_ZH[wd] if lang == "zh" else _WEEKDAY_NAMES[wd],
            examples=_eg_date(ctx, [_md(day, False)], [_md(day, True)]),
        )
    return chosen


def _hour_of_day(t: _Time, period: str | None, ctx: _Ctx) -> int:
    """The 24-hour hour (24 = end of the day) for a written hour and part of the day."""
    h = t.hour
    src = t.source
    if t.marker:
        if (period in ("am", "early") and t.marker == "pm") or (period in ("pm", "evening") and t.marker == "am"):
            ex = _quote(
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
            raise _bad_time(src, ctx)
        return 0 if (h == 12 and period == "early") else h
    if period == "noon":
        if h in (11, 12):
            return h
        if 1 <= h <= 4:
            return h + 12
        raise ctx.error("time.not_noon", src=ctx.show(src), examples=_eg_time(ctx, ["12:30"], ["中午12点", "12:30"]))
    if period == "pm":
        if h == 0:
            raise _bad_time(src, ctx)
        return h + 12 if h < 12 else h
    # evening
    if 5 <= h <= 11:
        return h + 12
    if h == 12:
        return 24
    if h == 0 or h >= 13:
        return h
    ex = _eg_time(ctx, [f"{h}am", f"{h}pm"], [f"凌晨{h}点", f"{h + 12}点"])
    raise ctx.error("time.not_evening", src=ctx.show(src), examples=ex)


def _localise(naive: datetime, zone: tzinfo, ctx: _Ctx) -> datetime:
    aware = naive.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != naive:
        # A wall time skipped when the clocks went forward.
        name = getattr(zone, "key", str(zone))
        raise ctx.error(
            "time.skipped", wall=f"{naive:%Y-%m-%d %H:%M}", zone=name, examples=_quote([f"{back:%Y-%m-%d %H:%M}"])
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


def _need_time_error(text: str, parts: _Parts, ctx: _Ctx) -> TimeParseError:
    day = parts.date_src or parts.weekday_src
    en, cn = _PERIOD_EXAMPLE[parts.period]
    if has_cjk(text):
        said = day + parts.period_src if parts.period_src != day else day
        ex = said + (cn if parts.period else "下午3点")
    else:
        # "tonight" is both the day and the part of day: "tonight 8pm", not "tonight tonight 8pm".
        ex = f"{day} {en}".strip() if day else f"{parts.period_src} {en}".strip()
    return ctx.error("time.needs_time", text=_show(text.strip()), examples=_quote([ex]))


def _moment(text: str, parts: _Parts, now: datetime, tz: tzinfo, ctx: _Ctx) -> datetime:
    # Days are counted in tz, the reader's calendar; an explicit zone says only whose clock
    # the time of day is on: "tomorrow 9am EDT" is tomorrow here, at 9 on New York's clock.
    zone = parts.zone or tz
    local_now = now.astimezone(zone)
    today = now.astimezone(tz).date()
    has_day = parts.date_fn is not None or parts.weekday is not None
    if parts.rel is not None:
        if parts.rel.seconds and (has_day or parts.time or parts.period):
            ex = ["2小时后", "明天下午3点"] if ctx.zh else ["in 2 hours", "tomorrow 3pm"]
            raise ctx.error("time.already_moment", src=ctx.show(parts.rel_src), examples=_quote(ex))
        if parts.time is None and not has_day and parts.period is None:
            # Calendar days keep the wall-clock time; hours and minutes are elapsed time.
            wall = local_now.replace(tzinfo=None) + timedelta(days=parts.rel.days)
            moved = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
            return (moved.astimezone(UTC) + timedelta(seconds=parts.rel.seconds)).astimezone(tz)
        if has_day:
            ex = (
                ["2天后下午3点", f"{_md(ctx.ref, True)}下午3点"]
                if ctx.zh
                else ["in 2 days 3pm", f"{_md(ctx.ref, False)} 3pm"]
            )
            raise ctx.error("time.rel_and_day", src=ctx.show(parts.rel_src), examples=_quote(ex))
        if parts.rel.days != int(parts.rel.days):
            raise ctx.error("time.whole_days", examples=_quote(["2天后下午3点" if ctx.zh else "in 2 days 3pm"]))
        today = today + timedelta(days=int(parts.rel.days))
    day = _resolve_date(parts, today, ctx) or today
    t = parts.time
    if t is None and parts.date_is_offset and parts.period is None and parts.weekday is None:
        wall = datetime.combine(day, now.astimezone(tz).time().replace(tzinfo=None))
        return wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    if t is None:
        default = PART_OF_DAY_DEFAULTS.get(parts.period or "")
        if default is not None:  # "tomorrow morning" is tomorrow at 09:00
            t = _Time(default.hour, default.minute, source=parts.period_src)
        elif parts.period is None and parts.zone is None and has_day and ctx.day_start is not None:
            start = ctx.day_start(day)  # "tomorrow" is when tomorrow's programme starts
            if start is None:
                raise _need_time_error(text, parts, ctx)
            return start.astimezone(tz)
        else:
            raise _need_time_error(text, parts, ctx)
    hour = _hour_of_day(t, parts.period, ctx)
    if hour == 24:
        day, hour = day + timedelta(days=1), 0
    naive = datetime.combine(day, time(hour, t.minute, t.second))
    return _localise(naive, zone, ctx).astimezone(tz)


# ---------------------------------------------------------------------------------------
# The dateparser fallback: English only, short inputs with a digit, two languages.

# Only English text with a digit and a calendar word goes to dateparser: alone, it reads
# "15h" as fifteen hours from now and "3" as March.
_FALLBACK_OK = re.compile(r"^(?=.*\d)[a-z0-9 ,.:/'+-]{1,60}$")
_FALLBACK_WORD = re.compile(
    r"\b(?:{})\b".format(
        _alts(
            [
                *_MONTHS,
                *_WEEKDAYS,
                "today",
                "tomorrow",
                "yesterday",
                "tonight",
                "morning",
                "afternoon",
                "evening",
                "noon",
                "midnight",
                "night",
                "next",
                "week",
            ]
        )
    )
)


def _dateparser(s: str, now: datetime, tz: tzinfo, want_time: bool) -> datetime | None:
    if not _FALLBACK_OK.match(s) or not _FALLBACK_WORD.search(s):
        return None
    try:
        from dateparser.date import DateDataParser

        name = getattr(tz, "key", None) or "UTC"
        zone = ZoneInfo(name) if name != "UTC" else UTC
        base = now.astimezone(zone).replace(tzinfo=None)
        parser = DateDataParser(
            languages=["en", "zh"],
            settings={
                "RELATIVE_BASE": base,
                "TIMEZONE": name,
                "TO_TIMEZONE": name,
                "RETURN_AS_TIMEZONE_AWARE": True,
                "PREFER_DATES_FROM": "future",
                "RETURN_TIME_AS_PERIOD": True,
                "PARSERS": ["relative-time", "absolute-time"],
                "REQUIRE_PARTS": ["day"],  # "3pm aug" names no day: not a guess worth making
            },
        )
        data = parser.get_date_data(s)
    except Exception:  # noqa: BLE001 - dateparser is a guess of last resort: whatever it raises means "not understood"
        return None
    found = data.date_obj
    if found is None or data.period not in (("time",) if want_time else ("time", "day")):
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=zone)
    return found.astimezone(tz)


# ---------------------------------------------------------------------------------------
# Public API.


def _not_understood(text: str, ctx: _Ctx, piece: str, normalised: str) -> TimeParseError:
    whole = _show(text.strip())
    if piece and piece != normalised:
        return ctx.error(
            "time.unreadable.part", piece=ctx.show(piece), text=whole, what=_what(ctx.kind), examples=_examples(ctx)
        )
    return ctx.error("time.unreadable", text=whole, what=_what(ctx.kind), examples=_examples(ctx))


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
    s, ctx = _prepare(text, "at", days, lang, now, tz, day_start)
    try:
        return _moment(text, _scan(s, ctx), now, tz, ctx)
    except _Unrecognised as err:
        found = _dateparser(s, now, tz, want_time=True)
        if found is not None:
            return found
        raise _not_understood(text, ctx, str(err), s) from None
    except OverflowError:
        raise ctx.error("time.too_far.now", examples=_examples(ctx)) from None


def parse_day(text: str, now: datetime, tz: ZoneInfo, days: Sequence[date] = (), *, lang: str | None = None) -> date:
    """A day: "day 2", "tomorrow", "Sunday", "Aug 8", "第三天", "8月9日", "后天", "next Monday", "下周一"."""
    require_aware(now, "now")
    s, ctx = _prepare(text, "day", days, lang, now, tz)
    try:
        parts = _scan(s, ctx)
        has_day = parts.date_fn is not None or parts.weekday is not None
        if parts.rel is not None and not parts.rel.seconds and parts.time is None and not has_day:
            return (now.astimezone(tz) + timedelta(days=parts.rel.days)).date()  # "1 week 2 days later"
        if parts.time is not None or parts.rel is not None:
            if not has_day and parts.rel is None:
                raise ctx.error("time.not_a_day", text=_show(text.strip()), examples=_examples(ctx))
            # A day with a time ("tomorrow 3pm", "day 2 23:30 UTC"): the day that moment falls on here.
            return _moment(text, parts, now, tz, ctx).date()
        if not has_day:
            raise ctx.error("time.names_no_day", text=_show(text.strip()), examples=_examples(ctx))
        return _resolve_date(parts, now.astimezone(tz).date(), ctx)  # type: ignore[return-value]
    except _Unrecognised as err:
        found = _dateparser(s, now, tz, want_time=False)
        if found is not None:
            return found.date()
        raise _not_understood(text, ctx, str(err), s) from None
    except OverflowError:
        raise ctx.error("time.too_far.today", examples=_examples(ctx)) from None


_LEAD_PREFIX = re.compile(r"^(?:in\s+|提前\s*|早\s*)")
_LEAD_SUFFIX = re.compile(r"\s*(?:before(?:hand)?|earlier|early|ahead|prior|in\s+advance|之前|以前|前|提醒(?:我)?)$")
_MAX_LEAD = timedelta(days=366)


def parse_lead(text: str, *, lang: str | None = None) -> timedelta:
    """How long before something to remind: "15 minutes", "1h30m", "half an hour", "半小时", "15"."""
    s, ctx = _prepare(text, "lead", lang=lang)
    if s.startswith("-"):
        raise ctx.error("time.lead.positive", examples=_examples(ctx))
    s = _LEAD_PREFIX.sub("", s)
    s = _LEAD_SUFFIX.sub("", s).strip()
    if re.fullmatch(r"\d{1,6}", s):
        lead = timedelta(minutes=int(s))  # a bare number where a lead is asked for is minutes
    else:
        found = _match_duration(s, 0)
        if found is None or found[1] != len(s):
            raise ctx.error("time.unreadable", text=_show(text.strip()), what=_what("lead"), examples=_examples(ctx))
        try:
            lead = found[0].as_timedelta()
        except OverflowError:
            lead = _MAX_LEAD * 2
    if lead <= timedelta(0):
        raise ctx.error("time.lead.positive", examples=_examples(ctx))
    if lead > _MAX_LEAD:
        raise ctx.error("time.lead.too_long", text=_show(text.strip()), examples=_examples(ctx))
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
