"""Programme field values as attendees should read them: clean text, plain text from Markdown and HTML,
presenters, session kind, track keys, and the date-times and durations programme files are written with.

Shared by every programme format; each function takes what a file gave (any YAML/TOML/JSON type) and never raises.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.model import split_people

__all__ = [
    "MAX_DURATION",
    "MAX_FIELD",
    "YEARS",
    "clean_text",
    "normalise_track",
    "parse_duration",
    "parse_when",
    "plain_text",
    "quote",
    "session_kind",
    "split_abstract",
    "split_body",
    "split_presenters",
    "wall_clock_note",
]

MAX_FIELD = 2000  # characters of one front matter field: far past any real title, short of a YAML alias bomb
MAX_DURATION = timedelta(days=7)  # longer is no session length (a hackathon lasts days, not weeks)
YEARS = (1900, 2200)  # a conference date is in these years: far from the ends of the calendar, so time arithmetic holds

_TAG = re.compile(r"<[^>]*>")
# The heading speakers' bios go under, as real files write it: "### Speakers:", " ### 讲师: " (leading spaces and all).
_SPEAKERS_HEADING = re.compile(
    r"^[ \t]{0,3}#{1,6}[ \t]*(?:speakers?|presenters?|speaker bios?|about the speakers?|讲师|讲者|演讲者|演讲嘉宾|嘉宾"
    r"|讲师介绍|讲师简介|讲者介绍|嘉宾介绍)[ \t]*[:：]?[ \t]*$",
    re.I | re.M,
)
_MD_MARKUP = re.compile(
    r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|^[ \t]{0,3}#{1,6}[ \t]*|^[ \t]{0,3}>[ \t]?|\*\*|__|`"
    r"|(?<![\w*])\*([^\s*](?:[^*\n]*[^\s*])?)\*(?![\w*])",  # *emphasis*, never "2 * 3" or a bullet
    re.M,
)
_MD_LINES = re.compile(r"^[ \t]*(?:([*+-])[ \t]+|(?:[-*_][ \t]*){3,}$)", re.M)  # a list item's mark, a rule
_SPACES = re.compile(r"[ \t\u00a0\u3000]{2,}|[\t\u00a0\u3000]")
_BLANKS = re.compile(r"\n\s*\n+")
_EDGE_SPACES = re.compile(r" +\n *|\n +")
_DATE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)
_DURATION = re.compile(r"\s*(?:(\d+)\s*h(?:ours?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?)?)?)?\s*")
_MAX_MINUTES = MAX_DURATION.total_seconds() / 60


def quote(value: Any, limit: int = 60) -> str:
    """A field value as a problem message quotes it: short text, never the whole of a list or a YAML alias bomb."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    try:
        text = repr(value) if isinstance(value, str) else str(value)
    except ValueError:  # an integer too long to print
        return "a number"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clean_text(value: Any, depth: int = 0) -> str:
    """One line of text from any field value: lists joined with ", ", runs of spaces folded, at most MAX_FIELD."""
    if value.__class__ is str and len(value) <= MAX_FIELD and value.isprintable() and "  " not in value:
        return value.strip()  # the common case: one line of plain spaces (tabs, NBSP, newlines are unprintable)
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        if depth >= 3:  # nested lists are junk; YAML aliases can nest them without end
            return ""
        parts: list[str] = []
        size = 0
        items = value.values() if isinstance(value, dict) else value
        for n, v in enumerate(items):  # a set of fields reads as its values
            if n >= 100:
                break
            if v is None:
                continue
            part = clean_text(v, depth + 1)
            parts.append(part)
            size += len(part) + 2
            if size > MAX_FIELD:
                break
        return ", ".join(p for p in parts if p)[:MAX_FIELD]
    try:
        text = str(value)
    except ValueError:  # an integer too long to print
        return ""
    if len(text) > MAX_FIELD:
        text = text[:MAX_FIELD]
    if "\n" in text:
        text = text.replace("\n", " ")
    return (_SPACES.sub(" ", text) if _needs_space_fold(text) else text).strip()


def _needs_space_fold(text: str) -> bool:
    return "  " in text or "\t" in text or "\u00a0" in text or "\u3000" in text


def plain_text(markdown: str) -> str:
    """Markdown with some HTML, as attendees should read it in a chat: tags and markup gone."""
    text = markdown
    if "<" in text:
        text = _TAG.sub("", text.replace("<br/>", "\n").replace("<br>", "\n").replace("<br />", "\n"))
    if "*" in text or "-" in text or "+" in text or "_" in text:
        text = _MD_LINES.sub(lambda m: "• " if m.group(1) else "", text)
    if "[" in text or "*" in text or "_" in text or "#" in text or "`" in text or "!" in text or ">" in text:
        text = _MD_MARKUP.sub(_markup_text, text)
    if "&" in text:
        import html  # here: `check` turns no Markdown into text, and starts without it

        text = html.unescape(text)
    if _needs_space_fold(text):
        text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _EDGE_SPACES.sub("\n", text)
    if "\n\n\n" in text or "\n \n" in text or "\n\t" in text:
        text = _BLANKS.sub("\n\n", text)
    return text.strip()


def _markup_text(m: re.Match[str]) -> str:
    """What a piece of Markdown markup leaves to read: a link's text (itself without markup), emphasised words."""
    if m.group(1) is not None:
        return m.group(1).replace("**", "").replace("__", "").replace("`", "")
    return m.group(2) or ""


def split_body(body: str) -> tuple[str, str]:
    """A session file's body as (abstract, speakers' bios), plain text: the bios are what follows the speakers'
    heading ("### Speakers:", "### 讲师:", indented or not); without one, the whole body is the abstract."""
    m = _SPEAKERS_HEADING.search(body) if "#" in body else None
    if m is None:
        return plain_text(body), ""
    return plain_text(body[: m.start()]), plain_text(body[m.end() :])


def split_abstract(body: str) -> str:
    """The abstract is what comes before the speakers' heading, as plain text."""
    return split_body(body)[0]


def split_presenters(value: Any) -> tuple[str, ...]:
    """The people a presenters (or track chairs) field names, each once: a list of names or one string."""
    if value is None:
        return ()
    if value.__class__ is str:  # the common case: one string, whose people split_people names each once
        return tuple(split_people(clean_text(value)))
    if isinstance(value, (list, tuple)):
        texts = [clean_text(v, 1) for v in value[:100]]
    else:
        texts = [clean_text(value)]
    people: list[str] = []
    for text in texts:
        for person in split_people(text):
            if person not in people:
                people.append(person)
    return tuple(people)


@lru_cache(maxsize=1024)  # a programme writes a handful of session types, in a handful of tracks
def session_kind(stype: str, track: str) -> tuple[str | None, str]:
    """Spoken language and format from the session type as written ("Chinese Panel", "英文演讲")."""
    s = stype.lower()
    language = "zh" if ("chinese" in s or "中文" in s) else "en" if ("english" in s or "英文" in s) else None
    if "panel" in s or "圆桌" in s:
        fmt = "panel"
    elif track == "keynote" or "keynote" in s or "主题" in s:
        fmt = "keynote"
    elif track in ("5minstalk", "lightning") or "lightning" in s or "闪电" in s:
        fmt = "lightning"
    else:
        fmt = "talk"
    return language, fmt


def normalise_track(value: Any) -> str:
    """A track key as sessions and track files spell it: lower case, no spaces."""
    if value.__class__ is str and len(value) <= 100:  # as tracks are named (a longer one is not kept)
        return _track_key(value)
    return clean_text(value).lower().replace(" ", "")


@lru_cache(maxsize=1024)  # a programme names a few dozen tracks, in 10,000s of files
def _track_key(text: str) -> str:
    return clean_text(text).lower().replace(" ", "")


def parse_when(value: Any, tz: ZoneInfo) -> datetime | str | None:
    """A conference-local date-time; None when empty; an error message when unusable.

    Programme files write ISO 8601 ("2026-08-07T09:30:00", a space for the T, an optional offset); a time
    without an offset is the conference's wall-clock time (one that clocks skip, 02:30 on a spring-forward
    night, is read as the time clocks show then; wall_clock_note says so). This is not the attendee time parser
    (bot.core.timeparse), which reads "tomorrow 3pm" and would accept what a programme must not say.
    """
    if value is None:
        return None
    if isinstance(value, datetime):  # YAML read it already (an unquoted date-time)
        if not YEARS[0] <= value.year <= YEARS[1]:
            return f"{value.isoformat()!r} has the year {value.year}; a conference date is expected"
        return value.astimezone(tz) if value.tzinfo else _wall(value, tz)
    if isinstance(value, date):
        return "a date without a time of day"
    if not isinstance(value, (str, int, float)):
        return f'{quote(value)} is not a date and time; expected "YYYY-MM-DDTHH:MM:SS" such as "2026-08-07T09:30:00"'
    text = (value if isinstance(value, str) else quote(value)).strip()
    if not text:
        return None
    m = _DATE.match(text) if len(text) <= 64 else None
    if not m:
        return f'cannot read {quote(text)} as a date and time; expected "YYYY-MM-DDTHH:MM:SS" such as "2026-08-07T09:30:00"'
    y, mo, d, h, mi, s, off = m.groups()
    if h is None:
        return f'{text!r} has no time of day; expected "YYYY-MM-DDTHH:MM:SS"'
    if not YEARS[0] <= int(y) <= YEARS[1]:
        return f"{text!r} has the year {y}; a conference date is expected"
    try:
        naive = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
    except ValueError as exc:
        return f"{text!r} is not a real date and time ({exc})"
    if off:
        if off == "Z":
            offset = timedelta(0)
        else:
            sign = -1 if off[0] == "-" else 1
            digits = off[1:].replace(":", "")
            offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            if offset >= timedelta(hours=18) or offset <= -timedelta(hours=18):
                return f"{text!r} has the offset {off}, beyond any time zone (±18:00)"
        return naive.replace(tzinfo=timezone(offset)).astimezone(tz)
    return _wall(naive, tz)


def _wall(naive: datetime, tz: tzinfo) -> datetime:
    """A wall-clock time in `tz`: the first of two when it happens twice; one clocks skip is moved on by the gap."""
    aware = naive.replace(tzinfo=tz)
    if aware.replace(fold=1).utcoffset() == aware.utcoffset():
        return aware  # the common case: no clock change at this time
    moved = aware.astimezone(UTC).astimezone(tz)
    return moved if moved.replace(tzinfo=None) != naive else aware


def wall_clock_note(value: Any, tz: ZoneInfo) -> tuple[str, str] | None:
    """For a date-time written without an offset, what daylight saving makes of it in `tz`: ("error", why) when
    clocks skip it (02:30 on a spring-forward night), ("warning", which one is taken) when it happens twice (01:30
    on a fall-back night); None otherwise (and for anything parse_when refuses)."""
    if isinstance(value, str):
        return _written_note(value, tz) if len(value) <= 64 else None
    if isinstance(value, datetime) and value.tzinfo is None and YEARS[0] <= value.year <= YEARS[1]:
        return _naive_note(value, tz)
    return None


@lru_cache(maxsize=4096)
def _written_note(text: str, tz: ZoneInfo) -> tuple[str, str] | None:
    m = _DATE.match(text)
    if not m or m.group(4) is None or m.group(7) or not YEARS[0] <= int(m.group(1)) <= YEARS[1]:
        return None
    y, mo, d, h, mi, s = (int(g or 0) for g in m.groups()[:6])
    try:
        naive = datetime(y, mo, d, h, mi, s)
    except ValueError:
        return None
    return _naive_note(naive, tz)


def _naive_note(naive: datetime, tz: ZoneInfo) -> tuple[str, str] | None:
    first, second = naive.replace(tzinfo=tz), naive.replace(tzinfo=tz, fold=1)
    before, after = first.utcoffset(), second.utcoffset()
    if before == after or before is None or after is None:
        return None
    zone = getattr(tz, "key", str(tz))
    when = f"{naive:%Y-%m-%d %H:%M}"
    moved = first.astimezone(UTC).astimezone(tz)
    if moved.replace(tzinfo=None) != naive:
        return (
            "error",
            f"{when} does not exist in {zone}: the clocks skip it that night (daylight saving begins); read as "
            f"{moved:%H:%M} (UTC{_offset(moved.utcoffset())}); write the time as the clocks show it",
        )
    return (
        "warning",
        f"{when} happens twice in {zone} (the clocks go back that night); taken as the first, UTC{_offset(before)}; "
        f'for the second, write the offset: "{naive:%Y-%m-%dT%H:%M:%S}{_offset(after)}"',
    )


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta(0)).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def parse_duration(value: Any) -> timedelta | None:
    """A session length as programme files write it: minutes (40, "40") or "1h 30m"; None when unusable, zero or
    longer than MAX_DURATION."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return timedelta(minutes=value) if 0 < value <= _MAX_MINUTES else None  # NaN fails both comparisons
    if not isinstance(value, str) or len(value) > 40:
        return None
    m = _DURATION.fullmatch(value)
    if m and (m.group(1) or m.group(2)):
        length = timedelta(hours=int(m.group(1) or 0), minutes=int(m.group(2) or 0))
    elif value.strip().isdecimal():
        length = timedelta(minutes=int(value.strip()))
    else:
        return None
    return length if timedelta(0) < length <= MAX_DURATION else None
