"""Programme field values as attendees should read them: clean text, plain text from Markdown and HTML,
presenters, session kind, track keys, and the date-times and durations programme files are written with.

Shared by every programme format; each function takes what a file gave (any YAML/TOML/JSON type) and never raises.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.model import split_people

__all__ = [
    "MAX_FIELD",
    "clean_text",
    "normalise_track",
    "parse_duration",
    "parse_when",
    "plain_text",
    "session_kind",
    "split_abstract",
    "split_presenters",
]

MAX_FIELD = 2000  # characters of one front matter field: far past any real title, short of a YAML alias bomb

_TAG = re.compile(r"<[^>]*>")
_SPEAKERS_HEADING = re.compile(r"^#{1,6}\s*(speakers?|presenters?|讲师|讲者|演讲者|嘉宾)\s*[:：]?\s*$", re.I | re.M)
_MD_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|^#{1,6}\s*|\*\*|__|`", re.M)
_SPACES = re.compile(r"[ \t\u00a0\u3000]{2,}|[\t\u00a0\u3000]")
_BLANKS = re.compile(r"\n\s*\n+")
_EDGE_SPACES = re.compile(r" +\n *|\n +")
_DATE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)
_DURATION = re.compile(r"\s*(?:(\d+)\s*h(?:ours?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?)?)?)?\s*")


def clean_text(value: Any, depth: int = 0) -> str:
    """One line of text from any field value: lists joined with ", ", runs of spaces folded, at most MAX_FIELD."""
    if value.__class__ is str and len(value) <= MAX_FIELD and value.isprintable() and "  " not in value:
        return value.strip()  # the common case: one line of plain spaces (tabs, NBSP, newlines are unprintable)
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        if depth >= 3:  # nested lists are junk; YAML aliases can nest them without end
            return ""
        parts: list[str] = []
        size = 0
        for v in value[:100]:
            if v is None:
                continue
            part = clean_text(v, depth + 1)
            parts.append(part)
            size += len(part) + 2
            if size > MAX_FIELD:
                break
        return ", ".join(p for p in parts if p)[:MAX_FIELD]
    text = str(value)
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
    if "[" in text or "*" in text or "_" in text or "#" in text or "`" in text or "!" in text:  # C scans, no regex
        text = _MD_MARKUP.sub(lambda m: m.group(1) or "", text)
    if "&" in text:
        text = html.unescape(text)
    if _needs_space_fold(text):
        text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _EDGE_SPACES.sub("\n", text)
    if "\n\n\n" in text or "\n \n" in text or "\n\t" in text:
        text = _BLANKS.sub("\n\n", text)
    return text.strip()


def split_abstract(body: str) -> str:
    """The abstract is what comes before the speakers' heading, as plain text."""
    m = _SPEAKERS_HEADING.search(body) if "#" in body else None
    return plain_text(body[: m.start()] if m else body)


def split_presenters(value: Any) -> tuple[str, ...]:
    """The people a presenters (or track chairs) field names, each once: a list of names or one string."""
    if value is None:
        return ()
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
    return clean_text(value).lower().replace(" ", "")


def parse_when(value: Any, tz: ZoneInfo) -> datetime | str | None:
    """A conference-local date-time; None when empty; an error message when unusable.

    Programme files write ISO 8601 ("2026-08-07T09:30:00", a space for the T, an optional offset); a time
    without an offset is the conference's wall-clock time. This is not the attendee time parser
    (bot.core.timeparse), which reads "tomorrow 3pm" and would accept what a programme must not say.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return "a date without a time of day"
    text = str(value).strip()
    if not text:
        return None
    m = _DATE.match(text)
    if not m:
        return f'cannot read {text!r} as a date and time; expected "YYYY-MM-DDTHH:MM:SS" such as "2026-08-07T09:30:00"'
    y, mo, d, h, mi, s, off = m.groups()
    if h is None:
        return f'{text!r} has no time of day; expected "YYYY-MM-DDTHH:MM:SS"'
    if not 1900 <= int(y) <= 2200:
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
    return naive.replace(tzinfo=tz)


def parse_duration(value: Any) -> timedelta | None:
    """A session length as programme files write it: minutes (40, "40") or "1h 30m"; None when unusable or zero."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return timedelta(minutes=value) if value > 0 else None
        m = _DURATION.fullmatch(str(value))
        if m and (m.group(1) or m.group(2)):
            return timedelta(hours=int(m.group(1) or 0), minutes=int(m.group(2) or 0)) or None
        if str(value).strip().isdigit():
            return timedelta(minutes=int(str(value).strip())) or None
    except (OverflowError, ValueError):  # a length no calendar holds is no length
        return None
    return None
