"""Messages: the fake's store of what the bot posted, its attachments, nonces, and the channel and DM routes.

Nonces (`enforce_nonce`): Discord checks a nonce "for uniqueness in the past few minutes"; a
repeat by the same author within that window is answered with the earlier message and creates
nothing.  The fake remembers each enforced nonce with the time on its own clock and honours it
for `fake.nonce_window` seconds (5 minutes by default), so a test can simulate an outage longer
than that with `fake.advance(seconds)` (everything ages) or `fake.age_nonces(seconds)` (only the
nonces age; interactions and their tokens do not), or drop them all with `fake.forget_nonces()`.
After the window a repeat posts a second message: then only the bot's own records prevent it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakediscord.errors import error, invalid_form_body
from tests.fakediscord.limits import message_problems
from tests.fakediscord.models import (
    APPLICATION_COMMAND,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    FLAG_SUPPRESS_EMBEDS,
    SENDABLE_FLAGS,
    FakeChannel,
    FakeUser,
    iso,
)
from tests.fakediscord.records import Interaction, Request, Upload

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord

EDITABLE = ("content", "embeds", "components", "attachments", "flags")

MessageRef = dict[str, Any] | Request | int


class MessageStore:
    """Live and deleted messages (`fake.messages`, `fake.deleted_messages`), uploaded files and enforced nonces."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.attachments: dict[int, Upload] = {}
        self.nonces: dict[str, tuple[float, int]] = {}  # nonce -> (when on the fake's clock, message id)

    def routes(self) -> list[tuple[str, str, Callable[..., Any]]]:
        return [
            ("POST", "/users/@me/channels", self.open_dm),
            ("POST", "/channels/{channel_id}/messages", self.post_message),
            ("GET", "/channels/{channel_id}/messages", self.history),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message),
            ("POST", "/channels/{channel_id}/typing", self.typing),
        ]

    # ---------------------------------------------------------------- nonces

    def earlier(self, nonce: Any) -> dict[str, Any] | None:
        """The message an enforced `nonce` created within the window, if it is remembered and not forgotten."""
        seen = self.nonces.get(str(nonce))
        if seen is None or self.fake.now() - seen[0] > self.fake.nonce_window:
            return None
        return self.fake.messages.get(seen[1]) or self.fake.deleted_messages.get(seen[1])

    def age_nonces(self, seconds: float) -> None:
        self.nonces = {n: (at - seconds, mid) for n, (at, mid) in self.nonces.items()}

    # ---------------------------------------------------------------- routes

    def open_dm(self, rec: Request) -> tuple[int, Any]:
        recipient = str(rec.body.get("recipient_id", ""))
        if not recipient.isdigit():
            raise invalid_form_body(("recipient_id", "Value is not snowflake."))
        uid = int(recipient)
        guild = self.fake.guild
        if uid not in guild.users:
            guild.users[uid] = FakeUser(uid, f"user{uid}")
        return 200, guild.dm_channel(uid).to_dict()

    def post_message(self, rec: Request, channel_id: str) -> tuple[int, Any]:
        channel = self.fake.known_channel(channel_id)
        guild = self.fake.guild
        if channel.is_dm and channel.recipient is not None and channel.recipient.id in guild.closed_dms:
            raise error(403, 50007, "Cannot send messages to this user")
        data = rec.body
        nonce = data.get("nonce")
        enforced = nonce is not None and bool(data.get("enforce_nonce"))
        if enforced:
            existing = self.earlier(nonce)
            if existing is not None:
                rec.deduplicated = True
                rec.message_id = int(existing["id"])
                return 200, existing
        self.fake.reject_invalid(message_problems(data, rec.files), rec)
        message = self.create(channel, data, rec.files)
        if nonce is not None:
            message["nonce"] = nonce
            if enforced:
                self.nonces[str(nonce)] = (self.fake.now(), int(message["id"]))
        rec.message_id = int(message["id"])
        return 200, message

    def _channel_message(self, rec: Request, channel_id: str, message_id: str) -> dict[str, Any]:
        self.fake.known_channel(channel_id)
        message = self.fake.messages.get(int(message_id)) if message_id.isdigit() else None
        if message is None or message["channel_id"] != channel_id:
            raise error(404, 10008, "Unknown Message")
        rec.message_id = int(message_id)
        return message

    def history(self, rec: Request, channel_id: str) -> tuple[int, Any]:
        """A channel's messages, newest first, as Discord lists them: `limit` (1-100, default 50) before, after or
        around a message id.  The nonce is left out: Discord gives it back on the post and the gateway event,
        so a bot looking for its own message in the history must know it by its content."""
        channel = self.fake.known_channel(channel_id)
        limit = rec.query.get("limit", "50")
        if not limit.isdigit() or not 1 <= int(limit) <= 100:
            raise invalid_form_body(("limit", "Int should be between 1 and 100."))
        n = int(limit)
        live = sorted(
            (m for m in self.fake.messages.values() if m["channel_id"] == str(channel.id)), key=lambda m: int(m["id"])
        )
        anchor = {k: int(v) for k, v in rec.query.items() if k in ("before", "after", "around") and v.isdigit()}
        if "after" in anchor:
            chosen = [m for m in live if int(m["id"]) > anchor["after"]][:n]
        elif "around" in anchor:
            older = [m for m in live if int(m["id"]) < anchor["around"]]
            newer = [m for m in live if int(m["id"]) >= anchor["around"]]
            chosen = older[-(n // 2) :] + newer[: n - n // 2] if n > 1 else newer[:1]
        else:
            chosen = [m for m in live if "before" not in anchor or int(m["id"]) < anchor["before"]][-n:]
        return 200, [{k: v for k, v in m.items() if k != "nonce"} for m in reversed(chosen)]

    def get_message(self, rec: Request, channel_id: str, message_id: str) -> tuple[int, Any]:
        return 200, self._channel_message(rec, channel_id, message_id)

    def edit_message(self, rec: Request, channel_id: str, message_id: str) -> tuple[int, Any]:
        current = self._channel_message(rec, channel_id, message_id)
        if current["author"]["id"] != str(self.fake.guild.bot_user.id):
            raise error(403, 50005, "Cannot edit a message authored by another user")
        self.fake.reject_invalid(message_problems(merged_edit(current, rec.body), rec.files), rec)
        return 200, self.apply_edit(current, rec.body, rec.files)

    def delete_message(self, rec: Request, channel_id: str, message_id: str) -> tuple[int, Any]:
        message = self._channel_message(rec, channel_id, message_id)
        self.delete(message)
        return 204, None

    def typing(self, rec: Request, channel_id: str) -> tuple[int, Any]:
        self.fake.known_channel(channel_id)
        return 204, None

    # ---------------------------------------------------------------- the store

    def find(self, message: MessageRef) -> dict[str, Any]:
        if isinstance(message, Request):
            if message.message_id is None:
                raise ValueError(f"{message!r} did not create or edit a message")
            mid = message.message_id
        elif isinstance(message, dict):
            mid = int(message["id"])
        else:
            mid = int(message)
        if mid not in self.fake.messages:
            raise ValueError(f"no live message {mid} (deleted, or never sent)")
        return self.fake.messages[mid]

    def delete(self, message: dict[str, Any]) -> None:
        mid = int(message["id"])
        self.fake.deleted_messages[mid] = self.fake.messages.pop(mid)

    def attachment_dict(self, aid: int, upload: Upload) -> dict[str, Any]:
        url = f"{self.fake.http_base}/attachments/{aid}/{upload.filename}"
        return {
            "id": str(aid),
            "filename": upload.filename,
            "size": len(upload.data),
            "url": url,
            "proxy_url": url,
            "content_type": upload.content_type,
        }

    def add_attachment(self, upload: Upload) -> tuple[int, dict[str, Any]]:
        aid = self.fake.ids.next()
        self.attachments[aid] = upload
        return aid, self.attachment_dict(aid, upload)

    def _attachments_for(
        self, data: dict[str, Any], files: list[Upload], existing: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        by_index: dict[int, Upload] = {}
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
                _, attachment = self.add_attachment(by_index[int(sid)])
                if spec.get("description"):
                    attachment["description"] = spec["description"]
                out.append(attachment)
        for index, upload in sorted(by_index.items()):
            if index not in used:
                out.append(self.add_attachment(upload)[1])
        return out

    def create(
        self,
        channel: FakeChannel,
        data: dict[str, Any],
        files: list[Upload],
        *,
        interaction: Interaction | None = None,
        raw_flags: bool = False,
    ) -> dict[str, Any]:
        """Store a new message from the bot; only an interaction response may be ephemeral."""
        fake = self.fake
        mid = fake.ids.next()
        flags = int(data.get("flags") or 0)
        message: dict[str, Any] = {
            "id": str(mid),
            "channel_id": str(channel.id),
            "type": 0,
            "author": fake.guild.bot_user.to_dict(),
            "content": data.get("content") or "",
            "timestamp": iso(),
            "edited_timestamp": None,
            "tts": bool(data.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments_for(data, files, []),
            "embeds": data.get("embeds") or [],
            "components": data.get("components") or [],
            "pinned": False,
            "flags": flags if raw_flags else flags & SENDABLE_FLAGS,
        }
        if interaction is not None:
            app_id = str(fake.guild.application_id)
            message["type"] = 20 if interaction.type == APPLICATION_COMMAND else 0
            message["webhook_id"] = app_id
            message["application_id"] = app_id
            message["interaction_metadata"] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": fake.guild.users[interaction.user_id].to_dict(),
                "authorizing_integration_owners": interaction.payload.get("authorizing_integration_owners", {}),
            }
            interaction.message_ids.add(mid)
        elif not raw_flags and flags & FLAG_EPHEMERAL:
            message["flags"] &= ~FLAG_EPHEMERAL
        fake.messages[mid] = message
        return message

    def apply_edit(
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
            message["attachments"] = self._attachments_for(spec, files, message["attachments"])
        if mark_edited:
            message["edited_timestamp"] = iso()
        return message


def merged_edit(current: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The message as an edit would leave it, for checking limits before applying the edit."""
    return {**current, **{k: v for k, v in data.items() if k in EDITABLE}}
