"""The option-kind registry: how what a user types becomes a value, for every kind."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.commands import REGISTRY, Ctx
from bot.commands.context import UserError
from bot.commands.options import (
    AT,
    BOOL,
    CHANNEL,
    CHOICE,
    DAY,
    INT,
    KINDS,
    LEAD,
    ROOM,
    SESSION,
    SPEAKER,
    TEXT,
    TRACK,
    ChannelId,
    Kind,
    Option,
    complete,
    convert_option,
    define_kind,
)
from bot.commands.registry import Command, run_command
from bot.commands.reply import Reply
from tests.commands.helpers import ATTENDEE, FRI_10, at


async def test_option_conversions(sample_app):
    """Yes/no, whole numbers and choices are read forgivingly and refused clearly."""
    ctx = Ctx(sample_app, ATTENDEE, FRI_10)
    flag = Option("export", "Export", BOOL)
    assert [convert_option(ctx, flag, v) for v in ("yes", "Y", "是", "off", False)] == [True, True, True, False, False]
    with pytest.raises(UserError, match="export: expected yes or no"):
        convert_option(ctx, flag, "maybe")
    number = Option("minutes", "Minutes", INT, min_value=1, max_value=120)
    assert convert_option(ctx, number, "15") == 15
    with pytest.raises(UserError, match="from 1 to 120"):
        convert_option(ctx, number, "500")
    with pytest.raises(UserError, match="whole number"):
        convert_option(ctx, number, "ten")
    choice = Option("delivery", "How", CHOICE, choices=("dm", "channel"))
    assert convert_option(ctx, choice, "DM") == "dm"
    with pytest.raises(UserError, match="dm, channel"):
        convert_option(ctx, choice, "email")
    assert convert_option(ctx, Option("room", "Room", ROOM), "二号码头") == "Pier 2"


async def test_option_errors_in_chinese(sample_app):
    """A Chinese reader is told in Chinese what a yes/no, number or choice option expected."""
    ctx = Ctx(sample_app, ATTENDEE, FRI_10, "zh")
    with pytest.raises(UserError, match="export：应为“是”或“否”"):
        convert_option(ctx, Option("export", "Export", BOOL), "maybe")
    with pytest.raises(UserError, match="应为整数"):
        convert_option(ctx, Option("id", "Id", INT), "ten")
    with pytest.raises(UserError, match="应为 dm、channel 之一"):
        convert_option(ctx, Option("delivery", "How", CHOICE, choices=("dm", "channel")), "email")


async def test_a_number_with_only_a_lower_bound_says_at_least(sample_app):
    """A number option with only a minimum says "at least", not "from 1 to None"."""
    ctx = Ctx(sample_app, ATTENDEE, FRI_10)
    with pytest.raises(UserError) as caught:
        convert_option(ctx, Option("id", "The number", INT, min_value=1), "0")
    assert caught.value.message == "id: expected a number of at least 1, got 0"
    with pytest.raises(UserError) as caught:
        convert_option(ctx, Option("n", "The number", INT, max_value=9), "10")
    assert caught.value.message == "n: expected a number of at most 9, got 10"


async def test_each_programme_kind_converts_to_its_value(sample_app):
    """Session, track, room, speaker, day, moment and lead time become the values handlers work with."""
    ctx = Ctx(sample_app, ATTENDEE, FRI_10)
    assert convert_option(ctx, Option("s", "S", SESSION), "keynote-104").id == "keynote-104"
    assert convert_option(ctx, Option("t", "T", TRACK), "  Data Engineering ") == "data"
    assert convert_option(ctx, Option("r", "R", ROOM), "pier 3") == "Pier 3"
    assert convert_option(ctx, Option("p", "P", SPEAKER), " Priya ") == "Priya"
    assert convert_option(ctx, Option("d", "D", DAY), "day 2") == date(2026, 8, 8)
    assert convert_option(ctx, Option("a", "A", AT), "tomorrow 9am") == at(8, 9, 0)
    assert convert_option(ctx, Option("l", "L", LEAD), "半小时") == timedelta(minutes=30)
    assert convert_option(ctx, Option("x", "X", TEXT), "  as typed ") == "as typed"


async def test_a_missing_optional_value_is_none_and_a_missing_required_one_is_refused(sample_app):
    """Leaving an optional option empty gives the handler None; leaving a required one empty names it."""
    ctx = Ctx(sample_app, ATTENDEE, FRI_10)
    assert convert_option(ctx, Option("room", "Only this room", ROOM), "  ") is None
    with pytest.raises(UserError, match="This command needs room: Only this room"):
        convert_option(ctx, Option("room", "Only this room", ROOM, required=True), None)


def test_every_kind_says_what_front_ends_need():
    """Each kind converts, sends a str, int or bool, and autocompletes where the programme can suggest values."""
    assert {k: (s.value_type, s.bare_words, s.complete is not None) for k, s in KINDS.items()} == {
        TEXT: (str, True, False),
        INT: (int, False, False),
        BOOL: (bool, False, False),
        CHOICE: (str, False, False),
        CHANNEL: (ChannelId, False, False),
        SESSION: (str, True, True),
        TRACK: (str, True, True),
        ROOM: (str, True, True),
        SPEAKER: (str, True, True),
        DAY: (str, True, True),
        AT: (str, True, True),
        LEAD: (str, True, True),
    }
    assert Option("query", "Q", TEXT, autocomplete=SESSION).autocomplete == SESSION
    assert Option("track", "T", TRACK).autocomplete == TRACK
    assert Option("export", "E", BOOL).autocomplete is None


def test_an_option_of_an_unknown_kind_is_refused_at_definition():
    """A typo in an option's kind fails when the command is defined, not when a user first types into it."""
    with pytest.raises(ValueError, match="unknown kind 'colour'"):
        Option("c", "Colour", "colour")
    with pytest.raises(ValueError, match="has no autocomplete"):
        Option("c", "Colour", TEXT, autocomplete=BOOL)
    with pytest.raises(ValueError, match="defined twice"):
        define_kind(Kind(TRACK, lambda ctx, opt, raw: raw))


async def test_a_new_kind_is_one_entry_that_every_front_end_follows(sample_app, monkeypatch):
    """One Kind entry makes a new option kind convert, autocomplete, fill from bare words and show in Discord."""
    from bot.frontends.discord.slash import _annotation
    from bot.frontends.text.parse import parse_line

    def as_colour(ctx, opt, raw):
        if raw.lower() not in ("red", "blue"):
            raise UserError(f"{opt.name}: no colour “{raw}”")
        return raw.lower()

    monkeypatch.setitem(
        KINDS, "colour", Kind("colour", as_colour, lambda ctx, text: [("Red", "red"), ("Blue", "blue")])
    )

    async def paint(ctx, colour):
        return Reply(title=f"painted {colour}")

    option = Option("colour", "A colour", "colour", required=True)
    monkeypatch.setitem(REGISTRY, "paint", Command("paint", "Paint", paint, (option,)))
    assert option.autocomplete == "colour"
    assert complete(Ctx(sample_app, ATTENDEE, FRI_10), "colour", "") == [("Red", "red"), ("Blue", "blue")]
    assert parse_line("/paint Red").options == {"colour": "Red"}
    assert (await run_command(Ctx(sample_app, ATTENDEE, FRI_10), "paint", {"colour": "Red"})).title == "painted red"
    refused = await run_command(Ctx(sample_app, ATTENDEE, FRI_10), "paint", {"colour": "green"})
    assert refused.error and refused.text == "colour: no colour “green”"
    assert _annotation(option) is str


def test_discord_declares_numbers_ranges_and_switches_by_value_type():
    """Discord gets an integer (ranged when bounded), a boolean, or text, optional unless required."""
    from discord import app_commands

    from bot.frontends.discord.slash import _annotation

    assert _annotation(Option("n", "N", INT, required=True)) is int
    assert _annotation(Option("on", "On", BOOL, required=True)) is bool
    assert _annotation(Option("d", "D", DAY)) == str | None
    ranged = _annotation(Option("id", "Id", INT, required=True, min_value=1))
    assert isinstance(ranged, app_commands.transformers.RangeTransformer) and ranged.min_value == 1


# ------------------------------------------------------------------ naming a session, a track or a room (issue 9)


async def test_a_session_option_matching_nothing_says_so(sample_app):
    """/star with words no session holds says no session matches them, with no unrelated suggestions."""
    ctx = Ctx(sample_app, ATTENDEE, FRI_10)
    with pytest.raises(UserError) as caught:
        convert_option(ctx, Option("session", "S", SESSION), "harbour zzqxv")
    assert caught.value.message == "No session matches “harbour zzqxv”."
    assert "Did you mean" not in caught.value.hint


async def test_a_session_option_matching_several_names_them(sample_app):
    """Words several sessions hold are refused, naming some of them and how to list them all."""
    ctx = Ctx(sample_app, ATTENDEE, FRI_10)
    with pytest.raises(UserError) as caught:
        convert_option(ctx, Option("session", "S", SESSION), "harbour")
    assert caught.value.message == "“harbour” matches several sessions; pick one from the suggestions."
    assert caught.value.hint.startswith("Did you mean: “") and caught.value.hint.endswith("/talk harbour lists all 3.")


async def test_a_session_option_takes_the_one_title_with_every_word(sample_app):
    """Words only one title holds (others mention them elsewhere) name that session; so does its whole title."""
    ctx = Ctx(sample_app, ATTENDEE, FRI_10)
    option = Option("session", "S", SESSION)
    assert convert_option(ctx, option, "late data").id == "data-401"
    assert convert_option(ctx, option, "TIDES AND TIMESTAMPS: handling late data in stream processing").id == "data-401"


async def test_a_part_of_a_track_or_room_name_is_taken_and_the_reply_says_so(sample_app):
    """/schedule track:cloud and /next room:loft take the one track or room so named and say which."""
    reply = await run_command(Ctx(sample_app, ATTENDEE, FRI_10), "schedule", {"track": "cloud"})
    assert reply.text.startswith("Track “cloud”: taken as Cloud Native.")
    assert {e.session_id for e in reply.entries()} == {
        "cloudnative-501",
        "cloudnative-502",
        "cloudnative-503",
        "cloudnative-504",
    }
    zh = await run_command(Ctx(sample_app, ATTENDEE, FRI_10, "zh"), "next", {"room": "loft"})
    assert zh.text.startswith("会议室“loft”：按 风帆阁 处理。")


async def test_a_part_several_rooms_share_lists_them(sample_app):
    """A part of several rooms' names is refused, listing them to pick from."""
    reply = await run_command(Ctx(sample_app, ATTENDEE, FRI_10), "now", {"room": "pier"})
    assert reply.error and reply.text == "“pier” is part of several rooms' names."
    assert reply.footer.startswith("Pick one: ") and "Pier 2" in reply.footer and "Pier 3" in reply.footer


async def test_a_typed_time_longer_than_any_time_is_refused_at_once(sample_app):
    """A 6,000-character `at` is refused, saying how long a time may be, without being parsed."""
    reply = await run_command(Ctx(sample_app, ATTENDEE, FRI_10), "next", {"at": "tomorrow" * 700})
    assert reply.error and reply.text == "at: at most 100 characters, got 5600."
