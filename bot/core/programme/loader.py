"""Loading a programme folder, and reloading it cheaply: only changed files are read again, a file that breaks
keeps its last good version, and a session's end, when its file gives none, is inferred from the room's timetable.

Sessions a catalog serves are never changed afterwards: a reload that moves a session's inferred end makes a
new object, so a reader holding the previous catalog (another thread, a command mid-reply) sees it whole.
"""

from __future__ import annotations

import errno
import gc
import logging
import os
import stat
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import shift
from bot.core.model import Problem, Session, Track
from bot.core.programme.catalog import Catalog
from bot.core.programme.front_matter import problem
from bot.core.programme.hugo import HUGO
from bot.core.programme.source import DEFAULT_TZ, Built, Context, Lengths, ProgrammeFormat, _DefaultLengths

__all__ = ["MAX_READ", "CatalogLoader", "FileTooBig", "Stamp", "list_sources", "load_catalog", "read_stat"]

log = logging.getLogger(__name__)

Stamp = tuple[int, int, int]  # mtime_ns, size, ctime_ns: what a file looked like when it was read
_GONE: Stamp = (0, 0, 0)
_SortKey = tuple[float, str, str]  # the start as an instant (seconds; unscheduled: infinity, last), room, id
_Slot = tuple[date, str, str]  # a day and a room ("room", name) or a track ("track", key): one timetable
MAX_READ = 16_000_000  # bytes: no programme file is larger (a format refuses its own files far below this)


class FileTooBig(OSError):
    """A file larger than MAX_READ: refused by its size, never read."""

    def __init__(self, path: str, size: int, stamp: Stamp):
        super().__init__(errno.EFBIG, f"it is {size:,} bytes, more than a programme file may be ({MAX_READ:,} at most)")
        self.filename = path
        self.stamp = stamp


_LAST = float("inf")  # where unscheduled sessions sort: after every start
_PAUSE_GC_FROM = 500  # files read in one load: from here on, the cyclic collector waits (see _quiet_gc)
_BULK = 64  # sessions made in one load: from here on, the catalog order is sorted once


_OPEN = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # a named pipe opens at once (and is refused), never hangs


def read_stat(path: str) -> tuple[bytes, Stamp]:
    """A whole file with its stamp, through one open descriptor: half the cost of open().read() over 20,000
    files, and no separate stat. The file is measured before it is read: over MAX_READ bytes, FileTooBig; not
    a regular file (a pipe, a device, a folder), OSError."""
    fd = os.open(path, _OPEN)
    try:
        st = os.fstat(fd)
        stamp = (st.st_mtime_ns, st.st_size, st.st_ctime_ns)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, _kind_of(st.st_mode) + ", not a file", path)
        if st.st_size > MAX_READ:
            raise FileTooBig(path, st.st_size, stamp)
        data = os.read(fd, st.st_size + 1)
        if len(data) > st.st_size:  # it grew since: read the rest, up to the bound
            chunks = [data]
            size = len(data)
            while size <= MAX_READ and (more := os.read(fd, 1 << 16)):
                chunks.append(more)
                size += len(more)
            if size > MAX_READ:
                raise FileTooBig(path, size, stamp)
            data = b"".join(chunks)
        return data, stamp
    finally:
        os.close(fd)


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def classify(path: str) -> tuple[Stamp | None, str | None]:
    """What is at `path`: (stamp, None) for a regular file or a link to one; (None, why it is skipped) for a
    folder, a pipe, a link to nothing or a loop of links; (None, None) when nothing is there (any more)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "a symbolic link that leads back to itself (a loop of links): skipped"
        try:
            os.lstat(path)
        except OSError:
            return None, None  # removed meanwhile
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return None, f"a symbolic link to {target!r}, which does not exist: skipped"
        return None, f"cannot be read ({exc.strerror or exc}): skipped"
    if stat.S_ISREG(st.st_mode):
        return _stamp(st), None
    if stat.S_ISDIR(st.st_mode):
        return None, "a folder, not a file: skipped"
    return None, f"not a regular file ({_kind_of(st.st_mode)}): skipped"


def list_sources(
    folder: str, is_source: Callable[[str], bool], *, stamps: bool = True
) -> tuple[dict[str, Stamp | None], dict[str, Problem]]:
    """A folder's source files without reading them, with their stamps (without `stamps`, None for a regular
    file: the listing alone tells), and a problem for each entry that looks like one but is not read: a
    folder, a pipe, a link to nothing or in a loop, a name in the wrong case. OSError when it cannot be listed."""
    found: dict[str, Stamp | None] = {}
    skipped: dict[str, Problem] = {}
    with os.scandir(folder) as listing:
        entries = list(listing)
    for entry in entries:
        name = entry.name
        if not is_source(name):
            if name != (lower := name.lower()) and is_source(lower):
                skipped[entry.path] = problem(entry.path, 1, None, "warning", _wrong_case(name, is_source))
            continue
        try:
            regular = entry.is_file(follow_symlinks=False)  # from the listing itself: no system call
        except OSError:
            regular = False
        if regular and not stamps:
            found[entry.path] = None
            continue
        stamp, why = classify(entry.path)
        if stamp is not None:
            found[entry.path] = stamp
        elif why is not None:
            skipped[entry.path] = problem(entry.path, 1, None, "warning", why)
    return found, skipped


def _stamp(st: os.stat_result) -> Stamp:
    return st.st_mtime_ns, st.st_size, st.st_ctime_ns


@contextmanager
def _quiet_gc(pause: bool) -> Iterator[None]:
    """Loading makes a few hundred thousand small objects and no cycles: pausing the cyclic collector
    meanwhile saves about a third of the time of a cold load. They live as long as the programme, so they
    are then frozen (gc.freeze) rather than walked by the collector's next passes for nothing."""
    enabled = pause and gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


class CatalogLoader:
    """Loads a programme folder and reloads it cheaply: unchanged files are not read again.

    Not thread-safe: one load at a time (bot.core.programme.Programme runs them one after another).
    """

    def __init__(
        self,
        sessions_dir: Path,
        tracks_dir: Path | None = None,
        tz: ZoneInfo = DEFAULT_TZ,
        lengths: Lengths | None = None,
        fmt: ProgrammeFormat[Any] = HUGO,
    ):
        self.sessions_dir = Path(sessions_dir)
        self.tracks_dir = Path(tracks_dir) if tracks_dir else None
        self.tz = tz
        self.lengths: Lengths = lengths if lengths is not None else _DefaultLengths()
        self.format = fmt
        self._dir = str(self.sessions_dir)
        self._context: Context | None = None
        self._fresh_state()

    def _fresh_state(self, good: dict[str, Any] | None = None) -> None:
        """The state of a loader that has read nothing yet (but, given `good`, still knows last good versions)."""
        # The folder: entries skipped (by path), and why it could not be listed the last time it was not.
        self._skipped: dict[str, Problem] = {}
        self._unlisted: Problem | None = None
        # Files, by path.
        self._scanned: dict[str, Stamp] | None = None  # the folder's source files as last listed
        self._readings: dict[str, Any] = {}  # the last reading of each file
        self._read_at: dict[str, Stamp] = {}  # ... and the file's stamp when it was read
        self._good: dict[str, Any] = good if good is not None else {}  # the last usable reading of each file
        self._effective: dict[str, Any] = {}  # the reading in use (the last good one for a broken file)
        self._path_problems: dict[str, list[Problem]] = {}  # only files with problems
        self._failed: set[str] = set()
        self._groups: dict[str, set[str]] = {}  # group -> its files in use
        # Sessions, by group and by id.
        self._made: dict[str, list[Built]] = {}  # group -> its records and their problems
        self._group_problems: dict[str, list[Problem]] = {}  # group -> why it could not be made (a fault of ours)
        self._records: dict[str, Session] = {}  # session id -> its record
        self._served: dict[str, Session] = {}  # session id -> the object the last catalog holds
        self._order: list[tuple[_SortKey, str]] = []  # catalog order: (start, room, id)
        self._slots: dict[_Slot, dict[str, None]] = {}  # one room's (or track's) timetable for a day
        self._tracks = Counter[str]()
        self._rooms = Counter[str]()
        self._days = Counter[date]()

    # ------------------------------------------------------------------ the folder

    @property
    def context(self) -> Context:
        if self._context is None:
            self._context = self.format.context(self.sessions_dir, self.tracks_dir, self.tz, self.lengths)
        return self._context

    def side_files(self) -> list[Path]:
        """Files besides the sessions that the programme depends on (tracks, rooms): a cache keys on them."""
        return self.format.side_files(self.sessions_dir, self.tracks_dir)

    def scan(self) -> dict[str, Stamp]:
        """The folder's source files and their stamps, without reading them (OSError when it cannot be listed)."""
        return self._list(stamps=True)  # type: ignore[return-value]  # with stamps, every value is a Stamp

    def _list(self, *, stamps: bool) -> dict[str, Stamp | None]:
        """The folder's source files (`list_sources`), keeping in `_skipped` what it passed over."""
        found, self._skipped = list_sources(self._dir, self.format.is_source, stamps=stamps)
        self._unlisted = None
        return found

    def _unlistable(self, exc: OSError) -> Problem:
        """The problem of a sessions folder that cannot be listed (it may still be entered): an error."""
        message = f"cannot list the sessions folder ({exc.strerror or exc}): no session can be found in it"
        self._unlisted = problem(self._dir, 1, None, "error", message)
        return self._unlisted

    def stale(self) -> list[str]:
        """Files whose reading is out of date: changed, added or removed since they were read, or kept at a
        last good version (a fresh start would not keep it). What a restart from a cached state must read."""
        try:
            scanned = self.scan()
        except OSError:
            return sorted(self._read_at)  # cannot list: look again at every file known
        read_at, readings = self._read_at, self._readings
        out = [p for p, st in scanned.items() if read_at.get(p) != st]
        out += [p for p in read_at if p not in scanned]
        out += [p for p, parsed in self._effective.items() if parsed is not None and parsed is not readings[p]]
        return sorted(set(out))

    def _read(self, path: str) -> tuple[Stamp, Any]:
        """Read and parse one file, and remember it with the stamp it had when read."""
        try:
            raw, stamp = read_stat(path)
        except FileTooBig as exc:
            stamp, parsed = exc.stamp, self.format.unreadable(path, exc.strerror or str(exc))
        except OSError as exc:
            stamp, parsed = _GONE, self.format.unreadable(path, exc.strerror or str(exc))
        else:
            try:
                parsed = self.format.parse(path, raw)
            except Exception as exc:
                log.exception("reading %s failed", path)
                parsed = self.format.unreadable(
                    path, f"the bot failed to read it ({type(exc).__name__}); please report"
                )
        self._readings[path] = parsed
        self._read_at[path] = stamp
        return stamp, parsed

    def pieces(self, size: int = 100) -> Iterator[list[Any]]:
        """The objects of its state that the rest of it refers to, a batch of about `size` sessions at a time,
        each with what it shares: a group's file readings (and their paths), the sessions made from them (and
        their ids, and the versions served) and the lists they came in. The start-up cache writes each batch on
        its own (bot.core.programme.cache), so that writing never keeps track of all the objects at once."""
        group_of = self.format.group_of
        groups: dict[str, dict[str, None]] = {}
        for table in (self._readings, self._good):
            for path in table:
                groups.setdefault(group_of(path), {})[path] = None
        for group in self._made:
            groups.setdefault(group, {})
        batch: list[Any] = []
        for group, paths in groups.items():
            for path in paths:
                batch.append(path)
                for table in (self._readings, self._good, self._effective):
                    parsed = table.get(path)
                    if parsed is not None:
                        batch.append(parsed)
            built = self._made.get(group)
            if built is not None:
                for made in built:
                    record = made[0]
                    batch += (record, record.id, made)
                    served = self._served.get(record.id)
                    if served is not None and served is not record:
                        batch.append(served)
                batch.append(built)
            if len(batch) >= size * 8:
                yield batch
                batch = []
        if batch:
            yield batch

    # ------------------------------------------------------------------ loading

    def load(self, keep_last_good: bool = False, changed: Iterable[str] | None = None) -> Catalog:
        """Read the folder; `changed` names the only files to look at again (from a watcher).

        With keep_last_good, a file that broke keeps its last good version, so attendees never lose a session
        to a typo while the organizer fixes it. A load that fails part way (it should not: every fault in a file
        is a problem, not an exception) leaves nothing half done: the next load reads every file again.
        """
        try:
            return self._load(keep_last_good, changed)
        except BaseException:
            log.warning("loading %s failed part way; the next load reads every file again", self._dir)
            self._fresh_state(self._good)
            raise

    def _load(self, keep_last_good: bool, changed: Iterable[str] | None) -> Catalog:
        missing = self._folder_problem()
        if missing is not None:
            return Catalog(self.tz, [], {}, [], [], [missing], [self._dir])
        context = self.context
        if self._scanned is None:  # first load: every file is read anyway, so fstat it while it is open
            try:
                names = list(self._list(stamps=False))
            except OSError as exc:
                return Catalog(self.tz, [], {}, [], [], [self._unlistable(exc)], [self._dir])
            with _quiet_gc(len(names) >= _PAUSE_GC_FROM):
                self._scanned = {path: self._read(path)[0] for path in names}
                return self._update(list(self._scanned), keep_last_good, context, reread=False)
        if changed is None:
            try:
                scanned = self.scan()
            except OSError as exc:  # nothing is known to have changed: serve on what was read, and say why
                self._unlistable(exc)
                return self._assemble(context)
            dirty = [p for p, st in scanned.items() if self._read_at.get(p) != st]
            dirty += [p for p in self._effective if p not in scanned]
            self._scanned = scanned
        else:
            dirty = []
            for path in dict.fromkeys(changed):
                path = os.path.join(self._dir, os.path.basename(path))
                stamp, why = classify(path) if self.format.is_source(os.path.basename(path)) else (None, None)
                if stamp is None:
                    self._scanned.pop(path, None)
                else:
                    self._scanned[path] = stamp
                if why is None:
                    self._skipped.pop(path, None)
                else:
                    self._skipped[path] = problem(path, 1, None, "warning", why)
                dirty.append(path)
        with _quiet_gc(len(dirty) >= _PAUSE_GC_FROM):
            return self._update(dirty, keep_last_good, context, reread=True)

    def _folder_problem(self) -> Problem | None:
        """Why the sessions folder cannot be read at all (missing, not a folder, a loop of links), or None."""
        try:
            st = os.stat(self._dir)
        except FileNotFoundError:
            message = "sessions folder not found; set conference.sessions in the config or pass --sessions DIR"
        except OSError as exc:
            message = f"cannot open the sessions folder ({exc.strerror or exc})"
        else:
            if stat.S_ISDIR(st.st_mode):
                return None
            message = "the sessions folder is not a folder; set conference.sessions to the folder of session files"
        return problem(self._dir, 0, None, "error", message)

    def _update(self, dirty: list[str], keep_last_good: bool, context: Context, *, reread: bool) -> Catalog:
        """Take in the files in `dirty` (read again with `reread`: a file saved twice within one clock tick
        may keep its size and times), remake their groups' sessions, and assemble the catalog."""
        scanned = self._scanned
        assert scanned is not None
        good, failed, effective_of, members_of = self._good, self._failed, self._effective, self._groups
        path_problems, readings, read_at = self._path_problems, self._readings, self._read_at
        groups: dict[str, None] = {}
        group_of = self.format.group_of
        for path in dirty:
            group = group_of(path)
            groups[group] = None
            stamp = scanned.get(path)
            if stamp is None:  # removed
                for table in (readings, read_at, good, effective_of, path_problems):
                    table.pop(path, None)
                failed.discard(path)
                self._leave(group, path)
                continue
            if reread:
                stamp, parsed = self._read(path)
                scanned[path] = stamp
            elif read_at.get(path) == stamp:  # (the first load: read a moment ago)
                parsed = readings[path]
            else:
                parsed = self._read(path)[1]
            problems = parsed.problems
            effective = None
            if parsed.ok:
                good[path] = effective = parsed
                failed.discard(path)
            elif keep_last_good and path in good:
                message = "kept the last good version of this session until the file is fixed"
                problems = [*problems, problem(path, 1, None, "warning", message)]
                effective = good[path]
                failed.add(path)
            else:
                good.pop(path, None)
                failed.add(path)
            effective_of[path] = effective
            if effective is None:
                self._leave(group, path)
            elif (in_group := members_of.get(group)) is None:
                members_of[group] = {path}
            else:
                in_group.add(path)
            if problems:
                path_problems[path] = problems
            else:
                path_problems.pop(path, None)
        fresh: set[str] = set()
        slots: dict[_Slot, None] = {}
        made: list[tuple[str, list[Built]]] = []
        build, made_before, remember = self._build, self._made, self._remember
        for group in groups:
            members = members_of.get(group, ())
            made.append((group, build(group, list(map(effective_of.__getitem__, sorted(members))), context)))
            if group in made_before:
                for record, _ in made_before.pop(group):
                    self._forget(record, slots)
        bulk = len(made) > _BULK  # many sessions: put them in order once, not one by one
        for group, built in made:
            if built:
                made_before[group] = built
            for record, _ in built:
                remember(record, slots, bulk)
                fresh.add(record.id)
        if bulk:
            self._order.sort()
        ends: dict[tuple[float, Any, timedelta], tuple[datetime, float]] = {}
        for slot in slots:
            self._infer_ends(slot, fresh, ends)
        return self._assemble(context)

    def _build(self, group: str, files: list[Any], context: Context) -> list[Built]:
        """The group's sessions; a format that raises (it must not) costs that group, reported, not the load."""
        self._group_problems.pop(group, None)
        if not files:
            return []
        try:
            return self.format.build(group, files, context)
        except Exception as exc:
            log.exception("making the sessions of %s failed", group)
            message = f"the bot failed to make a session of this file ({type(exc).__name__}); please report it"
            self._group_problems[group] = [problem(f.path, 1, None, "error", message) for f in files]
            return []

    def _leave(self, group: str, path: str) -> None:
        members = self._groups.get(group)
        if members is not None:
            members.discard(path)
            if not members:
                del self._groups[group]

    @staticmethod
    def _slot_of(s: Session) -> _Slot | None:
        if s.start is None:
            return None
        return (s.start.date(), "room", s.room) if s.room else (s.start.date(), "track", s.track)

    @staticmethod
    def _sort_key(s: Session) -> _SortKey:
        # The start as an instant: two aware times in one zone compare by the wall clock, which daylight saving
        # turns back for an hour a year.
        # A float first, always: the sort compares such keys fastest (a bool first would be equal nearly always).
        return (s.start.timestamp() if s.start is not None else _LAST, s.room or "", s.id)

    def _remember(self, record: Session, slots: dict[_Slot, None], bulk: bool = False) -> None:
        sid = record.id
        if sid in self._records:  # the same id from another group: the later one is served
            if bulk:
                self._order.sort()
            self._forget(self._records[sid], slots)
        self._records[sid] = self._served[sid] = record
        if bulk:
            self._order.append((self._sort_key(record), sid))
        else:
            insort(self._order, (self._sort_key(record), sid))
        self._tracks[record.track] += 1
        room = record.room
        if room:
            self._rooms[room] += 1
        if record.start is not None:  # its slot, as _slot_of says
            day = record.start.date()
            slot = (day, "room", room) if room else (day, "track", record.track)
            self._days[day] += 1
            self._slots.setdefault(slot, {})[sid] = None
            slots[slot] = None

    def _forget(self, record: Session, slots: dict[_Slot, None]) -> None:
        sid = record.id
        if self._records.get(sid) is not record:
            return
        del self._records[sid], self._served[sid]
        key = (self._sort_key(record), sid)
        i = bisect_left(self._order, key)
        if i < len(self._order) and self._order[i] == key:
            del self._order[i]
        _decrement(self._tracks, record.track)
        if record.room:
            _decrement(self._rooms, record.room)
        slot = self._slot_of(record)
        if slot is not None:
            assert record.start is not None
            _decrement(self._days, record.start.date())
            members = self._slots[slot]
            del members[sid]
            if not members:
                del self._slots[slot]
            slots[slot] = None

    def _infer_ends(
        self, slot: _Slot, fresh: set[str], ends: dict[tuple[float, Any, timedelta], tuple[datetime, float]]
    ) -> None:
        """End = the next session in the same room (or track, with no room) that day, bounded by the
        configured length, in elapsed time. A served session whose end moves is replaced, never changed.
        `ends`: the longest ends worked out in this load, by instant, zone and length (rooms share start times)."""
        sids = self._slots.get(slot)
        if not sids:
            return
        records = self._records
        timed = sorted((_start(records[sid]).timestamp(), sid) for sid in sids)
        instants = [t for t, _ in timed]
        lengths = self.lengths
        for i, (at, sid) in enumerate(timed):
            record = records[sid]
            if record.end_explicit:
                continue
            start = _start(record)
            key = (at, start.tzinfo, lengths.for_track(record.track))
            longest = ends.get(key)
            if longest is None:
                end = shift(start, key[2])
                longest = ends[key] = (end, end.timestamp())
            end = longest[0]
            j = bisect_left(instants, at + 1.0, i + 1)  # the next session starting at least a second later
            if j < len(timed) and instants[j] < longest[1]:
                end = _start(records[timed[j][1]])
            if sid in fresh:  # made in this load and not served yet: finish it in place
                record.end = end
            else:
                served = self._served[sid]
                if served.end is None or served.end.timestamp() != end.timestamp():
                    self._served[sid] = replace(served, end=end)

    def _assemble(self, context: Context) -> Catalog:
        """The catalog from the per-session state: order, tracks, rooms and days are kept up to date."""
        served = self._served
        sessions = [served[sid] for _, sid in self._order]
        file_tracks = context.tracks
        tracks = {k: replace(t, count=0) for k, t in file_tracks.items()}  # counted below, for this catalog
        unknown = {k for k, n in self._tracks.items() if n and k not in tracks}
        if unknown:  # tracks no file describes, in the order the programme first shows them
            for s in sessions:
                if s.track in unknown:
                    tracks[s.track] = Track(key=s.track, name=s.track)
                    unknown.discard(s.track)
                    if not unknown:
                        break
        for key, count in self._tracks.items():
            if count:
                tracks[key].count = count
        tracks = {k: t for k, t in tracks.items() if t.count or k in file_tracks}
        seen_rooms = {r for r, n in self._rooms.items() if n}
        rooms = [r for r in context.room_order if r in seen_rooms] + sorted(seen_rooms.difference(context.room_order))
        days = sorted(d for d, n in self._days.items() if n)
        problems = list(context.track_problems)
        for file_problems in self._path_problems.values():
            problems.extend(file_problems)
        for built in self._made.values():
            for _, made_problems in built:
                problems.extend(made_problems)
        for group_problems in self._group_problems.values():
            problems.extend(group_problems)
        problems.extend(self._skipped.values())
        failed = sorted(self._failed)
        if self._unlisted is not None:
            problems.append(self._unlisted)
            failed.append(self._dir)
        problems.sort(key=lambda pr: (pr.path, pr.line))
        return Catalog(
            tz=self.tz,
            sessions=sessions,
            tracks=tracks,
            rooms=rooms,
            days=days,
            problems=problems,
            failed_files=failed,
        )


def _wrong_case(name: str, is_source: Any) -> str:
    """Why `name` is skipped although its lower-case spelling would be read (`x.MD`), and what to call it."""
    root, ext = os.path.splitext(name)
    better = root + ext.lower() if is_source(root + ext.lower()) else name.lower()
    return f"skipped: file names are case-sensitive and only names such as {better!r} are read; rename it"


def _start(s: Session) -> datetime:
    assert s.start is not None
    return s.start


def _decrement(counter: Counter[Any], key: Any) -> None:
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]


def load_catalog(
    sessions_dir: Path,
    tracks_dir: Path | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
    lengths: Lengths | None = None,
) -> Catalog:
    """Read a programme folder once. Tracks default to <sessions>/tracks or <sessions>/../tracks."""
    sessions_dir = Path(sessions_dir)
    if tracks_dir is None:
        for candidate in (sessions_dir / "tracks", sessions_dir.parent / "tracks"):
            if candidate.is_dir():
                tracks_dir = candidate
                break
    return CatalogLoader(sessions_dir, tracks_dir, tz, lengths).load()
