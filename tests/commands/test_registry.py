"""Running a command by name: unknown commands and options, missing values and organizer rights, refused clearly."""

from __future__ import annotations

import pytest

from bot.commands import REGISTRY
from tests.commands.helpers import (
    PROGRAMME_COMMANDS,
    ask,
)


async def test_unknown_command_names_the_commands(sample_app):
    """An unknown command is refused with the list of real ones."""
    reply = await ask(sample_app, "nope")
    assert reply.error
    assert reply.text == "There is no command /nope."
    for name in PROGRAMME_COMMANDS:
        assert f"/{name}" in reply.footer


@pytest.mark.parametrize(
    ("name", "lang", "text", "hint"),
    [
        ("nxt", "en", "There is no command /nxt.", "Did you mean /next? /help lists every command."),
        ("scedule", "en", "There is no command /scedule.", "Did you mean /schedule? /help lists every command."),
        ("nxt", "zh", "没有 /nxt 这个命令。", "你是不是要用 /next？/help 列出所有命令。"),
        ("tarcks", "zh", "没有 /tarcks 这个命令。", "你是不是要用 /tracks？/help 列出所有命令。"),
    ],
)
async def test_unknown_command_suggests_the_nearest(sample_app, name, lang, text, hint):
    """A mistyped command name is refused with the command it most likely meant, in the reader's language."""
    reply = await ask(sample_app, name, lang=lang)
    assert reply.error
    assert (reply.text, reply.footer) == (text, hint)


async def test_unknown_option_names_the_options(sample_app):
    """An option the command does not have is refused with the options it does have."""
    reply = await ask(sample_app, "next", {"bogus": "1"})
    assert reply.error
    assert reply.text == "/next has no option “bogus”."
    assert reply.footer == "Its options: track, room, at"


@pytest.mark.parametrize("name, option", [("talk", "query"), ("speaker", "name"), ("when", "text")])
async def test_missing_required_option_names_it(sample_app, name, option):
    """A command missing its required option says which option it needs."""
    for options in ({}, {option: "   "}):
        reply = await ask(sample_app, name, options)
        assert reply.error
        assert reply.text.startswith(f"This command needs {option}:")


async def test_organizer_commands_are_refused_to_attendees(sample_app):
    """An attendee using an organizers' command is told it is for organizers, and nothing else happens."""
    organizer_only = sorted(n for n, c in REGISTRY.items() if c.organizer_only)
    if not organizer_only:
        pytest.skip("no organizer commands registered")
    reply = await ask(sample_app, organizer_only[0])
    assert reply.error
    assert reply.text == f"/{organizer_only[0]} is for organizers only."
    assert sample_app.services.storage is None  # refused before the database is touched


READ_ONLY = {"talk", "next", "now", "schedule", "speaker", "tracks", "when", "help"}  # the programme's
READ_ONLY |= {"agenda", "announcements", "popular", "stats"}  # reading the database
CHANGING = {"star", "unstar", "remind", "announce", "announce-send", "announce-edit", "unannounce", "reload"}


def test_each_command_says_where_it_is_declared_whether_it_changes_anything():
    """Only commands that change nothing may be run again by a page button after a restart: the lists, the
    agenda and the organizers' counts, never /star, /remind, /announce… or /reload."""
    assert set(REGISTRY) == READ_ONLY | CHANGING
    assert {name for name, cmd in REGISTRY.items() if cmd.read_only} == READ_ONLY


def test_only_the_commands_that_post_need_a_front_end_that_delivers():
    """/announce and /announce-send post (they need the running bot or the console); every other command runs
    in a one-shot `ask` too."""
    assert {name for name, cmd in REGISTRY.items() if cmd.sends} == {"announce", "announce-send"}
