"""A fake Discord on 127.0.0.1 (REST + gateway) that a real discord.py bot can run against in tests.

Nothing inside discord.py is mocked: the bot's HTTP client and gateway websocket talk to this
aiohttp server, which answers the subset of the API a conference bot uses, records every
request, injects faults on demand and enforces Discord's documented limits.  Breaking a limit
is answered the way Discord answers it (400/404/429 with Discord's error code) *and* recorded
in `FakeDiscord.violations`; the test harness fails any test that leaves violations behind.

The parts, one concern each:
- `models` and `guild`: the guild's users, roles, channels and threads, permissions, ids, the clock;
- `limits`: Discord's documented limits as checks on request bodies;
- `gateway`: HELLO, heartbeats, IDENTIFY/READY, dispatches, RESUME;
- `rest`: the HTTP handler and the start-up routes; `messages`, `responses`, `commands` and
  `channels` own the other routes and their state;
- `faults`: injected faults and rate limits; `actions`: acting as a user; `waiting`: awaiting
  what the bot does; `records`: what the fake recorded.

Time: the 3-second first-response rule, the 15-minute token, the nonce window, channel rename
limits and the invalid-request ban read `now()`, which is `clock()` plus whatever `advance()`
added, so tests never sleep.  The global 50 requests/second bucket runs on real time, because
discord.py sleeps real time on a 429.

Nonces: a channel post with `enforce_nonce` and a nonce this bot used in the last
`nonce_window` seconds (5 minutes: Discord's "past few minutes") gets the earlier message back
and creates nothing.  After the window the same nonce posts a second message, as on Discord, so
a test simulates an outage longer than the window with `advance(seconds)`, or with
`age_nonces(seconds)` to age only the remembered nonces, or `forget_nonces()`.

Protocol notes that cost time (checked on discord.py 2.7.1, see /work/shared/notes/fake-discord.md):
- bodies must carry `Content-Type: application/json` exactly, or discord.py reads them as text;
- callbacks of type 4/5 must return `{"interaction": ..., "resource": {"message": ...}}`;
- a 429 needs a `Via` header and a JSON `retry_after`, or discord.py takes it for a Cloudflare ban.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from aiohttp import web

from tests.fakediscord.actions import Acting
from tests.fakediscord.channels import Channels
from tests.fakediscord.commands import Commands
from tests.fakediscord.errors import error, form_errors
from tests.fakediscord.faults import Fault, Faults, path_pattern
from tests.fakediscord.gateway import Gateway
from tests.fakediscord.guild import Guild
from tests.fakediscord.limits import Problem
from tests.fakediscord.messages import MessageRef, MessageStore
from tests.fakediscord.models import (
    API_PREFIX,
    FLAG_EPHEMERAL,
    ChannelLike,
    FakeChannel,
    FakeClock,
    FakeRole,
    FakeUser,
    Perm,
    RoleLike,
    Snowflakes,
    UserLike,
)
from tests.fakediscord.records import Interaction, Request, Upload, Violation
from tests.fakediscord.responses import Responses
from tests.fakediscord.rest import Rest
from tests.fakediscord.waiting import BotDied, Waiters, Waiting

__all__ = [
    "FLAG_EPHEMERAL",
    "BotDied",
    "FakeChannel",
    "FakeDiscord",
    "FakeRole",
    "FakeUser",
    "Fault",
    "Interaction",
    "Perm",
    "Request",
    "Upload",
    "Violation",
]


class FakeDiscord(Acting, Waiting):
    """A Discord on loopback: REST under `api_base`, the gateway at `gateway_url`.

    The guild is configurable: `roles` maps role names to permission bits (plus `@everyone`),
    `members` maps usernames to role names, `channels` lists text channel names.  Use
    `user()`, `role()`, `channel()` to look them up; `slash()`, `autocomplete()`, `click()`
    to act as a user; `wait_for*()` to await what the bot does.
    """

    def __init__(
        self,
        *,
        guild_name: str = "Test Conference",
        channels: Iterable[str] = ("general", "announcements"),
        roles: dict[str, int] | None = None,
        members: dict[str, Sequence[str]] | None = None,
        everyone_permissions: int = Perm.EVERYONE,
        preferred_locale: str = "en-US",
        bot_name: str = "confbot",
        response_deadline: float = 3.0,
        token_lifetime: float = 15 * 60.0,
        nonce_window: float = 5 * 60.0,
        rate_limit: bool = True,
        rate_limit_per_second: int = 50,
        rate_limit_window: float = 1.0,
        invalid_request_limit: int = 10_000,
        max_global_commands: int = 100,
        max_active_threads: int = 1000,
        max_guild_channels: int = 500,
        max_roles: int = 250,
        heartbeat_interval_ms: int = 41_250,
        token: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.response_deadline = response_deadline
        self.token_lifetime = token_lifetime
        self.nonce_window = nonce_window
        self.rate_limit = rate_limit
        self.rate_limit_per_second = rate_limit_per_second  # requests per `rate_limit_window` seconds
        self.rate_limit_window = rate_limit_window
        self.max_global_commands = max_global_commands
        self.max_active_threads = max_active_threads
        self.max_guild_channels = max_guild_channels
        self.max_roles = max_roles
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.token = token
        self.check_violations = True  # the harness fails the test at teardown when violations remain

        self.clock = FakeClock(clock)
        self.ids = Snowflakes()
        self.guild = Guild(
            self.ids,
            name=guild_name,
            channels=channels,
            roles=roles,
            members=members,
            everyone_permissions=everyone_permissions,
            preferred_locale=preferred_locale,
            bot_name=bot_name,
        )

        # what happened
        self.requests: list[Request] = []
        self.violations: list[Violation] = []
        self.interactions: dict[int, Interaction] = {}
        self.messages: dict[int, dict[str, Any]] = {}  # live messages by id
        self.deleted_messages: dict[int, dict[str, Any]] = {}
        self.synced_commands: dict[int | None, list[dict[str, Any]]] = {}  # None = global
        self.gateway_frames: list[dict[str, Any]] = []  # frames the bot sent, after the fake handled them
        self.identifies = 0
        self.resumes = 0
        self.bot_errors: list[logging.LogRecord] = []  # what the harness captured from discord.py's log
        self._violations_reported = 0
        self.request_waiters = Waiters()
        self.gateway_waiters = Waiters()

        # the parts
        self.faults = Faults(
            rate_limit_per_second=rate_limit_per_second,
            rate_limit_window=rate_limit_window,
            invalid_request_limit=invalid_request_limit,
        )
        self.store = MessageStore(self)
        self.responses = Responses(self)
        self.app_commands = Commands(self)
        self.channel_routes = Channels(self)
        self.gateway = Gateway(self)
        self.rest = Rest(
            self,
            [
                *self.store.routes(),
                *self.responses.routes(),
                *self.app_commands.routes(),
                *self.channel_routes.routes(),
            ],
        )

        self._bot_task: asyncio.Task[Any] | None = None
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    # ---------------------------------------------------------------- lifecycle

    @property
    def started(self) -> bool:
        return self._runner is not None

    @property
    def http_base(self) -> str:
        self._require_started()
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """What `discord.http.Route.BASE` (or the bot's `api_base` setting) must be."""
        return self.http_base + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """What `DiscordWebSocket.DEFAULT_GATEWAY` (or the bot's `gateway_url` setting) must be."""
        self._require_started()
        return f"ws://127.0.0.1:{self.port}/"

    def _require_started(self) -> None:
        if self.port is None:
            raise RuntimeError("the fake Discord is not started: `await fake.start()` or `async with fake`")

    async def start(self) -> FakeDiscord:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self.rest.handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def watch(self, task: asyncio.Task[Any]) -> None:
        """Make every `wait_for*` fail at once (with the bot's exception) if this bot task ends."""
        self._bot_task = task

    # ---------------------------------------------------------------- time

    def now(self) -> float:
        return self.clock.now()

    def advance(self, seconds: float) -> None:
        """Move the fake's clock on: interactions age, tokens expire, nonces are forgotten, rename limits reset."""
        self.clock.advance(seconds)

    def age_nonces(self, seconds: float) -> None:
        """Make the remembered nonces `seconds` older (an outage), leaving interactions and tokens as they are."""
        self.store.age_nonces(seconds)

    def forget_nonces(self) -> None:
        """Forget every nonce, as Discord has after its window: a repeat now posts a second message."""
        self.store.nonces.clear()

    # ---------------------------------------------------------------- the guild

    @property
    def application_id(self) -> int:
        return self.guild.application_id

    @property
    def bot_user(self) -> FakeUser:
        return self.guild.bot_user

    @property
    def owner(self) -> FakeUser:
        return self.guild.owner

    @property
    def guild_id(self) -> int:
        return self.guild.id

    @property
    def guild_name(self) -> str:
        return self.guild.name

    def add_role(self, name: str, permissions: int = 0) -> FakeRole:
        return self.guild.add_role(name, permissions)

    def add_channel(self, name: str, type: int = 0) -> FakeChannel:
        return self.guild.add_channel(name, type)

    def add_member(self, username: str, *, roles: Iterable[RoleLike] = (), global_name: str | None = None) -> FakeUser:
        """Add a guild member (before or after the bot connects; afterwards GUILD_MEMBER_ADD is dispatched)."""
        user = self.guild.add_member(username, roles=roles, global_name=global_name)
        self.gateway.dispatch_soon(
            "GUILD_MEMBER_ADD", {**self.guild.member_dict(user.id), "guild_id": str(self.guild_id)}
        )
        return user

    def add_user(self, username: str, *, global_name: str | None = None) -> FakeUser:
        """A Discord user who is not a member of the guild (DMs to them still open a channel)."""
        return self.guild.add_user(username, global_name=global_name)

    def user(self, who: UserLike) -> FakeUser:
        return self.guild.user(who)

    def role(self, which: RoleLike) -> FakeRole:
        return self.guild.role(which)

    def channel(self, which: ChannelLike) -> FakeChannel:
        """A guild channel or thread by name, id or object."""
        return self.guild.channel(which)

    def threads(self, parent: ChannelLike | None = None) -> list[FakeChannel]:
        """Threads the bot started (in `parent` only, if given), archived ones included."""
        parent_id = None if parent is None else self.channel(parent).id
        return [
            c for c in self.guild.channels.values() if c.is_thread and (parent_id is None or c.parent_id == parent_id)
        ]

    def dm_channel(self, who: UserLike) -> FakeChannel:
        """The DM channel between the bot and this user (created on first use, as Discord does)."""
        return self.guild.dm_channel(who)

    def roles_of(self, who: UserLike) -> list[FakeRole]:
        return self.guild.roles_of(who)

    def permissions_of(self, who: UserLike, roles: Iterable[RoleLike] | None = None) -> int:
        return self.guild.permissions_of(who, roles)

    def close_dms(self, *users: UserLike) -> None:
        """These users closed their DMs: messages to them fail with 403, code 50007."""
        self.guild.closed_dms.update(self.user(u).id for u in users)

    def open_dms(self, *users: UserLike) -> None:
        self.guild.closed_dms.difference_update(self.user(u).id for u in users)

    def known_guild(self, guild_id: str) -> None:
        """For routes: 404 Unknown Guild unless it is the fake's guild."""
        if guild_id != str(self.guild_id):
            raise error(404, 10004, "Unknown Guild")

    def known_channel(self, channel_id: str) -> FakeChannel:
        """For routes: the channel, or 404 Unknown Channel."""
        channel = self.guild.channels.get(int(channel_id)) if channel_id.isdigit() else None
        if channel is None:
            raise error(404, 10003, "Unknown Channel")
        return channel

    # ---------------------------------------------------------------- gateway

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway dispatch (op 0) to the bot; while it is disconnected, keep it for the RESUME replay."""
        await self.gateway.dispatch(event, data)

    async def drop_connection(self, code: int = 4000, *, invalidate: bool = False) -> None:
        """Close the bot's gateway socket (4000: the bot RESUMEs); `invalidate` forgets the session (op 9, re-IDENTIFY)."""
        await self.gateway.drop_connection(code, invalidate=invalidate)

    @property
    def connected(self) -> bool:
        return self.gateway.connected

    # ---------------------------------------------------------------- commands and messages

    def command(self, name: str, *, guild: bool | None = None, type: int = 1) -> dict[str, Any] | None:
        """The synced command called `name` (guild scope first, unless `guild` says which), or None."""
        return self.app_commands.command(name, guild=guild, type=type)

    def commands(self, *, guild: bool = False) -> list[dict[str, Any]]:
        return list(self.synced_commands.get(self.guild_id if guild else None, []))

    def message(self, which: MessageRef) -> dict[str, Any]:
        """The live message a request created or edited (or by id or dict); ValueError if there is none."""
        return self.store.find(which)

    def messages_in(self, channel: ChannelLike, *, responses: bool = False) -> list[dict[str, Any]]:
        """Live messages the bot posted in a channel, oldest first; `responses` adds interaction responses."""
        return self._live_messages(str(self.channel(channel).id), responses)

    def dms_to(self, user: UserLike, *, responses: bool = False) -> list[dict[str, Any]]:
        """Live messages the bot sent this user in DMs, oldest first; `responses` adds interaction responses."""
        return self._live_messages(str(self.dm_channel(user).id), responses)

    def _live_messages(self, channel_id: str, responses: bool) -> list[dict[str, Any]]:
        return [
            m
            for m in self.messages.values()
            if m["channel_id"] == channel_id and (responses or "interaction_metadata" not in m)
        ]

    # ---------------------------------------------------------------- violations

    def violate(self, kind: str, detail: str, request: Request | None) -> None:
        self.violations.append(Violation(kind, detail, request))

    def reject_invalid(self, problems: list[Problem], rec: Request) -> None:
        """Record each problem and answer as Discord does: 400 Invalid Form Body (or 50006, or 413)."""
        if not problems:
            return
        for kind, path, message in problems:
            self.violate(kind, f"{path}: {message}" if path else message, rec)
        if any(p.kind == "empty_message" for p in problems):
            raise error(400, 50006, "Cannot send an empty message")
        if any(p.kind == "file_too_large" for p in problems):
            raise error(413, 40005, "Request entity too large")
        raise error(400, 50035, "Invalid Form Body", form_errors([(p.path, p.message) for p in problems]))

    def take_violations(self) -> list[Violation]:
        """Return the violations recorded so far and forget them (for tests that provoke one on purpose)."""
        taken, self.violations = self.violations, []
        self._violations_reported = 0
        return taken

    def unreported_violations(self) -> list[Violation]:
        return self.violations[self._violations_reported :]

    def mark_violations_reported(self) -> None:
        self._violations_reported = len(self.violations)

    @property
    def invalid_requests(self) -> int:
        """401, 403 and 429 answers: Discord bans a bot for 10,000 of them in 10 minutes."""
        return sum(1 for r in self.requests if r.status in (401, 403, 429))

    # ---------------------------------------------------------------- faults

    def fail_next(
        self,
        method: str,
        path: str,
        *,
        times: int = 1,
        status: int = 429,
        retry_after: float = 0.05,
        code: int | None = None,
        message: str | None = None,
        is_global: bool = False,
    ) -> Fault:
        """Answer the next `times` requests matching `method` ("*" for any) and `path` with `status`.

        `path` is relative to /api/v10, `{name}` matches one segment and `*` anything:
        `fail_next("POST", "/webhooks/{app}/{token}")`.  429s carry `retry_after` (discord.py
        retries them); 500/502/504 are retried by discord.py after real sleeps of 1, 3, 5 s;
        other statuses answer `{"code": code, "message": message}`.
        """
        body = None
        if code is not None or message is not None:
            body = {"code": code or 0, "message": message or f"{status}: injected by the test"}
        return self.faults.inject(
            Fault(method.upper(), path_pattern(path), status, times, retry_after, body, is_global)
        )
