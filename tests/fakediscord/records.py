"""What the fake records: each REST request with its answer, each interaction it sent, each broken limit."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.fakediscord.models import FLAG_EPHEMERAL

if TYPE_CHECKING:
    from tests.fakediscord.faults import Fault

# route template -> short kind name, for Request.kind
ROUTE_KINDS = {
    "POST /interactions/{interaction_id}/{token}/callback": "callback",
    "POST /webhooks/{application_id}/{token}": "followup",
    "GET /webhooks/{application_id}/{token}/messages/{message_id}": "get_response",
    "PATCH /webhooks/{application_id}/{token}/messages/{message_id}": "edit_response",
    "DELETE /webhooks/{application_id}/{token}/messages/{message_id}": "delete_response",
    "POST /channels/{channel_id}/messages": "channel_message",
    "GET /channels/{channel_id}/messages": "history",
    "GET /channels/{channel_id}/messages/{message_id}": "get_message",
    "PATCH /channels/{channel_id}/messages/{message_id}": "edit_message",
    "DELETE /channels/{channel_id}/messages/{message_id}": "delete_message",
    "POST /users/@me/channels": "open_dm",
    "PUT /applications/{application_id}/commands": "sync_global",
    "PUT /applications/{application_id}/guilds/{guild_id}/commands": "sync_guild",
    "PATCH /channels/{channel_id}": "edit_channel",
    "POST /channels/{channel_id}/threads": "start_thread",
    "POST /channels/{channel_id}/messages/{message_id}/threads": "start_thread",
    "POST /guilds/{guild_id}/channels": "create_channel",
    "POST /guilds/{guild_id}/roles": "create_role",
}


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
    response_headers: dict[str, str] = field(default_factory=dict)  # the headers it answered with (429s: Via, ...)
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
        return ROUTE_KINDS.get(self.route, "other")

    @property
    def body(self) -> dict[str, Any]:
        """The JSON body if it is an object, else {}."""
        return self.json if isinstance(self.json, dict) else {}

    @property
    def callback_type(self) -> int | None:
        """The interaction response type (4 message, 5 defer, 6 deferred update, 7 update, 8 choices, 9 modal)."""
        if self.kind == "callback":
            return self.body.get("type")
        return None

    @property
    def payload(self) -> dict[str, Any]:
        """The message-shaped part of the body: `data` of a callback, else the body itself."""
        if self.kind == "callback":
            return self.body.get("data") or {}
        return self.body

    @property
    def content(self) -> str | None:
        return self.payload.get("content")

    @property
    def text(self) -> str:
        """The content, or "" when the body has none."""
        return self.content or ""

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
    cursor: int = 0  # how many responses wait_for_response has handed out
    followup_replaces_loading: bool = False

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


def route_regex(template: str) -> re.Pattern[str]:
    """`/channels/{channel_id}/messages` as a regex with a named group per `{segment}`."""
    return re.compile(
        "".join(
            f"(?P<{t[1:-1]}>[^/]+)" if t.startswith("{") else re.escape(t) for t in re.split(r"(\{[^}]+\})", template)
        )
    )
