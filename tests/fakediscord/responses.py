"""Answers to interactions: the initial callback (3-second rule, once only), followups and response edits.

Callback types: 4 message, 5 deferred ("thinking"), 6 deferred update, 7 update the clicked
message, 8 autocomplete choices, 9 modal.  Types 4 and 5 answer `with_response` with the
created message; the interaction token then lasts `fake.token_lifetime` (15 minutes) for
followups (`POST /webhooks/{app}/{token}`) and edits of `@original`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakediscord.errors import error, invalid_form_body
from tests.fakediscord.limits import choice_problems, message_problems, modal_problems
from tests.fakediscord.messages import merged_edit
from tests.fakediscord.models import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
)
from tests.fakediscord.records import Interaction, Request

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord

ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}


class Responses:
    """The interaction callback and webhook routes; accepted answers are added to `interaction.responses`."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.by_token: dict[str, Interaction] = {}

    def routes(self) -> list[tuple[str, str, Callable[..., Any]]]:
        return [
            ("POST", "/interactions/{interaction_id}/{token}/callback", self.callback),
            ("POST", "/webhooks/{application_id}/{token}", self.followup),
            ("GET", "/webhooks/{application_id}/{token}/messages/{message_id}", self.get_webhook_message),
            ("PATCH", "/webhooks/{application_id}/{token}/messages/{message_id}", self.edit_webhook_message),
            ("DELETE", "/webhooks/{application_id}/{token}/messages/{message_id}", self.delete_webhook_message),
        ]

    def callback(self, rec: Request, interaction_id: str, token: str) -> tuple[int, Any]:
        fake = self.fake
        it = fake.interactions.get(int(interaction_id)) if interaction_id.isdigit() else None
        if it is None or it.token != token:
            fake.violate("unknown_interaction", "callback for an interaction the fake never sent", rec)
            raise error(404, 10062, "Unknown interaction")
        rec.interaction = it
        if it.initial_response is not None:
            fake.violate(
                "already_acknowledged",
                f"second initial response to {it!r} (first was type {it.initial_response.callback_type})",
                rec,
            )
            raise error(400, 40060, "Interaction has already been acknowledged.")
        age = fake.now() - it.created_at
        if age > fake.response_deadline:
            fake.violate(
                "late_response",
                f"first response to {it!r} after {age:.2f}s (Discord allows {fake.response_deadline:g}s; defer first)",
                rec,
            )
            raise error(404, 10062, "Unknown interaction")
        ctype = rec.body.get("type")
        if ctype not in ALLOWED_CALLBACKS.get(it.type, set()):
            fake.violate("callback_type", f"callback type {ctype} is not valid for interaction type {it.type}", rec)
            raise invalid_form_body(("type", "Interaction callback type invalid"))
        data = rec.body.get("data") or {}
        message: dict[str, Any] | None = None
        channel = fake.guild.channels[it.channel_id]
        store = fake.store
        if ctype == 4:
            fake.reject_invalid(message_problems(data, rec.files), rec)
            message = store.create(channel, data, rec.files, interaction=it)
            it.original_message_id = int(message["id"])
        elif ctype == 5:
            loading = {"content": "", "flags": FLAG_LOADING | (int(data.get("flags") or 0) & FLAG_EPHEMERAL)}
            message = store.create(channel, loading, [], interaction=it, raw_flags=True)
            it.original_message_id = int(message["id"])
            it.followup_replaces_loading = True
        elif ctype in (6, 7):
            source = (it.payload.get("message") or {}).get("id")
            if source is None or int(source) not in fake.messages:
                raise error(404, 10008, "Unknown Message")
            it.original_message_id = int(source)
            if ctype == 7:
                current = fake.messages[int(source)]
                fake.reject_invalid(message_problems(merged_edit(current, data), rec.files), rec)
                message = store.apply_edit(current, data, rec.files)
        elif ctype == 8:
            fake.reject_invalid(choice_problems(data.get("choices") or []), rec)
        elif ctype == 9:
            fake.reject_invalid(modal_problems(data), rec)
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
        fake = self.fake
        if application_id != str(fake.guild.application_id):
            raise error(404, 10015, "Unknown Webhook")
        it = self.by_token.get(token)
        if it is None:
            raise error(401, 50027, "Invalid Webhook Token")
        rec.interaction = it
        if fake.now() - it.created_at > fake.token_lifetime:
            fake.violate("expired_token", f"{it!r} used after its {fake.token_lifetime:g}s token expired", rec)
            raise error(401, 50027, "Invalid Webhook Token")
        if it.initial_response is None:
            fake.violate(
                "no_initial_response",
                f"followup or edit of {it!r} before any initial response (respond or defer first)",
                rec,
            )
            raise error(404, 10015, "Unknown Webhook")
        return it

    def followup(self, rec: Request, application_id: str, token: str) -> tuple[int, Any]:
        fake = self.fake
        it = self._webhook_interaction(rec, application_id, token)
        data = rec.body
        fake.reject_invalid(message_problems(data, rec.files), rec)
        original = fake.messages.get(it.original_message_id or 0)
        if it.followup_replaces_loading and original is not None and int(original["flags"]) & FLAG_LOADING:
            # After a deferral the first followup fills in the "thinking" message; its ephemerality was set by the defer.
            it.followup_replaces_loading = False
            keep = int(original["flags"]) & FLAG_EPHEMERAL
            message = fake.store.apply_edit(
                original,
                {**data, "flags": keep | (int(data.get("flags") or 0) & ~FLAG_EPHEMERAL)},
                rec.files,
                raw_flags=True,
                mark_edited=False,
            )
        else:
            message = fake.store.create(fake.guild.channels[it.channel_id], data, rec.files, interaction=it)
        rec.message_id = int(message["id"])
        if rec.query.get("wait") in ("0", "false", "False"):
            return 204, None
        return 200, message

    def _interaction_message(self, rec: Request, it: Interaction, message_id: str) -> dict[str, Any]:
        messages = self.fake.messages
        if message_id == "@original":
            mid = it.original_message_id
        else:
            mid = int(message_id) if message_id.isdigit() else None
        if mid is None or mid not in messages or (mid not in it.message_ids and mid != it.original_message_id):
            raise error(404, 10008, "Unknown Message")
        rec.message_id = mid
        return messages[mid]

    def get_webhook_message(self, rec: Request, application_id: str, token: str, message_id: str) -> tuple[int, Any]:
        it = self._webhook_interaction(rec, application_id, token)
        return 200, self._interaction_message(rec, it, message_id)

    def edit_webhook_message(self, rec: Request, application_id: str, token: str, message_id: str) -> tuple[int, Any]:
        it = self._webhook_interaction(rec, application_id, token)
        current = self._interaction_message(rec, it, message_id)
        self.fake.reject_invalid(message_problems(merged_edit(current, rec.body), rec.files), rec)
        if int(current["flags"]) & FLAG_LOADING:
            it.followup_replaces_loading = False
        return 200, self.fake.store.apply_edit(current, rec.body, rec.files)

    def delete_webhook_message(self, rec: Request, application_id: str, token: str, message_id: str) -> tuple[int, Any]:
        it = self._webhook_interaction(rec, application_id, token)
        self.fake.store.delete(self._interaction_message(rec, it, message_id))
        return 204, None
