"""Reading a typed command line: `/command name:value`, quotes from any keyboard, bare words; mistakes explained."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.commands.context import UserError
from bot.frontends.text.parse import parse_line

SHANGHAI = ZoneInfo("Asia/Shanghai")


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
    """An unknown command like no real one has a hint listing the real ones."""
    with pytest.raises(UserError) as caught:
        parse_line("/xyzzy")
    for name in ("next", "now", "schedule", "talk", "speaker", "tracks", "when", "help"):
        assert f"/{name}" in caught.value.hint


@pytest.mark.parametrize(
    ("line", "lang", "hint"),
    [
        ("/nxt", "en", "Did you mean /next?"),
        ("/shedule day:2", "en", "Did you mean /schedule?"),
        ("/tlak kafka", "en", "Did you mean /talk?"),
        ("/sched", "en", "Did you mean /schedule?"),
        ("/Nxt", "en", "Did you mean /next?"),
        ("/nxt", "zh", "你是不是要用 /next？"),
        ("/agnda", "zh", "你是不是要用 /agenda？"),
    ],
)
def test_parse_line_unknown_command_suggests_the_nearest(line, lang, hint):
    """A mistyped command suggests the command meant, in the reader's language."""
    with pytest.raises(UserError) as caught:
        parse_line(line, lang)
    assert caught.value.hint.startswith(hint)


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


@pytest.mark.parametrize(
    "line, message",
    [
        ("", "请输入命令"),
        ("next", "命令以斜杠开头：/next"),
        ('/schedule day:"day 2', "引号没有闭合"),
        ("/nope", "没有 /nope 这个命令。"),
        ("/next bogus:x", "/next 没有“bogus”这个选项。"),
        ("/tracks extra", "/tracks 不接受“extra”。"),
    ],
)
def test_parse_line_refuses_in_chinese(line, message):
    """A Chinese reader's unreadable line is explained in Chinese."""
    with pytest.raises(UserError) as caught:
        parse_line(line, "zh")
    assert message in caught.value.message
