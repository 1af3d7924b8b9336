"""Replies printed for the terminal: every page, times in conference time, wrapped to the width."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.commands.reply import Entry, Reply, Section, error_reply
from bot.core.text import display_width
from bot.frontends.text.console import ask_text
from bot.frontends.text.render import render, wrap

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def test_render_prints_every_page_in_conference_time(sample_app):
    """The whole programme prints as four numbered pages, every session once, times as in the files."""
    text, ok = await ask_text(sample_app, "/schedule")
    assert ok
    for i in range(1, 5):
        assert f"Programme  (page {i} of 4)" in text
    assert "(page 5 of" not in text
    found = re.findall(r"^    id: (\S+)$", text, re.M)
    assert len(found) == 27 and len(set(found)) == 27
    assert "## Day 1 · Fri 7 Aug" in text and "## Day 2 · Sat 8 Aug" in text
    assert "09:00–09:20  Welcome to the Harbour: Opening Remarks" in text
    assert "10:10–10:50  Licences, Lawyers and Lighthouses" in text
    assert text.count("2 more sessions have no time yet") == 1  # the footer once, on the last page
    assert text.index("2 more sessions have no time yet") > text.index("(page 4 of 4)")


async def test_render_from_a_utc_clock_shows_conference_time(sample_app):
    """With the clock in UTC (02:00Z = 10:00 in Shanghai), /next prints the 10:40 panel at 10:40, not 02:40."""
    sample_app.clock = FixedClock(datetime(2026, 8, 7, 2, 0, tzinfo=UTC))
    text, _ = await ask_text(sample_app, "/next")
    assert "## Fri 7 Aug 10:40" in text
    assert "10:40–11:20  Who Pays for the Commons? A Panel on Sustaining Maintainers" in text
    assert "02:40" not in text


async def test_render_full_session_shows_day_and_abstract(sample_app):
    """A single session prints its day and times, room, speakers, language and wrapped abstract."""
    text, _ = await ask_text(sample_app, "/talk rootless")
    lines = text.splitlines()
    assert lines[0] == "Rootless Containers in the Classroom"
    assert set(lines[1]) == {"="}
    assert "Sat 8 Aug 13:30–14:10  Rootless Containers in the Classroom" in lines
    assert "    Sail Loft · Cloud Native" in lines
    assert "    Zheng Wei" in lines
    assert "    id: cloudnative-503" in lines
    assert "    A university lab gives two hundred students a shared Linux server and" in lines
    assert max(len(line) for line in lines) <= 78  # the abstract is wrapped to the console's width


async def test_render_unscheduled_session_says_time_not_announced(sample_app):
    """A session without a date prints as time not yet announced."""
    text, _ = await ask_text(sample_app, "/talk Closing Keynote")
    assert "Time not yet announced  Closing Keynote (speaker to be announced)" in text


def test_render_error_reply():
    """An error prints as one ✗ line and its hint."""
    assert (
        render(error_reply("There is no track “x”.", "Did you mean: ai?"))
        == "✗ There is no track “x”.\n  Did you mean: ai?\n"
    )


async def test_render_chinese_page_label(sample_app):
    """Chinese output numbers pages in Chinese."""
    text, _ = await ask_text(sample_app, "/schedule", "zh")
    assert "议程  (第 1/4 页)" in text and "议程  (第 4/4 页)" in text
    assert "## 第1天 · 8月7日 周五" in text


def test_render_attachment_and_footer_on_the_last_page():
    """A reply with a file names the file and its size once, after the last page."""
    entries = [Entry(title=f"t{i}", start=datetime(2026, 8, 7, 9, i, tzinfo=SHANGHAI)) for i in range(10)]
    reply = Reply(
        title="Agenda",
        text="Your starred sessions.",
        sections=[Section("", entries)],
        footer="End.",
        file=("agenda.ics", b"x" * 1234),
    )
    text = render(reply)
    assert text.count("[attachment: agenda.ics, 1,234 bytes]") == 1
    assert text.rstrip().endswith("[attachment: agenda.ics, 1,234 bytes]")
    assert text.count("End.") == 1
    assert text.count("Your starred sessions.") == 1
    assert "Agenda  (page 1 of 2)" in text and "Agenda  (page 2 of 2)" in text
    assert "Fri 7 Aug 09:09  t9" in text  # undated section: the day is printed with the time


# --- wrapping by display width -------------------------------------------------------------------------------------

MIXED = (
    "Apache RocketMQ 是一款分布式消息中间件，具有低延迟、高性能和高可靠性的特点。本次演讲将介绍RocketMQ-Streams"
    "如何在云安全和边缘计算场景中实现轻量级计算，并分享阿里云的实践经验（包括部署、扩容与运维）。"
)


def test_wrap_counts_a_chinese_character_as_two_columns():
    """Chinese text wraps at 78 columns of the terminal, i.e. 39 characters, not at 78 characters."""
    lines = wrap("中" * 100)
    assert [len(line) for line in lines] == [39, 39, 22]
    assert all(display_width(line) <= 78 for line in lines)


def test_wrap_never_splits_an_english_word():
    """In mixed text, lines break between Chinese characters or at spaces, never inside an English word."""
    for width in range(20, 80, 3):
        lines = wrap(MIXED, width, indent="    ")
        assert all(display_width(line) <= width for line in lines), width
        joined = " ".join(lines)
        for word in ("Apache", "RocketMQ", "RocketMQ-Streams"):
            assert word in joined, (width, word)
        assert "".join(line.strip() for line in lines).replace(" ", "") == MIXED.replace(" ", "")


def test_wrap_keeps_closing_punctuation_off_the_start_of_a_line():
    """A Chinese comma or full stop never begins a line; an opening bracket never ends one."""
    for width in range(10, 60):
        for line in wrap(MIXED, width):
            assert line[:1] not in "，。、）", (width, line)
            assert line[-1:] != "（", (width, line)


def test_wrap_gives_a_word_longer_than_the_line_a_line_of_its_own():
    """A URL longer than the line is printed whole on its own line rather than cut."""
    url = "https://example.org/" + "a" * 100
    assert wrap(f"see {url} now", 40) == ["see", url, "now"]


def test_wrap_keeps_paragraphs_and_the_spaces_inside_a_line():
    """Paragraph breaks stay (later paragraphs take the continuation indent), and two spaces stay two."""
    assert wrap("10:40–11:20  Who Pays\n\nNext", 78, subsequent="    ") == ["10:40–11:20  Who Pays", "", "    Next"]
    assert wrap("", 10) == [""]


def test_render_wraps_a_long_chinese_title_and_its_underline():
    """A long Chinese reply title wraps within the width, and its underline is no wider than the console."""
    text = render(Reply(title="很长的标题" * 12, sections=[Section("", [Entry(title="x", body=MIXED)])]), "zh")
    lines = text.splitlines()
    assert all(display_width(line) <= 78 for line in lines)
    assert lines[2].startswith("=") and set(lines[2]) == {"="}
