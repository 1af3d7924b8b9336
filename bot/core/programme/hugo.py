"""The Hugo programme format: a folder of Markdown session files (NAME.md, its translation NAME.zh.md) with
front matter, a tracks/ folder of track files, and rooms.yaml with the venue's rooms in both languages."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from bot.clock import elapsed, shift
from bot.core.model import Problem, ScheduledSession, Session, Track
from bot.core.programme.fields import (
    MAX_DURATION,
    clean_text,
    normalise_track,
    parse_duration,
    parse_when,
    quote,
    session_kind,
    split_body,
    split_presenters,
    wall_clock_note,
)
from bot.core.programme.front_matter import decode, load_yaml, problem, read_common, read_front_matter
from bot.core.programme.source import Built, Context, Lengths

__all__ = [
    "HUGO",
    "MAX_FILE_BYTES",
    "MAX_ID",
    "HugoFile",
    "HugoFormat",
    "is_session_file",
    "parse_file",
    "session_stem",
]

MAX_FILE_BYTES = 2_000_000
MAX_ID = 64  # characters of a session id (a file name) that people still type in /star and /talk
_TYPABLE = re.compile(r"[A-Za-z0-9._-]+")


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
    bios: str = ""  # the speakers' bios, under the body's speakers heading


def is_session_file(name: str) -> bool:
    """Whether a file name in the sessions folder is a session file: `*.md`, not hidden, not Hugo's `_index.md`."""
    return name.endswith(".md") and not name.startswith((".", "_index"))


def session_stem(path: str) -> str:
    """The session id a session file stands for: its name without `.md` or `.zh.md` (and without a stray space
    or a doubled `.zh`, which parse_file reports)."""
    return _name_parts(path[path.rfind(os.sep) + 1 :])[0]


def _name_parts(name: str) -> tuple[str, str, str | None]:
    """(session id, language, what is odd about the name) for a session file's name: "x.md" is session x in
    English, "x.zh.md" its Chinese translation; "x .md" and "x.zh.zh.md" are read as x too, and said to be odd."""
    if not name.endswith(".md"):
        return name, "en", None
    base = name[:-3]
    if base == base.strip() and not base.endswith(".zh"):
        return base, "en", None  # the common cases first
    if base.endswith(".zh") and (stem := base[:-3]) == stem.strip() and not stem.endswith(".zh") and stem:
        return stem, "zh", None
    stem, suffixes = base.strip(), 0
    while stem.endswith(".zh") and len(stem) > 3:
        stem, suffixes = stem[:-3].rstrip(), suffixes + 1
    if not stem:
        return base, "en", None
    proper = f"{stem}.zh.md" if suffixes else f"{stem}.md"
    if proper == name:
        return stem, "zh" if suffixes else "en", None
    odd = "the language suffix is written twice" if suffixes > 1 else "the file name has a stray space"
    return stem, "zh" if suffixes else "en", f"{odd}: read as session {stem!r}; rename the file {proper!r}"


def _broken(path: str, stem: str, lang: str, problems: list[Problem]) -> HugoFile:
    return HugoFile(path, stem, lang, {}, {}, problems, False)


def parse_file(path: str, raw: bytes, *, bodies: bool = True) -> HugoFile:
    """Parse one file's bytes. Never raises: every fault becomes a Problem. Without `bodies`, the abstract and
    bios are left empty (`check` shows problems only, and turning Markdown into text is a third of the work)."""
    stem, lang, odd_name = _name_parts(path[path.rfind(os.sep) + 1 :])
    parsed = _parse(path, stem, lang, raw, bodies)
    if odd_name is not None:
        parsed.problems.insert(0, problem(path, 1, None, "warning", odd_name))
    return parsed


def _parse(path: str, stem: str, lang: str, raw: bytes, bodies: bool) -> HugoFile:
    if len(raw) > MAX_FILE_BYTES:
        message = f"file is {len(raw):,} bytes, larger than any session ({MAX_FILE_BYTES:,} at most): skipped"
        return _broken(path, stem, lang, [problem(path, 1, None, "error", message)])
    if b"\x00" in raw:
        message = "binary file (contains NUL bytes), not a session: skipped"
        return _broken(path, stem, lang, [problem(path, 1, None, "error", message)])
    problems: list[Problem]
    lines: Mapping[str, int]
    common = read_common(raw)
    if common is not None:  # nearly every file
        fields, lines, text, body_at = common
        body = text[body_at:] if bodies else ""
        first = 2
        problems = []
    else:
        text, problems = decode(raw, path)
        fm = read_front_matter(text, path)
        problems += fm.problems
        if fm.fields is None:
            return _broken(path, stem, lang, problems)
        fields, lines, body, first = fm.fields, fm.lines, fm.body, fm.first
    if not ("title" in fields or "date" in fields or "track" in fields or "presenters" in fields):
        message = "not a session: front matter has none of title, date, track, presenters"
        problems.append(problem(path, first, None, "error", message))
        return HugoFile(path, stem, lang, fields, lines, problems, False)
    abstract, bios = split_body(body) if bodies else ("", "")
    title, presenters = clean_text(fields.get("title")), split_presenters(fields.get("presenters"))
    return HugoFile(path, stem, lang, fields, lines, problems, True, title, presenters, abstract, bios)


def read_tracks(tracks_dir: Path | None) -> tuple[dict[str, Track], list[Problem]]:
    """The tracks folder: one NAME.md (and NAME.zh.md) per track, with its title, chairs and description."""
    tracks: dict[str, Track] = {}
    problems: list[Problem] = []
    if tracks_dir is None:
        return tracks, problems
    try:
        if not tracks_dir.is_dir():
            return tracks, problems
        entries = sorted(os.scandir(tracks_dir), key=lambda e: e.name)
    except OSError as exc:
        problems.append(problem(str(tracks_dir), 1, None, "error", f"cannot list the tracks folder: {_reason(exc)}"))
        return tracks, problems
    for entry in entries:
        if not is_session_file(entry.name):  # the same Markdown files as sessions
            continue
        try:
            raw = read_limited(entry.path, MAX_FILE_BYTES)
        except OSError as exc:
            if not isinstance(exc, IsADirectoryError):
                problems.append(problem(entry.path, 1, None, "error", f"cannot read: {_reason(exc)}"))
            continue
        parsed = parse_file(entry.path, raw)
        if not parsed.ok and not parsed.fields:
            problems.extend(parsed.problems)
            continue
        key = normalise_track(parsed.stem)
        track = tracks.setdefault(key, Track(key=key, name=key))
        title = clean_text(parsed.fields.get("title"))
        chairs = split_presenters(parsed.fields.get("trackchairs"))
        if parsed.lang == "zh":
            track.name_zh = title or None
            track.chairs_zh = chairs
        else:
            track.name = title or key
            track.chairs = chairs
            track.description = parsed.abstract
    return tracks, problems


def read_limited(path: str | Path, limit: int) -> bytes:
    """A whole side file (a track file, rooms.yaml) of at most `limit` bytes: measured before it is read, so a
    huge file, a pipe or a device costs nothing. OSError (with the reason) for anything else."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "a folder, not a file", str(path))
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a pipe, socket or device)", str(path))
        if st.st_size > limit:
            raise OSError(errno.EFBIG, f"{st.st_size:,} bytes, more than such a file may be ({limit:,} at most)")
        return os.read(fd, limit + 1)[:limit]
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def rooms_files(sessions_dir: Path) -> tuple[Path, Path]:
    """Where a Hugo site keeps rooms.yaml: beside the sessions, or one folder up."""
    return sessions_dir / "rooms.yaml", sessions_dir.parent / "rooms.yaml"


def read_rooms(sessions_dir: Path) -> tuple[list[str], dict[str, str]]:
    """The venue's room order and Chinese names, from rooms.yaml (`en:` and `zh:` lists, in the same order)."""
    for candidate in rooms_files(sessions_dir):
        try:
            if not candidate.is_file():
                continue
            data = load_yaml(read_limited(candidate, MAX_FILE_BYTES).decode("utf-8")) or {}
        except Exception:  # noqa: BLE001 - unreadable, not YAML, not UTF-8, nested too deep: the rooms stay unordered
            return [], {}
        en = _names(data.get("en")) if isinstance(data, dict) else []
        zh = _names(data.get("zh")) if isinstance(data, dict) else []
        return en, dict(zip(en, zh, strict=False)) if len(zh) == len(en) else {}
    return [], {}


def _names(value: Any) -> list[str]:
    """A list of room names as rooms.yaml gives it, each as clean text (a YAML alias bomb stays small)."""
    return [clean_text(r) for r in value[:1000]] if isinstance(value, list) else []


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
        message = f"track {quote(key)} is not in the tracks folder; read as {base!r}"
        problems.append(problem(parsed.path, line, "track", "warning", message))
        return base
    message = f"track {quote(key)} has no file in the tracks folder; shown under its key"
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
    if len(stem) > MAX_ID or not _TYPABLE.fullmatch(stem):
        problems.append(problem(p, 1, None, "warning", _awkward_id(stem)))
    tz, when = ctx.tz, ctx.when
    written_date = f.get("date")
    written = when(written_date)
    start = written
    if isinstance(start, str):
        problems.append(problem(p, primary.lines.get("date", 1), "date", "error", start + "; kept as unscheduled"))
        start = None
    elif start is not None and (note := wall_clock_note(written_date, tz)) is not None:  # (_note_wall_clock)
        problems.append(problem(p, primary.lines.get("date", 1), "date", note[0], note[1]))
    if start is None and zh is not None and zh is not primary:
        zh_start = when(zh.fields.get("date"))
        if isinstance(zh_start, datetime):
            start = zh_start
            _note_wall_clock(zh.fields.get("date"), tz, zh, "date", problems)
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
        e = parse_when(written_end, tz)
        length = elapsed(start, e) if isinstance(e, datetime) and start is not None else None
        if isinstance(e, datetime) and length is not None and timedelta(0) < length <= MAX_DURATION:
            end, end_explicit = e, True
            _note_wall_clock(written_end, tz, primary, "end", problems)
        else:
            if length is not None and length > MAX_DURATION:
                message = "end is more than a week after the start; inferred instead"
            elif isinstance(e, str):
                message = f"{e}; the end is inferred instead"
            else:
                message = "end is not a date-time after the start; inferred instead"
            problems.append(problem(p, primary.lines.get("end", 1), "end", "warning", message))
    elif duration is not None and duration != "":
        d = parse_duration(duration)
        if d and start:
            end, end_explicit = shift(start, d), True
        elif not d:
            message = (
                f'duration {quote(duration)} is not minutes (e.g. 40 or "1h 30m", at most a week); inferred instead'
            )
            problems.append(problem(p, primary.lines.get("duration", 1), "duration", "warning", message))
    stype = clean_text(f.get("stype"))
    language, fmt = session_kind(stype, track)
    if stype and language is None and fmt == "talk":
        message = (
            f'session type {quote(stype)} not understood; expected e.g. "English Session", "Chinese Panel", "中文演讲"'
        )
        problems.append(problem(p, primary.lines.get("stype", 1), "stype", "warning", message))
    if not stype and zh is not None:
        language, fmt = session_kind(clean_text(zh.fields.get("stype")), track)
    room = clean_text(f.get("room")) or None
    presenters = primary.presenters
    if not presenters and primary.lang == "en" and "presenters" not in f:
        problems.append(problem(p, 1, "presenters", "warning", "no presenters field"))
    abstract = primary.abstract if primary.lang == "en" else ""
    bios = primary.bios if primary.lang == "en" else ""
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
        if primary is not zh and presenters and presenters_zh and len(presenters) != len(presenters_zh):
            problems.append(_presenters_disagree(primary, zh))
        if primary is zh:
            title = title_zh or stem
            presenters = ()
            room = _room_en(room_zh, ctx.rooms_zh)
        elif start is not None:
            zh_date = zf.get("date")
            same = zh_date is written_date or (isinstance(zh_date, str) and zh_date == written_date)
            zs = start if same else when(zh_date)
            if isinstance(zs, datetime) and zs is not start and elapsed(start, zs):
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
    link = f.get("speechLink") or f.get("speechlink")
    link = clean_text(link) or None if link is not None else None
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
    bios_zh = zh.bios if zh is not None else ""
    if start is None:
        return Session(stem, p, title, None, None, *rest, end_explicit, bios=bios, bios_zh=bios_zh), problems
    # Until the loader sees the room's timetable, a session lasts as long as it may at most.
    latest = end if end is not None else ctx.latest(start, track)
    return ScheduledSession(stem, p, title, start, latest, *rest, end_explicit, bios=bios, bios_zh=bios_zh), problems


def _note_wall_clock(value: Any, tz: ZoneInfo, file: HugoFile, fld: str, problems: list[Problem]) -> None:
    """A time clocks skip (an error) or show twice (a warning) on a daylight-saving night, located on its line."""
    note = wall_clock_note(value, tz)
    if note is not None:
        problems.append(problem(file.path, file.lines.get(fld, 1), fld, note[0], note[1]))


def _awkward_id(stem: str) -> str:
    if " " in stem:
        why = "it has spaces"
    elif len(stem) > MAX_ID:
        why = f"it is {len(stem)} characters long (at most {MAX_ID} are easy to type)"
    else:
        why = "it has characters other than letters, digits, '.', '_' and '-'"
    return (
        f"the session id {quote(stem, 80)} (the file's name) is awkward to type in /star and /talk: {why}; "
        "rename the file with letters, digits, '.', '_' and '-'"
    )


def _presenters_disagree(en: HugoFile, zh: HugoFile) -> Problem:
    """The translation names a different number of people than the session's file: both files named."""

    def people(file: HugoFile) -> str:
        return quote(", ".join(file.presenters), 100)

    message = (
        f"{os.path.basename(en.path)} names {len(en.presenters)} presenters ({people(en)}) but "
        f"{os.path.basename(zh.path)} names {len(zh.presenters)} ({people(zh)}); make the two files agree"
    )
    return problem(zh.path, zh.lines.get("presenters", 1), "presenters", "warning", message)


def _proper(file: HugoFile) -> bool:
    """Whether a file is named as its session and language say it should be ("x.md", "x.zh.md")."""
    return os.path.basename(file.path) == (f"{file.stem}.zh.md" if file.lang == "zh" else f"{file.stem}.md")


class HugoFormat:
    """The Hugo programme format (see the module's docstring) behind the loader's ProgrammeFormat seam."""

    name = "hugo"

    def __init__(self, *, bodies: bool = True) -> None:
        self.bodies = bodies  # False: abstracts and bios are not read (for `check`, which never shows them)
        self.version = "1" if bodies else "1-without-bodies"

    def is_source(self, name: str) -> bool:
        return is_session_file(name)

    def parse(self, path: str, raw: bytes) -> HugoFile:
        return parse_file(path, raw, bodies=self.bodies)

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
        if len(files) == 2 and files[0].lang != files[1].lang:  # a session and its translation: the common case
            session, problems = make_session(group, {files[0].lang: files[0], files[1].lang: files[1]}, context)
            return [(session, problems)]
        langs: dict[str, HugoFile] = {}
        ignored: list[Problem] = []
        for f in files:  # two files for one language ("x.md" and "x .md"): the one named properly is read
            have = langs.get(f.lang)
            if have is not None:
                keep, drop = (f, have) if _proper(f) and not _proper(have) else (have, f)
                langs[f.lang] = keep
                message = f"the same session as {os.path.basename(keep.path)}: ignored; remove or rename one of them"
                ignored.append(problem(drop.path, 1, None, "warning", message))
            else:
                langs[f.lang] = f
        if not langs:
            return []
        session, problems = make_session(group, langs, context)
        return [(session, problems + ignored if ignored else problems)]


HUGO = HugoFormat()
