"""Exactly-once delivery of notices: the port a front end implements, the fan-out that sends and closes each
row, and the pacer that spends the bot's one budget of requests by priority."""

from bot.core.delivery.fanout import (
    NONCE_TRUST,
    Batch,
    DeliveryStore,
    Fanout,
    RunReport,
    channel_post_nonce,
    left_uncertain,
)
from bot.core.delivery.pacer import CHANNEL_POSTS_PER_SECOND, DISCORD_LIMIT_PER_SECOND, Pacer, at_priority
from bot.core.delivery.sender import DMClosed, NoticeSender, PermanentSendError, TransientSendError

__all__ = [
    "CHANNEL_POSTS_PER_SECOND",
    "DISCORD_LIMIT_PER_SECOND",
    "NONCE_TRUST",
    "Batch",
    "DMClosed",
    "DeliveryStore",
    "Fanout",
    "NoticeSender",
    "Pacer",
    "PermanentSendError",
    "RunReport",
    "TransientSendError",
    "at_priority",
    "channel_post_nonce",
    "left_uncertain",
]
