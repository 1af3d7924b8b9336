"""The commands on the four real programmes in shared/corpora, in English and Chinese: /schedule from today, parts
of the day, days alone, errors naming the programme's own days, the conference's name, and the console's wrapping.

Expected values come from the files by an independent reading (a regular expression over each session file's
`date:` line, the English file first, its .zh.md translation when there is none), never from the code under test.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.clock import FixedClock
from bot.commands import Reply, User
from bot.config import Config
from bot.core.text import display_width
from bot.frontends.text.render import WIDTH, render
from tests.commands.helpers import ask
from tests.paths import CORPORA, PROGRAMMES, needs_shared

pytestmark = needs_shared

SHANGHAI = ZoneInfo("Asia/Shanghai")  # every one of the four (shared/corpora/README.md)
DATE_LINE = re.compile(r"^date:\s*[\"']?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})", re.M)
WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
MONTH_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Facts:
    """What the files of one programme say, read without the bot: each session's start, by stem."""

    starts: dict[str, datetime]
    bodies: dict[str, tuple[str, str]]  # stem -> (path of the file, its body), for both languages' files

    @property
    def days(self) -> list[date]:
        return sorted({s.date() for s in self.starts.values()})

    def count_on(self, day: date) -> int:
        return sum(1 for s in self.starts.values() if s.date() == day)

    def first_from(self, moment: datetime) -> tuple[datetime, set[str]]:
        """The first start at or after `moment`, and the sessions starting then."""
        first = min(s for s in self.starts.values() if s >= moment)
        return first, {stem for stem, s in self.starts.items() if s == first}


@cache
def facts(programme: str) -> Facts:
    starts: dict[str, datetime] = {}
    bodies: dict[str, tuple[str, str]] = {}
    folder = CORPORA / programme / "sessions"
    files = sorted(folder.glob("*.md"), key=lambda p: (p.name.endswith(".zh.md"), p.name))  # English first
    for path in files:
        stem = path.name[: -len(".zh.md")] if path.name.endswith(".zh.md") else path.name[: -len(".md")]
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---", 2)
        bodies[path.name] = (str(path), body)
        if stem in starts:
            continue
        m = DATE_LINE.search(front)
        if m:
            y, mo, d, hh, mm = (int(g) for g in m.groups())
            starts[stem] = datetime(y, mo, d, hh, mm, tzinfo=SHANGHAI)
    return Facts(starts, bodies)


def en_day(d: date, n: int | None = None) -> str:
    text = f"{WEEKDAY_EN[d.weekday()]} {d.day} {MONTH_EN[d.month - 1]}"
    return f"Day {n} · {text}" if n else text


def zh_day(d: date, n: int | None = None) -> str:
    text = f"{d.month}月{d.day}日 {WEEKDAY_ZH[d.weekday()]}"
    return f"第{n}天 · {text}" if n else text


def app_for(programme: str, tmp_path: Path) -> App:
    config = Config(sessions_dir=CORPORA / programme / "sessions", database=tmp_path / "confbot.db")
    return App(config, FixedClock(datetime.combine(facts(programme).days[0], time(10, 0), SHANGHAI)))


@pytest.fixture(params=PROGRAMMES)
def programme(request) -> str:
    return request.param


@pytest.fixture
def app(programme, tmp_path):
    return app_for(programme, tmp_path)


def at_day(programme: str, index: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime.combine(facts(programme).days[index], time(hh, mm), SHANGHAI)


def test_the_independent_reading_sees_three_days_each():
    """The reading below finds each programme's three days, as shared/corpora/README.md lists them."""
    assert {p: (facts(p).days[0].isoformat(), len(facts(p).days)) for p in PROGRAMMES} == {
        "coc-asia-2022": ("2022-07-29", 3),
        "coc-asia-2024": ("2024-07-26", 3),
        "coc-asia-2025": ("2025-07-25", 3),
        "coc-asia-2026": ("2026-08-07", 3),
    }


# ----------------------------------------------------------------------------------------- /schedule from today


async def test_schedule_on_the_middle_day_starts_at_today(programme, app):
    """On the programme's middle day, /schedule opens at that day: its sessions and the last day's, none earlier."""
    f = facts(programme)
    day1, day2, day3 = f.days
    reply = await ask(app, "schedule", now=at_day(programme, 1))
    assert not reply.error
    assert [s.heading for s in reply.sections] == [en_day(day2, 2), en_day(day3, 3)]
    assert [len(s.entries) for s in reply.sections] == [f.count_on(day2), f.count_on(day3)]
    assert reply.text == f"From today, {en_day(day2)}."
    assert reply.footer.startswith('Earlier days: /schedule day:"day 1"')
    earlier = await ask(app, "schedule", {"day": "yesterday"}, now=at_day(programme, 1))
    assert [s.heading for s in earlier.sections] == [en_day(day1, 1)]
    assert len(earlier.entries()) == f.count_on(day1)


async def test_schedule_before_the_conference_shows_every_day(programme, app):
    """The day before the conference, /schedule starts at day 1 and covers all three days (up to 200 sessions)."""
    f = facts(programme)
    reply = await ask(app, "schedule", now=at_day(programme, 0) - timedelta(days=1), lang="zh")
    assert [s.heading for s in reply.sections] == [zh_day(d, i + 1) for i, d in enumerate(f.days)]
    total = sum(f.count_on(d) for d in f.days)
    assert len(reply.entries()) == min(total, 200)  # a reply stops at 200 sessions and says so
    assert reply.text == (
        "" if total <= 200 else f"只显示前 200 场（共 {total} 场）：请用 day、track 或 room 缩小范围。"
    )


# ------------------------------------------------------------------------------------ parts of the day, days alone


@pytest.mark.parametrize(
    ("typed", "lang", "hour"),
    [("tomorrow morning", "en", 9), ("明天上午", "zh", 9), ("明天下午", "zh", 14), ("tomorrow evening", "en", 19)],
)
async def test_next_at_a_part_of_tomorrow(programme, app, typed, lang, hour):
    """On day 1, /next at "tomorrow morning" (09:00), "明天下午" (14:00) or "tomorrow evening" (19:00) starts then;
    its title shows the moment taken and its first slot is the programme's first start from then on."""
    f = facts(programme)
    moment = at_day(programme, 1, hour)
    reply = await ask(app, "next", {"at": typed}, now=at_day(programme, 0), lang=lang)
    assert not reply.error, reply.text
    day = en_day(moment.date()) if lang == "en" else zh_day(moment.date())
    assert reply.title == (f"Next after {day} {hour:02d}:00" if lang == "en" else f"{day} {hour:02d}:00 之后")
    first, stems = f.first_from(moment)
    first_day = en_day(first.date()) if lang == "en" else zh_day(first.date())
    assert reply.sections[0].heading == f"{first_day} {first:%H:%M}"
    assert {e.session_id for e in reply.sections[0].entries} == stems


@pytest.mark.parametrize(("typed", "index"), [("tomorrow", 1), ("明天", 1), ("后天", 2), ("day 3", 2), ("第二天", 1)])
async def test_next_at_a_day_alone_starts_with_that_days_first_session(programme, app, typed, index):
    """On day 1, /next at "明天" or "day 3" alone starts when that day's programme does: its first session."""
    f = facts(programme)
    day = f.days[index]
    first, stems = f.first_from(datetime.combine(day, time(0), SHANGHAI))
    reply = await ask(app, "next", {"at": typed}, now=at_day(programme, 0))
    assert reply.title == f"Next after {en_day(day)} {first:%H:%M}"
    assert {e.session_id for e in reply.sections[0].entries} == stems


async def test_day_options_take_a_day_alone(programme, app):
    """/schedule day:"后天" on day 1 is day 3 of the programme."""
    f = facts(programme)
    reply = await ask(app, "schedule", {"day": "后天"}, now=at_day(programme, 0), lang="zh")
    assert [s.heading for s in reply.sections] == [zh_day(f.days[2], 3)]
    assert len(reply.entries()) == f.count_on(f.days[2])


# ------------------------------------------------------------------------------- errors name the programme's days


async def test_a_day_outside_the_programme_names_its_days_never_the_samples(programme, app):
    """A day the programme does not have is refused naming this programme's three days, in either language."""
    f = facts(programme)
    outside = f.days[-1] + timedelta(days=10)
    typed = outside.isoformat()
    en = await ask(app, "schedule", {"day": typed}, now=at_day(programme, 0))
    assert en.error
    assert en.text == f"The conference has no sessions on {en_day(outside)}."
    assert en.footer == "Its days: " + ", ".join(en_day(d, i + 1) for i, d in enumerate(f.days))
    zh = await ask(app, "schedule", {"day": "第四天"}, now=at_day(programme, 0), lang="zh")
    assert zh.error
    assert f"大会共 3 天（{zh_day(f.days[0])} 至 {zh_day(f.days[-1])}）" in zh.text


async def test_time_examples_name_a_day_of_the_programme(programme, app):
    """An unreadable time is refused with examples on this programme's second day, which themselves work."""
    f = facts(programme)
    day2 = f.days[1]
    en = await ask(app, "next", {"at": "banana"}, now=at_day(programme, 0))
    assert f"'{MONTH_EN[day2.month - 1]} {day2.day} 14:00'" in en.text
    zh = await ask(app, "next", {"at": "banana"}, now=at_day(programme, 0), lang="zh")
    assert zh.text.startswith("at：无法把 'banana' 读作时间") and f"'{day2.month}月{day2.day}日 15:00'" in zh.text
    works = await ask(app, "next", {"at": f"{day2.month}月{day2.day}日 15:00"}, now=at_day(programme, 0))
    assert not works.error


async def test_a_chinese_readers_help_and_errors_are_chinese(programme, app):
    """A Chinese reader's /help, an unknown command, a mistyped track and a missing option are all in Chinese."""
    help_reply = await ask(app, "help", lang="zh", user=User(1, is_organizer=True))
    syntax = re.compile(r"/\w+|\w+:\w+|\.ics|iCal|dm|channel")
    for entry in help_reply.entries():
        assert not re.search(r"[A-Za-z]{2,}", syntax.sub("", entry.lines[0])), entry.lines[0]
    unknown = await ask(app, "nxt", lang="zh")
    assert (unknown.text, unknown.footer) == ("没有 /nxt 这个命令。", "你是不是要用 /next？/help 列出所有命令。")
    track = await ask(app, "schedule", {"track": "zzzzzz"}, lang="zh")
    assert track.text == "没有名为“zzzzzz”的分论坛。"
    missing = await ask(app, "speaker", lang="zh")
    assert missing.text.startswith("这个命令需要 name：讲者姓名")


# ------------------------------------------------------------------------------------------ the conference's name


async def test_a_programme_without_a_name_is_never_the_samples(programme, app):
    """None of the four names its conference (no Hugo site beside the files): /when and the calendar file say
    "the conference", never the sample's name."""
    label = (await ask(app, "when", {"text": "tomorrow 3pm"})).entries()[0].title
    assert label == "Conference time (Asia/Shanghai)"
    zh_label = (await ask(app, "when", {"text": "明天下午3点"}, lang="zh")).entries()[0].title
    assert zh_label == "大会时间（Asia/Shanghai）"
    stem = min(facts(programme).starts)
    try:
        starred = await ask(app, "star", {"session": stem}, now=at_day(programme, 0))
        assert not starred.error, starred.text
        exported = await ask(app, "agenda", {"export": "true"}, now=at_day(programme, 0))
    finally:
        await app.close()
    assert exported.file is not None
    calendar = exported.file[1].decode("utf-8")
    assert "X-WR-CALNAME:the conference" in calendar.replace("\r\n", "\n")
    assert "Harbour" not in calendar


# --------------------------------------------------------------------------------------- the console's wrapping

ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'.][A-Za-z0-9]+)*")
CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def mixed_sessions(programme: str, limit: int = 8) -> list[tuple[str, str]]:
    """(stem, language) of sessions whose abstract mixes Chinese and English words, longest first."""
    found = []
    for name, (_, body) in facts(programme).bodies.items():
        abstract = body.split("###")[0]
        if len(CJK_CHAR.findall(abstract)) >= 40 and len(ENGLISH_WORD.findall(abstract)) >= 3:
            zh = name.endswith(".zh.md")
            stem = name[: -len(".zh.md")] if zh else name[: -len(".md")]
            found.append((-len(abstract), stem, "zh" if zh else "en"))
    return [(stem, lang) for _, stem, lang in sorted(found)[:limit]]


def check_wrapped(reply: Reply, lang: str) -> None:
    """Every line fits the console by display width unless it is one unbreakable word, and no English word of the
    session is split across lines."""
    printed = render(reply, lang)
    for line in printed.splitlines():
        if display_width(line) > WIDTH:
            assert len(line.split()) == 1 and not CJK_CHAR.search(line), line
    shown = reply.entries()[0]
    source = "\n".join([shown.title, *shown.lines, shown.body])
    assert Counter(ENGLISH_WORD.findall(source)) <= Counter(ENGLISH_WORD.findall(printed))


async def test_console_wraps_chinese_and_mixed_abstracts_by_display_width(programme, app):
    """Chinese and mixed Chinese-English abstracts print within 78 columns, a Chinese character counting two,
    without splitting an English word."""
    chosen = mixed_sessions(programme)
    assert len(chosen) >= 3, "each programme has Chinese abstracts with English words in them"
    for stem, lang in chosen:
        reply = await ask(app, "talk", {"query": stem}, lang=lang)
        assert reply.entries() and reply.entries()[0].session_id == stem
        check_wrapped(reply, lang)
    english = sorted(stem for stem in facts(programme).starts)[:3]
    for stem in english:
        check_wrapped(await ask(app, "talk", {"query": stem}), "en")


def test_the_word_check_sees_a_split_word():
    """The word count above misses a word broken across lines ("Rocket" / "MQ"), so a split cannot pass."""
    source = Counter(ENGLISH_WORD.findall("RocketMQ Streams 轻流计算"))
    assert source <= Counter(ENGLISH_WORD.findall("RocketMQ\nStreams 轻流\n计算"))
    assert not source <= Counter(ENGLISH_WORD.findall("Rocket\nMQ Streams 轻流计算"))


# Facts worked out by hand from the files, for the record: each programme's middle day and its first start.
@pytest.mark.parametrize(
    ("name", "middle", "first"),
    [
        ("coc-asia-2022", "2022-07-30", "09:00"),
        ("coc-asia-2024", "2024-07-27", "14:00"),
        ("coc-asia-2025", "2025-07-26", "09:30"),
        ("coc-asia-2026", "2026-08-08", "09:00"),
    ],
)
def test_the_reading_agrees_with_what_the_files_say_by_hand(name, middle, first):
    """The independent reading gives the middle days and their first starts read off the files by hand."""
    f = facts(name)
    day = f.days[1]
    assert day.isoformat() == middle
    assert f"{f.first_from(datetime.combine(day, time(0), SHANGHAI))[0]:%H:%M}" == first
