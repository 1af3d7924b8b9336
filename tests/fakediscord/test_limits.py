"""Discord's documented limits: a body over one is refused as Discord refuses it and recorded; one at the limit passes."""

from __future__ import annotations

import asyncio

import pytest

from tests.fakediscord.harness import running_bot
from tests.fakediscord.server import FakeDiscord
from tests.fakediscord.tinybot import TinyBot, answering, post_raw, tiny_bot


async def test_reply_over_the_content_limit_is_a_violation() -> None:
    """A 2,001-character reply gets 400 Invalid Form Body and is recorded; the interaction stays answerable."""
    async with running_bot(tiny_bot, check_violations=False) as (fake, bot):
        it = await fake.slash("long")
        assert await asyncio.wait_for(bot.outcomes.get(), 5) == 50035
        assert (await fake.wait_for_response(it)).content == "shortened"
        assert [v.kind for v in fake.violations] == ["content_length"]
    assert [v.kind for v in fake.violations] == ["content_length"]  # still recorded; the check was skipped


LIMIT_CASES = {
    "content": ({"content": "x" * 2001}, "content_length"),
    "title": ({"embeds": [{"title": "t" * 257}]}, "embed_limit"),
    "description": ({"embeds": [{"description": "d" * 4097}]}, "embed_limit"),
    "fields": ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, "embed_limit"),
    "field name": ({"embeds": [{"fields": [{"name": "n" * 257, "value": "v"}]}]}, "embed_limit"),
    "field value": ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "embed_limit"),
    "footer": ({"embeds": [{"footer": {"text": "f" * 2049}}]}, "embed_limit"),
    "author": ({"embeds": [{"author": {"name": "a" * 257}}]}, "embed_limit"),
    "6000 in all": ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "embed_limit"),
    "11 embeds": ({"embeds": [{"title": "t"}] * 11}, "embed_count"),
    "6 rows": (
        {
            "components": [
                {"type": 1, "components": [{"type": 2, "style": 1, "label": "b", "custom_id": f"b{i}"}]}
                for i in range(6)
            ]
        },
        "components",
    ),
    "empty": ({"content": ""}, "empty_message"),
}


AT_LIMIT = {
    "content": {"content": "x" * 2000},
    "embed": {
        "embeds": [
            {
                "title": "t" * 256,
                "description": "d" * 4096,
                "footer": {"text": "f" * 1390},
                "author": {"name": "a" * 256},
                "fields": [{"name": "n", "value": "v"}] * 1,
            }
        ]
    },
    "25 fields": {"embeds": [{"fields": [{"name": "n" * 10, "value": "v" * 200}] * 25}]},
    "10 embeds": {"embeds": [{"title": "t"}] * 10},
}


@pytest.mark.parametrize("case", list(LIMIT_CASES))
async def test_message_over_a_limit_is_refused_and_recorded(case: str) -> None:
    """Each message limit Discord enforces is answered 400 and recorded as a violation of its kind."""
    body, kind = LIMIT_CASES[case]
    async with FakeDiscord() as fake:
        status, answer = await post_raw(fake, f"/channels/{fake.channel('general').id}/messages", body)
        assert status == 400 and answer["code"] in (50035, 50006)
        assert [v.kind for v in fake.violations] == [kind]
        assert fake.messages == {}


@pytest.mark.parametrize("case", list(AT_LIMIT))
async def test_message_at_the_limits_is_accepted(case: str) -> None:
    """A message exactly at Discord's limits is posted without a violation."""
    async with FakeDiscord() as fake:
        status, answer = await post_raw(fake, f"/channels/{fake.channel('general').id}/messages", AT_LIMIT[case])
        assert status == 200 and fake.violations == []
        assert int(answer["id"]) in fake.messages


async def test_too_many_autocomplete_choices_are_a_violation() -> None:
    """An autocomplete answer with 26 choices, an empty choice name or a 101-character value is refused and recorded."""
    async with running_bot(tiny_bot, check_errors=False) as (fake, _):
        for typed, kind in (("many", "26 choices"), ("empty", "empty name"), ("long", "101-character value")):
            it = await fake.autocomplete("pick", {"item": typed}, focused="item")
            refused = await fake.wait_for(answering(it), include_rejected=True)
            assert refused.status == 400 and refused.error_code == 50035, kind
        violations = fake.take_violations()
        assert [v.kind for v in violations] == ["autocomplete"] * 3
        assert "data.choices.0.value: Must be 100 or fewer in length (got 101)" in str(violations[2])
        assert "Ignoring exception in autocomplete" in fake.bot_errors[0].getMessage()


async def test_invalid_commands_are_refused_at_sync() -> None:
    """Syncing a command with 26 options or an over-long description fails and is recorded."""
    async with running_bot(lambda fake: TinyBot(sync=False), wait_for_sync=False) as (fake, bot):
        bad = [
            {
                "name": "big",
                "description": "x",
                "type": 1,
                "options": [{"name": f"o{i}", "description": "d", "type": 3} for i in range(26)],
            },
            {"name": "wordy", "description": "w" * 101, "type": 1},
            {"name": "Upper", "description": "x", "type": 1},
        ]
        status, answer = await post_raw(fake, f"/applications/{fake.application_id}/commands", bad, "PUT")
        assert status == 400 and answer["code"] == 50035
        kinds = fake.take_violations()
        assert len(kinds) == 3 and {v.kind for v in kinds} == {"command"}
        assert fake.synced_commands == {}

        many = [{"name": f"c{i}", "description": "x", "type": 1} for i in range(101)]
        status, _ = await post_raw(fake, f"/applications/{fake.application_id}/commands", many, "PUT")
        assert status == 400 and "101 slash commands" in str(fake.take_violations())

        synced = await bot.tree.sync()  # what discord.py builds is within limits
        assert {c.name for c in synced} == {c["name"] for c in fake.commands()}
