"""The Hugo programme format: a folder of Markdown session files (NAME.md, its translation NAME.zh.md) with
front matter, a tracks/ folder of track files, and rooms.yaml with the venue's rooms in both languages."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import yaml

from bot.core.model import Problem, ScheduledSession, Session, Track
from bot.core.programme.fields import (
    clean_text,
    normalise_track,
    parse_duration,
    parse_when,
    session_kind,
    split_abstract,
    split_presenters,
)
from bot.core.programme.front_matter import YamlLoader, decode, problem, read_front_matter
from bot.core.programme.source import Built, Context, Lengths

__all__ = ["HUGO", "MAX_FILE_BYTES", "HugoFile", "HugoFormat", "is_session_file", "parse_file", "session_stem"]

MAX_FILE_BYTES = 2_000_000


class HugoFile(NamedTuple):
    """What one Markdown file says, before translations are merged and end times inferred."""

    path: str
    stem: str
    lang: str  # "en" (plain NAME.md) or "zh" (NAME.zh.md)
    fields: dict[str, Any]
    lines: Mapping[str, int]  # field -> line number in the file
    problems: list[Problem]
    ok: bool  # False: not a session at all
    title: str = ""
    presenters: tuple[str, ...] = ()
    abstract: str = ""


def is_session_file(name: str) -> bool:
    """Whether a file name in the sessions folder is a session file: `*.md`, not hidden, not Hugo's `_index.md`."""
    return name.endswith(".md") and not name.startswith((".", "_index"))


def session_stem(path: str) -> str:
    """The session id a session file stands for: its name without `.md` or `.zh.md`."""
    name = path[path.rfind(os.sep) + 1 :]
    return name[:-6] if name.endswith(".zh.md") else name[:-3] if name.endswith(".md") else name


def _broken(path: str, stem: str, lang: str, problems: list[Problem]) -> HugoFile:
    return HugoFile(path, stem, lang, {}, {}, problems, False)


def parse_file(path: str, raw: bytes) -> HugoFile:
    """Parse one file's bytes. Never raises: every fault becomes a Problem."""
    name = path[path.rfind(os.sep) + 1 :]
    stem, lang = (name[:-6], "zh") if name.endswith(".zh.md") else (name[:-3], "en")
    if len(raw) > MAX_FILE_BYTES:
        message = f"file is {len(raw):,} bytes, larger than any session ({MAX_FILE_BYTES:,} at most): skipped"
        return _broken(path, stem, lang, [problem(path, 1, None, "error", message)])
    if b"\x00" in raw:
        message = "binary file (contains NUL bytes), not a session: skipped"
        return _broken(path, stem, lang, [problem(path, 1, None, "error", message)])
    text, problems = decode(raw, path)
    fm = read_front_matter(text, path)
    problems += fm.problems
    fields = fm.fields
    if fields is None:
        return _broken(path, stem, lang, problems)
    if not ("title" in fields or "date" in fields or "track" in fields or "presenters" in fields):
        message = "not a session: front matter has none of title, date, track, presenters"
        problems.append(problem(path, fm.first, None, "error", message))
        return HugoFile(path, stem, lang, fields, fm.lines, problems, False)
    return HugoFile(
        path,
        stem,
        lang,
        fields,
        fm.lines,
        problems,
        True,
        title=clean_text(fields.get("title")),
        presenters=split_presenters(fields.get("presenters")),
        abstract=split_abstract(fm.body),
    )


def read_tracks(tracks_dir: Path | None) -> tuple[dict[str, Track], list[Problem]]:
    """The tracks folder: one NAME.md (and NAME.zh.md) per track, with its title, chairs and description."""
    tracks: dict[str, Track] = {}
    problems: list[Problem] = []
    if tracks_dir is None or not tracks_dir.is_dir():
        return tracks, problems
    for entry in sorted(os.scandir(tracks_dir), key=lambda e: e.name):
        if not is_session_file(entry.name) or not entry.is_file():  # the same Markdown files as sessions
            continue
        try:
            raw = Path(entry.path).read_bytes()
        except OSError as exc:
            problems.append(problem(entry.path, 1, None, "error", f"cannot read: {exc.strerror}"))
            continue
        parsed = parse_file(entry.path, raw)
        if not parsed.ok and not parsed.fields:
            problems.extend(parsed.problems)
            continue
        key = normalise_track(parsed.stem)
        track = tracks.setdefault(key, Track(key=key, name=key))
        title = clean_text(parsed.fields.get("title"))
        if parsed.lang == "zh":
            track.name_zh = title or None
        else:
            track.name = title or key
            track.chairs = split_presenters(parsed.fields.get("trackchairs"))
            track.description = parsed.abstract
    return tracks, problems


def rooms_files(sessions_dir: Path) -> tuple[Path, Path]:
    """Where a Hugo site keeps rooms.yaml: beside the sessions, or one folder up."""
    return sessions_dir / "rooms.yaml", sessions_dir.parent / "rooms.yaml"


def read_rooms(sessions_dir: Path) -> tuple[list[str], dict[str, str]]:
    """The venue's room order and Chinese names, from rooms.yaml (`en:` and `zh:` lists, in the same order)."""
    for candidate in rooms_files(sessions_dir):
        if candidate.is_file():
            try:
                data = yaml.load(candidate.read_text(encoding="utf-8"), Loader=YamlLoader) or {}
            except (OSError, yaml.YAMLError, UnicodeDecodeError):
                return [], {}
            en = [str(r).strip() for r in data.get("en") or []] if isinstance(data, dict) else []
            zh = [str(r).strip() for r in data.get("zh") or []] if isinstance(data, dict) else []
            return en, dict(zip(en, zh, strict=False)) if len(zh) == len(en) else {}
    return [], {}


def _room_en(room_zh: str | None, rooms_zh: dict[str, str]) -> str | None:
    for en, zh in rooms_zh.items():
        if zh == room_zh:
            return en
    return room_zh


def _resolve_track(raw: Any, parsed: HugoFile, ctx: Context, problems: list[Problem]) -> str:
    """The track key a session names: as written, by a display name, or by the key before a suffix."""
    key = normalise_track(raw)
    tracks = ctx.tracks
    if key and (not tracks or key in tracks):
        return key
    line = parsed.lines.get("track", 1)
    if not key:
        problems.append(problem(parsed.path, line, "track", "warning", 'no track; filed under "general"'))
        return "general"
    if key in ctx.track_aliases:
        return ctx.track_aliases[key]
    base = re.split(r"[-_.]", key)[0]
    if base in tracks:
        message = f"track {key!r} is not in the tracks folder; read as {base!r}"
        problems.append(problem(parsed.path, line, "track", "warning", message))
        return base
    message = f"track {key!r} has no file in the tracks folder; shown under its key"
    problems.append(problem(parsed.path, line, "track", "warning", message))
    return key


def make_session(stem: str, langs: Mapping[str, HugoFile], ctx: Context) -> Built:
    """One session from its file and its translation (either may be missing, not both), and its problems."""
    problems: list[Problem] = []
    primary = langs.get("en") or langs["zh"]
    zh = langs.get("zh")
    f = primary.fields
    p = primary.path
    title = primary.title
    if not title:
        if zh is not None and zh.title:
            problems.append(
                problem(p, primary.lines.get("title", 1), "title", "warning", "no title; shown by its Chinese title")
            )
            title = zh.title
        else:
            problems.append(
                problem(p, primary.lines.get("title", 1), "title", "warning", "no title; shown by its file name")
            )
            title = stem
    track = _resolve_track(f.get("track"), primary, ctx, problems)
    when = ctx.when
    written = when(f.get("date"))
    start = written
    if isinstance(start, str):
        problems.append(problem(p, primary.lines.get("date", 1), "date", "error", start + "; kept as unscheduled"))
        start = None
    if start is None and zh is not None:
        zh_start = when(zh.fields.get("date"))
        if isinstance(zh_start, datetime):
            start = zh_start
    if start is None and not isinstance(written, str):
        problems.append(
            problem(
                p,
                primary.lines.get("date", 1),
                "date",
                "warning",
                'no date: kept as unscheduled (found by /talk, never in /next); add date: "YYYY-MM-DDTHH:MM:SS"',
            )
        )
    end: datetime | None = None
    end_explicit = False
    written_end, duration = f.get("end"), f.get("duration")
    if written_end is not None and written_end != "":
        e = parse_when(written_end, ctx.tz)
        if isinstance(e, datetime) and start and e > start:
            end, end_explicit = e, True
        else:
            message = "end is not a date-time after the start; inferred instead"
            problems.append(problem(p, primary.lines.get("end", 1), "end", "warning", message))
    elif duration is not None and duration != "":
        d = parse_duration(duration)
        if d and start:
            end, end_explicit = start + d, True
        elif not d:
            message = f'duration {duration!r} is not minutes (e.g. 40 or "1h 30m"); inferred instead'
            problems.append(problem(p, primary.lines.get("duration", 1), "duration", "warning", message))
    stype = clean_text(f.get("stype"))
    language, fmt = session_kind(stype, track)
    if stype and language is None and fmt == "talk":
        message = f'session type {stype!r} not understood; expected e.g. "English Session", "Chinese Panel", "中文演讲"'
        problems.append(problem(p, primary.lines.get("stype", 1), "stype", "warning", message))
    if not stype and zh is not None:
        language, fmt = session_kind(clean_text(zh.fields.get("stype")), track)
    room = clean_text(f.get("room")) or None
    presenters = primary.presenters
    if not presenters and primary.lang == "en" and "presenters" not in f:
        problems.append(problem(p, 1, "presenters", "warning", "no presenters field"))
    abstract = primary.abstract if primary.lang == "en" else ""
    title_zh: str | None = None
    presenters_zh: tuple[str, ...] = ()
    room_zh: str | None = None
    abstract_zh = ""
    if zh is not None:
        zf = zh.fields
        title_zh = zh.title or None
        presenters_zh = zh.presenters
        room_zh = clean_text(zf.get("room")) or None
        abstract_zh = zh.abstract
        if primary is zh:
            title = title_zh or stem
            presenters = ()
            room = _room_en(room_zh, ctx.rooms_zh)
        elif start is not None:
            zs = when(zf.get("date")) if zf.get("date") != f.get("date") else start
            if isinstance(zs, datetime) and zs != start:
                problems.append(
                    problem(
                        zh.path,
                        zh.lines.get("date", 1),
                        "date",
                        "warning",
                        f"translation says {zs:%Y-%m-%d %H:%M} but {os.path.basename(p)} says {start:%Y-%m-%d %H:%M}; using the English file",
                    )
                )
    if room and not room_zh and room in ctx.rooms_zh:
        room_zh = ctx.rooms_zh[room]
    link = clean_text(f.get("speechLink") or f.get("speechlink")) or None
    rest = (
        track,
        presenters,
        room,
        stype,
        language,
        fmt,
        abstract,
        link,
        title_zh,
        presenters_zh,
        room_zh,
        abstract_zh,
    )
    if start is None:
        return Session(stem, p, title, None, None, *rest, end_explicit), problems
    # Until the loader sees the room's timetable, a session lasts as long as it may at most.
    latest = end if end is not None else start + ctx.lengths.for_track(track)
    return ScheduledSession(stem, p, title, start, latest, *rest, end_explicit), problems


class HugoFormat:
    """The Hugo programme format (see the module's docstring) behind the loader's ProgrammeFormat seam."""

    name = "hugo"
    version = "1"

    def is_source(self, name: str) -> bool:
        return is_session_file(name)

    def parse(self, path: str, raw: bytes) -> HugoFile:
        return parse_file(path, raw)

    def unreadable(self, path: str, reason: str) -> HugoFile:
        return _broken(path, session_stem(path), "en", [problem(path, 1, None, "error", f"cannot read: {reason}")])

    def group_of(self, path: str) -> str:
        return session_stem(path)

    def context(self, sessions_dir: Path, tracks_dir: Path | None, tz: ZoneInfo, lengths: Lengths) -> Context:
        tracks, track_problems = read_tracks(tracks_dir)
        aliases: dict[str, str] = {}
        for t in tracks.values():  # track keys as written may be display names, in either language
            aliases[normalise_track(t.name)] = t.key
            if t.name_zh:
                aliases[normalise_track(t.name_zh)] = t.key
        room_order, rooms_zh = read_rooms(sessions_dir)
        return Context(tz, lengths, tracks, track_problems, aliases, room_order, rooms_zh)

    def side_files(self, sessions_dir: Path, tracks_dir: Path | None) -> list[Path]:
        found = list(rooms_files(sessions_dir))
        if tracks_dir is not None and tracks_dir.is_dir():
            found += sorted(Path(e.path) for e in os.scandir(tracks_dir) if is_session_file(e.name))
        return found

    def build(self, group: str, files: Sequence[HugoFile], context: Context) -> list[Built]:
        langs = {f.lang: f for f in files}
        if not langs:
            return []
        return [make_session(group, langs, context)]


HUGO = HugoFormat()
