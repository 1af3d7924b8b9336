"""The programme's nouns: a session, a track, a problem found while reading the files, the people a presenter field names."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeGuard

from bot.core.text import has_cjk


@dataclass(slots=True)
class Problem:
    """Something wrong in a programme file, located like a compiler message."""

    path: str
    line: int
    field: str | None
    severity: str  # "warning" | "error"
    message: str
    # Where in a document without lines the problem is (a JSON path such as `$.sessions[3]`), shown instead of
    # the line; "" = the document as a whole (imported programmes, bot.core.programme.document).
    at: str | None = None

    def __str__(self) -> str:
        where = f" [{self.field}]" if self.field else ""
        if self.at is not None:
            return f"{self.path}{':' + self.at if self.at else ''}: {self.severity}: {self.message}{where}"
        return f"{self.path}:{self.line}: {self.severity}: {self.message}{where}"


@dataclass(slots=True, eq=False)
class Session:
    """One session of the programme, in both languages when a translation exists."""

    id: str  # file stem without language suffix, e.g. "ai-1026"
    path: str  # the primary file (English when it exists)
    title: str
    start: datetime | None  # aware, conference zone; None = unscheduled
    end: datetime | None
    track: str  # normalised track key
    presenters: tuple[str, ...] = ()
    room: str | None = None
    stype: str = ""  # as written, e.g. "Chinese Session"
    language: str | None = None  # "en" | "zh" | None (spoken language of the session)
    format: str = "talk"  # "talk" | "panel" | "keynote" | "lightning"
    abstract: str = ""  # plain text, HTML stripped
    link: str | None = None
    # The Chinese translation, when NAME.zh.md exists (or the only text, when only it exists).
    title_zh: str | None = None
    presenters_zh: tuple[str, ...] = ()
    room_zh: str | None = None
    abstract_zh: str = ""
    end_explicit: bool = False  # end came from `end`/`duration`, not inferred
    bios: str = ""  # the speakers' bios, plain text (Hugo files write them under a "### Speakers:" heading)
    bios_zh: str = ""
    # Imported programmes (pretalx, frab, Sessionize, iCalendar: bot.core.programme.document).
    url: str | None = None  # the session's page in the conference's own programme
    stream_url: str | None = None  # where it is streamed live
    recording_url: str | None = None  # where its recording is
    links: tuple[tuple[str, str], ...] = ()  # (title, URL) of slides, papers and other links it lists
    service: bool = False  # a break, a meal or another service slot: shown, never starred or reminded

    @property
    def scheduled(self) -> bool:
        return self.start is not None

    @property
    def day(self) -> date | None:
        return self.start.date() if self.start else None

    def title_in(self, lang: str) -> str:
        return (self.title_zh or self.title) if lang == "zh" else (self.title or self.title_zh or self.id)

    def room_in(self, lang: str) -> str | None:
        return (self.room_zh or self.room) if lang == "zh" else (self.room or self.room_zh)

    def presenters_in(self, lang: str) -> tuple[str, ...]:
        return (self.presenters_zh or self.presenters) if lang == "zh" else (self.presenters or self.presenters_zh)

    def abstract_in(self, lang: str) -> str:
        return (self.abstract_zh or self.abstract) if lang == "zh" else (self.abstract or self.abstract_zh)

    def bios_in(self, lang: str) -> str:
        return (self.bios_zh or self.bios) if lang == "zh" else (self.bios or self.bios_zh)

    def __reduce__(self) -> tuple[type[Session], tuple[Any, ...]]:
        """Pickled as its fields in order (the start-up cache holds 10,000s): half the objects of the default."""
        return type(self), tuple(getattr(self, name) for name in _SESSION_FIELDS)


_SESSION_FIELDS = tuple(f.name for f in fields(Session))


@dataclass(slots=True, eq=False)
class ScheduledSession(Session):
    """A session with a time: its start is known, and so is its end (given, or inferred by the loader)."""

    start: datetime
    end: datetime


def is_scheduled(session: Session) -> TypeGuard[ScheduledSession]:
    """Whether a session has a time; narrows it to ScheduledSession for the type checker."""
    return session.start is not None


@dataclass(slots=True)
class Track:
    """A track: its key as sessions spell it, display names and chairs, in both languages."""

    key: str
    name: str
    name_zh: str | None = None
    chairs: tuple[str, ...] = ()
    description: str = ""
    count: int = 0  # sessions in the track
    chairs_zh: tuple[str, ...] = ()  # as the Chinese track file names them

    def name_in(self, lang: str) -> str:
        return (self.name_zh or self.name) if lang == "zh" else self.name

    def chairs_in(self, lang: str) -> tuple[str, ...]:
        return (self.chairs_zh or self.chairs) if lang == "zh" else (self.chairs or self.chairs_zh)


_PEOPLE_SEP = re.compile(r"\s*(?:[，、;；/&]|\band\b|\s和\s)\s*")
_HARD_SEP = re.compile(r"[，、;；/&]|\band\b|\s和\s")  # what separates people even without a comma
_HARD_MARKS = frozenset("，、;；/&")


def _may_separate(text: str) -> bool:
    """Whether `text` holds what _HARD_SEP looks for (a list mark, "and", "和"): cheaper than the search, and
    false for nearly every presenters field ("A B, C D")."""
    return "and" in text or "和" in text or not _HARD_MARKS.isdisjoint(text)


_COMMA = re.compile(r"[,，]")
_SPACE = re.compile(r"\s+")


def split_people(presenters: str) -> list[str]:
    """The people a presenter field names ("高赟,张智鹏", "A B, C D", "A and B"), each once, in order.

    One comma between two single words ("Wombacher, Andreas", "Thomas, Mark") is one person written surname
    first; otherwise commas, the Chinese list marks, semicolons, slashes, "&", "and" and "和" separate people.
    Stray spaces and dots around a name are dropped. What is written in angle brackets ("<@&123456>", "<A & B>")
    is one name, kept as written. The catalog splits presenter fields with this, and search splits presenters
    with it again, so sessions made by hand read the same.
    """
    # Any white space but single plain spaces is unprintable, or a double space: only then fold it.
    text = (_SPACE.sub(" ", presenters) if "  " in presenters or not presenters.isprintable() else presenters).strip()
    kept: list[str] = []
    if "<" in text and ">" in text and len(text) <= 10_000 and not _HAS_KEPT.search(text):  # spans: one stand-in each
        text = _BRACKETED.sub(lambda m: _keep(m.group(0), kept), text)
    parts = _PEOPLE_SEP.split(text) if _may_separate(text) and _HARD_SEP.search(text) else [text]
    if len(parts) == 1 and "," not in text:  # one person: the common case
        name = text.strip(" .")
        return [_restore(name, kept) if kept else name] if name else []
    out: list[str] = []
    for part in parts:
        pieces = part.split(",") if "，" not in part else _COMMA.split(part)
        if len(pieces) == 2 and not (kept and _HAS_KEPT.search(part)) and _one_person(*pieces):
            pieces = [part]
        elif len(pieces) > 3 and not kept:
            pieces = _surnames_first(part) or pieces
        for piece in pieces:
            name = piece.strip(" .")
            if kept:
                name = _restore(name, kept)
            if name and name not in out:
                out.append(name)
    return out


_BRACKETED = re.compile(r"<[^<>]*>")
_KEPT = 0xF0000  # Supplementary Private Use Area-A: never in a name as written (the span's index is added)
_HAS_KEPT = re.compile("[\U000f0000-\U000ffffd]")


def _keep(span: str, kept: list[str]) -> str:
    kept.append(span)
    return chr(_KEPT + len(kept) - 1)


def _restore(name: str, kept: list[str]) -> str:
    return _HAS_KEPT.sub(lambda m: kept[ord(m.group(0)) - _KEPT], name) if _HAS_KEPT.search(name) else name


def _surnames_first(part: str) -> list[str] | None:
    """ "Nagariya, Ajay,Das, Debajit": people written surname first, a comma and a space inside each name and a
    bare comma between them; None when the field is not written so."""
    names = _BARE_COMMA.split(part)
    if len(names) < 2:
        return None
    for name in names:
        halves = name.split(",")
        if len(halves) != 2 or not _one_person(*halves):
            return None
    return names


_BARE_COMMA = re.compile(r",(?! )")


def _one_person(surname: str, given: str) -> bool:
    """Whether "surname, given" is one person written surname first: two single capitalised words, not Chinese
    ("tison, Xuanwo" is two people's handles)."""
    a, b = surname.strip(), given.strip()
    return bool(a and b) and a[0].isupper() and b[0].isupper() and " " not in a + b and not has_cjk(a + b)
