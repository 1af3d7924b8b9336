"""A fake Discord on 127.0.0.1 (REST + gateway) that a real discord.py bot can run against in tests.

Nothing inside discord.py is mocked: the bot's HTTP client and gateway websocket talk to this
aiohttp server, which answers the subset of the API a slash-command bot uses, records every
request, injects faults on demand and enforces Discord's documented limits.  Breaking a limit
is answered the way Discord answers it (400/404 with Discord's error code) *and* recorded in
`FakeDiscord.violations`; the test harness fails any test that leaves violations behind.

Protocol notes that cost time (checked on discord.py 2.7.1, see /work/shared/notes/fake-discord.md):
- bodies must carry `Content-Type: application/json` exactly, or discord.py reads them as text;
- callbacks of type 4/5 must return `{"interaction": ..., "resource": {"message": ...}}`;
- a 429 needs a `Via` header and a JSON `retry_after`, or discord.py takes it for a Cloudflare ban.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Union

from aiohttp import WSMsgType, web

__all__ = [
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

API_PREFIX = "/api/v10"
DISCORD_EPOCH_MS = 1_420_070_400_000
# Fixed ids for the configured guild, its roles, channels and members: readable and stable across runs.
_FIXED_BASE_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

# Message flags and component types the fake has to understand.
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12
FLAG_COMPONENTS_V2 = 1 << 15
_SENDABLE_FLAGS = FLAG_EPHEMERAL | FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_COMPONENTS_V2
_SELECT_TYPES = {3, 5, 6, 7, 8}

# Interaction and callback types.
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
_ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}

# Gateway intents the fake honours.
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8

_COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")


class Perm:
    """Permission bits, as Discord numbers them."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_EVENTS = 1 << 33
    SEND_MESSAGES_IN_THREADS = 1 << 38
    MODERATE_MEMBERS = 1 << 40
    ALL = (1 << 51) - 1

    EVERYONE = (
        CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_EXTERNAL_EMOJIS
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS
        | SEND_MESSAGES_IN_THREADS
    )
    ORGANIZER = MANAGE_GUILD | MANAGE_MESSAGES | MANAGE_EVENTS | MANAGE_ROLES | MENTION_EVERYONE | MODERATE_MEMBERS
    BOT = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY | USE_EXTERNAL_EMOJIS


def _iso(dt: datetime | None = None) -> str:
    return (dt or datetime.now(UTC)).isoformat()


def _snowflake_time(snowflake: int) -> datetime:
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, UTC)


class _Snowflakes:
    """Unique, time-ordered snowflakes; a chosen creation time can be encoded (interaction timestamps)."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def next(self, at: datetime | None = None) -> int:
        ms = int(at.timestamp() * 1000) if at is not None else int(time.time() * 1000)
        return ((ms - DISCORD_EPOCH_MS) << 22) | (next(self._counter) & 0x3FFFFF)


def _fixed_id(n: int) -> int:
    return ((_FIXED_BASE_MS - DISCORD_EPOCH_MS) << 22) | n


# --------------------------------------------------------------------------------------------
# The guild's people and places
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class FakeUser:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass(eq=False)
class FakeRole:
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    bot_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": False,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass(eq=False)
class FakeChannel:
    id: int
    name: str
    type: int = 0  # 0 text, 1 DM, 2 voice, 4 category, 5 announcement
    position: int = 0
    guild_id: int | None = None
    recipient: FakeUser | None = None  # DMs only

    @property
    def is_dm(self) -> bool:
        return self.type == 1

    def to_dict(self) -> dict[str, Any]:
        if self.is_dm:
            assert self.recipient is not None
            return {
                "id": str(self.id),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self.recipient.to_dict()],
            }
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "parent_id": None,
            "nsfw": False,
            "flags": 0,
            "guild_id": str(self.guild_id),
        }
        if self.type in (0, 5):
            data.update(topic=None, last_message_id=None, rate_limit_per_user=0)
        elif self.type == 2:
            data.update(bitrate=64000, user_limit=0, rtc_region=None)
        return data


# --------------------------------------------------------------------------------------------
# What the fake records
# --------------------------------------------------------------------------------------------


@dataclass
class Upload:
    """One file sent as `files[n]` in a multipart request."""

    field: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class Violation:
    """A Discord limit the bot broke (or a protocol rule: late, double or missing response)."""

    kind: str
    detail: str
    request: Request | None = None

    def __str__(self) -> str:
        where = f" ({self.request.method} {self.request.path})" if self.request is not None else ""
        return f"{self.kind}: {self.detail}{where}"


@dataclass(eq=False)
class Request:
    """One REST request the bot made, with what the fake answered."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None  # the JSON body, or `payload_json` of a multipart body
    files: list[Upload] = field(default_factory=list)
    at: float = 0.0  # time.perf_counter() on arrival
    recorded_at: float = 0.0  # time.perf_counter() once handled and recorded
    route: str = ""  # e.g. "POST /channels/{channel_id}/messages"; "" if the fake has no such route
    params: dict[str, str] = field(default_factory=dict)
    status: int = 0
    raw_response: bytes | None = None  # the body the fake answered, as sent
    interaction: Interaction | None = None
    message_id: int | None = None  # the message this request created, edited or deleted
    fault: Fault | None = None  # set when an injected fault answered
    deduplicated: bool = False  # a nonce repeat answered with the earlier message

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def response(self) -> Any:
        """The JSON the fake answered, as it was then (later edits to a message do not show here)."""
        return None if not self.raw_response else json.loads(self.raw_response)

    @property
    def kind(self) -> str:
        return _ROUTE_KINDS.get(self.route, "other")

    @property
    def callback_type(self) -> int | None:
        """The interaction response type (4 message, 5 defer, 6 deferred update, 7 update, 8 choices, 9 modal)."""
        if self.kind == "callback" and isinstance(self.json, dict):
            return self.json.get("type")
        return None

    @property
    def payload(self) -> dict[str, Any]:
        """The message-shaped part of the body: `data` of a callback, else the body itself."""
        body = self.json if isinstance(self.json, dict) else {}
        if self.kind == "callback":
            return body.get("data") or {}
        return body

    @property
    def content(self) -> str | None:
        return self.payload.get("content")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.payload.get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.payload.get("components") or []

    @property
    def flags(self) -> int:
        return int(self.payload.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def choices(self) -> list[dict[str, Any]]:
        return self.payload.get("choices") or []

    @property
    def error_code(self) -> int | None:
        return self.response.get("code") if isinstance(self.response, dict) and not self.ok else None

    def __repr__(self) -> str:
        return f"<Request {self.method} {self.path} -> {self.status}>"


@dataclass(eq=False)
class Interaction:
    """An interaction the fake dispatched, and every accepted request answering it."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    channel_id: int
    user_id: int
    created_at: float  # on the fake's clock, for the 3-second rule and the 15-minute token
    sent_at: float = 0.0  # time.perf_counter() just before the frame was sent
    seq: int = 0  # the gateway sequence number of its INTERACTION_CREATE
    responses: list[Request] = field(default_factory=list)
    initial_response: Request | None = None
    original_message_id: int | None = None
    message_ids: set[int] = field(default_factory=set)
    modal: dict[str, Any] | None = None
    _cursor: int = 0
    _followup_replaces_loading: bool = False

    @property
    def data(self) -> dict[str, Any]:
        return self.payload.get("data") or {}

    @property
    def name(self) -> str | None:
        return self.data.get("name")

    @property
    def custom_id(self) -> str | None:
        return self.data.get("custom_id")

    def __repr__(self) -> str:
        return f"<Interaction id={self.id} type={self.type} name={self.name or self.custom_id!r}>"


@dataclass(eq=False)
class Fault:
    """Answer the next `times` requests matching method and path with `status` instead of serving them."""

    method: str
    pattern: re.Pattern[str]
    status: int
    times: int
    retry_after: float
    body: dict[str, Any] | None
    is_global: bool = False
    hits: list[Request] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.times - len(self.hits)

    def matches(self, method: str, path: str) -> bool:
        return self.remaining > 0 and self.method in ("*", method) and self.pattern.fullmatch(path) is not None


class BotDied(RuntimeError):
    """The bot task ended while a test waited on the fake; the bot's own exception is the cause."""


class _Reply(Exception):
    """Raised by a route handler to answer with an error status."""

    def __init__(self, status: int, body: dict[str, Any] | None, headers: dict[str, str] | None = None):
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers or {}


def _error(status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> _Reply:
    body: dict[str, Any] = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return _Reply(status, body)


def _form_errors(problems: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Discord's nested `errors` object for 50035 Invalid Form Body (discord.py flattens it back)."""
    tree: dict[str, Any] = {}
    for path, message in problems:
        node = tree
        for part in [p for p in path.split(".") if p] or ["_root"]:
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": "BASE_TYPE_INVALID", "message": message})
    return tree


def _path_pattern(pattern: str) -> re.Pattern[str]:
    """`/channels/{id}/messages`, `/webhooks/*` or a literal path, matched against the path after /api/v10."""
    if pattern.startswith(API_PREFIX):
        pattern = pattern[len(API_PREFIX) :]
    out = []
    for token in re.split(r"(\{[^}/]+\}|\*)", pattern):
        if token == "*":
            out.append(".*")
        elif token.startswith("{") and token.endswith("}"):
            out.append("[^/]+")
        else:
            out.append(re.escape(token))
    return re.compile("".join(out))


# route template -> short kind name, for Request.kind
_ROUTE_KINDS = {
    "POST /interactions/{interaction_id}/{token}/callback": "callback",
    "POST /webhooks/{application_id}/{token}": "followup",
    "GET /webhooks/{application_id}/{token}/messages/{message_id}": "get_response",
    "PATCH /webhooks/{application_id}/{token}/messages/{message_id}": "edit_response",
    "DELETE /webhooks/{application_id}/{token}/messages/{message_id}": "delete_response",
    "POST /channels/{channel_id}/messages": "channel_message",
    "GET /channels/{channel_id}/messages/{message_id}": "get_message",
    "PATCH /channels/{channel_id}/messages/{message_id}": "edit_message",
    "DELETE /channels/{channel_id}/messages/{message_id}": "delete_message",
    "POST /users/@me/channels": "open_dm",
    "PUT /applications/{application_id}/commands": "sync_global",
    "PUT /applications/{application_id}/guilds/{guild_id}/commands": "sync_guild",
}


# --------------------------------------------------------------------------------------------
# The gateway side
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Session:
    id: str
    intents: int
    seq: int = 0
    frames: list[dict[str, Any]] = field(default_factory=list)  # dispatches, for replay on RESUME
    conn: _Connection | None = None


@dataclass(eq=False)
class _Connection:
    ws: web.WebSocketResponse
    session: _Session | None = None
    ready: bool = False  # identified or resumed: dispatches go straight out


class _Waiters:
    """Futures waiting for a recorded item that matches a predicate."""

    def __init__(self) -> None:
        self._pending: list[tuple[Callable[[Any], bool], asyncio.Future[Any]]] = []

    def add(self, predicate: Callable[[Any], bool]) -> asyncio.Future[Any]:
        fut = asyncio.get_running_loop().create_future()
        self._pending.append((predicate, fut))
        return fut

    def discard(self, fut: asyncio.Future[Any]) -> None:
        self._pending = [(p, f) for p, f in self._pending if f is not fut]

    def notify(self, item: Any) -> None:
        if not self._pending:
            return
        keep = []
        for predicate, fut in self._pending:
            if fut.done():
                continue
            try:
                matched = predicate(item)
            except Exception as exc:  # a broken predicate is the test's bug: show it to the test
                fut.set_exception(exc)
                continue
            if matched:
                fut.set_result(item)
            else:
                keep.append((predicate, fut))
        self._pending = keep


UserLike = Union[FakeUser, str, int]
ChannelLike = Union[FakeChannel, str, int]
RoleLike = Union[FakeRole, str, int]


class FakeDiscord:
    """A Discord on loopback: REST under `api_base`, the gateway at `gateway_url`.

    The guild is configurable: `roles` maps role names to permission bits (plus `@everyone`),
    `members` maps usernames to role names, `channels` lists text channel names.  Use
    `user()`, `role()`, `channel()` to look them up; `slash()`, `autocomplete()`, `click()`
    to act as a user; `wait_for*()` to await what the bot does.

    Time: the 3-second first-response rule, the 15-minute token and the nonce window are read
    from `now()`, which is `clock()` plus whatever `advance()` added, so tests never sleep.
    The global 50 requests/second bucket runs on real time.
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
        max_global_commands: int = 100,
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
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.token = token
        self.check_violations = True  # the harness fails the test at teardown when violations remain
        self._clock = clock
        self._offset = 0.0
        self._ids = _Snowflakes()
        self._fixed = itertools.count(1)

        self.application_id = _fixed_id(next(self._fixed))
        self.bot_user = FakeUser(self.application_id, bot_name, bot_name, bot=True)
        self.owner = FakeUser(_fixed_id(next(self._fixed)), "owner", "Conference Owner")
        self.guild_id = _fixed_id(next(self._fixed))
        self.guild_name = guild_name
        self.preferred_locale = preferred_locale

        self._users: dict[int, FakeUser] = {}
        self._roles: dict[int, FakeRole] = {}
        self._channels: dict[int, FakeChannel] = {}
        self._members: dict[int, list[int]] = {}  # user id -> role ids
        self._dm_by_user: dict[int, int] = {}

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
        self.bot_errors: list[Any] = []  # log records the harness captured from discord.py
        self._violations_reported = 0

        self._by_token: dict[str, Interaction] = {}
        self._command_ids: dict[tuple[int | None, int, str], int] = {}
        self._nonces: dict[tuple[int, str], tuple[float, int]] = {}
        self._attachments: dict[int, Upload] = {}
        self._closed_dms: set[int] = set()
        self._faults: list[Fault] = []
        self._window: list[float] = []  # arrival times in the last second, for the global bucket
        self._window_start = 0
        self._request_waiters = _Waiters()
        self._gateway_waiters = _Waiters()
        self._session: _Session | None = None
        self._connections: set[_Connection] = set()
        self._bot_task: asyncio.Task[Any] | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self._routes = self._build_routes()

        self._roles[self.guild_id] = FakeRole(self.guild_id, "@everyone", everyone_permissions, 0)
        for name, perms in ({"Organizer": Perm.ORGANIZER} if roles is None else roles).items():
            self.add_role(name, perms)
        bot_role = self.add_role(bot_name, Perm.BOT)
        bot_role.managed, bot_role.bot_id = True, self.bot_user.id
        self._users[self.bot_user.id] = self.bot_user
        self._members[self.bot_user.id] = [bot_role.id]
        self._users[self.owner.id] = self.owner
        self._members[self.owner.id] = []
        for name in channels:
            self.add_channel(name)
        default_members = {"alice": (), "bob": (), "olivia": ("Organizer",)}
        for username, role_names in (default_members if members is None else members).items():
            self.add_member(username, roles=role_names)

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
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        for conn in list(self._connections):
            await conn.ws.close(code=1001, message=b"fake Discord shutting down")
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
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock on: interactions age, tokens expire, nonces are forgotten."""
        self._offset += seconds

    # ---------------------------------------------------------------- guild set-up and look-ups

    def add_role(self, name: str, permissions: int = 0) -> FakeRole:
        role = FakeRole(_fixed_id(next(self._fixed)), name, permissions, position=len(self._roles))
        self._roles[role.id] = role
        return role

    def add_channel(self, name: str, type: int = 0) -> FakeChannel:
        channel = FakeChannel(_fixed_id(next(self._fixed)), name, type, len(self._channels), self.guild_id)
        self._channels[channel.id] = channel
        return channel

    def add_member(self, username: str, *, roles: Iterable[RoleLike] = (), global_name: str | None = None) -> FakeUser:
        """Add a guild member (before or after the bot connects; afterwards GUILD_MEMBER_ADD is dispatched)."""
        user = FakeUser(_fixed_id(next(self._fixed)), username, global_name or username.title())
        self._users[user.id] = user
        self._members[user.id] = [self.role(r).id for r in roles]
        if self._session is not None:
            task = asyncio.get_running_loop().create_task(
                self.dispatch("GUILD_MEMBER_ADD", {**self._member_dict(user.id), "guild_id": str(self.guild_id)})
            )
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        return user

    def add_user(self, username: str, *, global_name: str | None = None) -> FakeUser:
        """A Discord user who is not a member of the guild (DMs to them still open a channel)."""
        user = FakeUser(_fixed_id(next(self._fixed)), username, global_name or username.title())
        self._users[user.id] = user
        return user

    def user(self, who: UserLike) -> FakeUser:
        if isinstance(who, FakeUser):
            return who
        if isinstance(who, int):
            if who in self._users:
                return self._users[who]
        else:
            for user in self._users.values():
                if user.username == who:
                    return user
        raise KeyError(f"no user {who!r} in the fake guild; known: {sorted(u.username for u in self._users.values())}")

    def role(self, which: RoleLike) -> FakeRole:
        if isinstance(which, FakeRole):
            return which
        for role in self._roles.values():
            if role.id == which or role.name == which:
                return role
        raise KeyError(f"no role {which!r}; known: {sorted(r.name for r in self._roles.values())}")

    def channel(self, which: ChannelLike) -> FakeChannel:
        if isinstance(which, FakeChannel):
            return which
        for channel in self._channels.values():
            if channel.id == which or (channel.name == which and not channel.is_dm):
                return channel
        raise KeyError(f"no channel {which!r}; known: {sorted(c.name for c in self._channels.values() if not c.is_dm)}")

    def dm_channel(self, who: UserLike) -> FakeChannel:
        """The DM channel between the bot and this user (created on first use, as Discord does)."""
        user = self.user(who)
        if user.id not in self._dm_by_user:
            channel = FakeChannel(self._ids.next(), f"dm-{user.username}", 1, recipient=user)
            self._channels[channel.id] = channel
            self._dm_by_user[user.id] = channel.id
        return self._channels[self._dm_by_user[user.id]]

    def roles_of(self, who: UserLike) -> list[FakeRole]:
        return [self._roles[r] for r in self._members.get(self.user(who).id, [])]

    def permissions_of(self, who: UserLike, roles: Iterable[RoleLike] | None = None) -> int:
        user = self.user(who)
        if user.id == self.owner.id:
            return Perm.ALL
        role_ids = [self.role(r).id for r in roles] if roles is not None else self._members.get(user.id, [])
        perms = self._roles[self.guild_id].permissions
        for role_id in role_ids:
            perms |= self._roles[role_id].permissions
        return Perm.ALL if perms & Perm.ADMINISTRATOR else perms

    def close_dms(self, *users: UserLike) -> None:
        """These users closed their DMs: messages to them fail with 403, code 50007."""
        self._closed_dms.update(self.user(u).id for u in users)

    def open_dms(self, *users: UserLike) -> None:
        self._closed_dms.difference_update(self.user(u).id for u in users)

    # ---------------------------------------------------------------- payload builders

    def _member_dict(
        self, user_id: int, roles: Iterable[int] | None = None, *, with_user: bool = True
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(r) for r in (self._members.get(user_id, []) if roles is None else roles)],
            "nick": None,
            "avatar": None,
            "joined_at": _iso(datetime(2024, 1, 1, tzinfo=UTC)),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self._users[user_id].to_dict()
        return data

    def _guild_create(self, intents: int) -> dict[str, Any]:
        # Discord sends only the bot (and voice users) without the presences intent.
        if intents & INTENT_GUILD_PRESENCES:
            member_ids = list(self._members)
        else:
            member_ids = [self.bot_user.id]
        return {
            "id": str(self.guild_id),
            "name": self.guild_name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner.id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": [r.to_dict() for r in self._roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.preferred_locale,
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": _iso(datetime(2024, 1, 1, tzinfo=UTC)),
            "large": False,
            "unavailable": False,
            "member_count": len(self._members),
            "voice_states": [],
            "members": [self._member_dict(uid) for uid in member_ids],
            "channels": [c.to_dict() for c in self._channels.values() if not c.is_dm],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def _app_info(self) -> dict[str, Any]:
        return {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "description": "confbot under test",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.owner.to_dict(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "summary": "",
            "rpc_origins": [],
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "bot": self.bot_user.to_dict(),
        }

    # ---------------------------------------------------------------- gateway

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = _Connection(ws)
        self._connections.add(conn)
        try:
            await self._send(
                conn, {"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None}
            )
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    frame = json.loads(msg.data)
                    await self._on_frame(conn, frame)
                    self.gateway_frames.append(frame)
                    self._gateway_waiters.notify(frame)
                elif msg.type is WSMsgType.ERROR:
                    break
        finally:
            self._connections.discard(conn)
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
        return ws

    async def _send(self, conn: _Connection, frame: dict[str, Any]) -> None:
        if not conn.ws.closed:
            await conn.ws.send_str(json.dumps(frame))

    async def _on_frame(self, conn: _Connection, frame: dict[str, Any]) -> None:
        op, d = frame.get("op"), frame.get("d")
        if op == 1:  # heartbeat
            await self._send(conn, {"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:  # identify
            if self.token is not None and d.get("token") != self.token:
                await conn.ws.close(code=4004, message=b"Authentication failed.")
                return
            self.identifies += 1
            session = _Session(secrets.token_hex(16), int(d.get("intents") or 0))
            old = self._session
            if old is not None and old.conn is not None and old.conn is not conn:
                await old.conn.ws.close(code=4000)
            self._session = session
            conn.session, session.conn = session, conn
            session.seq += 1
            await self._send(
                conn,
                {
                    "op": 0,
                    "t": "READY",
                    "s": session.seq,
                    "d": {
                        "v": 10,
                        "user": {**self.bot_user.to_dict(), "verified": True, "mfa_enabled": False, "email": None},
                        "guilds": [{"id": str(self.guild_id), "unavailable": True}],
                        "session_id": session.id,
                        "session_type": "normal",
                        "resume_gateway_url": self.gateway_url,
                        "application": {"id": str(self.application_id), "flags": 0},
                        "private_channels": [],
                        "relationships": [],
                        "presences": [],
                        "guild_join_requests": [],
                        "geo_ordered_rtc_regions": [],
                        "user_settings": {},
                        "_trace": ["fake-discord"],
                    },
                },
            )
            conn.ready = True
            if session.intents & INTENT_GUILDS:
                await self.dispatch("GUILD_CREATE", self._guild_create(session.intents))
        elif op == 6:  # resume
            session = self._session
            if session is None or d.get("session_id") != session.id or (d.get("seq") or 0) > session.seq:
                await self._send(conn, {"op": 9, "d": False, "s": None, "t": None})
                return
            self.resumes += 1
            if session.conn is not None and session.conn is not conn:
                await session.conn.ws.close(code=4000)
            conn.session, session.conn = session, conn
            after = d.get("seq") or 0
            index = 0
            # Replay what the bot missed; dispatches made meanwhile are appended and sent by this loop too.
            while index < len(session.frames):
                frame = session.frames[index]
                index += 1
                if frame["s"] > after:
                    await self._send(conn, frame)
            session.seq += 1
            conn.ready = True  # no await since the loop's last check: nothing can slip between
            await self._send(conn, {"op": 0, "t": "RESUMED", "s": session.seq, "d": {"_trace": ["fake-discord"]}})
        elif op == 8:  # request guild members
            members = [self._member_dict(uid) for uid in self._members]
            await self.dispatch(
                "GUILD_MEMBERS_CHUNK",
                {
                    "guild_id": str(self.guild_id),
                    "members": members,
                    "chunk_index": 0,
                    "chunk_count": 1,
                    "not_found": [],
                    "presences": [],
                    **({"nonce": d["nonce"]} if d.get("nonce") else {}),
                },
            )

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway dispatch (op 0) to the bot; while it is disconnected, keep it for the RESUME replay."""
        session = self._session
        if session is None:
            raise RuntimeError("the bot has not identified on the fake gateway yet")
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.frames.append(frame)
        conn = session.conn
        if conn is not None and conn.ready:
            await self._send(conn, frame)

    async def drop_connection(self, code: int = 4000, *, invalidate: bool = False) -> None:
        """Close the bot's gateway socket (4000: the bot RESUMEs); `invalidate` forgets the session (op 9, re-IDENTIFY)."""
        session = self._session
        if session is None or session.conn is None:
            raise RuntimeError("the bot is not connected to the fake gateway")
        conn = session.conn
        session.conn = None
        conn.ready = False
        if invalidate:
            self._session = None
        await conn.ws.close(code=code, message=b"dropped by the test")

    @property
    def connected(self) -> bool:
        return self._session is not None and self._session.conn is not None and self._session.conn.ready

    # ---------------------------------------------------------------- interactions

    def command(self, name: str, *, guild: bool | None = None, type: int = 1) -> dict[str, Any] | None:
        """The synced command called `name` (guild scope first, unless `guild` says which), or None."""
        scopes: list[int | None] = [self.guild_id, None] if guild is None else ([self.guild_id] if guild else [None])
        for scope in scopes:
            for cmd in self.synced_commands.get(scope, []):
                if cmd["name"] == name and cmd.get("type", 1) == type:
                    return cmd
        return None

    def commands(self, *, guild: bool = False) -> list[dict[str, Any]]:
        return list(self.synced_commands.get(self.guild_id if guild else None, []))

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None = None,
        *,
        user: UserLike = "alice",
        roles: Iterable[RoleLike] | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
        guild: bool = True,
        channel: ChannelLike = "general",
        at: datetime | None = None,
    ) -> Interaction:
        """Invoke `/name` as `user` ("group sub" for subcommands).

        `options` maps option names to values (users, roles, channels by name, id or object;
        attachments as `(filename, bytes)`); types come from the synced command.  A list is
        sent as the raw `options` array.  `guild=False` invokes it in the bot's DMs.
        """
        data = self._command_data(name, options, focused=None)
        return await self._interact(
            APPLICATION_COMMAND,
            data,
            user=user,
            roles=roles,
            permissions=permissions,
            locale=locale,
            guild=guild,
            channel=channel,
            at=at,
        )

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None = None,
        *,
        focused: str,
        user: UserLike = "alice",
        roles: Iterable[RoleLike] | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
        guild: bool = True,
        channel: ChannelLike = "general",
    ) -> Interaction:
        """Ask for choices while `user` types into option `focused` (its partial text is in `options`)."""
        data = self._command_data(name, options, focused=focused)
        return await self._interact(
            AUTOCOMPLETE,
            data,
            user=user,
            roles=roles,
            permissions=permissions,
            locale=locale,
            guild=guild,
            channel=channel,
        )

    async def click(
        self,
        message: dict[str, Any] | Request | int,
        custom_id: str,
        *,
        values: Sequence[str] | None = None,
        user: UserLike = "alice",
        roles: Iterable[RoleLike] | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
    ) -> Interaction:
        """Press the button (or choose `values` in the select) `custom_id` on a message the bot sent."""
        msg = self._find_message(message)
        component = _find_component(msg.get("components") or [], custom_id)
        if component is None:
            ids = [c.get("custom_id") for c in _walk_components(msg.get("components") or []) if c.get("custom_id")]
            raise ValueError(f"message {msg['id']} has no component {custom_id!r}; it has {ids}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled: no user can use it")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if component["type"] in _SELECT_TYPES:
            data["values"] = list(values or [])
        elif values is not None:
            raise ValueError(f"component {custom_id!r} is a button, it takes no values")
        channel = self._channels[int(msg["channel_id"])]
        return await self._interact(
            MESSAGE_COMPONENT,
            data,
            user=user,
            roles=roles,
            permissions=permissions,
            locale=locale,
            guild=not channel.is_dm,
            channel=channel,
            message=msg,
        )

    async def submit_modal(
        self, interaction: Interaction, values: dict[str, str], *, user: UserLike | None = None
    ) -> Interaction:
        """Submit the modal the bot opened in answer to `interaction`, text inputs filled by custom_id."""
        if interaction.modal is None:
            raise ValueError("the bot did not answer this interaction with a modal")
        unknown = set(values) - {c.get("custom_id") for c in _walk_components(interaction.modal.get("components", []))}
        if unknown:
            raise ValueError(f"the modal has no inputs {sorted(unknown)}")

        def filled(component: dict[str, Any]) -> dict[str, Any]:
            custom_id = component["custom_id"]
            if component.get("type") in _SELECT_TYPES:
                return {"type": component["type"], "custom_id": custom_id, "values": list(values.get(custom_id, []))}
            value = str(values.get(custom_id, ""))
            # Discord's client refuses to submit these, so a test asking for them has a bug.
            if component.get("required", True) and not value:
                raise ValueError(f"modal input {custom_id!r} is required")
            if value and not component.get("min_length", 0) <= len(value) <= component.get("max_length", 4000):
                raise ValueError(
                    f"modal input {custom_id!r} takes {component.get('min_length', 0)} to "
                    f"{component.get('max_length', 4000)} characters, not {len(value)}"
                )
            return {"type": component["type"], "custom_id": custom_id, "value": value}

        rows = []
        for row in interaction.modal.get("components", []):
            if row.get("type") == 18 and isinstance(row.get("component"), dict):  # a label around one input
                rows.append({"type": 18, "component": filled(row["component"])})
            elif row.get("type") == 1:
                rows.append(
                    {"type": 1, "components": [filled(c) for c in row.get("components", []) if "custom_id" in c]}
                )
        channel = self._channels[interaction.channel_id]
        data = {"custom_id": interaction.modal["custom_id"], "components": rows}
        return await self._interact(
            MODAL_SUBMIT, data, user=user or interaction.user_id, guild=not channel.is_dm, channel=channel
        )

    def _command_data(self, name: str, options: Any, focused: str | None) -> dict[str, Any]:
        top, *path = name.split()
        cmd = self.command(top)
        data: dict[str, Any] = {"id": str(cmd["id"]) if cmd else str(self._ids.next()), "name": top, "type": 1}
        if cmd is not None and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        resolved: dict[str, dict[str, Any]] = {}
        schema = cmd.get("options", []) if cmd is not None else None
        root: list[dict[str, Any]] = []
        level = root
        for sub in path:
            spec = _find_option(schema, sub) if schema is not None else None
            if schema is not None and (spec is None or spec.get("type") not in (1, 2)):
                raise ValueError(f"/{top} has no subcommand {sub!r}")
            node = {"name": sub, "type": spec["type"] if spec else (2 if sub != path[-1] else 1), "options": []}
            level.append(node)
            level = node["options"]
            schema = spec.get("options", []) if spec is not None else None
        if schema is not None and not path and any(o.get("type") in (1, 2) for o in schema):
            raise ValueError(f"/{top} has subcommands: name one, e.g. slash('{top} <sub>', ...)")
        if isinstance(options, list):
            level.extend(options)
        else:
            given = dict(options or {})
            if focused is not None:
                given.setdefault(focused, "")
            for opt_name, value in given.items():
                spec = _find_option(schema, opt_name) if schema is not None else None
                if schema is not None and spec is None:
                    raise ValueError(f"/{name} has no option {opt_name!r}; it has {[o['name'] for o in schema]}")
                opt_type = spec["type"] if spec is not None else _infer_option_type(value)
                level.append(self._option(opt_name, opt_type, value, spec, resolved, focused=opt_name == focused))
            if schema is not None and focused is None:
                missing = [o["name"] for o in schema if o.get("required") and o["name"] not in given]
                if missing:
                    raise ValueError(f"/{name} needs required options {missing}")
        if root:
            data["options"] = root
        if resolved:
            data["resolved"] = resolved
        return data

    def _option(
        self,
        name: str,
        opt_type: int,
        value: Any,
        spec: dict[str, Any] | None,
        resolved: dict[str, dict[str, Any]],
        *,
        focused: bool,
    ) -> dict[str, Any]:
        option: dict[str, Any] = {"name": name, "type": opt_type}
        if focused:
            option["value"] = value if isinstance(value, str) else str(value)
            option["focused"] = True
            return option
        if opt_type == 3:
            option["value"] = str(value)
        elif opt_type == 4:
            option["value"] = int(value)
        elif opt_type == 5:
            option["value"] = bool(value)
        elif opt_type == 10:
            option["value"] = float(value)
        elif opt_type == 6 or (opt_type == 9 and not isinstance(value, FakeRole) and not self._is_role(value)):
            user = self.user(value)
            option["value"] = str(user.id)
            resolved.setdefault("users", {})[str(user.id)] = user.to_dict()
            if user.id in self._members:
                member = self._member_dict(user.id, with_user=False)
                member["permissions"] = str(self.permissions_of(user))
                resolved.setdefault("members", {})[str(user.id)] = member
        elif opt_type in (8, 9):
            role = self.role(value)
            option["value"] = str(role.id)
            resolved.setdefault("roles", {})[str(role.id)] = role.to_dict()
        elif opt_type == 7:
            channel = self.channel(value)
            option["value"] = str(channel.id)
            resolved.setdefault("channels", {})[str(channel.id)] = {
                **channel.to_dict(),
                "permissions": str(self.permissions_of(self.bot_user)),
            }
        elif opt_type == 11:
            filename, content = value if isinstance(value, tuple) else ("file.bin", value)
            aid = self._ids.next()
            upload = Upload("", filename, "application/octet-stream", bytes(content))
            self._attachments[aid] = upload
            option["value"] = str(aid)
            resolved.setdefault("attachments", {})[str(aid)] = self._attachment_dict(aid, upload, 0)
        else:
            option["value"] = value
        if spec is not None and spec.get("choices"):
            allowed = [c["value"] for c in spec["choices"]]
            if option["value"] not in allowed:
                raise ValueError(f"option {name!r} only offers choices {allowed}, not {option['value']!r}")
        return option

    def _is_role(self, value: Any) -> bool:
        try:
            self.role(value)
        except KeyError:
            return False
        return not isinstance(value, FakeUser)

    async def _interact(
        self,
        itype: int,
        data: dict[str, Any],
        *,
        user: UserLike,
        roles: Iterable[RoleLike] | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
        guild: bool = True,
        channel: ChannelLike = "general",
        message: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> Interaction:
        who = self.user(user)
        iid = self._ids.next(at)
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(32)
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": itype,
            "data": data,
            "token": token,
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "app_permissions": str(self.permissions_of(self.bot_user)),
        }
        if guild:
            place = self.channel(channel)
            if place.is_dm:
                raise ValueError("guild=True needs a guild channel")
            role_ids = [self.role(r).id for r in roles] if roles is not None else None
            member = self._member_dict(who.id, role_ids)
            perms = permissions if permissions is not None else self.permissions_of(who, role_ids)
            member["permissions"] = str(perms)
            payload.update(
                guild_id=str(self.guild_id),
                guild={"id": str(self.guild_id), "locale": self.preferred_locale, "features": []},
                guild_locale=self.preferred_locale,
                channel_id=str(place.id),
                channel={**place.to_dict(), "permissions": str(perms)},
                member=member,
                authorizing_integration_owners={"0": str(self.guild_id)},
                context=0,
            )
        else:
            place = self.dm_channel(who)
            payload.update(
                channel_id=str(place.id),
                channel=place.to_dict(),
                user=who.to_dict(),
                authorizing_integration_owners={"0": "0"},
                context=1,
            )
        if message is not None:
            payload["message"] = json.loads(json.dumps(message))
        interaction = Interaction(iid, token, itype, payload, place.id, who.id, self.now())
        self.interactions[iid] = interaction
        self._by_token[token] = interaction
        interaction.sent_at = time.perf_counter()
        await self.dispatch("INTERACTION_CREATE", payload)
        interaction.seq = self._session.seq if self._session is not None else 0
        return interaction

    # ---------------------------------------------------------------- waiting

    async def _await(self, fut: asyncio.Future[Any], timeout: float, what: str) -> Any:
        waiting: set[asyncio.Future[Any]] = {fut}
        bot = self._bot_task
        if bot is not None:
            waiting.add(bot)
        done, _ = await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if fut in done:
            return fut.result()
        if bot is not None and bot in done:
            fut.cancel()
            cause = None if bot.cancelled() else bot.exception()
            raise BotDied(f"the bot stopped while the test waited for {what}") from cause
        fut.cancel()
        raise TimeoutError(self._timeout_message(timeout, what))

    def _timeout_message(self, timeout: float, what: str) -> str:
        lines = [f"waited {timeout}s for {what}; the last requests the fake saw:"]
        lines += [f"  {r.method} {r.path} -> {r.status}" for r in self.requests[-8:]] or ["  (none)"]
        if self.bot_errors:
            lines.append("errors discord.py logged:")
            for record in self.bot_errors[-3:]:
                lines.append(f"  {record.getMessage()}")
                if record.exc_text or record.exc_info:
                    import logging

                    lines.append("  " + logging.Formatter().formatException(record.exc_info).replace("\n", "\n  "))
        return "\n".join(lines)

    async def wait_for(
        self,
        predicate: Callable[[Request], bool],
        timeout: float = 5.0,
        *,
        since: int = 0,
        include_rejected: bool = False,
    ) -> Request:
        """The first recorded request from index `since` on that the predicate accepts (awaiting it if need be).

        Only requests the fake accepted (2xx) are considered unless `include_rejected`.
        """

        def matches(r: Request) -> bool:
            return (include_rejected or r.ok) and predicate(r)

        for r in self.requests[since:]:
            if matches(r):
                return r
        fut = self._request_waiters.add(matches)
        try:
            return await self._await(fut, timeout, "a request matching the predicate")
        finally:
            self._request_waiters.discard(fut)

    async def wait_for_response(self, interaction: Interaction, timeout: float = 5.0) -> Request:
        """The next accepted request answering `interaction`: its callback, then followups and edits, in order."""
        index = interaction._cursor
        if index >= len(interaction.responses):
            fut = self._request_waiters.add(lambda r: r.interaction is interaction and r.ok)
            try:
                await self._await(fut, timeout, f"a response to {interaction!r}")
            finally:
                self._request_waiters.discard(fut)
        interaction._cursor = index + 1
        return interaction.responses[index]

    async def wait_for_message(
        self,
        channel: ChannelLike,
        predicate: Callable[[Request], bool] | None = None,
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> Request:
        """The first message the bot posted (`POST /channels/{id}/messages`) in this channel."""
        cid = self.channel(channel).id
        return await self.wait_for(
            lambda r: (
                r.kind == "channel_message"
                and r.params.get("channel_id") == str(cid)
                and (predicate is None or predicate(r))
            ),
            timeout,
            since=since,
        )

    async def wait_for_dm(
        self,
        user: UserLike,
        predicate: Callable[[Request], bool] | None = None,
        timeout: float = 5.0,
        *,
        since: int = 0,
        include_rejected: bool = False,
    ) -> Request:
        """The first DM the bot sent to this user (`include_rejected` to see one refused with 50007)."""
        cid = self.dm_channel(user).id
        return await self.wait_for(
            lambda r: (
                r.kind == "channel_message"
                and r.params.get("channel_id") == str(cid)
                and (predicate is None or predicate(r))
            ),
            timeout,
            since=since,
            include_rejected=include_rejected,
        )

    async def wait_for_sync(self, timeout: float = 5.0, *, since: int = 0) -> Request:
        return await self.wait_for(lambda r: r.kind in ("sync_global", "sync_guild"), timeout, since=since)

    async def wait_for_gateway(
        self,
        predicate: Callable[[dict[str, Any]], bool],
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> dict[str, Any]:
        """The first gateway frame the bot sent (from index `since`), once the fake has answered it."""
        for frame in self.gateway_frames[since:]:
            if predicate(frame):
                return frame
        fut = self._gateway_waiters.add(predicate)
        try:
            return await self._await(fut, timeout, "a gateway frame matching the predicate")
        finally:
            self._gateway_waiters.discard(fut)

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
        fault = Fault(method.upper(), _path_pattern(path), status, times, retry_after, body, is_global)
        self._faults.append(fault)
        return fault

    def _rate_limit_reply(self, retry_after: float, *, is_global: bool, scope: str) -> _Reply:
        headers = {
            "Via": "1.1 google",
            "Retry-After": str(max(1, int(retry_after + 0.999))),
            "X-RateLimit-Limit": str(self.rate_limit_per_second if is_global else 5),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Scope": scope,
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        else:
            headers["X-RateLimit-Bucket"] = "fake-bucket"
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global, "code": 0}
        return _Reply(429, body, headers)

    def _fault_reply(self, fault: Fault) -> _Reply:
        if fault.status == 429:
            return self._rate_limit_reply(
                fault.retry_after, is_global=fault.is_global, scope="global" if fault.is_global else "user"
            )
        body = fault.body or {"code": 0, "message": f"{fault.status}: injected by the test"}
        return _Reply(fault.status, body)

    def _global_bucket(self) -> float | None:
        """Seconds to wait if this request overflows the 50/second global bucket, else None."""
        now = time.monotonic()
        window = self._window
        start = self._window_start
        while start < len(window) and window[start] <= now - self.rate_limit_window:
            start += 1
        if start > 1024:
            del window[:start]
            start = 0
        self._window_start = start
        if len(window) - start >= self.rate_limit_per_second:
            return max(0.001, window[start] + self.rate_limit_window - now)
        window.append(now)
        return None

    # ---------------------------------------------------------------- violations and limits

    def _violate(self, kind: str, detail: str, request: Request | None) -> None:
        self.violations.append(Violation(kind, detail, request))

    def _reject_invalid(self, problems: list[tuple[str, str, str]], rec: Request) -> None:
        """Record each (kind, path, message) problem and answer Discord's 400 Invalid Form Body."""
        if not problems:
            return
        for kind, path, message in problems:
            self._violate(kind, f"{path}: {message}" if path else message, rec)
        if any(kind == "empty_message" for kind, _, _ in problems):
            raise _error(400, 50006, "Cannot send an empty message")
        if any(kind == "file_too_large" for kind, _, _ in problems):
            raise _error(413, 40005, "Request entity too large")
        raise _error(400, 50035, "Invalid Form Body", _form_errors([(p, m) for _, p, m in problems]))

    # ---------------------------------------------------------------- REST plumbing

    def _build_routes(self) -> list[tuple[str, re.Pattern[str], str, Callable[..., Any]]]:
        table = [
            ("GET", "/users/@me", self._get_me),
            ("POST", "/users/@me/channels", self._open_dm),
            ("GET", "/users/{user_id}", self._get_user),
            ("GET", "/oauth2/applications/@me", self._get_app),
            ("GET", "/applications/@me", self._get_app),
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway_bot),
            ("GET", "/applications/{application_id}/commands", self._get_commands),
            ("PUT", "/applications/{application_id}/commands", self._put_commands),
            ("GET", "/applications/{application_id}/guilds/{guild_id}/commands", self._get_commands),
            ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", self._put_commands),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._callback),
            ("POST", "/webhooks/{application_id}/{token}", self._followup),
            ("GET", "/webhooks/{application_id}/{token}/messages/{message_id}", self._get_webhook_message),
            ("PATCH", "/webhooks/{application_id}/{token}/messages/{message_id}", self._edit_webhook_message),
            ("DELETE", "/webhooks/{application_id}/{token}/messages/{message_id}", self._delete_webhook_message),
            ("GET", "/channels/{channel_id}", self._get_channel),
            ("POST", "/channels/{channel_id}/messages", self._post_message),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_message),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message),
            ("POST", "/channels/{channel_id}/typing", self._typing),
            ("GET", "/guilds/{guild_id}", self._get_guild),
            ("GET", "/guilds/{guild_id}/channels", self._get_guild_channels),
            ("GET", "/guilds/{guild_id}/roles", self._get_guild_roles),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member),
        ]
        routes = []
        for method, template, handler in table:
            regex = re.compile(
                "".join(
                    f"(?P<{t[1:-1]}>[^/]+)" if t.startswith("{") else re.escape(t)
                    for t in re.split(r"(\{[^}]+\})", template)
                )
            )
            routes.append((method, regex, f"{method} {template}", handler))
        return routes

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path == "/" and request.headers.get("Upgrade", "").lower() == "websocket":
            return await self._gateway(request)
        arrived = time.perf_counter()
        if request.path.startswith("/attachments/"):
            return self._serve_attachment(request)
        if not request.path.startswith(API_PREFIX + "/"):
            return web.Response(status=404, text="not a Discord API path")
        body, files = await _read_body(request)
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
        for method, regex, name, fn in self._routes:
            if method == rec.method:
                match = regex.fullmatch(rec.path)
                if match:
                    rec.route, rec.params, handler = name, match.groupdict(), fn
                    break
        headers: dict[str, str] = {}
        try:
            for fault in self._faults:
                if fault.matches(rec.method, rec.path):
                    fault.hits.append(rec)
                    rec.fault = fault
                    raise self._fault_reply(fault)
            if handler is None:
                self._violate(
                    "unsupported_route",
                    f"the fake has no {rec.method} {rec.path}; extend tests/fake_discord.py if the bot needs it",
                    rec,
                )
                raise _error(404, 0, "404: Not Found")
            exempt = rec.path.startswith(("/interactions/", "/webhooks/"))
            if not exempt and self.token is not None and rec.headers.get("Authorization") != f"Bot {self.token}":
                raise _error(401, 0, "401: Unauthorized")
            if not exempt and self.rate_limit:
                wait = self._global_bucket()
                if wait is not None:
                    self._violate(
                        "global_rate_limit",
                        f"more than {self.rate_limit_per_second} requests in one second "
                        "(interaction responses excepted)",
                        rec,
                    )
                    raise self._rate_limit_reply(wait, is_global=True, scope="global")
            result = handler(rec, **rec.params)
            if asyncio.iscoroutine(result):
                result = await result
            status, payload = result
        except _Reply as reply:
            status, payload, headers = reply.status, reply.body, reply.headers
        rec.status = status
        if status == 204 or payload is None:
            self._record(rec)
            return web.Response(status=status, headers=headers)
        rec.raw_response = json.dumps(payload).encode()
        self._record(rec)
        headers["Content-Type"] = "application/json"  # exactly: discord.py reads anything else as text
        return web.Response(status=status, body=rec.raw_response, headers=headers)

    def _record(self, rec: Request) -> None:
        rec.recorded_at = time.perf_counter()
        self.requests.append(rec)
        if rec.interaction is not None and rec.ok:
            rec.interaction.responses.append(rec)
        self._request_waiters.notify(rec)

    def _serve_attachment(self, request: web.Request) -> web.Response:
        parts = request.path.split("/")
        try:
            upload = self._attachments[int(parts[2])]
        except (IndexError, ValueError, KeyError):
            return web.Response(status=404)
        return web.Response(body=upload.data, content_type=upload.content_type or "application/octet-stream")

    # ---------------------------------------------------------------- REST: start-up and look-ups

    def _get_me(self, rec: Request) -> tuple[int, Any]:
        return 200, {**self.bot_user.to_dict(), "verified": True, "mfa_enabled": False, "email": None}

    def _get_app(self, rec: Request) -> tuple[int, Any]:
        return 200, self._app_info()

    def _get_gateway(self, rec: Request) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url.rstrip("/")}

    def _get_gateway_bot(self, rec: Request) -> tuple[int, Any]:
        return 200, {
            "url": self.gateway_url.rstrip("/"),
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
        }

    def _get_user(self, rec: Request, user_id: str) -> tuple[int, Any]:
        user = self._users.get(int(user_id)) if user_id.isdigit() else None
        if user is None:
            raise _error(404, 10013, "Unknown User")
        return 200, user.to_dict()

    def _get_channel(self, rec: Request, channel_id: str) -> tuple[int, Any]:
        return 200, self._known_channel(channel_id).to_dict()

    def _get_guild(self, rec: Request, guild_id: str) -> tuple[int, Any]:
        self._known_guild(guild_id)
        data = self._guild_create(0)
        for key in (
            "members",
            "channels",
            "threads",
            "presences",
            "voice_states",
            "joined_at",
            "large",
            "member_count",
            "unavailable",
        ):
            data.pop(key, None)
        return 200, data

    def _get_guild_channels(self, rec: Request, guild_id: str) -> tuple[int, Any]:
        self._known_guild(guild_id)
        return 200, [c.to_dict() for c in self._channels.values() if not c.is_dm]

    def _get_guild_roles(self, rec: Request, guild_id: str) -> tuple[int, Any]:
        self._known_guild(guild_id)
        return 200, [r.to_dict() for r in self._roles.values()]

    def _get_member(self, rec: Request, guild_id: str, user_id: str) -> tuple[int, Any]:
        self._known_guild(guild_id)
        if not user_id.isdigit() or int(user_id) not in self._members:
            raise _error(404, 10007, "Unknown Member")
        return 200, self._member_dict(int(user_id))

    def _known_guild(self, guild_id: str) -> None:
        if guild_id != str(self.guild_id):
            raise _error(404, 10004, "Unknown Guild")

    def _known_channel(self, channel_id: str) -> FakeChannel:
        channel = self._channels.get(int(channel_id)) if channel_id.isdigit() else None
        if channel is None:
            raise _error(404, 10003, "Unknown Channel")
        return channel

    def _typing(self, rec: Request, channel_id: str) -> tuple[int, Any]:
        self._known_channel(channel_id)
        return 204, None

    # ---------------------------------------------------------------- REST: commands

    def _scope(self, application_id: str, guild_id: str | None) -> int | None:
        if application_id != str(self.application_id):
            raise _error(403, 50001, "Missing Access")
        if guild_id is None:
            return None
        self._known_guild(guild_id)
        return int(guild_id)

    def _get_commands(self, rec: Request, application_id: str, guild_id: str | None = None) -> tuple[int, Any]:
        return 200, self.synced_commands.get(self._scope(application_id, guild_id), [])

    def _put_commands(self, rec: Request, application_id: str, guild_id: str | None = None) -> tuple[int, Any]:
        scope = self._scope(application_id, guild_id)
        commands = rec.json if isinstance(rec.json, list) else []
        self._reject_invalid(_command_problems(commands, self.max_global_commands), rec)
        echoed = []
        for cmd in commands:
            ctype = cmd.get("type", 1)
            key = (scope, ctype, cmd["name"])
            if key not in self._command_ids:
                self._command_ids[key] = self._ids.next()
            out = {
                "default_member_permissions": None,
                "type": ctype,
                "nsfw": False,
                "options": [],
                **cmd,
                "id": str(self._command_ids[key]),
                "application_id": str(self.application_id),
                "version": str(self._ids.next()),
            }
            if scope is not None:
                out["guild_id"] = str(scope)
            echoed.append(out)
        self.synced_commands[scope] = echoed
        return 200, echoed

    # ---------------------------------------------------------------- REST: interactions

    def _callback(self, rec: Request, interaction_id: str, token: str) -> tuple[int, Any]:
        it = self.interactions.get(int(interaction_id)) if interaction_id.isdigit() else None
        if it is None or it.token != token:
            self._violate("unknown_interaction", "callback for an interaction the fake never sent", rec)
            raise _error(404, 10062, "Unknown interaction")
        rec.interaction = it
        if it.initial_response is not None:
            self._violate(
                "already_acknowledged",
                f"second initial response to {it!r} (first was type {it.initial_response.callback_type})",
                rec,
            )
            raise _error(400, 40060, "Interaction has already been acknowledged.")
        age = self.now() - it.created_at
        if age > self.response_deadline:
            self._violate(
                "late_response",
                f"first response to {it!r} after {age:.2f}s (Discord allows {self.response_deadline:g}s; defer first)",
                rec,
            )
            raise _error(404, 10062, "Unknown interaction")
        body = rec.json if isinstance(rec.json, dict) else {}
        ctype = body.get("type")
        if ctype not in _ALLOWED_CALLBACKS.get(it.type, set()):
            self._violate("callback_type", f"callback type {ctype} is not valid for interaction type {it.type}", rec)
            raise _error(400, 50035, "Invalid Form Body", _form_errors([("type", "Interaction callback type invalid")]))
        data = body.get("data") or {}
        message: dict[str, Any] | None = None
        channel = self._channels[it.channel_id]
        if ctype == 4:
            self._reject_invalid(_message_problems(data, rec.files), rec)
            message = self._create_message(channel, data, rec.files, interaction=it)
            it.original_message_id = int(message["id"])
        elif ctype == 5:
            loading = {"content": "", "flags": FLAG_LOADING | (int(data.get("flags") or 0) & FLAG_EPHEMERAL)}
            message = self._create_message(channel, loading, [], interaction=it, raw_flags=True)
            it.original_message_id = int(message["id"])
            it._followup_replaces_loading = True
        elif ctype in (6, 7):
            source = (it.payload.get("message") or {}).get("id")
            if source is None or int(source) not in self.messages:
                raise _error(404, 10008, "Unknown Message")
            it.original_message_id = int(source)
            if ctype == 7:
                current = self.messages[int(source)]
                merged = {**current, **{k: v for k, v in data.items() if k in _EDITABLE}}
                self._reject_invalid(_message_problems(merged, rec.files), rec)
                message = self._apply_edit(current, data, rec.files)
        elif ctype == 8:
            self._reject_invalid(_choice_problems(data.get("choices") or []), rec)
        elif ctype == 9:
            self._reject_invalid(_modal_problems(data), rec)
            it.modal = data
        it.initial_response = rec
        if message is not None:
            rec.message_id = int(message["id"])
        if "with_response" not in rec.query:
            return 204, None
        reply: dict[str, Any] = {
            "interaction": {
                "id": str(it.id),
                "type": it.type,
                "activity_instance_id": None,
                "response_message_id": str(it.original_message_id) if it.original_message_id else None,
                "response_message_loading": ctype == 5,
                "response_message_ephemeral": bool(message and int(message.get("flags") or 0) & FLAG_EPHEMERAL),
            }
        }
        if message is not None:
            reply["resource"] = {"type": ctype, "message": message}
        return 200, reply

    def _webhook_interaction(self, rec: Request, application_id: str, token: str) -> Interaction:
        if application_id != str(self.application_id):
            raise _error(404, 10015, "Unknown Webhook")
        it = self._by_token.get(token)
        if it is None:
            raise _error(401, 50027, "Invalid Webhook Token")
        rec.interaction = it
        if self.now() - it.created_at > self.token_lifetime:
            self._violate("expired_token", f"{it!r} used after its {self.token_lifetime:g}s token expired", rec)
            raise _error(401, 50027, "Invalid Webhook Token")
        if it.initial_response is None:
            self._violate(
                "no_initial_response",
                f"followup or edit of {it!r} before any initial response (respond or defer first)",
                rec,
            )
            raise _error(404, 10015, "Unknown Webhook")
        return it

    def _followup(self, rec: Request, application_id: str, token: str) -> tuple[int, Any]:
        it = self._webhook_interaction(rec, application_id, token)
        data = rec.json if isinstance(rec.json, dict) else {}
        self._reject_invalid(_message_problems(data, rec.files), rec)
        original = self.messages.get(it.original_message_id or 0)
        if it._followup_replaces_loading and original is not None and int(original["flags"]) & FLAG_LOADING:
            # After a deferral the first followup fills in the "thinking" message; its ephemerality was set by the defer.
            it._followup_replaces_loading = False
            keep = int(original["flags"]) & FLAG_EPHEMERAL
            message = self._apply_edit(
                original,
                {**data, "flags": keep | (int(data.get("flags") or 0) & ~FLAG_EPHEMERAL)},
                rec.files,
                raw_flags=True,
                mark_edited=False,
            )
        else:
            message = self._create_message(self._channels[it.channel_id], data, rec.files, interaction=it)
        rec.message_id = int(message["id"])
        if rec.query.get("wait") in ("0", "false", "False"):
            return 204, None
        return 200, message

    def _interaction_message(self, rec: Request, it: Interaction, message_id: str) -> dict[str, Any]:
        mid = (
            it.original_message_id if message_id == "@original" else (int(message_id) if message_id.isdigit() else None)
        )
        if mid is None or mid not in self.messages or (mid not in it.message_ids and mid != it.original_message_id):
            raise _error(404, 10008, "Unknown Message")
        rec.message_id = mid
        return self.messages[mid]

    def _get_webhook_message(self, rec: Request, application_id: str, token: str, message_id: str) -> tuple[int, Any]:
        it = self._webhook_interaction(rec, application_id, token)
        return 200, self._interaction_message(rec, it, message_id)

    def _edit_webhook_message(self, rec: Request, application_id: str, token: str, message_id: str) -> tuple[int, Any]:
        it = self._webhook_interaction(rec, application_id, token)
        current = self._interaction_message(rec, it, message_id)
        data = rec.json if isinstance(rec.json, dict) else {}
        merged = {**current, **{k: v for k, v in data.items() if k in _EDITABLE}}
        self._reject_invalid(_message_problems(merged, rec.files), rec)
        if int(current["flags"]) & FLAG_LOADING:
            it._followup_replaces_loading = False
        return 200, self._apply_edit(current, data, rec.files)

    def _delete_webhook_message(
        self, rec: Request, application_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        it = self._webhook_interaction(rec, application_id, token)
        message = self._interaction_message(rec, it, message_id)
        self.deleted_messages[int(message["id"])] = self.messages.pop(int(message["id"]))
        return 204, None

    # ---------------------------------------------------------------- REST: channel messages and DMs

    def _open_dm(self, rec: Request) -> tuple[int, Any]:
        body = rec.json if isinstance(rec.json, dict) else {}
        recipient = str(body.get("recipient_id", ""))
        if not recipient.isdigit():
            raise _error(400, 50035, "Invalid Form Body", _form_errors([("recipient_id", "Value is not snowflake.")]))
        uid = int(recipient)
        if uid not in self._users:
            self._users[uid] = FakeUser(uid, f"user{uid}")
        return 200, self.dm_channel(uid).to_dict()

    def _post_message(self, rec: Request, channel_id: str) -> tuple[int, Any]:
        channel = self._known_channel(channel_id)
        if channel.is_dm and channel.recipient is not None and channel.recipient.id in self._closed_dms:
            raise _error(403, 50007, "Cannot send messages to this user")
        data = rec.json if isinstance(rec.json, dict) else {}
        nonce = data.get("nonce")
        key = (channel.id, str(nonce))
        if nonce is not None and data.get("enforce_nonce"):
            seen = self._nonces.get(key)
            if seen is not None and self.now() - seen[0] <= self.nonce_window:
                existing = self.messages.get(seen[1]) or self.deleted_messages.get(seen[1])
                if existing is not None:
                    rec.deduplicated = True
                    rec.message_id = seen[1]
                    return 200, existing
        self._reject_invalid(_message_problems(data, rec.files), rec)
        message = self._create_message(channel, data, rec.files)
        if nonce is not None:
            message["nonce"] = nonce
            if data.get("enforce_nonce"):
                self._nonces[key] = (self.now(), int(message["id"]))
        rec.message_id = int(message["id"])
        return 200, message

    def _channel_message(self, rec: Request, channel_id: str, message_id: str) -> dict[str, Any]:
        self._known_channel(channel_id)
        message = self.messages.get(int(message_id)) if message_id.isdigit() else None
        if message is None or message["channel_id"] != channel_id:
            raise _error(404, 10008, "Unknown Message")
        rec.message_id = int(message_id)
        return message

    def _get_message(self, rec: Request, channel_id: str, message_id: str) -> tuple[int, Any]:
        return 200, self._channel_message(rec, channel_id, message_id)

    def _edit_message(self, rec: Request, channel_id: str, message_id: str) -> tuple[int, Any]:
        current = self._channel_message(rec, channel_id, message_id)
        if current["author"]["id"] != str(self.bot_user.id):
            raise _error(403, 50005, "Cannot edit a message authored by another user")
        data = rec.json if isinstance(rec.json, dict) else {}
        merged = {**current, **{k: v for k, v in data.items() if k in _EDITABLE}}
        self._reject_invalid(_message_problems(merged, rec.files), rec)
        return 200, self._apply_edit(current, data, rec.files)

    def _delete_message(self, rec: Request, channel_id: str, message_id: str) -> tuple[int, Any]:
        message = self._channel_message(rec, channel_id, message_id)
        self.deleted_messages[int(message_id)] = self.messages.pop(int(message["id"]))
        return 204, None

    def _find_message(self, message: dict[str, Any] | Request | int) -> dict[str, Any]:
        if isinstance(message, Request):
            if message.message_id is None:
                raise ValueError(f"{message!r} did not create or edit a message")
            mid = message.message_id
        elif isinstance(message, dict):
            mid = int(message["id"])
        else:
            mid = int(message)
        if mid not in self.messages:
            raise ValueError(f"no live message {mid} (deleted, or never sent)")
        return self.messages[mid]

    # ---------------------------------------------------------------- messages

    def _attachment_dict(self, aid: int, upload: Upload, channel_id: int) -> dict[str, Any]:
        url = f"{self.http_base}/attachments/{aid}/{upload.filename}"
        return {
            "id": str(aid),
            "filename": upload.filename,
            "size": len(upload.data),
            "url": url,
            "proxy_url": url,
            "content_type": upload.content_type,
        }

    def _attachments_for(
        self, data: dict[str, Any], files: list[Upload], channel_id: int, existing: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        by_index = {}
        for upload in files:
            match = re.fullmatch(r"files\[(\d+)\]", upload.field)
            by_index[int(match.group(1)) if match else len(by_index)] = upload
        kept_ids = {a["id"]: a for a in existing}
        out: list[dict[str, Any]] = []
        used: set[int] = set()
        for spec in data.get("attachments") or []:
            sid = str(spec.get("id"))
            if sid in kept_ids:
                out.append(kept_ids[sid])
            elif sid.isdigit() and int(sid) in by_index:
                used.add(int(sid))
                aid = self._ids.next()
                self._attachments[aid] = by_index[int(sid)]
                out.append(
                    {
                        **self._attachment_dict(aid, by_index[int(sid)], channel_id),
                        **({"description": spec["description"]} if spec.get("description") else {}),
                    }
                )
        for index, upload in sorted(by_index.items()):
            if index not in used:
                aid = self._ids.next()
                self._attachments[aid] = upload
                out.append(self._attachment_dict(aid, upload, channel_id))
        return out

    def _create_message(
        self,
        channel: FakeChannel,
        data: dict[str, Any],
        files: list[Upload],
        *,
        interaction: Interaction | None = None,
        raw_flags: bool = False,
    ) -> dict[str, Any]:
        mid = self._ids.next()
        flags = int(data.get("flags") or 0)
        message: dict[str, Any] = {
            "id": str(mid),
            "channel_id": str(channel.id),
            "type": 0,
            "author": self.bot_user.to_dict(),
            "content": data.get("content") or "",
            "timestamp": _iso(),
            "edited_timestamp": None,
            "tts": bool(data.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments_for(data, files, channel.id, []),
            "embeds": data.get("embeds") or [],
            "components": data.get("components") or [],
            "pinned": False,
            "flags": flags if raw_flags else flags & _SENDABLE_FLAGS,
        }
        if interaction is not None:
            message["type"] = 20 if interaction.type == APPLICATION_COMMAND else 0
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
            message["interaction_metadata"] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": self._users[interaction.user_id].to_dict(),
                "authorizing_integration_owners": interaction.payload.get("authorizing_integration_owners", {}),
            }
            interaction.message_ids.add(mid)
        else:
            if not raw_flags and flags & FLAG_EPHEMERAL:
                message["flags"] &= ~FLAG_EPHEMERAL  # only interaction responses can be ephemeral
        self.messages[mid] = message
        return message

    def _apply_edit(
        self,
        message: dict[str, Any],
        data: dict[str, Any],
        files: list[Upload],
        *,
        raw_flags: bool = False,
        mark_edited: bool = True,
    ) -> dict[str, Any]:
        for key in ("content", "embeds", "components"):
            if key in data:
                message[key] = data[key] if data[key] is not None else ("" if key == "content" else [])
        if "flags" in data and data["flags"] is not None:
            if raw_flags:
                message["flags"] = int(data["flags"])
            else:
                # Only SUPPRESS_EMBEDS may change on edit; ephemerality and components v2 stay as they were.
                keep = int(message["flags"]) & ~FLAG_SUPPRESS_EMBEDS & ~FLAG_LOADING
                message["flags"] = keep | (int(data["flags"]) & FLAG_SUPPRESS_EMBEDS)
        else:
            message["flags"] = int(message["flags"]) & ~FLAG_LOADING
        if "attachments" in data or files:
            spec = data if "attachments" in data else {"attachments": [{"id": a["id"]} for a in message["attachments"]]}
            message["attachments"] = self._attachments_for(
                spec, files, int(message["channel_id"]), message["attachments"]
            )
        if mark_edited:
            message["edited_timestamp"] = _iso()
        return message


_EDITABLE = ("content", "embeds", "components", "attachments", "flags")


# --------------------------------------------------------------------------------------------
# Request bodies
# --------------------------------------------------------------------------------------------


async def _read_body(request: web.Request) -> tuple[Any, list[Upload]]:
    if not request.body_exists:
        return None, []
    ctype = request.headers.get("Content-Type", "")
    if ctype.startswith("multipart/"):
        payload: Any = None
        files: list[Upload] = []
        reader = await request.multipart()
        async for part in reader:
            if part.name == "payload_json":
                payload = json.loads(await part.text())
            else:
                data = await part.read(decode=False)
                files.append(
                    Upload(part.name or "", part.filename or "", part.headers.get("Content-Type"), bytes(data))
                )
        return payload, files
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode("utf-8", "replace"), []


# --------------------------------------------------------------------------------------------
# Discord's limits
# --------------------------------------------------------------------------------------------


def _too_long(value: Any, limit: int) -> bool:
    return value is not None and len(str(value)) > limit


def _message_problems(data: dict[str, Any], files: Sequence[Upload]) -> list[tuple[str, str, str]]:
    """(kind, path, message) for each limit a message body breaks."""
    problems: list[tuple[str, str, str]] = []
    content = data.get("content")
    if _too_long(content, 2000):
        problems.append(("content_length", "content", f"Must be 2000 or fewer in length (got {len(content)})."))
    embeds = data.get("embeds") or []
    problems += _embed_problems(embeds)
    flags = int(data.get("flags") or 0)
    components = data.get("components") or []
    problems += _component_problems(components, flags)
    if len(files) > 10:
        problems.append(("attachments", "files", "Must be 10 or fewer in length."))
    for upload in files:
        if len(upload.data) > ATTACHMENT_SIZE_LIMIT:
            problems.append(
                ("file_too_large", upload.field, f"{upload.filename} is over {ATTACHMENT_SIZE_LIMIT} bytes")
            )
    has_attachments = bool(files) or bool(data.get("attachments"))
    if not (content or embeds or components or has_attachments or data.get("sticker_ids") or data.get("poll")):
        problems.append(("empty_message", "", "Cannot send an empty message"))
    return problems


def _embed_problems(embeds: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    problems: list[tuple[str, str, str]] = []
    if len(embeds) > 10:
        problems.append(("embed_count", "embeds", f"Must be 10 or fewer in length (got {len(embeds)})."))
    total = 0
    for i, embed in enumerate(embeds):
        where = f"embeds.{i}"

        def check(path: str, value: Any, limit: int, required: bool = False) -> None:
            nonlocal total
            text = "" if value is None else str(value)
            total += len(text)
            if len(text) > limit:
                problems.append(
                    ("embed_limit", f"{where}.{path}", f"Must be {limit} or fewer in length (got {len(text)}).")
                )
            elif required and not text.strip():
                problems.append(("embed_limit", f"{where}.{path}", "This field is required"))

        check("title", embed.get("title"), 256)
        check("description", embed.get("description"), 4096)
        check("footer.text", (embed.get("footer") or {}).get("text"), 2048)
        check("author.name", (embed.get("author") or {}).get("name"), 256)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            problems.append(("embed_limit", f"{where}.fields", f"Must be 25 or fewer in length (got {len(fields)})."))
        for j, fld in enumerate(fields):
            check(f"fields.{j}.name", fld.get("name"), 256, required=True)
            check(f"fields.{j}.value", fld.get("value"), 1024, required=True)
    if total > 6000:
        problems.append(("embed_limit", "embeds", f"Embed size exceeds maximum size of 6000 (got {total})"))
    return problems


def _walk_components(components: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for component in components:
        yield component
        yield from _walk_components(component.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                yield from _walk_components([component[key]])


def _find_component(components: list[dict[str, Any]], custom_id: str) -> dict[str, Any] | None:
    return next((c for c in _walk_components(components) if c.get("custom_id") == custom_id), None)


def _component_problems(components: list[dict[str, Any]], flags: int) -> list[tuple[str, str, str]]:
    problems: list[tuple[str, str, str]] = []
    if flags & FLAG_COMPONENTS_V2:
        if sum(1 for _ in _walk_components(components)) > 40:
            problems.append(("components", "components", "Must be 40 or fewer components in total."))
    else:
        if len(components) > 5:
            problems.append(("components", "components", f"Must be 5 or fewer in length (got {len(components)})."))
        for i, row in enumerate(components):
            children = row.get("components") or []
            if row.get("type") != 1:
                problems.append(("components", f"components.{i}", "Top-level components must be action rows."))
            elif not 1 <= len(children) <= 5:
                problems.append(("components", f"components.{i}.components", "Must be between 1 and 5 in length."))
            elif any(c.get("type") in _SELECT_TYPES for c in children) and len(children) > 1:
                problems.append(("components", f"components.{i}.components", "A select menu fills its action row."))
    seen: set[str] = set()
    for component in _walk_components(components):
        custom_id = component.get("custom_id")
        if custom_id is not None:
            if len(custom_id) > 100:
                problems.append(("components", "components", f"custom_id {custom_id[:20]!r}... is over 100 characters"))
            if custom_id in seen:
                problems.append(("components", "components", f"Component custom id {custom_id!r} cannot be duplicated"))
            seen.add(custom_id)
        if component.get("type") == 2 and _too_long(component.get("label"), 80):
            problems.append(("components", "components", "A button label must be 80 or fewer in length."))
        if component.get("type") == 3:
            options = component.get("options") or []
            if not 1 <= len(options) <= 25:
                problems.append(("components", "components", f"A select needs 1 to 25 options (got {len(options)})."))
            for option in options:
                if _too_long(option.get("label"), 100) or _too_long(option.get("value"), 100):
                    problems.append(("components", "components", "Select option labels and values are limited to 100."))
        if component.get("type") in _SELECT_TYPES and _too_long(component.get("placeholder"), 150):
            problems.append(("components", "components", "A select placeholder must be 150 or fewer in length."))
    return problems


def _choice_problems(choices: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    problems: list[tuple[str, str, str]] = []
    if len(choices) > 25:
        problems.append(("autocomplete", "data.choices", f"Must be 25 or fewer in length (got {len(choices)})."))
    for i, choice in enumerate(choices):
        name = str(choice.get("name") or "")
        if not 1 <= len(name) <= 100:
            problems.append(
                ("autocomplete", f"data.choices.{i}.name", f"Must be between 1 and 100 in length (got {len(name)}).")
            )
        value = choice.get("value")
        if isinstance(value, str) and len(value) > 100:
            problems.append(
                ("autocomplete", f"data.choices.{i}.value", f"Must be 100 or fewer in length (got {len(value)}).")
            )
    return problems


def _modal_problems(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    problems: list[tuple[str, str, str]] = []
    if not 1 <= len(str(data.get("title") or "")) <= 45:
        problems.append(("modal", "data.title", "Must be between 1 and 45 in length."))
    if _too_long(data.get("custom_id"), 100) or not data.get("custom_id"):
        problems.append(("modal", "data.custom_id", "Must be between 1 and 100 in length."))
    if not 1 <= len(data.get("components") or []) <= 5:
        problems.append(("modal", "data.components", "Must be between 1 and 5 in length."))
    return problems


def _command_problems(commands: list[dict[str, Any]], max_chat_input: int) -> list[tuple[str, str, str]]:
    problems: list[tuple[str, str, str]] = []
    counts = {1: 0, 2: 0, 3: 0}
    seen: set[tuple[int, str]] = set()
    for i, cmd in enumerate(commands):
        ctype = cmd.get("type", 1)
        counts[ctype] = counts.get(ctype, 0) + 1
        where = f"{i}"
        name = str(cmd.get("name") or "")
        if (ctype, name) in seen:
            problems.append(("command", f"{where}.name", f"Application command names must be unique ({name!r})"))
        seen.add((ctype, name))
        if ctype == 1:
            problems += _name_and_description(cmd, where)
            options = cmd.get("options") or []
            problems += _option_problems(options, f"{where}.options", depth=0)
            size = _command_size(cmd)
            if size > 4000:
                problems.append(("command", where, f"/{name} has {size} characters in all; Discord allows 4000"))
        elif not 1 <= len(name) <= 32:
            problems.append(("command", f"{where}.name", "Must be between 1 and 32 in length."))
    if counts.get(1, 0) > max_chat_input:
        problems.append(("command", "", f"{counts[1]} slash commands; Discord allows {max_chat_input}"))
    for ctype, label in ((2, "user"), (3, "message")):
        if counts.get(ctype, 0) > 5:
            problems.append(("command", "", f"{counts[ctype]} {label} context menu commands; Discord allows 5"))
    return problems


def _name_and_description(item: dict[str, Any], where: str) -> list[tuple[str, str, str]]:
    problems: list[tuple[str, str, str]] = []
    name = str(item.get("name") or "")
    if not _COMMAND_NAME.fullmatch(name) or name != name.lower():
        problems.append(("command", f"{where}.name", f"{name!r} is not a valid lower-case name of 1 to 32 characters"))
    description = str(item.get("description") or "")
    if not 1 <= len(description) <= 100:
        problems.append(
            ("command", f"{where}.description", f"Must be between 1 and 100 in length (got {len(description)}).")
        )
    return problems


def _option_problems(options: list[dict[str, Any]], where: str, depth: int) -> list[tuple[str, str, str]]:
    problems: list[tuple[str, str, str]] = []
    if len(options) > 25:
        problems.append(("command", where, f"Must be 25 or fewer in length (got {len(options)})."))
    optional_seen = False
    names: set[str] = set()
    for i, option in enumerate(options):
        here = f"{where}.{i}"
        problems += _name_and_description(option, here)
        if option.get("name") in names:
            problems.append(("command", f"{here}.name", f"duplicate option name {option.get('name')!r}"))
        names.add(option.get("name"))
        otype = option.get("type")
        if otype in (1, 2):
            if (otype == 2 and depth > 0) or (otype == 1 and depth > 1):
                problems.append(("command", here, "subcommands nest at most group > subcommand"))
            if otype == 2 and any(o.get("type") != 1 for o in option.get("options") or []):
                problems.append(("command", here, "a subcommand group holds only subcommands"))
            problems += _option_problems(option.get("options") or [], f"{here}.options", depth + 1)
            continue
        if option.get("required"):
            if optional_seen:
                problems.append(("command", here, "required options must come before optional ones"))
        else:
            optional_seen = True
        choices = option.get("choices") or []
        if len(choices) > 25:
            problems.append(("command", f"{here}.choices", f"Must be 25 or fewer in length (got {len(choices)})."))
        if choices and option.get("autocomplete"):
            problems.append(("command", here, "an option cannot have both choices and autocomplete"))
        for j, choice in enumerate(choices):
            if not 1 <= len(str(choice.get("name") or "")) <= 100:
                problems.append(("command", f"{here}.choices.{j}.name", "Must be between 1 and 100 in length."))
            if isinstance(choice.get("value"), str) and len(choice["value"]) > 100:
                problems.append(("command", f"{here}.choices.{j}.value", "Must be 100 or fewer in length."))
    return problems


def _command_size(item: dict[str, Any]) -> int:
    size = len(str(item.get("name") or "")) + len(str(item.get("description") or ""))
    for choice in item.get("choices") or []:
        size += len(str(choice.get("name") or "")) + len(str(choice.get("value") or ""))
    for option in item.get("options") or []:
        size += _command_size(option)
    return size


def _find_option(schema: list[dict[str, Any]] | None, name: str) -> dict[str, Any] | None:
    return next((o for o in schema or [] if o.get("name") == name), None)


def _infer_option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    if isinstance(value, FakeUser):
        return 6
    if isinstance(value, FakeChannel):
        return 7
    if isinstance(value, FakeRole):
        return 8
    if isinstance(value, tuple):
        return 11
    return 3
