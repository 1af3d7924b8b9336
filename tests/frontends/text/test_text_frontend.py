"""The text front end: reading `/command name:value` lines, printing replies, and the console loop."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.commands import REGISTRY, UserError
from bot.commands.base import Entry, Reply, Section, error_reply
from bot.frontends.text.console import ask_text, run_console
from bot.frontends.text.parse import parse_line
from bot.frontends.text.render import render

SHANGHAI = ZoneInfo("Asia/Shanghai")


# ---------------------------------------------------------------------------------------------- parse_line


@pytest.mark.parametrize(
    "line, name, options",
    [
        ('/schedule track:community day:"day 2"', "schedule", {"track": "community", "day": "day 2"}),
        ("/schedule 'day:day 2'", "schedule", {"day": "day 2"}),
        ('/talk query:"Quiet Clusters"', "talk", {"query": "Quiet Clusters"}),
        ("/talk kafka streams", "talk", {"query": "kafka streams"}),
        ('/talk "quiet clusters"', "talk", {"query": "quiet clusters"}),
        ("/when tomorrow 3pm", "when", {"text": "tomorrow 3pm"}),
        ("/speaker Priya Raman", "speaker", {"name": "Priya Raman"}),
        ("/schedule community", "schedule", {"track": "community"}),
        ("/schedule day:2026-08-08 community", "schedule", {"day": "2026-08-08", "track": "community"}),
        ("/talk meet at 10:30", "talk", {"query": "meet at 10:30"}),
        (
            "/talk https://video.example.org/harbour-2026/ai-201",
            "talk",
            {"query": "https://video.example.org/harbour-2026/ai-201"},
        ),
        ("  /NEXT  ", "next", {}),
        ("/schedule Track:community", "schedule", {"track": "community"}),
        ("/talk", "talk", {}),
        ("/tracks", "tracks", {}),
        ("/schedule day:“day 2” track:community", "schedule", {"day": "day 2", "track": "community"}),
        ("/schedule day:「第2天」", "schedule", {"day": "第2天"}),
        ("／next", "next", {}),
        ("/talk rock'n'roll", "talk", {"query": "rock'n'roll"}),
    ],
)
def test_parse_line_reads_options_and_bare_words(line, name, options):
    """name:value pairs, quoted values, and bare words filling the command's main option are read as typed."""
    parsed = parse_line(line)
    assert (parsed.name, parsed.options) == (name, options)


@pytest.mark.parametrize(
    "line, message",
    [
        ("", "Type a command"),
        ("   ", "Type a command"),
        ("/", "Type a command after the slash"),
        ("next", "Commands start with a slash: /next"),
        ("talk kafka", "Commands start with a slash: /talk"),
        ('/schedule day:"day 2', "close the quote"),
        ("/nope", "There is no command /nope."),
        ("/next bogus:x", "/next has no option “bogus”."),
        ("/tracks extra", "/tracks does not take “extra”."),
        ('/talk query:"Quiet Clusters" extra', "/talk does not take “extra”."),
    ],
)
def test_parse_line_refuses_with_a_fixable_message(line, message):
    """A line the bot cannot read gives a friendly UserError saying how to fix it, never another exception."""
    with pytest.raises(UserError) as caught:
        parse_line(line)
    assert message in caught.value.message


def test_parse_line_unknown_command_lists_the_commands():
    """An unknown command's hint lists the real ones."""
    with pytest.raises(UserError) as caught:
        parse_line("/shedule")
    for name in ("next", "now", "schedule", "talk", "speaker", "tracks", "when", "help"):
        assert f"/{name}" in caught.value.hint


def test_parse_line_unknown_option_lists_the_options():
    """An unknown option's hint names the command's options."""
    with pytest.raises(UserError) as caught:
        parse_line("/schedule when:today")
    assert caught.value.hint == "Its options: track, day, room"


@pytest.mark.parametrize(
    "line, options",
    [
        ("/talk Authority's pipeline", {"query": "Authority's pipeline"}),
        ("/speaker O'Brien", {"name": "O'Brien"}),
    ],
)
def test_parse_line_apostrophe_in_a_word(line, options):
    """An apostrophe inside a word (a name, a possessive) is part of the word, not a quote."""
    assert parse_line(line).options == options


def test_parse_line_space_after_colon():
    """`track: community` with a space after the colon still sets the track."""
    assert parse_line("/schedule track: community").options == {"track": "community"}


def test_parse_line_full_width_colon():
    """`track：community` typed with a Chinese input method's colon sets the track."""
    assert parse_line("/schedule track：community").options == {"track": "community"}


# -------------------------------------------------------------------------------------------------- render


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


# ------------------------------------------------------------------------------------------------- console


async def test_ask_text_reports_success_and_failure(sample_app):
    """A good line succeeds; a bad one prints an error and reports failure."""
    text, ok = await ask_text(sample_app, "/next")
    assert ok and "Who Pays for the Commons?" in text
    text, ok = await ask_text(sample_app, "/schedule track:comunity")
    assert not ok and text.startswith("✗ There is no track “comunity”.")
    text, ok = await ask_text(sample_app, "schedule")
    assert not ok and text.startswith("✗ Commands start with a slash")


async def test_ask_text_apologises_for_a_bug_without_a_traceback(sample_app, monkeypatch):
    """A command that crashes gives the user an apology, not a traceback."""

    async def boom(ctx, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setitem(REGISTRY, "tracks", replace(REGISTRY["tracks"], handler=boom))
    text, ok = await ask_text(sample_app, "/tracks")
    assert not ok
    assert text.startswith("✗ Sorry, that command failed on our side")
    assert "Traceback" not in text and "kaboom" not in text


async def test_console_answers_each_line_and_stops_at_quit(sample_config, clock):
    """Fed a script, the console answers /next, explains a bad line, stops at /quit and never shows a traceback."""
    stdin = io.StringIO('/next\n\nthis is not a command\n/talk "unclosed\n/speaker Priya Raman\n/quit\n/tracks\n')
    stdout = io.StringIO()
    assert await run_console(sample_config, clock, stdin=stdin, stdout=stdout) == 0
    out = stdout.getvalue()
    assert out.startswith("confbot console: Harbour Open Source Summit 2026 (sample), 29 sessions, 5 tracks")
    assert "Clock: 2026-08-07 10:00 Asia/Shanghai." in out
    assert out.count("Next up") == 1 and "10:40–11:20  Who Pays for the Commons?" in out
    assert "✗ Commands start with a slash: /this" in out
    assert "close the quote" in out
    assert "Sessions by Priya Raman" in out
    assert "Tracks" not in out  # after /quit nothing more is read
    assert "Traceback" not in out


async def test_console_ends_at_end_of_input(sample_config, clock):
    """Without /quit, the console ends cleanly when the input ends."""
    stdout = io.StringIO()
    assert await run_console(sample_config, clock, stdin=io.StringIO("/tracks"), stdout=stdout) == 0
    assert "`keynote` · 8 sessions" in stdout.getvalue()


async def test_console_in_chinese(sample_config, clock):
    """With language zh in the config, the console answers in Chinese."""
    sample_config.language = "zh"
    stdout = io.StringIO()
    await run_console(sample_config, clock, stdin=io.StringIO("/next\n/quit\n"), stdout=stdout)
    assert "接下来" in stdout.getvalue()
    assert "谁为公地买单？关于维护者可持续性的圆桌" in stdout.getvalue()
