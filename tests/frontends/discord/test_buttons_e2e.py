"""Buttons against the fake Discord: every custom_id fits Discord's 100 characters and answers when pressed,
for any session id, after a restart, on an old message, and whoever presses it.

The fake refuses (and the harness fails the test on) a custom_id over 100 characters, as Discord does.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config
from bot.frontends.discord import client as discord_client
from bot.frontends.discord import views as discord_views
from tests.fakediscord.harness import FakeDiscord, running_bot
from tests.fakediscord.models import MESSAGE_COMPONENT

# Session ids come from file names: short, at and around the old limits, long, with spaces, Chinese and colons.
IDS = {
    "one character": "a",
    "80 characters": "k" * 80,
    "81 characters": "m" * 81,
    "87 characters": "n" * 87,
    "88 characters": "p" * 88,
    "200 characters": "q" * 200,
    "spaces": "harbour talk on tide tables",
    "Chinese": "开源社区的未来与港口城市",
    "colons": "track:community:301",
    "long with everything": ("港口 tide: " * 14)[:119],  # 119 characters, 171 bytes of a 255-byte file name
}
FIRST_SLOT = ("200 characters", "spaces", "Chinese", "colons", "long with everything")  # /next's first five
LONG_ROOM = "The Very Long Harbour Pavilion Room " + "East Wing " * 12  # 156 characters
LONG_TRACK = "community" + "-and-harbour-data" * 8  # a key of 145 characters


def session_file(title: str, minute: int, *, track: str = "community", room: str = "Pier 2") -> str:
    return f"""---
title: "{title}"
date: "2026-08-07T{10 + minute // 60:02d}:{minute % 60:02d}:00"
track: "{track}"
presenters: "Ada Harbour"
room: "{room}"
---

About {title}.
"""


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    """A programme of one session per id in IDS (those of FIRST_SLOT at 10:30, the others from 11:00), and two
    in a long room and a long track."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    for i, (what, sid) in enumerate(IDS.items()):
        minute = 30 if what in FIRST_SLOT else 60 + 2 * i
        (folder / f"{sid}.md").write_text(session_file(f"Session {i:02d}", minute), encoding="utf-8")
    (folder / "pavilion.md").write_text(session_file("In the pavilion", 120, room=LONG_ROOM), encoding="utf-8")
    (folder / "data-track.md").write_text(session_file("Down the long track", 125, track=LONG_TRACK), encoding="utf-8")
    return folder


@pytest.fixture
def config(sample_config: Config, programme: Path) -> Config:
    sample_config.sessions_dir = programme
    sample_config.tracks_dir = None
    return sample_config


@contextlib.asynccontextmanager
async def confbot(factory: Any, **kwargs: Any) -> AsyncIterator[tuple[FakeDiscord, discord_client.ConfBot]]:
    async with running_bot(factory, **kwargs) as (fake, bot):
        assert isinstance(bot, discord_client.ConfBot) and bot.runtime is not None
        assert bot.runtime is not None and bot.runtime.scheduler is not None
        bot.runtime.scheduler.pause()  # the tests say when jobs run
        yield fake, bot


async def ask(fake: FakeDiscord, name: str, options: dict[str, Any] | None = None, **kwargs: Any):
    return await fake.wait_for_response(await fake.slash(name, options, **kwargs))


async def press(fake: FakeDiscord, message: Any, custom_id: str, **kwargs: Any):
    return await fake.wait_for_response(await fake.click(message, custom_id, **kwargs))


def text_of(reply) -> str:
    parts = [reply.content or ""]
    for embed in reply.embeds:
        parts += [embed.get("title") or "", embed.get("description") or "", (embed.get("footer") or {}).get("text", "")]
    return "\n".join(parts)


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message["components"] for c in row.get("components", []) if c.get("custom_id")]


def buttons(message: dict[str, Any], prefix: str) -> list[str]:
    return [c for c in custom_ids(message) if c.startswith(prefix)]


def page_of(reply) -> str:
    return reply.embeds[0]["footer"]["text"].split(" · ")[-1]


async def stars_of(bot: discord_client.ConfBot, fake: FakeDiscord, who: str) -> list[str]:
    return await (await bot.app.services.open_storage()).stars_of(fake.user(who).id)


# ---------------------------------------------------------------- ☆ for any session id


@pytest.mark.parametrize("sid", list(IDS.values()), ids=list(IDS))
async def test_a_star_button_fits_and_stars_any_session(config, clock, confbot_factory, sid):
    """Whatever a session's id, its ☆ button is accepted by Discord and stars that session; Unstar undoes it."""
    async with confbot(confbot_factory(config, clock)) as (fake, bot):
        shown = await ask(fake, "talk", {"query": sid})
        message = fake.messages[shown.message_id]
        [star] = buttons(message, "confbot:star:")
        assert len(star) <= 100
        starred = await press(fake, message, star, user="bob")
        assert starred.ephemeral and "Starred" in text_of(starred), text_of(starred)
        assert await stars_of(bot, fake, "bob") == [sid]
        [unstar] = buttons(fake.messages[starred.message_id], "confbot:unstar:")
        unstarred = await press(fake, starred.message_id, unstar, user="bob")
        assert "Unstarred" in text_of(unstarred)
        assert await stars_of(bot, fake, "bob") == []


async def test_next_listing_every_awkward_id_is_accepted_and_each_star_works_after_a_restart(
    config, clock, confbot_factory
):
    """/next showing sessions with long, spaced, Chinese and colon ids is sent; each ☆ stars its own after a restart."""
    async with FakeDiscord() as fake:
        async with confbot(confbot_factory(config, clock), fake=fake) as (_, bot):
            listing = await ask(fake, "next")
            assert listing.callback_type == 4 and "Session 05" in text_of(listing)
            stars = buttons(fake.messages[listing.message_id], "confbot:star:")
            assert len(stars) == 5 and all(len(c) <= 100 for c in stars)
        async with confbot(confbot_factory(config, clock), fake=fake) as (_, bot):
            for custom_id in stars:
                answer = await press(fake, listing.message_id, custom_id, user="bob")
                assert "Starred" in text_of(answer), text_of(answer)
            assert sorted(await stars_of(bot, fake, "bob")) == sorted(IDS[what] for what in FIRST_SLOT)


async def test_a_star_button_for_a_session_that_is_gone_says_so(config, clock, confbot_factory, programme):
    """Pressing ☆ on a session since removed from the programme says plainly that it is gone; nothing is starred."""
    sid = IDS["200 characters"]
    async with confbot(confbot_factory(config, clock)) as (fake, bot):
        shown = await ask(fake, "talk", {"query": sid})
        [star] = buttons(fake.messages[shown.message_id], "confbot:star:")
        (programme / f"{sid}.md").unlink()
        await bot.app.reload()
        answer = await press(fake, shown.message_id, star, user="bob")
        assert answer.callback_type == 4 and answer.ephemeral
        assert "no longer in the programme" in text_of(answer) and "/talk" in text_of(answer)
        assert await stars_of(bot, fake, "bob") == []


async def test_a_legacy_star_button_still_works(config, clock, confbot_factory):
    """A ☆ button posted before short keys (the id itself in its custom_id) still stars its session."""
    sid = IDS["80 characters"]
    async with confbot(confbot_factory(config, clock)) as (fake, bot):
        shown = await ask(fake, "talk", {"query": "Session 00"})  # any message of the bot's to hang a button on
        message = fake.messages[shown.message_id]
        legacy = f"confbot:star:{sid}"
        message["components"] = [
            {"type": 1, "components": [{"type": 2, "style": 1, "label": "☆", "custom_id": legacy}]}
        ]
        answer = await press(fake, message, legacy, user="bob")
        assert "Starred" in text_of(answer)
        assert await stars_of(bot, fake, "bob") == [sid]


# ---------------------------------------------------------------- values clipped to 100 characters


async def test_a_long_session_id_picked_from_autocomplete_is_starred(config, clock, confbot_factory):
    """A session whose id is over 100 characters, picked from autocomplete (value clipped to 100), is the one starred."""
    sid = IDS["200 characters"]
    async with confbot(confbot_factory(config, clock)) as (fake, bot):
        offered = await fake.wait_for_response(await fake.autocomplete("star", {"session": ""}, focused="session"))
        [value] = [c["value"] for c in offered.choices if sid.startswith(c["value"])]
        assert len(value) == 100
        reply = await ask(fake, "star", {"session": value})
        assert "Starred" in text_of(reply), text_of(reply)
        assert await stars_of(bot, fake, "alice") == [sid]


@pytest.mark.parametrize(
    "option,typed,expect",
    [("room", "the very long harbour", "In the pavilion"), ("track", "community-and-harbour", "Down the long track")],
)
async def test_a_long_room_or_track_picked_from_autocomplete_is_found(
    config, clock, confbot_factory, option, typed, expect
):
    """A room or track whose name is over 100 characters, picked from autocomplete, filters /next to it."""
    async with confbot(confbot_factory(config, clock)) as (fake, _bot):
        offered = await fake.wait_for_response(await fake.autocomplete("next", {option: typed}, focused=option))
        [value] = [c["value"] for c in offered.choices if len(c["value"]) == 100]
        reply = await ask(fake, "next", {option: value})
        shown = text_of(reply)
        assert expect in shown and "Session 00" not in shown, shown


# ---------------------------------------------------------------- ◀ ▶ always answer


async def test_page_buttons_turn_pages_after_a_restart(sample_config, clock, confbot_factory):
    """◀ ▶ under a reply from before a restart still turn its pages (the command is asked again)."""
    async with FakeDiscord() as fake:
        async with confbot(confbot_factory(sample_config, clock), fake=fake):
            first = await ask(fake, "schedule", {"day": "day 1"})
            page1 = first.embeds[0]["description"]
            total = int(page_of(first).rsplit(" of ", 1)[1])
            assert total > 1
        async with confbot(confbot_factory(sample_config, clock), fake=fake):
            message = fake.messages[first.message_id]
            turned = await press(fake, message, buttons(message, "confbot:page:")[1])
            assert turned.callback_type == 7 and page_of(turned) == f"page 2 of {total}"
            assert turned.embeds[0]["description"] != page1 and "Day 1" in turned.embeds[0]["description"]
            message = fake.messages[first.message_id]
            back = await press(fake, message, buttons(message, "confbot:page:")[0])
            assert back.callback_type == 7 and back.embeds[0]["description"] == page1


async def test_a_page_button_on_an_old_message_answers_after_other_turns(sample_config, clock, confbot_factory):
    """▶ on an earlier reply still answers after the pages of a later one were turned, and so does a stale ▶."""
    async with confbot(confbot_factory(sample_config, clock)) as (fake, _bot):
        old = await ask(fake, "schedule")
        new = await ask(fake, "schedule")
        for _ in range(2):
            message = fake.messages[new.message_id]
            assert (await press(fake, message, buttons(message, "confbot:page:")[1])).callback_type == 7
        snapshot = dict(fake.messages[old.message_id])
        turned = await press(fake, old.message_id, buttons(snapshot, "confbot:page:")[1])
        assert page_of(turned).startswith("page 2 of")
        # A client that has not yet seen the turn presses the ▶ it still shows (page 1's, so page 2 again).
        stale = await fake.wait_for_response(
            await fake._interact(  # the fake's own click refuses a button the message no longer has
                MESSAGE_COMPONENT,
                {"custom_id": buttons(snapshot, "confbot:page:")[1], "component_type": 2},
                user="alice",
                channel="general",
                message=fake.messages[old.message_id],
            )
        )
        assert stale.callback_type == 7 and page_of(stale).startswith("page 2 of")


async def test_only_the_asker_turns_the_pages_also_after_a_restart(sample_config, clock, confbot_factory):
    """Someone else pressing ▶ is told privately that the reply is not theirs, before and after a restart."""
    async with FakeDiscord() as fake:
        async with confbot(confbot_factory(sample_config, clock), fake=fake) as (_, _bot):
            first = await ask(fake, "talk", {"query": "open source"})
            assert not first.ephemeral and page_of(first).startswith("page 1 of")
            next_id = buttons(fake.messages[first.message_id], "confbot:page:")[1]
            refused = await press(fake, first.message_id, next_id, user="bob")
            assert refused.ephemeral and "someone else's reply" in text_of(refused)
        async with confbot(confbot_factory(sample_config, clock), fake=fake) as (_, _bot):
            refused = await press(fake, first.message_id, next_id, user="bob")
            assert refused.ephemeral and "someone else's reply" in text_of(refused)
            assert fake.messages[first.message_id]["embeds"] == first.embeds
            turned = await press(fake, first.message_id, next_id, user="alice")
            assert turned.callback_type == 7 and page_of(turned).startswith("page 2 of")


async def test_options_too_long_for_a_custom_id_turn_pages_until_a_restart_then_say_the_list_is_gone(
    sample_config, clock, confbot_factory
):
    """Pages whose options do not fit a custom_id turn while the bot runs; after a restart the list is gone, said plainly."""
    query = "open source " * 9  # 108 characters: several pages of sessions
    async with FakeDiscord() as fake:
        async with confbot(confbot_factory(sample_config, clock), fake=fake) as (_, _bot):
            first = await ask(fake, "talk", {"query": query})
            next_id = buttons(fake.messages[first.message_id], "confbot:page:")[1]
            assert ":#" in next_id and len(next_id) <= 100
            turned = await press(fake, first.message_id, next_id)
            assert page_of(turned).startswith("page 2 of")
        async with confbot(confbot_factory(sample_config, clock), fake=fake) as (_, _bot):
            message = fake.messages[first.message_id]
            gone = await press(fake, message, buttons(message, "confbot:page:")[0])
            assert gone.callback_type == 4 and gone.ephemeral
            assert "no longer be turned" in text_of(gone) and "/talk" in text_of(gone)
            gone_zh = await press(fake, message, buttons(message, "confbot:page:")[0], locale="zh-CN")
            assert "无法翻页" in text_of(gone_zh) and "/talk" in text_of(gone_zh)


# ---------------------------------------------------------------- the custom_id formats


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"day": "day 2"},
        {"track": "data", "room": "Pier 2", "day": "明天"},
        {"room": "a:b%3A c%"},
        {"day": "x" * 70},
    ],
)
def test_page_custom_ids_fit_and_read_back(options):
    """A page button's custom_id is at most 100 characters and gives back the owner, page, command and options."""
    owner = 2**64 - 1
    ref = discord_views.PageRef.first(owner, "schedule", options).at(12)
    custom_id = ref.custom_id
    assert len(custom_id) <= 100
    match = discord_views.PageButton.__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None
    back = discord_views.PageRef.parse(match)
    assert (back.owner, back.page, back.command, back.key) == (owner, 12, "schedule", ref.key)
    assert back.options == (None if ":#" in custom_id else options)


def test_switches_and_numbers_read_back_typed():
    """A yes/no or number option comes back from a custom_id as the type the command declares."""
    for command, options in (("agenda", {"export": True}), ("agenda", {"export": False}), ("unannounce", {"id": 7})):
        ref = discord_views.PageRef.first(1, command, options)
        match = discord_views.PageButton.__discord_ui_compiled_template__.fullmatch(ref.custom_id)
        assert match is not None and discord_views.PageRef.parse(match).options == options


def test_page_buttons_run_again_only_commands_declared_read_only():
    """After a restart a page button runs again only a command registered as changing nothing (a list, the
    agenda, the organizers' counts), never /star, /remind, /announce or /reload, nor a command that is gone."""
    from bot.commands import REGISTRY

    assert {name for name in REGISTRY if discord_views.replayable(name)} == {
        name for name, cmd in REGISTRY.items() if cmd.read_only
    }
    assert discord_views.replayable("popular") and discord_views.replayable("agenda")
    assert not any(discord_views.replayable(n) for n in ("star", "unstar", "remind", "announce", "reload", "gone"))


def test_kept_pages_are_bounded_by_replies_and_entries():
    """Pages kept for page buttons stay within their budget: the least recently used go first, never the newest."""
    from bot.commands.reply import Entry, Reply, Section

    def reply(n: int) -> list[Reply]:
        return Reply(title="t", sections=[Section("", [Entry(title=str(i)) for i in range(n)])]).paginate()

    kept = discord_views.KeptReplies(size=3, entries=100)
    refs = [discord_views.PageRef.first(1, "schedule", {"day": f"day {i}"}) for i in range(5)]
    for ref in refs[:3]:
        kept.keep(ref, reply(30))
    assert kept.get(refs[0].key) is not None  # now the most recently used
    kept.keep(refs[3], reply(30))  # 120 entries: the least recently used (refs[1]) goes
    assert kept.get(refs[1].key) is None and all(kept.get(r.key) is not None for r in (refs[0], refs[2], refs[3]))
    kept.keep(refs[4], reply(500))  # over the budget on its own: kept, alone
    assert kept.get(refs[4].key) is not None and all(kept.get(r.key) is None for r in refs[:4])
