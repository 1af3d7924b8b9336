"""Exactly-once delivery of notices: the port a front end implements, and the fan-out that sends and closes each row."""

from bot.core.delivery.fanout import Batch, DeliveryStore, Fanout, RunReport, channel_post_nonce
from bot.core.delivery.sender import DMClosed, NoticeSender, PermanentSendError, TransientSendError

__all__ = [
    "Batch",
    "DMClosed",
    "DeliveryStore",
    "Fanout",
    "NoticeSender",
    "PermanentSendError",
    "RunReport",
    "TransientSendError",
    "channel_post_nonce",
]
