"""The catalog read against the four real programmes in shared/corpora and the bundled sample.

Every expected value here comes from the files themselves, read with this module's own
line-based reader (`_front_matter`), or is a literal checked by hand with grep; none is
taken from the loader under test.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.paths import CORPORA, PROGRAMMES, SAMPLE, needs_shared

SHANGHAI = ZoneInfo("Asia/Shanghai")
EIGHT_HOURS = timedelta(hours=8)

needs_corpora = needs_shared


# ---------------------------------------------------------------- independent reading


def _front_matter(path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """Single-line `key: "value"` fields of a front matter block, and the 1-based line of each.

    Deliberately naive (the real programmes only use one-line fields): strips CR, strips
    surrounding whitespace and one pair of double quotes. Returns ({}, {}) without front matter.
    """
    lines = path.read_bytes().decode("utf-8").replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, {}
    fields: dict[str, str] = {}
    where: dict[str, int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            break
        m = re.match(r"^(\w+):\s*(.*?)\s*$", line)
        if m and m.group(1) not in fields:
            value = m.group(2)
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            fields[m.group(1)] = value
            where[m.group(1)] = number
    return fields, where


def _stem(path: Path) -> str:
    return re.sub(r"(\.zh)?\.md$", "", path.name)


def _files_by_stem(sessions_dir: Path) -> dict[str, dict[str, Path]]:
    """{stem: {"en": path, "zh": path}} for every *.md directly in sessions_dir."""
    out: dict[str, dict[str, Path]] = defaultdict(dict)
    for path in sorted(sessions_dir.glob("*.md")):
        out[_stem(path)]["zh" if path.name.endswith(".zh.md") else "en"] = path
    return dict(out)


def _primary(files: dict[str, Path]) -> Path:
    return files.get("en") or files["zh"]


def _parse_local(value: str) -> datetime:
    """Both spellings used by the programmes: '2024-07-27 16:15:00' and '2025-07-26T16:15:00'."""
    for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value.strip(), fmt).replace(tzinfo=SHANGHAI)
        except ValueError:
            pass
    raise ValueError(value)


def _expected_slots(sessions_dir: Path, skip: Collection[str] = frozenset()) -> dict[str, tuple[datetime | None, str]]:
    """{stem: (start or None, room or "")} read from each stem's primary file."""
    slots = {}
    for stem, files in _files_by_stem(sessions_dir).items():
        if stem in skip:
            continue
        fm, _ = _front_matter(_primary(files))
        raw = fm.get("date", "").strip()
        slots[stem] = (_parse_local(raw) if raw else None, fm.get("room", "").strip())
    return slots


def _crlf_files(sessions_dir: Path) -> list[Path]:
    return [p for p in sorted(sessions_dir.glob("*.md")) if b"\r\n" in p.read_bytes()]


@functools.cache
def _load(sessions_dir: Path, tracks_dir: Path | None):
    from bot.core.programme.loader import (
        load_catalog,  # imported here so a missing loader fails each test, not collection
    )

    return load_catalog(sessions_dir, tracks_dir, tz=SHANGHAI)


def corpus(name: str):
    return _load(CORPORA / name / "sessions", CORPORA / name / "tracks")


def sample():
    return _load(SAMPLE, SAMPLE / "tracks")


def _names(paths) -> set[str]:
    return {Path(p).name for p in paths}


def _problems_for(cat, filename: str, field: str | None = None) -> list:
    return [p for p in cat.problems if Path(p.path).name == filename and (field is None or p.field == field)]


def _check_end_times(cat, slots: dict[str, tuple[datetime | None, str]]) -> list[str]:
    """Every scheduled session ends after it starts, the same day, within 4 hours, and no later
    than the next (strictly later) start in the same room that day. Returns the violations."""
    later_in_room: dict[tuple[str, date], list[datetime]] = defaultdict(list)
    for start, room in slots.values():
        if start is not None and room:
            later_in_room[(room, start.date())].append(start)
    bad = []
    for s in cat.scheduled:
        if s.end is None:
            bad.append(f"{s.id}: no end")
            continue
        if not (s.start < s.end):
            bad.append(f"{s.id}: end {s.end} not after start {s.start}")
        if s.end.astimezone(SHANGHAI).date() != s.start.astimezone(SHANGHAI).date() or s.end - s.start > timedelta(
            hours=4
        ):
            bad.append(f"{s.id}: implausible end {s.end} for start {s.start}")
        start, room = slots.get(s.id, (None, ""))
        if start is not None and room:
            nxt = [t for t in later_in_room[(room, start.date())] if t > start]
            if nxt and s.end > min(nxt):
                bad.append(f"{s.id}: ends {s.end:%H:%M}, after the next session in {room} at {min(nxt):%H:%M}")
    return bad


# ---------------------------------------------------------------- real programmes


@needs_corpora
@pytest.mark.parametrize(
    "name, expected", [("coc-asia-2022", 213), ("coc-asia-2024", 140), ("coc-asia-2025", 160), ("coc-asia-2026", 142)]
)
def test_every_session_file_pair_is_one_session(name, expected):
    """Each programme lists one session per NAME.md/NAME.zh.md pair, none lost or doubled."""
    stems = set(_files_by_stem(CORPORA / name / "sessions"))
    assert len(stems) == expected  # guards the hand count against the corpus changing
    cat = corpus(name)
    assert len(cat.sessions) == expected
    assert set(cat.by_id) == stems
    assert {s.id for s in cat.sessions} == stems
    assert cat.failed_files == []


@needs_corpora
@pytest.mark.parametrize(
    "name, days",
    [
        ("coc-asia-2022", [date(2022, 7, 29), date(2022, 7, 30), date(2022, 7, 31)]),
        ("coc-asia-2024", [date(2024, 7, 26), date(2024, 7, 27), date(2024, 7, 28)]),
        ("coc-asia-2025", [date(2025, 7, 25), date(2025, 7, 26), date(2025, 7, 27)]),
        ("coc-asia-2026", [date(2026, 8, 7), date(2026, 8, 8), date(2026, 8, 9)]),
    ],
)
def test_conference_days_are_the_published_ones(name, days):
    """The day picker offers exactly the conference days listed in the corpora README."""
    assert corpus(name).days == days


@needs_corpora
@pytest.mark.parametrize("name", PROGRAMMES)
def test_start_times_are_the_written_local_times(name):
    """Every session starts at the wall-clock time its file gives, in Beijing time (UTC+8)."""
    cat = corpus(name)
    slots = _expected_slots(CORPORA / name / "sessions")
    wrong = []
    for stem, (start, _room) in slots.items():
        got = cat.by_id[stem].start
        if got != start or (got is not None and (got.utcoffset() != EIGHT_HOURS or got.tzinfo is None)):
            wrong.append(f"{stem}: expected {start}, got {got}")
    assert wrong == []
    assert {s.id for s in cat.unscheduled} == {k for k, (start, _) in slots.items() if start is None}
    assert all(s.start is not None for s in cat.scheduled)
    starts = [s.start for s in cat.scheduled]
    assert starts == sorted(starts)
    assert len(cat.scheduled) + len(cat.unscheduled) == len(cat.sessions)


@needs_corpora
def test_2022_unscheduled_sessions_are_listed_apart_and_reported():
    """The 2022 keynote (and talk) with `date: ""` show as unscheduled with a problem, never in the timetable."""
    cat = corpus("coc-asia-2022")
    sessions_dir = CORPORA / "coc-asia-2022" / "sessions"
    unscheduled = {s.id for s in cat.unscheduled}
    assert unscheduled == {"keynote-2002", "streaming-1124"}  # grep -l '^date: ""' on the English files
    assert not unscheduled & {s.id for s in cat.scheduled}
    for filename in ("keynote-2002.md", "streaming-1124.md"):
        found = _problems_for(cat, filename, "date")
        assert found, f"no date problem reported for {filename}"
        _, where = _front_matter(sessions_dir / filename)
        assert any(p.line == where["date"] for p in found), f"{filename}: problem not at the date line"


@needs_corpora
def test_english_date_wins_over_an_empty_translation_date():
    """A 2022 talk whose Chinese file has `date: ""` is still on the timetable at its English time."""
    s = corpus("coc-asia-2022").by_id["messaging-1236"]
    assert s.start == datetime(2022, 7, 29, 16, 0, tzinfo=SHANGHAI)
    assert s.title_zh == "比较性思维在 RocketMQ 与 Kafka 选型中的应用"


@needs_corpora
def test_both_date_spellings_give_the_same_local_time():
    """'2024-07-27 16:15:00' and '2025-07-26T16:15:00' both mean 16:15 in Beijing, 08:15 UTC."""
    a = corpus("coc-asia-2024").by_id["community-1018"].start
    b = corpus("coc-asia-2025").by_id["community-871883"].start
    assert a == datetime(2024, 7, 27, 16, 15, tzinfo=SHANGHAI)
    assert b == datetime(2025, 7, 26, 16, 15, tzinfo=SHANGHAI)
    for got in (a, b):
        assert got.utcoffset() == EIGHT_HOURS
        assert (got.astimezone(UTC).hour, got.astimezone(UTC).minute) == (8, 15)
        assert (got.hour, got.minute) == (16, 15)


@needs_corpora
@pytest.mark.parametrize(
    "name, per_day",
    [
        ("coc-asia-2024", {date(2024, 7, 26): 46, date(2024, 7, 27): 44, date(2024, 7, 28): 50}),
        ("coc-asia-2026", {date(2026, 8, 7): 49, date(2026, 8, 8): 45, date(2026, 8, 9): 48}),
    ],
)
def test_sessions_per_day(name, per_day):
    """Each day's schedule holds as many sessions as the files dated that day (counted with grep)."""
    assert Counter(s.day for s in corpus(name).scheduled) == per_day


TRACKS_2026 = {
    "agenticcoding": 5, "aiinfra": 6, "community": 9, "dataai": 12, "datalake": 16, "dataops": 6,
    "datastorage": 14, "general": 4, "incubator": 6, "iot": 5, "keynote": 16, "messaging": 11,
    "microservice": 4, "observability": 2, "olap": 8, "rust": 6, "streaming": 11, "webserver": 1,
}  # fmt: skip
TRACKS_2024 = {
    "ai": 6, "api": 7, "cloudnative": 7, "community": 13, "datalake": 11, "dataops": 10, "datastorage": 14,
    "incubator": 6, "iot": 7, "messaging": 14, "olap": 19, "others": 4, "performance": 3, "streaming": 12,
    "webserver": 7,
}  # fmt: skip


@needs_corpora
@pytest.mark.parametrize("name, per_track", [("coc-asia-2026", TRACKS_2026), ("coc-asia-2024", TRACKS_2024)])
def test_sessions_per_track_hand_counted(name, per_track):
    """Each track lists the number of talks counted by hand, and an unused track file lists none."""
    cat = corpus(name)
    assert Counter(s.track for s in cat.sessions) == per_track
    for key, n in per_track.items():
        assert cat.tracks[key].count == n, key
    if name == "coc-asia-2026":
        assert cat.tracks["5minstalk"].count == 0  # tracks/5minstalk.md exists, no session uses it


@needs_corpora
@pytest.mark.parametrize("name", PROGRAMMES)
def test_track_keys_are_normalised_and_every_track_is_known(name):
    """Tracks are keyed case- and space-insensitively; every track file and every used track is browsable."""
    cat = corpus(name)
    with_file = {
        p.name[: -len(".md")] for p in (CORPORA / name / "tracks").glob("*.md") if not p.name.endswith(".zh.md")
    }
    raw_key = {
        stem: _front_matter(_primary(files))[0].get("track", "").strip().lower()
        for stem, files in _files_by_stem(CORPORA / name / "sessions").items()
    }
    # sessions whose track has a file are filed under exactly that key
    # (keys without a file, like 2022's "streaming-bk", and the empty key are covered elsewhere)
    filed = {stem: key for stem, key in raw_key.items() if key in with_file}
    assert {stem: cat.by_id[stem].track for stem in filed} == filed
    for key in cat.tracks:
        assert key == key.strip().lower(), repr(key)
    assert with_file <= set(cat.tracks)
    listed = Counter(s.track for s in cat.sessions)
    for s in cat.sessions:
        assert s.track in cat.tracks, f"{s.id}: track {s.track!r} not browsable"
    for key, track in cat.tracks.items():
        assert track.count == listed[key], f"{key}: count {track.count} but {listed[key]} sessions listed"


@needs_corpora
def test_stray_space_after_a_track_value_is_the_same_track():
    """2025's `track: "ai" ` (trailing space) is counted in the AI track with the other nine."""
    cat = corpus("coc-asia-2025")
    assert [k for k in cat.tracks if k.strip() == "ai"] == ["ai"]
    assert cat.tracks["ai"].count == 10  # 20 files say track "ai", English and Chinese halves


@needs_corpora
def test_track_without_a_file_is_reported_and_still_browsable():
    """2022's 'streaming-bk' (no tracks/ file) is flagged at its track line, and its talk stays in a listed track."""
    cat = corpus("coc-asia-2022")
    s = cat.by_id["streaming-1124"]
    # either kept under its own key or read as the "streaming" track it is a variant of
    assert s.track in {"streaming-bk", "streaming"}
    assert s.track in cat.tracks
    _, where = _front_matter(CORPORA / "coc-asia-2022" / "sessions" / "streaming-1124.md")
    assert any(p.line == where["track"] for p in _problems_for(cat, "streaming-1124.md", "track"))


@needs_corpora
def test_track_names_and_chairs_come_from_track_files():
    """Track display names are the files' titles in both languages, and chairs are split into people."""
    t26 = corpus("coc-asia-2026").tracks
    assert t26["aiinfra"].name == "AI Infra"
    assert t26["aiinfra"].name_zh == "人工智能基础设施"
    assert t26["aiinfra"].chairs == ("Jerry Tan", "Junping Du", "Gabriel Wang")
    t22 = corpus("coc-asia-2022").tracks
    assert t22["ai"].name == "AI / machine learning"
    assert t22["ai"].name_zh == "人工智能 / 机器学习"
    assert t22["bigdata"].chairs == ("Lidong Dai", "Gang Li")  # written "Lidong Dai， Gang Li"


@needs_corpora
def test_presenter_lists_are_split_into_people():
    """Co-presented talks list each speaker once, whatever comma the file used."""
    c26, c22 = corpus("coc-asia-2026"), corpus("coc-asia-2022")
    assert c26.by_id["keynote-1296719"].presenters == (
        "Willem Jiang", "Jarek Potiuk", "Craig Russell", "Justin Mclean", "Zili Chen",
    )  # fmt: skip
    assert c22.by_id["ai-1201"].presenters == ("王玺源", "姜逸坤", "黄之鹏")  # "王玺源,姜逸坤,黄之鹏"
    assert c22.by_id["culture-1167"].presenters == ("Kuo Shi", "Gu Jun", "Chen Yuanxi", "XiaoYan Wang", "Wing")
    k13 = c22.by_id["keynote-2013"]
    assert k13.presenters == ("Xiangdong Huang", "Jialin Qiao", "Ming Wen", "Liang Zhang", "Lidong Dai")
    assert k13.presenters_zh == ("黄向东", "乔嘉林", "温铭", "张亮", "代立冬")  # full-width commas
    # "李梦，陈意昊，谢其骏， 张俊杰， 黄章衡": full-width commas, some followed by a space
    assert c22.by_id["keynote-2011"].presenters_zh == ("李梦", "陈意昊", "谢其骏", "张俊杰", "黄章衡")
    assert c22.by_id["streaming-1112"].presenters_zh == ("张颖", "闫莉刚")
    # a single presenter with a trailing space inside the quotes
    assert c22.by_id["messaging-1250"].presenters == ("Jiuming Tao",)


@needs_corpora
def test_translation_is_merged_into_its_session():
    """A session with a NAME.zh.md shows its Chinese title and room, and is listed once, under the English file."""
    s = corpus("coc-asia-2026").by_id["agenticcoding-1185936"]
    assert s.title == "Engineering BanyanDB with AI Agents: Agentic Coding in Practice"
    assert s.title_zh == "用 AI Agent 构建 BanyanDB：Agentic Coding 工程实践"
    assert (s.room, s.room_zh) == ("JingMing Hall", "静明厅")
    assert Path(s.path).name == "agenticcoding-1185936.md"
    assert s.title_in("zh") == s.title_zh and s.title_in("en") == s.title
    s22 = corpus("coc-asia-2022").by_id["ai-1026"]
    assert s22.title_zh == "Apache Submarine 云原生机器学习平台"
    assert s22.title == "Apache Submarine Cloud native machine learning platform"


@needs_corpora
@pytest.mark.parametrize("name", ["coc-asia-2022", "coc-asia-2025"])
def test_crlf_files_read_like_the_others(name):
    """Files saved with Windows line endings give clean titles, names and rooms (no stray \\r)."""
    sessions_dir = CORPORA / name / "sessions"
    crlf = _crlf_files(sessions_dir)
    assert len(crlf) == {"coc-asia-2022": 21, "coc-asia-2025": 87}[name]  # grep -lr $'\r'
    cat = corpus(name)
    for path in crlf:
        fm, _ = _front_matter(path)
        s = cat.by_id[_stem(path)]
        zh = path.name.endswith(".zh.md")
        title = s.title_zh if zh else s.title
        assert title == " ".join(fm["title"].split()), path.name  # runs of spaces may be collapsed
        presenters = s.presenters_zh if zh else s.presenters
        room = s.room_zh if zh else s.room
        abstract = s.abstract_zh if zh else s.abstract
        for text in (title, room or "", abstract, *presenters):
            assert "\r" not in text, path.name


@needs_corpora
def test_crlf_file_with_a_spaced_closing_fence():
    """2025's messaging-908058.md (CRLF, closing '--- ' with a space) reads fully: title, time, track."""
    s = corpus("coc-asia-2025").by_id["messaging-908058"]
    assert s.title == "Apache RocketMQ Eventbridge: Why Your GenAI Needs EDA？"
    assert s.start == datetime(2025, 7, 25, 14, 0, tzinfo=SHANGHAI)
    assert s.track == "messaging"
    assert s.presenters == ("Lin Shen",)
    assert "Real-Time RAG" in s.abstract


@needs_corpora
@pytest.mark.parametrize("name", PROGRAMMES)
def test_end_times_fit_the_room_timetable(name):
    """No session is shown ending before it starts or after the next talk in its room begins."""
    cat = corpus(name)
    assert _check_end_times(cat, _expected_slots(CORPORA / name / "sessions")) == []


@needs_corpora
@pytest.mark.parametrize("name", PROGRAMMES)
def test_abstracts_are_plain_text(name):
    """Abstracts show no HTML tags (the files' <img> and <br> speaker markup is removed)."""
    tag = re.compile(r"</?[A-Za-z][^>]*>")
    dirty = [s.id for s in corpus(name).sessions if tag.search(s.abstract) or tag.search(s.abstract_zh)]
    assert dirty == []


@needs_corpora
def test_abstract_text_is_kept():
    """The abstract keeps the file's words, so search can find them."""
    assert "This session explores how agentic coding is applied to the development of BanyanDB." in (
        corpus("coc-asia-2026").by_id["agenticcoding-1185936"].abstract
    )
    assert "Apache Submarine is a one-stop platform for machine learning" in (
        corpus("coc-asia-2022").by_id["ai-1026"].abstract
    )


@needs_corpora
def test_language_and_panel_from_session_type():
    """'Chinese Panel' is a panel in Chinese, 'English Session' a talk in English."""
    c22 = corpus("coc-asia-2022")
    panel = c22.by_id["culture-1167"]  # stype "Chinese Panel", culture track
    assert (panel.format, panel.language) == ("panel", "zh")
    talk = c22.by_id["streaming-1124"]  # stype "English Session"
    assert (talk.format, talk.language) == ("talk", "en")
    zh_talk = c22.by_id["ai-1026"]  # stype "Chinese Session"
    assert (zh_talk.format, zh_talk.language) == ("talk", "zh")


@needs_corpora
def test_rooms_are_the_venue_rooms():
    """The room list holds the venue's rooms, without blanks, and is empty when no file names a room."""
    # the eight rooms 2026 sessions name (rooms.yaml also lists "WanChun Hall", which no session uses)
    assert set(corpus("coc-asia-2026").rooms) == {
        "MainRoom - YiHe Hall", "YuanMing Hall", "JingMing Hall", "JingYi Hall",
        "Mtn WanShou Hall", "Mtn BaiWang Hall", "Mtn YuQuan Hall", "Mtn Yang Hall",
    }  # fmt: skip
    assert corpus("coc-asia-2024").rooms == []
    rooms25 = corpus("coc-asia-2025").rooms
    assert "" not in rooms25
    assert set(rooms25) == {
        "JingMing Hall", "JingYi Hall", "MainRoom - YiHe Hall", "Mtn BaiWang Hall", "Mtn WanShou Hall",
        "Mtn Yang Hall", "Mtn YuQuan Hall", "WanChun Hall", "YuanMing Hall",
    }  # fmt: skip


# ---------------------------------------------------------------- the bundled sample programme

SAMPLE_GOOD = {
    "keynote-101", "keynote-102", "keynote-103", "keynote-104", "keynote-105", "keynote-106", "keynote-107",
    "keynote-108", "ai-201", "ai-202", "ai-203", "ai-204", "ai-205", "community-301", "community-302",
    "community-303", "community-304", "community-305", "community-306", "data-401", "data-402", "data-403",
    "data-404", "data-405", "cloudnative-501", "cloudnative-502", "cloudnative-503", "cloudnative-504",
}  # fmt: skip
SAMPLE_BROKEN = {"ai-broken-date", "data-broken-yaml", "notes-draft"}


def test_sample_files_are_what_this_test_expects():
    """The sample programme on disk is the one described here (28 sessions + 3 broken files)."""
    assert set(_files_by_stem(SAMPLE)) == SAMPLE_GOOD | SAMPLE_BROKEN
    assert _names(_crlf_files(SAMPLE)) == {"community-301.md"}


def test_sample_loads_with_its_sessions():
    """A newcomer running the bot on sessions/ gets the 28 sample sessions plus the bad-date one."""
    cat = sample()
    assert set(cat.by_id) == SAMPLE_GOOD | {"ai-broken-date"}
    assert len(cat.sessions) == 29
    assert cat.days == [date(2026, 8, 7), date(2026, 8, 8)]
    assert Counter(s.day for s in cat.scheduled) == {date(2026, 8, 7): 16, date(2026, 8, 8): 11}
    assert {s.id for s in cat.unscheduled} == {"keynote-108", "ai-broken-date"}


def test_sample_unreadable_files_are_named():
    """`check` names the file with broken YAML and the file with no front matter as unreadable."""
    cat = sample()
    assert _names(cat.failed_files) == {"data-broken-yaml.md", "notes-draft.md"}
    for filename in ("data-broken-yaml.md", "notes-draft.md"):
        assert _problems_for(cat, filename), f"no problem reported for {filename}"
    assert any(p.severity == "error" for p in _problems_for(cat, "data-broken-yaml.md"))


def test_sample_impossible_and_empty_dates_are_reported_at_their_line():
    """The 25:70 date is an error and the empty keynote date a problem, each at the `date:` line."""
    cat = sample()
    bad = _problems_for(cat, "ai-broken-date.md", "date")
    assert any(p.severity == "error" and p.line == 3 for p in bad), bad  # line 3: date: "2026-08-07T25:70:00"
    empty = _problems_for(cat, "keynote-108.md", "date")
    assert any(p.line == 3 for p in empty), empty  # line 3: date: ""
    assert "ai-broken-date" not in {s.id for s in cat.scheduled}
    # nothing else in the sample is reported as an error
    errors = {Path(p.path).name for p in cat.problems if p.severity == "error"}
    assert errors <= {"ai-broken-date.md", "data-broken-yaml.md", "notes-draft.md"}


def test_sample_tracks_merge_spelling_variants():
    """'Community ' and 'COMMUNITY' land in the community track; 'ai' works without a track file."""
    cat = sample()
    assert set(cat.tracks) == {"keynote", "community", "data", "cloudnative", "ai"}
    assert cat.by_id["community-302"].track == "community"  # track: "Community "
    assert cat.by_id["community-306"].track == "community"  # track: "COMMUNITY"
    assert cat.tracks["community"].count == 6
    assert Counter(s.track for s in cat.scheduled) == {
        "keynote": 7,
        "ai": 5,
        "community": 6,
        "data": 5,
        "cloudnative": 4,
    }
    assert cat.tracks["data"].name == "Data Engineering"
    assert cat.tracks["data"].chairs == ("Fatima Al-Sayed", "Li Wenbo")  # YAML list
    assert cat.tracks["keynote"].chairs == ("Maren Osei", "林晓舟")  # comma string
    assert cat.tracks["cloudnative"].name_zh == "云原生"
    assert cat.tracks["ai"].name  # no tracks/ai.md: some non-empty name still shows


def test_sample_crlf_and_folded_title():
    """The CRLF file and the title folded over two lines read as ordinary one-line titles."""
    cat = sample()
    s = cat.by_id["community-301"]
    assert s.title == "Your First Pull Request Is a Conversation"
    assert s.presenters == ("Ines Carvalho",) and s.room == "Pier 2"
    assert "\r" not in s.abstract and s.abstract.startswith("Newcomers often treat")
    assert s.start == datetime(2026, 8, 7, 13, 30, tzinfo=SHANGHAI)
    assert cat.by_id["data-402"].title == (
        "From Cron Jobs to Data Contracts: A Harbour Authority's Five-Year Pipeline Story"
    )


def test_sample_space_separated_dates():
    """'2026-08-07 13:30:00' (and with a trailing space after the quote) is 13:30 Beijing time."""
    cat = sample()
    assert cat.by_id["data-401"].start == datetime(2026, 8, 7, 13, 30, tzinfo=SHANGHAI)
    assert cat.by_id["data-404"].start == datetime(2026, 8, 8, 13, 30, tzinfo=SHANGHAI)
    assert cat.by_id["data-401"].start.utcoffset() == EIGHT_HOURS


def test_sample_translations_and_chinese_only_session():
    """Translated sessions carry Chinese titles and speakers; the Chinese-only talk still appears in English views."""
    cat = sample()
    translated = {"keynote-101", "keynote-103", "keynote-104", "keynote-107", "ai-201", "community-305",
                  "data-401", "cloudnative-502"}  # fmt: skip
    assert {s.id for s in cat.sessions if s.title_zh} == translated | {"cloudnative-504"}
    assert cat.by_id["keynote-101"].title_zh == "欢迎来到港湾：开幕致辞"
    panel = cat.by_id["keynote-104"]
    assert panel.presenters == ("Chen Haiyan", "Rafael Quintero", "Aiko Tanabe")
    assert panel.presenters_zh == ("陈海燕", "Rafael Quintero", "田边爱子")  # split on 、
    assert (panel.format, panel.language) == ("panel", "zh")
    assert cat.by_id["community-305"].presenters_zh == ("邓丽华", "Joon-ho Park", "方雨桐")  # split on ，
    assert cat.by_id["ai-201"].room_zh == "灯塔厅"
    only_zh = cat.by_id["cloudnative-504"]
    assert only_zh.title_zh == "服务网格瘦身记：从三百个边车到三十个"
    assert only_zh.title_in("en") == only_zh.title_zh
    assert only_zh.presenters_in("en") == ("罗一鸣",)
    assert only_zh.language == "zh"
    assert only_zh.room_in("zh") == "风帆阁"
    assert only_zh.start == datetime(2026, 8, 8, 14, 10, tzinfo=SHANGHAI)


def test_sample_end_times_fit_the_rooms():
    """Sample talks end before the next talk in their room; the lightning talk is done by 15:10."""
    cat = sample()
    assert _check_end_times(cat, _expected_slots(SAMPLE, skip=SAMPLE_BROKEN)) == []
    assert cat.by_id["community-303"].end <= datetime(2026, 8, 7, 15, 10, tzinfo=SHANGHAI)
    assert cat.by_id["keynote-102"].end <= datetime(2026, 8, 7, 10, 0, tzinfo=SHANGHAI)
    # the morning's last keynote does not run through lunch until the afternoon session
    assert cat.by_id["keynote-104"].end < datetime(2026, 8, 7, 13, 30, tzinfo=SHANGHAI)
    assert {"Lighthouse Hall", "Pier 2", "Pier 3", "Sail Loft"} <= set(cat.rooms)
    assert "" not in cat.rooms


# ---------------------------------------------------------------- a session shown in full, tracks, translations
# Expected values from the files with this section's own regular expressions (never from the loader).

_BIO_HEADING = re.compile(r"^( {0,3})#{1,6} *(?:Speakers?|讲师|演讲嘉宾|嘉宾|演讲者) *[:：]? *$", re.M)
_TAGS = re.compile(r"<[^>]*>|!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)")
_RAW = {
    "an HTML tag": re.compile(r"</?[A-Za-z][^>]*>"),
    "a Markdown heading": re.compile(r"(?m)^\s*#{1,6}\s"),
    "bold": re.compile(r"\*\*|__"),
    "a Markdown link": re.compile(r"\]\(|!\["),
    "an HTML entity": re.compile(r"&(?:[a-z]+|#\d+);"),
    "a speakers heading": re.compile(r"(?im)^\s*(?:speakers?|讲师)\s*[:：]\s*$"),
}
# files with an indented heading: `tr -d '\r' < FILE | grep -qE '^ +#{1,6} *(Speakers?|讲师|...) *[:：]? *$'`
INDENTED_HEADINGS = {"coc-asia-2022": 371, "coc-asia-2024": 277, "coc-asia-2025": 0, "coc-asia-2026": 0}


def _body(path: Path) -> str:
    text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    return text.split("\n---", 2)[-1] if text.startswith("---") else text


def _letters(markdown: str) -> str:
    """Markdown as its letters and digits only (any script): tags, images, link targets, markup, punctuation and
    white space gone, so that it compares with the text the bot shows whatever it did with the rest."""
    return re.sub(r"[\W_]+", "", _TAGS.sub(" ", markdown))


def _in_language(cat, path: Path) -> tuple[str, str]:
    """(abstract, bios) a file gave its session: the English fields for NAME.md, the Chinese ones for NAME.zh.md."""
    s = cat.by_id[_stem(path)]
    return (s.abstract_zh, s.bios_zh) if path.name.endswith(".zh.md") else (s.abstract, s.bios)


@needs_corpora
@pytest.mark.parametrize("name", PROGRAMMES)
def test_bios_under_any_speakers_heading_come_apart_from_the_abstract(name):
    """Wherever a file writes a speakers heading (indented, as most 2022 and 2024 files do, or not), the heading
    and the bios stay out of the abstract, and the bios' first words are the session's bios in that language."""
    files = sorted((CORPORA / name / "sessions").glob("*.md"))
    bodies = {path: _body(path) for path in files}
    with_heading = {path: m for path, body in bodies.items() if (m := _BIO_HEADING.search(body))}
    assert sum(1 for m in with_heading.values() if m.group(1)) == INDENTED_HEADINGS[name]
    cat = corpus(name)
    for path, m in with_heading.items():
        abstract, bios = _in_language(cat, path)
        before, after = _letters(bodies[path][: m.start()]), _letters(bodies[path][m.end() :])
        assert not re.search(r"(?i)speakers?\s*:|讲师\s*[:：]", abstract), path.name
        assert _letters(abstract).endswith(before[-12:]), path.name
        assert _letters(bios).startswith(after[:12]), (path.name, bios[:80])
        if after[:20] not in before:
            assert after[:20] not in _letters(abstract), path.name


@needs_corpora
@pytest.mark.parametrize("name", PROGRAMMES)
def test_abstracts_and_bios_are_text_without_markdown_or_html(name):
    """No abstract or bios, in either language, holds an HTML tag or entity, a Markdown heading, bold, a link's
    markup or a speakers heading."""
    found = [
        (s.id, field, what)
        for s in corpus(name).sessions
        for field in ("abstract", "abstract_zh", "bios", "bios_zh")
        for what, pattern in _RAW.items()
        if pattern.search(getattr(s, field))
    ]
    assert found == []


def _app(name: str, tmp_path: Path):
    from bot.app import App
    from bot.clock import FixedClock
    from bot.config import Config

    cfg = Config()
    cfg.database = tmp_path / "confbot.db"
    cfg.sessions_dir = CORPORA / name / "sessions"
    cfg.tracks_dir = CORPORA / name / "tracks"
    return App(cfg, FixedClock(datetime(2020, 1, 1, tzinfo=SHANGHAI)))


@needs_corpora
@pytest.mark.parametrize("name", PROGRAMMES)
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_session_in_full_shows_bios_under_a_speakers_heading_of_our_own(name, lang, tmp_path):
    """A session with bios, shown in full in the console and in Discord, has its abstract, then our own
    "Speakers" ("讲者") heading, then the bios as text: no "###", no raw heading, no <img>."""
    from bot.commands.context import Ctx, User
    from bot.commands.programme import session_reply
    from bot.frontends.discord.render import render_embed
    from bot.frontends.text.render import INDENT, render

    suffix = ".zh.md" if lang == "zh" else ".md"
    files = sorted(p for p in (CORPORA / name / "sessions").glob("*.md") if p.name.endswith(suffix))
    if lang == "en":
        files = [p for p in files if not p.name.endswith(".zh.md")]
    path = next(p for p in files if (m := _BIO_HEADING.search(_body(p))) and _letters(_body(p)[m.end() :]))
    heading_at = _BIO_HEADING.search(_body(path))
    assert heading_at is not None
    first_letters = _letters(_body(path)[heading_at.end() :])[:12]
    app = _app(name, tmp_path)
    try:
        session = app.catalog.by_id[_stem(path)]
        reply = session_reply(Ctx(app, User(1, "reader"), app.now(), lang), session)
        heading = "讲者" if lang == "zh" else "Speakers"
        text = render(reply, lang)
        assert "###" not in text and "<img" not in text and "Speakers:" not in text
        lines = text.splitlines()
        at = lines.index(INDENT + heading)
        assert _letters(" ".join(lines[at + 1 :])).startswith(first_letters)
        description = render_embed(reply.paginate()[0], lang).description or ""
        assert "###" not in description and "<img" not in description
        after_heading = description.split(f"**{heading}**", 1)[1]
        assert _letters(after_heading).startswith(first_letters)
    finally:
        await app.close()


def _track_titles(name: str) -> dict[str, tuple[str, str]]:
    """{track key: (English title, Chinese title or the English one)} from the tracks folder's files."""
    out = {}
    for path in sorted((CORPORA / name / "tracks").glob("*.md")):
        if path.name.endswith(".zh.md") or path.name.startswith("_"):
            continue
        title = _front_matter(path)[0].get("title", "").strip()
        zh = path.with_name(path.name[:-3] + ".zh.md")
        title_zh = _front_matter(zh)[0].get("title", "").strip() if zh.exists() else ""
        out[path.name[:-3].lower()] = (title, title_zh or title)
    return out


@needs_corpora
@pytest.mark.parametrize("name", PROGRAMMES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_ics_export_names_tracks_as_their_files_title_them(name, lang):
    """Every event of a whole programme's .ics export is filed under its track's title from the tracks folder, in
    the reader's language (the key only for a track no file describes), in its categories and description."""
    from icalendar import Calendar

    from bot.core.ical import agenda_ics

    cat = corpus(name)
    titles = _track_titles(name)
    ics = agenda_ics(cat.sessions, calendar_name=name, tz=SHANGHAI, now=datetime(2020, 1, 1, tzinfo=UTC),
                     lang=lang, tracks=cat.tracks)  # fmt: skip
    events = {str(ev["UID"]).split("@")[0]: ev for ev in Calendar.from_ical(ics).walk("VEVENT")}
    assert len(events) == len(cat.scheduled)
    for sid, ev in events.items():
        key = cat.by_id[sid].track
        expected = titles[key][1 if lang == "zh" else 0] if key in titles else key
        assert ev["CATEGORIES"].cats == [expected], sid
        assert f"{expected}\n" in str(ev["DESCRIPTION"]) + "\n", sid


def _chairs(value: str) -> tuple[str, ...]:
    return tuple(x for x in (p.strip() for p in re.split(r"[,，、]", value)) if x)


@needs_corpora
@pytest.mark.parametrize("name", PROGRAMMES)
async def test_track_chairs_for_a_chinese_reader_come_from_the_chinese_track_file(name, tmp_path):
    """Each track's chairs, for a Chinese reader, are those its .zh.md file names (the English ones for English
    readers), and /tracks in Chinese lists them."""
    from bot.commands.context import Ctx, User
    from bot.commands.programme import tracks as tracks_command
    from bot.frontends.text.render import render

    cat = corpus(name)
    expected_zh: dict[str, tuple[str, ...]] = {}
    expected_en: dict[str, tuple[str, ...]] = {}
    for path in sorted((CORPORA / name / "tracks").glob("*.md")):
        chairs = _chairs(_front_matter(path)[0].get("trackchairs", ""))
        key = _stem(path).lower()
        (expected_zh if path.name.endswith(".zh.md") else expected_en)[key] = chairs
    assert any(expected_zh.values())
    for key, chairs in expected_zh.items():
        assert cat.tracks[key].chairs_in("zh") == (chairs or expected_en.get(key, ())), key
        assert cat.tracks[key].chairs_in("en") == (expected_en.get(key, ()) or chairs), key
    app = _app(name, tmp_path)
    try:
        listed = render(await tracks_command(Ctx(app, User(1, "reader"), app.now(), "zh")), "zh")
    finally:
        await app.close()
    for chairs in expected_zh.values():
        if chairs:
            assert "出品人：" + "、".join(chairs) in listed.replace("\n    ", " ")


def _presenters(path: Path) -> list[str]:
    value = _front_matter(path)[0].get("presenters", "")
    return [x for x in (p.strip(" .") for p in re.split(r"\s*(?:[,，、;；/&]|\band\b|\s和\s)\s*", value)) if x]


# Pairs where the naive split above counts differently but the files name the same people (checked by hand):
# 2022's observability-1150 writes "Nagariya, Ajay,Das, Debajit,Pratyush, Kumar" (surname first) against
# "Ajay Nagariya, Debajit Das, Kumar Pratyush"; webserverandtomcat-1028 "Mark Thomas" against "Thomas, Mark".
SAME_PEOPLE = {"coc-asia-2022": {"observability-1150", "webserverandtomcat-1028"}}


@needs_corpora
@pytest.mark.parametrize("name", PROGRAMMES)
def test_translations_naming_another_number_of_presenters_are_warned_of(name):
    """A session whose translation names a different number of people is warned of, naming both files, and no
    other: on the real programmes, only where the files truly disagree (none, once surname-first is read)."""
    sessions = CORPORA / name / "sessions"
    disagree = set()
    for stem, files in _files_by_stem(sessions).items():
        if "en" in files and "zh" in files:
            en, zh = _presenters(files["en"]), _presenters(files["zh"])
            if en and zh and len(en) != len(zh):
                disagree.add(stem)
    expected = disagree - SAME_PEOPLE.get(name, set())
    warned = {_stem(Path(p.path)) for p in corpus(name).problems if p.field == "presenters" and "names" in p.message}
    assert warned == expected


@needs_corpora
def test_a_real_translation_that_drops_a_presenter_is_warned_of_naming_both_files(tmp_path):
    """2022's ai-1201 ("王玺源,姜逸坤,黄之鹏") with its translation cut to two people: one warning, on the
    translation's presenters line, naming ai-1201.md and ai-1201.zh.md."""
    from bot.core.programme.loader import load_catalog

    source = CORPORA / "coc-asia-2022" / "sessions"
    (tmp_path / "ai-1201.md").write_bytes((source / "ai-1201.md").read_bytes())
    zh = (source / "ai-1201.zh.md").read_text(encoding="utf-8")
    people = _front_matter(source / "ai-1201.zh.md")[0]["presenters"]
    assert len(_presenters(source / "ai-1201.zh.md")) == 3
    fewer = ",".join(re.split(r"[,，、]", people)[:2])
    (tmp_path / "ai-1201.zh.md").write_text(zh.replace(people, fewer), encoding="utf-8")
    cat = load_catalog(tmp_path, None, tz=SHANGHAI)
    (warning,) = [p for p in cat.problems if p.field == "presenters"]
    line = _front_matter(tmp_path / "ai-1201.zh.md")[1]["presenters"]
    assert (Path(warning.path).name, warning.line, warning.severity) == ("ai-1201.zh.md", line, "warning")
    assert "ai-1201.md names 3" in warning.message and "ai-1201.zh.md names 2" in warning.message
