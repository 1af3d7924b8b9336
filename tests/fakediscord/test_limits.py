"""Discord's documented limits: a body over one is refused as Discord refuses it and recorded; one at the limit passes."""

from __future__ import annotations

import asyncio
from typing import Any

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


def rows(*buttons_per_row: list[dict[str, Any]]) -> dict[str, Any]:
    """A message body of action rows holding these components."""
    return {"components": [{"type": 1, "components": row} for row in buttons_per_row]}


def button(custom_id: str | None = "b", *, label: str = "b", style: int = 1, url: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": 2, "style": style, "label": label}
    if custom_id is not None:
        out["custom_id"] = custom_id
    if url is not None:
        out["url"] = url
    return out


def select(options: int = 3, **fields: Any) -> dict[str, Any]:
    """A string select with `options` options; `fields` override its own fields or, as option_*, its options'."""
    option = {"label": "l", "value": "v", **{k[7:]: v for k, v in fields.items() if k.startswith("option_")}}
    choices = [{**option, "value": f"{option['value'][:-3]}{i:03d}"} for i in range(options)]
    own = {k: v for k, v in fields.items() if not k.startswith("option_")}
    return {"type": 3, "custom_id": "pick", "options": choices, **own}


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
    "nonce of 26": ({"content": "x", "nonce": "n" * 26}, "nonce"),
    "101 mentioned users": (
        {"content": "x", "allowed_mentions": {"parse": [], "users": [str(10**17 + i) for i in range(101)]}},
        "allowed_mentions",
    ),
    "6 buttons in a row": (rows([button(f"b{i}") for i in range(6)]), "components"),
    "custom_id of 101": (rows([button("c" * 101)]), "components"),
    "empty custom_id": (rows([button("")]), "components"),
    "repeated custom_id": (rows([button("same"), button("same")]), "components"),
    "button without custom_id": (rows([button(None)]), "components"),
    "link button with custom_id": (rows([button("c", style=5, url="https://example.org")]), "components"),
    "button label of 81": (rows([button(label="l" * 81)]), "components"),
    "select option value of 101": (rows([select(1, option_value="v" * 101)]), "components"),
    "select option description of 101": (rows([select(1, option_description="d" * 101)]), "components"),
    "select of 26 options": (rows([select(26)]), "components"),
    "select max_values of 26": (rows([select(25, max_values=26)]), "components"),
    "select beside a button": (rows([select(), button()]), "components"),
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
    "embed padded with whitespace": {"embeds": [{"description": "  " + "d" * 4096 + "\n"}, {"title": "t" * 256}]},
    "nonce of 25": {"content": "x", "nonce": "n" * 25},
    "100 mentioned users": {"content": "x", "allowed_mentions": {"users": [str(10**17 + i) for i in range(100)]}},
    "5 rows of 5 buttons": rows(*[[button(f"b{r}{i}", label="l" * 80) for i in range(5)] for r in range(5)]),
    "link button": rows([button(None, style=5, url="https://example.org/" + "p" * 492)]),
    "select at its limits": rows(
        [
            select(
                25,
                custom_id="c" * 100,
                placeholder="p" * 150,
                min_values=0,
                max_values=25,
                option_label="l" * 100,
                option_value="v" * 100,
                option_description="d" * 100,
            )
        ]
    ),
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


def sized_command(size: int) -> dict[str, Any]:
    """A valid slash command with exactly `size` characters of names, descriptions and choice values."""
    options: list[dict[str, Any]] = []
    command = {"name": "big", "description": "d" * 97, "type": 1, "options": options}
    left = size - 100
    while left > 0:
        choices: list[dict[str, Any]] = []
        options.append({"name": f"o{len(options):02d}", "description": "d" * 97, "type": 3, "choices": choices})
        left -= 100
        while left > 0 and len(choices) < 25:
            take = min(103, left)
            assert take > 3, "no room for a choice: pick another size"
            choices.append({"name": f"c{len(choices):02d}", "value": "v" * (take - 3)})
            left -= take
    assert left == 0, f"no command of exactly {size} characters this way: pick another size"
    return command


async def put_commands(fake: FakeDiscord, commands: list[dict[str, Any]]) -> int:
    status, _ = await post_raw(fake, f"/applications/{fake.application_id}/commands", commands, "PUT")
    return status


async def test_command_of_8000_characters_is_accepted_and_one_more_refused() -> None:
    """A command may hold 8,000 characters of names, descriptions and values; the longest localization counts."""
    async with FakeDiscord() as fake:
        assert await put_commands(fake, [sized_command(8000)]) == 200 and fake.violations == []
        assert await put_commands(fake, [sized_command(8001)]) == 400
        assert "has 8001 characters in all; Discord allows 8000" in str(fake.take_violations())

        localized = sized_command(8000)
        localized["description_localizations"] = {"de": "d" * 98}  # one longer than the description
        assert await put_commands(fake, [localized]) == 400
        assert [v.kind for v in fake.take_violations()] == ["command"]


async def test_fifteen_context_menus_of_each_kind_are_accepted_sixteen_refused() -> None:
    """Discord allows 15 user and 15 message context menu commands per scope."""
    async with FakeDiscord() as fake:
        menus = [{"name": f"{kind} {i}", "type": kind, "description": ""} for kind in (2, 3) for i in range(15)]
        assert await put_commands(fake, menus) == 200 and fake.violations == []
        assert await put_commands(fake, [*menus, {"name": "one more", "type": 3, "description": ""}]) == 400
        assert "16 message context menu commands; Discord allows 15" in str(fake.take_violations())


async def test_string_option_lengths_are_bounded_at_6000() -> None:
    """A string option's max_length may be 1 to 6,000 and its min_length 0 to 6,000."""
    async with FakeDiscord() as fake:

        def command(**lengths: int) -> list[dict[str, Any]]:
            option = {"name": "text", "description": "d", "type": 3, **lengths}
            return [{"name": "say", "description": "d", "type": 1, "options": [option]}]

        assert await put_commands(fake, command(min_length=0, max_length=6000)) == 200
        assert await put_commands(fake, command(max_length=6001)) == 400
        assert await put_commands(fake, command(max_length=0)) == 400
        assert await put_commands(fake, command(min_length=6001)) == 400
        assert [v.kind for v in fake.take_violations()] == ["command"] * 3


MODAL_CASES: dict[str, tuple[dict[str, Any], str]] = {
    "title of 46": ({"title": "t" * 46}, "data.title"),
    "input label of 46": ({"label": "l" * 46}, "label must be 45"),
    "input placeholder of 101": ({"placeholder": "p" * 101}, "placeholder must be 100"),
    "input max_length of 4001": ({"max_length": 4001}, "max_length 1 to 4000"),
    "input custom_id of 101": ({"custom_id": "c" * 101}, "must be 1 to 100 characters"),
}


@pytest.mark.parametrize("case", list(MODAL_CASES))
async def test_modal_over_its_limits_is_refused(case: str) -> None:
    """A modal whose title or text input breaks Discord's limits is refused (50035) and recorded; the interaction stays open."""
    change, expected = MODAL_CASES[case]
    text_input = {"type": 4, "custom_id": "comment", "style": 1, "label": "Comment"}
    text_input.update({k: v for k, v in change.items() if k != "title"})
    modal = {"title": change.get("title", "Feedback"), "custom_id": "feedback", "components": []}
    modal["components"] = [{"type": 1, "components": [text_input]}]
    async with running_bot(tiny_bot) as (fake, bot):
        it = await fake.slash("late")  # the bot waits without answering
        await asyncio.wait_for(bot.started.wait(), 5)
        path = f"/interactions/{it.id}/{it.token}/callback?with_response=true"
        status, answer = await post_raw(fake, path, {"type": 9, "data": modal})
        assert status == 400 and answer["code"] == 50035
        violations = fake.take_violations()
        assert [v.kind for v in violations] == ["modal"] and expected in str(violations[0])
        bot.release.set()
        assert (await fake.wait_for_response(it)).content == "finally"
