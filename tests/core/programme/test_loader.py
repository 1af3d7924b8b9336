"""Loading a programme folder: junk files beside a good session give located problems and the good session loads
whole, on the first load and on a reload; a reload reads only the changed files, gives what a fresh load would,
and never changes a session the previous catalog still serves."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bot.core.programme.loader as loader_module
from bot.core.model import ScheduledSession, Session
from bot.core.programme.hugo import HUGO, MAX_FILE_BYTES, parse_file
from bot.core.programme.loader import CatalogLoader
from tests.core.programme.junk import (
    GOOD,
    GOOD_START,
    GOOD_TITLE,
    PROPS,
    SHANGHAI,
    Bounded,
    any_file,
    dates,
    hostile_files,
)


@dataclass(frozen=True)
class FixedLengths:
    """Every session lasts `length` when its file does not say."""

    length: timedelta

    def for_track(self, track: str) -> timedelta:
        return self.length


# ------------------------------------------------------------------------------------------------ folder props


def _load(folder: Path):
    loader = CatalogLoader(folder, None, SHANGHAI)
    catalog = loader.load()
    again = loader.load(keep_last_good=True)  # a reload over the same junk must hold up too
    return catalog, again


def _assert_good_session_loaded(catalog, folder: Path) -> None:
    good = catalog.by_id.get("good")
    assert good is not None, [str(p) for p in catalog.problems]
    assert good.title == GOOD_TITLE
    assert good.start == GOOD_START
    assert good.track == "data" and good.room == "Pier 3"
    assert good.presenters == ("Ada Lovelace", "Grace Hopper")
    assert str(folder / "good.md") not in catalog.failed_files


def _assert_catalog_sane(catalog, folder: Path) -> None:
    names = {str(folder / n) for n in os.listdir(folder)}
    for p in catalog.problems:
        assert p.path in names, p
        assert p.line >= 1 and p.severity in ("warning", "error") and p.message
    assert len({s.id for s in catalog.sessions}) == len(catalog.sessions)
    starts = [s.start for s in catalog.scheduled]
    assert starts == sorted(starts)
    for s in catalog.scheduled:
        assert s.start.tzinfo is not None and (s.end is None or s.end >= s.start)
    assert set(catalog.failed_files) <= names


junk_names = st.sampled_from(["junk.md", "junk.zh.md", "good.zh.md", "other junk.md", "日程.md", "-.md", "x.zh.md"])


@PROPS
@given(files=st.lists(st.tuples(junk_names, any_file), min_size=1, max_size=4, unique_by=lambda t: t[0]))
def test_folder_of_junk_still_loads_the_good_session(files):
    """Broken files beside a good session never stop the programme loading, and the good session is all there."""
    folder = Path(tempfile.mkdtemp(prefix="confbot-props-"))
    try:
        (folder / "good.md").write_bytes(GOOD)
        for name, raw in files:
            (folder / name).write_bytes(raw)
        for catalog in _load(folder):
            _assert_good_session_loaded(catalog, folder)
            _assert_catalog_sane(catalog, folder)
    finally:
        shutil.rmtree(folder)


@PROPS
@given(files=st.lists(st.tuples(junk_names, hostile_files()), min_size=1, max_size=3, unique_by=lambda t: t[0]))
def test_a_folder_of_hostile_files_loads_in_bounded_time_and_memory(files):
    """Files whose fields hold huge numbers, far dates, odd types or alias bombs, beside a good session, load
    and reload without an exception, in bounded time and memory, and the good session is all there."""
    folder = Path(tempfile.mkdtemp(prefix="confbot-hostile-"))
    try:
        (folder / "good.md").write_bytes(GOOD)
        for name, raw in files:
            (folder / name).write_bytes(raw)
        with Bounded(seconds=10.0):
            loaded = _load(folder)
        for catalog in loaded:
            _assert_good_session_loaded(catalog, folder)
            _assert_catalog_sane(catalog, folder)
    finally:
        shutil.rmtree(folder)


@PROPS
@given(value=dates, quoted=st.booleans(), field=st.sampled_from(["date", "end"]))
def test_any_date_form_is_read_or_reported(value, quoted, field):
    """A date (or end) in any odd form either reads as a conference-time moment or is reported on its line."""
    folder = Path(tempfile.mkdtemp(prefix="confbot-dates-"))
    try:
        (folder / "good.md").write_bytes(GOOD)
        written = json.dumps(value, ensure_ascii=False) if quoted else value
        lines = ['title: "Odd date"', 'date: "2026-08-07T11:00:00"', 'track: "data"', 'presenters: "X Y"']
        if field == "date":
            lines[1] = f"date: {written}"
        else:
            lines.append(f"end: {written}")
        (folder / "odd.md").write_text("---\n" + "\n".join(lines) + "\n---\nBody.\n", encoding="utf-8")
        for catalog in _load(folder):
            _assert_good_session_loaded(catalog, folder)
            _assert_catalog_sane(catalog, folder)
            odd = catalog.by_id.get("odd")
            about = [p for p in catalog.problems if p.path == str(folder / "odd.md")]
            if odd is None:  # YAML itself refused the value: the file is reported as broken
                assert str(folder / "odd.md") in catalog.failed_files and about
            elif field == "date" and odd.start is None and value.strip():
                assert any(p.field == "date" and p.line == 3 for p in about), [str(p) for p in about]
            if odd is not None and odd.start is not None:
                assert odd.start.utcoffset() is not None
    finally:
        shutil.rmtree(folder)


def test_huge_file_is_skipped_with_a_problem(tmp_path):
    """A file over 2 MB is skipped with an error on line 1; the good session beside it loads."""
    huge = GOOD + b"x" * (MAX_FILE_BYTES + 1)
    parsed = parse_file(str(tmp_path / "huge.md"), huge)
    assert not parsed.ok
    assert [(p.line, p.severity) for p in parsed.problems] == [(1, "error")]
    assert "bytes" in parsed.problems[0].message
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "huge.md").write_bytes(huge)
    catalog, _ = _load(tmp_path)
    _assert_good_session_loaded(catalog, tmp_path)
    assert str(tmp_path / "huge.md") in catalog.failed_files


def test_folder_with_a_directory_and_a_dangling_link_still_loads(tmp_path):
    """A sub-folder named like a session and a broken symbolic link are skipped, not fatal."""
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "folder.md").mkdir()
    (tmp_path / "dangling.md").symlink_to(tmp_path / "missing-target.md")
    (tmp_path / "notes.txt").write_bytes(b"\x00\xff")
    catalog, _ = _load(tmp_path)
    _assert_good_session_loaded(catalog, tmp_path)
    assert [s.id for s in catalog.sessions] == ["good"]


@pytest.mark.parametrize(
    "value",
    ["2026-08-07T10:00:00+99:00", "9999-12-31T23:00:00-10:00", "0001-01-01T00:10:00+14:00", "9999-12-31T23:59:00"],
)
def test_extreme_dates_are_reported_not_raised(tmp_path, value):
    """A date with an impossible offset or at the very end of the calendar is reported; the good session loads."""
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "odd.md").write_text(
        f'---\ntitle: "Odd"\ndate: "{value}"\ntrack: "data"\npresenters: "X Y"\n---\n', encoding="utf-8"
    )
    catalog, _ = _load(tmp_path)
    _assert_good_session_loaded(catalog, tmp_path)


# ------------------------------------------------------------------------------------------ reloads


def _write(folder: Path, name: str, text: str, stamp: list[int]) -> str:
    """Write a file with a later mtime than any before (saves within one clock tick look alike otherwise)."""
    stamp[0] += 1_000_000_000
    path = folder / name
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stamp[0], stamp[0]))
    return str(path)


def _session(title: str, start: str, room: str = "Pier 1", extra: str = "") -> str:
    return f'---\ntitle: "{title}"\ndate: "{start}"\ntrack: "data"\npresenters: "Ann Lee"\nroom: "{room}"\n{extra}---\nAbstract.\n'


def _plain(catalog) -> dict:
    """A catalog as plain data: every field of every session, tracks, rooms, days, problems, failed files."""
    return {
        "sessions": [
            (type(s).__name__, s.id, s.title, s.start, s.end, s.room, s.room_zh, s.title_zh, s.presenters, s.track)
            for s in catalog.sessions
        ],
        "tracks": [(k, t.name, t.count) for k, t in catalog.tracks.items()],
        "rooms": catalog.rooms,
        "days": catalog.days,
        "problems": [str(p) for p in catalog.problems],
        "failed": catalog.failed_files,
    }


def test_a_moved_neighbour_changes_an_end_without_touching_the_served_session(tmp_path):
    """When the next talk in the room moves, the talk before it gets its new end in the new catalog, while
    the catalog still being served keeps the session exactly as it was (a reply mid-way sees no change)."""
    stamp = [1_700_000_000_000_000_000]
    _write(tmp_path, "a.md", _session("A", "2026-08-07T10:00:00"), stamp)
    b = _write(tmp_path, "b.md", _session("B", "2026-08-07T10:30:00"), stamp)
    loader = CatalogLoader(tmp_path, None, SHANGHAI)
    before = loader.load(keep_last_good=True)
    served = before.by_id["a"]
    assert served.end is not None and (served.end.hour, served.end.minute) == (10, 30)  # cut short by B
    _write(tmp_path, "b.md", _session("B", "2026-08-07T11:00:00"), stamp)
    after = loader.load(keep_last_good=True, changed=[b])
    a = after.by_id["a"]
    assert a.end is not None and (a.end.hour, a.end.minute) == (10, 40)  # the default 40 minutes now
    assert served.end is not None and (served.end.hour, served.end.minute) == (10, 30)
    assert before.by_id["a"] is served and a is not served


def test_a_reload_keeps_every_untouched_session_as_served(tmp_path):
    """A reload after one file changed leaves every other session as the same object, so what depends on
    them (the search index) is updated for that one session only."""
    stamp = [1_700_000_000_000_000_000]
    for i in range(6):
        _write(tmp_path, f"s{i}.md", _session(f"Talk {i}", f"2026-08-07T1{i}:00:00", room=f"Pier {i}"), stamp)
    loader = CatalogLoader(tmp_path, None, SHANGHAI)
    before = loader.load(keep_last_good=True)
    changed = _write(tmp_path, "s3.md", _session("Talk 3, renamed", "2026-08-07T13:00:00", room="Pier 3"), stamp)
    after = loader.load(keep_last_good=True, changed=[changed])
    assert [sid for sid in after.by_id if after.by_id[sid] is not before.by_id[sid]] == ["s3"]
    assert after.by_id["s3"].title == "Talk 3, renamed"


def test_scheduled_sessions_have_a_start_and_an_end(tmp_path):
    """Every session with a time is a ScheduledSession whose end is known; those without a time are listed apart."""
    stamp = [1_700_000_000_000_000_000]
    _write(tmp_path, "a.md", _session("A", "2026-08-07T10:00:00"), stamp)
    _write(tmp_path, "b.md", _session("B", "2026-08-07T10:00:00", room="Pier 2", extra='duration: "1h 30m"\n'), stamp)
    _write(tmp_path, "c.md", '---\ntitle: "C"\ntrack: "data"\npresenters: "X"\n---\n', stamp)
    catalog = CatalogLoader(tmp_path, None, SHANGHAI).load()
    assert all(isinstance(s, ScheduledSession) and s.end > s.start for s in catalog.scheduled)
    assert [s.id for s in catalog.scheduled] == ["a", "b"]
    b = catalog.scheduled[1]
    assert b.id == "b" and b.end == b.start + timedelta(minutes=90)
    assert [(type(s), s.id) for s in catalog.unscheduled] == [(Session, "c")]


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d", "e"]),
        st.sampled_from(["en", "zh"]),
        st.sampled_from(["write", "write", "write", "delete", "break"]),
        st.sampled_from(["09:00", "09:30", "10:00", "10:10", "11:00", ""]),
        st.sampled_from(["Pier 1", "Pier 2", ""]),
        st.sampled_from(["", "duration: 20\n", 'end: "2026-08-07T12:00:00"\n', 'track: "other"\n']),
    ),
    min_size=1,
    max_size=12,
)


@PROPS
@given(edits=EDITS)
def test_reloading_the_changed_files_gives_what_a_fresh_load_gives(edits):
    """After any edits (times, rooms, lengths, translations, deletions, broken files), reloading just the files
    that changed gives the same catalog as reading the whole folder afresh: sessions, ends, order, problems."""
    folder = Path(tempfile.mkdtemp(prefix="confbot-reload-"))
    try:
        stamp = [1_700_000_000_000_000_000]
        loader = CatalogLoader(folder, None, SHANGHAI)
        loader.load()
        for stem, lang, action, at, room, extra in edits:
            name = f"{stem}.md" if lang == "en" else f"{stem}.zh.md"
            if action == "delete":
                (folder / name).unlink(missing_ok=True)
                path = str(folder / name)
            elif action == "break":
                path = _write(folder, name, '---\ntitle: "never closed\n---\n', stamp)
            else:
                start = f"2026-08-07T{at}:00" if at else ""
                path = _write(folder, name, _session(f"{stem} {lang} {at}", start, room, extra), stamp)
            incremental = loader.load(changed=[path])
            assert _plain(incremental) == _plain(CatalogLoader(folder, None, SHANGHAI).load())
    finally:
        shutil.rmtree(folder)


def test_hugo_section_pages_and_hidden_files_are_not_tracks_or_sessions(tmp_path):
    """Hugo's _index.md section pages and hidden editor files, in the sessions or the tracks folder, are neither
    sessions nor tracks."""
    stamp = [1_700_000_000_000_000_000]
    sessions, tracks = tmp_path / "sessions", tmp_path / "tracks"
    sessions.mkdir()
    tracks.mkdir()
    _write(sessions, "a.md", _session("A", "2026-08-07T10:00:00"), stamp)
    _write(sessions, "_index.md", '---\ntitle: "Sessions"\n---\n', stamp)
    _write(sessions, ".a.md", _session("Swap file", "2026-08-07T11:00:00"), stamp)
    _write(tracks, "data.md", '---\ntitle: "Open Data"\n---\nAbout data.\n', stamp)
    _write(tracks, "_index.md", '---\ntitle: "Tracks"\n---\n', stamp)
    catalog = CatalogLoader(sessions, tracks, SHANGHAI).load()
    assert [s.id for s in catalog.sessions] == ["a"]
    assert list(catalog.tracks) == ["data"] and catalog.tracks["data"].name == "Open Data"


# --------------------------------------------------------------------------- hostile files, hostile folders

HOSTILE_LINES = [
    ("duration: 99999999999\ntags: [a]\n", "duration"),
    ("duration: 99999999999\n", "duration"),
    ("duration: 9999999999999999\ntags: [a]\n", "duration"),
    ("duration: .inf\ntags: [a]\n", "duration"),
    ("duration: .nan\ntags: [a]\n", "duration"),
    ("end: 9999-12-31 23:59:00\ntags: [a]\n", "end"),
]
FAR_DATES = ["9999-12-31 23:59:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:00-05:00", "0001-01-01 00:00:00"]


@pytest.mark.parametrize(("lines", "field"), HOSTILE_LINES)
def test_lengths_no_calendar_holds_are_reported_and_the_session_keeps_its_time(tmp_path, lines, field):
    """A huge, infinite or undefined length (or an end at the end of time) is a warning on its line; the session
    keeps its start and an inferred end, and the load never stops with an OverflowError."""
    (tmp_path / "good.md").write_bytes(GOOD)
    text = f'---\ntitle: "Odd"\ndate: "2026-08-07T11:00:00"\ntrack: "data"\npresenters: "X Y"\n{lines}---\n'
    (tmp_path / "odd.md").write_text(text, encoding="utf-8")
    for catalog in _load(tmp_path):
        _assert_good_session_loaded(catalog, tmp_path)
        odd = catalog.by_id["odd"]
        assert odd.start is not None and odd.end is not None and odd.end - odd.start == timedelta(minutes=40)
        assert [p.line for p in catalog.problems if p.field == field] == [6]


@pytest.mark.parametrize("value", FAR_DATES)
def test_unquoted_dates_at_the_ends_of_the_calendar_are_errors_and_unscheduled(tmp_path, value):
    """An unquoted date YAML reads itself (next to a line only YAML reads) at year 1 or 9999 is an error on its
    line, like the quoted form: the session is kept unscheduled, not scheduled at a time arithmetic overflows."""
    (tmp_path / "good.md").write_bytes(GOOD)
    text = f'---\ntitle: "Odd"\ndate: {value}\ntrack: "data"\npresenters: "X Y"\ntags: [a]\n---\n'
    (tmp_path / "odd.md").write_text(text, encoding="utf-8")
    for catalog in _load(tmp_path):
        _assert_good_session_loaded(catalog, tmp_path)
        assert catalog.by_id["odd"].start is None
        assert [(p.line, p.severity) for p in catalog.problems if p.field == "date"] == [(3, "error")]


def test_a_loop_of_links_and_other_entries_not_read_are_reported(tmp_path):
    """Links in a loop, a link to nothing, a named pipe, a folder named like a session and a file named `.MD` are
    each a warning naming it (not silently dropped, not a crash); the good session loads."""
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "x.md").symlink_to(tmp_path / "y.md")
    (tmp_path / "y.md").symlink_to(tmp_path / "x.md")
    (tmp_path / "self.md").symlink_to(tmp_path / "self.md")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "missing-target.md")
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "folder.md").mkdir()
    (tmp_path / "Shouting.MD").write_bytes(GOOD)
    (tmp_path / "linked.md").symlink_to(tmp_path / "good.md")  # a link to a session file is read
    for catalog in _load(tmp_path):
        _assert_good_session_loaded(catalog, tmp_path)
        assert sorted(s.id for s in catalog.sessions) == ["good", "linked"]
        warned = {Path(p.path).name: p.message for p in catalog.problems if p.severity == "warning"}
        assert {"x.md", "y.md", "self.md", "dangling.md", "pipe.md", "folder.md", "Shouting.MD"} <= set(warned)
        assert "loop" in warned["x.md"] and "loop" in warned["self.md"]
        assert "does not exist" in warned["dangling.md"] and "pipe" in warned["pipe.md"]
        assert "folder" in warned["folder.md"] and "Shouting.md" in warned["Shouting.MD"]


def test_a_link_that_breaks_during_the_conference_is_reported_on_reload(tmp_path):
    """A file replaced by a link to nothing, named by the watcher, is reported as such on the reload."""
    stamp = [1_700_000_000_000_000_000]
    path = _write(tmp_path, "a.md", _session("A", "2026-08-07T10:00:00"), stamp)
    loader = CatalogLoader(tmp_path, None, SHANGHAI)
    loader.load(keep_last_good=True)
    os.unlink(path)
    os.symlink(tmp_path / "gone.md", path)
    catalog = loader.load(keep_last_good=True, changed=[path])
    assert [(Path(p.path).name, "does not exist" in p.message) for p in catalog.problems] == [("a.md", True)]


def test_a_file_is_measured_before_it_is_read(tmp_path, monkeypatch):
    """A multi-gigabyte file (sparse here) is refused by its size at once: no byte of it is read."""
    (tmp_path / "good.md").write_bytes(GOOD)
    with open(tmp_path / "huge.md", "wb") as f:
        f.truncate(3 * 1024**3)
    real_read = os.read

    def bounded_read(fd: int, n: int) -> bytes:
        assert n <= 100_000_000, f"asked to read {n:,} bytes"
        return real_read(fd, n)

    monkeypatch.setattr(os, "read", bounded_read)
    catalog, _ = _load(tmp_path)
    _assert_good_session_loaded(catalog, tmp_path)
    (problem,) = [p for p in catalog.problems if p.path.endswith("huge.md")]
    assert problem.severity == "error" and "3,221,225,472 bytes" in problem.message
    assert str(tmp_path / "huge.md") in catalog.failed_files


def _unlistable(monkeypatch, folder: Path) -> None:
    """Listing `folder` fails as it does for a folder one may enter but not read (mode --x). The tests run as
    root, which may list any folder, so os.scandir is made to fail the way it does for anyone else."""
    real_scandir = os.scandir

    def scandir(path=".", *a, **kw):
        if os.fspath(path) == str(folder):
            raise PermissionError(13, "Permission denied", str(folder))
        return real_scandir(path, *a, **kw)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_folder_that_cannot_be_listed_is_an_error_not_an_empty_programme(tmp_path, monkeypatch):
    """A sessions folder that can be entered but not listed is an error naming the folder and the reason, and
    the folder counts as failed (so `check` exits 1), rather than a clean programme of no sessions."""
    (tmp_path / "good.md").write_bytes(GOOD)
    _unlistable(monkeypatch, tmp_path)
    catalog = CatalogLoader(tmp_path, None, SHANGHAI).load()
    assert catalog.sessions == []
    assert [(p.path, p.severity) for p in catalog.problems] == [(str(tmp_path), "error")]
    assert "Permission denied" in catalog.problems[0].message
    assert catalog.failed_files == [str(tmp_path)]


def test_a_folder_that_stops_being_listable_keeps_the_programme_served(tmp_path, monkeypatch):
    """If the folder cannot be listed at a reload, the sessions already read stay (none is taken for deleted),
    the reload says why; once it can be listed again, the reload is clean."""
    (tmp_path / "good.md").write_bytes(GOOD)
    loader = CatalogLoader(tmp_path, None, SHANGHAI)
    loader.load(keep_last_good=True)
    with monkeypatch.context() as m:
        _unlistable(m, tmp_path)
        during = loader.load(keep_last_good=True)
    _assert_good_session_loaded(during, tmp_path)
    assert [p.path for p in during.problems if p.severity == "error"] == [str(tmp_path)]
    after = loader.load(keep_last_good=True)
    _assert_good_session_loaded(after, tmp_path)
    assert after.problems == [] and after.failed_files == []


def test_a_sessions_folder_that_is_a_loop_of_links_says_so(tmp_path):
    """A sessions "folder" that is a link to itself is an error saying why it cannot be opened, not "not found"."""
    loop = tmp_path / "sessions"
    loop.symlink_to(loop)
    catalog = CatalogLoader(loop, None, SHANGHAI).load()
    (problem,) = catalog.problems
    assert problem.severity == "error" and "symbolic links" in problem.message
    assert catalog.failed_files == [str(loop)]


def test_a_tracks_folder_with_a_loop_of_links_a_pipe_and_a_huge_file_still_loads(tmp_path):
    """Track files that are a loop of links, a pipe or gigabytes are reported, and never stop the programme."""
    sessions, tracks = tmp_path / "sessions", tmp_path / "tracks"
    sessions.mkdir()
    tracks.mkdir()
    (sessions / "good.md").write_bytes(GOOD)
    (tracks / "data.md").write_text('---\ntitle: "Open Data"\n---\n', encoding="utf-8")
    (tracks / "loop.md").symlink_to(tracks / "loop.md")
    os.mkfifo(tracks / "pipe.md")
    with open(tracks / "huge.md", "wb") as f:
        f.truncate(3 * 1024**3)
    catalog = CatalogLoader(sessions, tracks, SHANGHAI).load()
    _assert_good_session_loaded(catalog, sessions)
    assert catalog.tracks["data"].name == "Open Data"
    assert {Path(p.path).name for p in catalog.problems} == {"loop.md", "pipe.md", "huge.md"}


@pytest.mark.parametrize("odd", ["good .md", "good.zh.zh.md"])
def test_an_odd_name_for_a_session_file_is_a_warning_not_a_second_session(tmp_path, odd):
    """Beside good.md, "good .md" (a stray space) or "good.zh.zh.md" (a doubled suffix) is a warning: there is
    still one session "good", never a second one with an awkward id."""
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / odd).write_bytes(GOOD.replace(b"Charting", b"Mapping"))
    for catalog in _load(tmp_path):
        assert [s.id for s in catalog.sessions] == ["good"]
        _assert_good_session_loaded(catalog, tmp_path)
        about = [p for p in catalog.problems if p.path == str(tmp_path / odd)]
        assert about and {p.severity for p in about} == {"warning"}


def test_a_translation_with_a_doubled_suffix_is_read_as_the_translation(tmp_path):
    """ "good.zh.zh.md" alone is read as good's Chinese translation, with a warning naming "good.zh.md"."""
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "good.zh.zh.md").write_bytes(GOOD.replace(b"Charting the Harbour with Open Data", "港口".encode()))
    catalog = CatalogLoader(tmp_path, None, SHANGHAI).load()
    assert [(s.id, s.title_zh) for s in catalog.sessions] == [("good", "港口")]
    assert ["good.zh.md" in p.message for p in catalog.problems] == [True]


def test_a_load_that_fails_part_way_leaves_no_stale_state(tmp_path, monkeypatch):
    """If a reload stops part way (here reading the second of two changed files fails with a fault of ours),
    the next reload reads every file again: the session moved in the failed reload is served at its new time,
    even though the next reload is told of nothing but the other file."""
    stamp = [1_700_000_000_000_000_000]
    a = _write(tmp_path, "a.md", _session("A", "2026-08-07T10:00:00"), stamp)
    b = _write(tmp_path, "b.md", _session("B", "2026-08-07T11:00:00", room="Pier 2"), stamp)
    loader = CatalogLoader(tmp_path, None, SHANGHAI)
    loader.load(keep_last_good=True)
    _write(tmp_path, "a.md", _session("A", "2026-08-07T15:00:00"), stamp)
    _write(tmp_path, "b.md", _session("B renamed", "2026-08-07T11:00:00", room="Pier 2"), stamp)
    real = loader_module.read_stat

    def failing(path: str):
        if path.endswith("b.md"):
            raise RuntimeError("a fault of ours")
        return real(path)

    monkeypatch.setattr(loader_module, "read_stat", failing)
    with pytest.raises(RuntimeError):
        loader.load(keep_last_good=True, changed=[a, b])
    monkeypatch.setattr(loader_module, "read_stat", real)
    again = loader.load(keep_last_good=True, changed=[b])  # the watcher names what it has not reported yet
    assert _plain(again) == _plain(CatalogLoader(tmp_path, None, SHANGHAI).load())
    assert again.by_id["a"].start is not None and again.by_id["a"].start.hour == 15
    rescanned = loader.load(keep_last_good=True).by_id["a"].start  # and a full rescan agrees
    assert rescanned is not None and rescanned.hour == 15


def test_a_format_that_raises_costs_one_file_reported_not_the_load(tmp_path, monkeypatch):
    """Should reading one file raise (a fault of ours), that file is an error asking for a report, and the
    rest of the programme loads."""
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "bad.md").write_bytes(GOOD)
    real = HUGO.parse

    def parse(path: str, raw: bytes):
        if path.endswith("bad.md"):
            raise ZeroDivisionError("a fault of ours")
        return real(path, raw)

    monkeypatch.setattr(HUGO, "parse", parse)
    catalog = CatalogLoader(tmp_path, None, SHANGHAI).load()
    _assert_good_session_loaded(catalog, tmp_path)
    assert [(Path(p.path).name, p.severity) for p in catalog.problems] == [("bad.md", "error")]


# ------------------------------------------------------------------------------- time across daylight saving

NEW_YORK = ZoneInfo("America/New_York")


def test_lengths_across_the_night_clocks_go_back_are_elapsed_time(tmp_path):
    """On New York's fall-back night a 60-minute session from 01:30 EDT ends at 01:30 EST, an hour later in fact
    (adding on the wall clock says 02:30 EST, two hours), and one with no end lasts its 40 real minutes."""
    stamp = [1_700_000_000_000_000_000]
    _write(tmp_path, "a.md", _session("A", "2024-11-03T01:30:00", extra="duration: 60\n"), stamp)
    _write(tmp_path, "b.md", _session("B", "2024-11-03T01:40:00", room="Pier 2"), stamp)
    catalog = CatalogLoader(tmp_path, None, NEW_YORK, FixedLengths(timedelta(minutes=40))).load()
    a, b = catalog.by_id["a"], catalog.by_id["b"]
    assert a.start is not None and a.end is not None and b.start is not None and b.end is not None
    assert a.end.astimezone(UTC) - a.start.astimezone(UTC) == timedelta(minutes=60)
    assert (a.end.hour, a.end.minute, a.end.utcoffset()) == (1, 30, timedelta(hours=-5))
    assert b.end.astimezone(UTC) - b.start.astimezone(UTC) == timedelta(minutes=40)


def test_a_length_across_spring_forward_is_elapsed_time(tmp_path):
    """A 60-minute session starting 01:30 on New York's spring-forward night ends at 03:30 EDT, an hour later."""
    stamp = [1_700_000_000_000_000_000]
    _write(tmp_path, "a.md", _session("A", "2024-03-10T01:30:00", extra="duration: 60\n"), stamp)
    a = CatalogLoader(tmp_path, None, NEW_YORK).load().by_id["a"]
    assert a.start is not None and a.end is not None
    assert a.end.astimezone(UTC) - a.start.astimezone(UTC) == timedelta(minutes=60)
    assert (a.end.hour, a.end.minute) == (3, 30)


def test_sessions_in_the_hour_that_happens_twice_are_in_time_order(tmp_path):
    """On fall-back night, 01:40 EDT comes before 01:10 EST: written with offsets, the sessions are listed, and
    ends inferred, in the order they happen, not by the wall clock."""
    stamp = [1_700_000_000_000_000_000]
    _write(tmp_path, "first.md", _session("First", "2024-11-03T01:40:00-04:00"), stamp)
    _write(tmp_path, "second.md", _session("Second", "2024-11-03T01:10:00-05:00"), stamp)
    catalog = CatalogLoader(tmp_path, None, NEW_YORK).load()
    assert [s.id for s in catalog.scheduled] == ["first", "second"]
    first = catalog.by_id["first"]
    assert first.end is not None and first.end.astimezone(UTC) == datetime(2024, 11, 3, 6, 10, tzinfo=UTC)
    assert [s.id for s in catalog.starting_from(datetime(2024, 11, 3, 1, 50, tzinfo=NEW_YORK))] == ["second"]


def test_a_session_never_ends_before_it_starts(tmp_path):
    """An end written before the start (or equal to it) is a warning on its line; the end is inferred instead."""
    stamp = [1_700_000_000_000_000_000]
    _write(tmp_path, "a.md", _session("A", "2026-08-07T10:00:00", extra='end: "2026-08-07T09:00:00"\n'), stamp)
    _write(tmp_path, "b.md", _session("B", "2026-08-07T11:00:00", extra='end: "2026-08-07T11:00:00"\n'), stamp)
    catalog = CatalogLoader(tmp_path, None, SHANGHAI).load()
    for s in catalog.scheduled:
        assert s.end > s.start
    assert [(p.line, p.field) for p in catalog.problems] == [(7, "end"), (7, "end")]


@pytest.mark.parametrize(
    ("written", "severity", "hour"), [("2024-03-10T02:30:00", "error", 3), ("2024-11-03T01:30:00", "warning", 1)]
)
def test_a_time_daylight_saving_makes_odd_is_reported_on_its_line(tmp_path, written, severity, hour):
    """A start the clocks skip is an error, one they show twice a warning, each on the date line; the session
    is still listed (at the time the clocks show, or the first of the two)."""
    stamp = [1_700_000_000_000_000_000]
    _write(tmp_path, "a.md", _session("A", written), stamp)
    catalog = CatalogLoader(tmp_path, None, NEW_YORK).load()
    assert [(p.line, p.field, p.severity) for p in catalog.problems] == [(3, "date", severity)]
    start = catalog.by_id["a"].start
    assert start is not None and start.hour == hour
