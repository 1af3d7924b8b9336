"""The REST half: one aiohttp handler that records each request, applies faults and limits, and routes it.

Order of business for a request under /api/v10: a banned bot gets Cloudflare's 429; an injected
fault answers next; then a route must exist, the bot token must match (unless it is an
interaction response), the global bucket must have room; then the route's handler answers,
raising `errors.Reply` for an error.  Bodies go out as `Content-Type: application/json` exactly
(aiohttp's `json_response` adds a charset, and discord.py then reads the body as text).
The start-up and look-up routes (`/users/@me`, the application, `/gateway`, the guild) live here;
the other routes come from the parts that own their state.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from tests.fakediscord.errors import Reply, error
from tests.fakediscord.faults import cloudflare_ban_reply, rate_limit_reply
from tests.fakediscord.models import API_PREFIX
from tests.fakediscord.records import Request, Upload, route_regex

if TYPE_CHECKING:
    import re

    from tests.fakediscord.server import FakeDiscord

Handler = Callable[..., Any]
_INVALID = (401, 403, 429)


class Rest:
    """Serves every HTTP request of the fake; the websocket upgrade at `/` goes to the gateway."""

    def __init__(self, fake: FakeDiscord, routes: list[tuple[str, str, Handler]]) -> None:
        self.fake = fake
        self.routes: list[tuple[str, re.Pattern[str], str, Handler]] = [
            (method, route_regex(template), f"{method} {template}", handler)
            for method, template, handler in [*self.lookup_routes(), *routes]
        ]

    def lookup_routes(self) -> list[tuple[str, str, Handler]]:
        return [
            ("GET", "/users/@me", self.get_me),
            ("GET", "/users/{user_id}", self.get_user),
            ("GET", "/oauth2/applications/@me", self.get_app),
            ("GET", "/applications/@me", self.get_app),
            ("GET", "/gateway", self.get_gateway),
            ("GET", "/gateway/bot", self.get_gateway_bot),
            ("GET", "/guilds/{guild_id}", self.get_guild),
            ("GET", "/guilds/{guild_id}/channels", self.get_guild_channels),
            ("GET", "/guilds/{guild_id}/roles", self.get_guild_roles),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member),
        ]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        fake = self.fake
        if request.path == "/" and request.headers.get("Upgrade", "").lower() == "websocket":
            return await fake.gateway.serve(request)
        arrived = time.perf_counter()
        if request.path.startswith("/attachments/"):
            return self._serve_attachment(request)
        if not request.path.startswith(API_PREFIX + "/"):
            return web.Response(status=404, text="not a Discord API path")
        body, files = await read_body(request)
        rec = Request(
            request.method,
            request.path[len(API_PREFIX) :],
            dict(request.query),
            dict(request.headers),
            body,
            files,
            arrived,
        )
        handler = None
        for method, regex, name, fn in self.routes:
            if method == rec.method:
                match = regex.fullmatch(rec.path)
                if match:
                    rec.route, rec.params, handler = name, match.groupdict(), fn
                    break
        headers: dict[str, str] = {}
        try:
            status, payload = await self._answer(rec, handler)
        except Reply as reply:
            status, payload, headers = reply.status, reply.body, reply.headers
        rec.status = status
        rec.response_headers = dict(headers)
        if status in _INVALID and fake.faults.count_invalid(fake.now()):
            fake.violate(
                "invalid_request_ban",
                f"{fake.faults.invalid.limit} invalid requests (401, 403, 429) within "
                f"{fake.faults.invalid.window:g}s: Cloudflare bans the bot",
                rec,
            )
        if status == 204 or payload is None:
            self._record(rec)
            return web.Response(status=status, headers=headers)
        rec.raw_response = json.dumps(payload).encode()
        self._record(rec)
        headers["Content-Type"] = "application/json"  # exactly: discord.py reads anything else as text
        rec.response_headers["Content-Type"] = headers["Content-Type"]
        return web.Response(status=status, body=rec.raw_response, headers=headers)

    async def _answer(self, rec: Request, handler: Handler | None) -> tuple[int, Any]:
        fake = self.fake
        if fake.faults.banned(fake.now()):
            raise cloudflare_ban_reply()
        fault = fake.faults.matching(rec.method, rec.path)
        if fault is not None:
            fault.hits.append(rec)
            rec.fault = fault
            raise fault.reply()
        if handler is None:
            fake.violate(
                "unsupported_route",
                f"the fake has no {rec.method} {rec.path}; extend tests/fakediscord if the bot needs it",
                rec,
            )
            raise error(404, 0, "404: Not Found")
        exempt = rec.path.startswith(("/interactions/", "/webhooks/"))
        if not exempt and fake.token is not None and rec.headers.get("Authorization") != f"Bot {fake.token}":
            raise error(401, 0, "401: Unauthorized")
        if not exempt and fake.rate_limit:
            wait = fake.faults.global_wait()
            if wait is not None:
                fake.violate(
                    "global_rate_limit",
                    f"more than {fake.rate_limit_per_second} requests in one second (interaction responses excepted)",
                    rec,
                )
                raise rate_limit_reply(wait, is_global=True, scope="global", limit=fake.rate_limit_per_second)
        result = handler(rec, **rec.params)
        if asyncio.iscoroutine(result):
            result = await result
        status, payload = result
        return status, payload

    def _record(self, rec: Request) -> None:
        rec.recorded_at = time.perf_counter()
        self.fake.requests.append(rec)
        if rec.interaction is not None and rec.ok:
            rec.interaction.responses.append(rec)
        self.fake.request_waiters.notify(rec)

    def _serve_attachment(self, request: web.Request) -> web.Response:
        parts = request.path.split("/")
        try:
            upload = self.fake.store.attachments[int(parts[2])]
        except (IndexError, ValueError, KeyError):
            return web.Response(status=404)
        return web.Response(body=upload.data, content_type=upload.content_type or "application/octet-stream")

    # ---------------------------------------------------------------- start-up and look-ups

    def get_me(self, rec: Request) -> tuple[int, Any]:
        return 200, {**self.fake.guild.bot_user.to_dict(), "verified": True, "mfa_enabled": False, "email": None}

    def get_app(self, rec: Request) -> tuple[int, Any]:
        return 200, self.fake.guild.app_info()

    def get_gateway(self, rec: Request) -> tuple[int, Any]:
        return 200, {"url": self.fake.gateway_url.rstrip("/")}

    def get_gateway_bot(self, rec: Request) -> tuple[int, Any]:
        return 200, {
            "url": self.fake.gateway_url.rstrip("/"),
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
        }

    def get_user(self, rec: Request, user_id: str) -> tuple[int, Any]:
        user = self.fake.guild.users.get(int(user_id)) if user_id.isdigit() else None
        if user is None:
            raise error(404, 10013, "Unknown User")
        return 200, user.to_dict()

    def get_guild(self, rec: Request, guild_id: str) -> tuple[int, Any]:
        self.fake.known_guild(guild_id)
        data = self.fake.guild.guild_create(0)
        gateway_only = ("members", "channels", "threads", "presences", "voice_states", "joined_at", "large")
        for key in (*gateway_only, "member_count", "unavailable"):
            data.pop(key, None)
        return 200, data

    def get_guild_channels(self, rec: Request, guild_id: str) -> tuple[int, Any]:
        self.fake.known_guild(guild_id)
        return 200, [c.to_dict() for c in self.fake.guild.guild_channels()]

    def get_guild_roles(self, rec: Request, guild_id: str) -> tuple[int, Any]:
        self.fake.known_guild(guild_id)
        return 200, [r.to_dict() for r in self.fake.guild.roles.values()]

    def get_member(self, rec: Request, guild_id: str, user_id: str) -> tuple[int, Any]:
        self.fake.known_guild(guild_id)
        if not user_id.isdigit() or int(user_id) not in self.fake.guild.members:
            raise error(404, 10007, "Unknown Member")
        return 200, self.fake.guild.member_dict(int(user_id))


async def read_body(request: web.Request) -> tuple[Any, list[Upload]]:
    """The JSON body (or `payload_json` of a multipart body) and the files of a multipart body."""
    if not request.body_exists:
        return None, []
    ctype = request.headers.get("Content-Type", "")
    if ctype.startswith("multipart/"):
        payload: Any = None
        files: list[Upload] = []
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):  # discord.py sends no nested multiparts
                continue
            if part.name == "payload_json":
                payload = json.loads(await part.text())
            else:
                data = await part.read(decode=False)
                content_type = part.headers.get("Content-Type")
                files.append(Upload(part.name or "", part.filename or "", content_type, bytes(data)))
        return payload, files
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode("utf-8", "replace"), []
