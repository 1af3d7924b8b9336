"""Discord nonces: at most 25 characters, derived from what a message is so that a resend reuses it."""

from __future__ import annotations

import hashlib
import secrets

__all__ = ["NONCE_LENGTH", "derived_nonce", "random_nonce"]

NONCE_LENGTH = 25  # Discord accepts a nonce of at most 25 characters


def derived_nonce(*parts: object, prefix: str = "") -> str:
    """A nonce that is a function of `parts` alone: the same message computed again, after a crash, gets the same one."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return prefix + digest[: NONCE_LENGTH - len(prefix)]


def random_nonce() -> str:
    """A fresh nonce for a message that is stored before it is sent (the row keeps it for any resend)."""
    return secrets.token_hex(12)
