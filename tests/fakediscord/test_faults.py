"""Injected faults and rate limits: 429s discord.py retries, server errors it raises, the global bucket."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest

from tests.fakediscord.harness import running_bot
from tests.fakediscord.server import FakeDiscord
from tests.fakediscord.tinybot import post_raw, text_channel, tiny_bot


async def test_rate_limited_followup_is_retried_and_delivered() -> None:
    """A 429 on the followup makes discord.py wait retry_after and send again; the followup arrives once."""
    async with running_bot(tiny_bot) as (fake, bot):
        fault = fake.fail_next("POST", "/webhooks/{app}/{token}", status=429, retry_after=0.05)
        bot.release.set()
        it = await fake.slash("slow")
        await fake.wait_for_response(it)  # the deferral
        followup = await fake.wait_for_response(it)
        assert followup.content == "done at last"
        assert [r.status for r in fake.requests if r.kind == "followup"] == [429, 200]
        assert fault.hits[0].raw_response and fault.remaining == 0


async def test_rate_limited_channel_post_is_retried_and_delivered() -> None:
    """A 429 on a channel post is retried by discord.py and the message is posted exactly once."""
    async with running_bot(tiny_bot) as (fake, _bot):
        fake.fail_next("POST", "/channels/{id}/messages", times=2, retry_after=0.02)
        it = await fake.slash("shout", {"text": "hello room"})
        await fake.wait_for_response(it)
        done = await fake.wait_for_response(it)
        assert done.text.startswith("posted ")
        assert [r.status for r in fake.requests if r.kind == "channel_message"] == [429, 429, 200]
        assert [m["content"] for m in fake.messages_in("general")] == ["hello room"]


async def test_server_error_surfaces_as_discord_server_error() -> None:
    """A 503 on a channel post reaches the command as discord.DiscordServerError, without retries."""
    async with running_bot(tiny_bot) as (fake, bot):
        fake.fail_next("POST", "/channels/{id}/messages", status=503)
        it = await fake.slash("shout", {"text": "x"})
        error = await asyncio.wait_for(bot.outcomes.get(), 5)
        assert isinstance(error, discord.DiscordServerError) and error.status == 503
        assert (await fake.wait_for_response(it)).callback_type == 5


async def test_global_rate_limit_answers_429_and_discord_py_recovers() -> None:
    """Past the global bucket the fake answers 429 with X-RateLimit headers; discord.py waits and succeeds."""
    fake = FakeDiscord(rate_limit_per_second=5, rate_limit_window=0.1)
    async with running_bot(tiny_bot, fake=fake, check_violations=False) as (fake, bot):
        channel = text_channel(bot, fake, "general")
        sent = await asyncio.gather(*(channel.send(f"m{i}") for i in range(12)))
        assert sorted(m.content for m in sent) == sorted(f"m{i}" for i in range(12))
        limited = [r for r in fake.requests if r.status == 429]
        assert limited and all(r.response["global"] is True for r in limited)
        assert {v.kind for v in fake.violations} == {"global_rate_limit"}
        assert len(fake.messages_in("general")) == 12


async def test_global_rate_limit_headers() -> None:
    """The global 429 carries Via, Retry-After, X-RateLimit-Global and a JSON retry_after."""
    async with FakeDiscord(rate_limit_per_second=2, rate_limit_window=60) as fake:
        path = f"/channels/{fake.channel('general').id}/messages"
        async with aiohttp.ClientSession() as http:
            statuses = []
            for _ in range(3):
                async with http.post(fake.api_base + path, json={"content": "x"}) as response:
                    statuses.append(response.status)
                    headers, body = response.headers, await response.json()
        assert statuses == [200, 200, 429]
        assert headers["Content-Type"] == "application/json" and headers["Via"]
        assert headers["X-RateLimit-Global"] == "true" and headers["X-RateLimit-Scope"] == "global"
        assert 0 < body["retry_after"] <= 60 and body["global"] is True
        fake.take_violations()


async def test_invalid_requests_get_the_bot_banned_for_an_hour() -> None:
    """Too many 401/403/429 answers in 10 minutes and every request gets Cloudflare's 429, until the ban ends."""
    async with FakeDiscord(token="real-token", invalid_request_limit=3) as fake:
        me = "/users/@me"
        assert [(await post_raw(fake, me, method="GET", token="wrong"))[0] for _ in range(3)] == [401, 401, 401]
        assert [v.kind for v in fake.take_violations()] == ["invalid_request_ban"]
        status, body = await post_raw(fake, me, method="GET", token="real-token")
        assert status == 429 and body is None and "Via" not in fake.requests[-1].response_headers
        fake.advance(3600)
        assert (await post_raw(fake, me, method="GET", token="real-token"))[0] == 200


async def test_invalid_requests_spread_over_more_than_ten_minutes_are_no_ban() -> None:
    """The ban counts only the invalid requests of the last 10 minutes on the fake's clock."""
    async with FakeDiscord(token="real-token", invalid_request_limit=3) as fake:
        for _ in range(3):
            assert (await post_raw(fake, "/users/@me", method="GET", token="wrong"))[0] == 401
            fake.advance(301)
        assert (await post_raw(fake, "/users/@me", method="GET", token="real-token"))[0] == 200
        assert fake.violations == []


async def test_banned_bot_gets_an_error_at_once_from_discord_py() -> None:
    """discord.py does not retry Cloudflare's 429 (no Via header): the send fails with HTTPException 429."""
    fake = FakeDiscord(invalid_request_limit=2)
    async with running_bot(tiny_bot, fake=fake, check_violations=False) as (fake, bot):
        channel = text_channel(bot, fake, "general")
        fake.fail_next(
            "POST", "/channels/{id}/messages", status=403, code=50013, message="Missing Permissions", times=2
        )
        for _ in range(2):
            with pytest.raises(discord.Forbidden):
                await channel.send("x")
        with pytest.raises(discord.HTTPException) as banned:
            await asyncio.wait_for(channel.send("after the ban"), 5)
        assert banned.value.status == 429
        assert [v.kind for v in fake.take_violations()] == ["invalid_request_ban"]
        assert fake.messages_in("general") == []
