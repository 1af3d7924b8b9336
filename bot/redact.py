"""Keeps the Discord token out of everything the bot prints: its output, its logs, its error messages.

`python -m bot` wraps stdout and stderr at once (`protect_output`), before any option is read; the
configuration adds the token it names as soon as it knows it (`REDACT.add`). A token is also hidden by its
shape, so one pasted into the wrong option never shows either.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from typing import Any, TextIO, cast

HIDDEN = "[hidden]"
MIN_SECRET = 8  # shorter values are not worth hiding (and would hide ordinary words)
DEFAULT_TOKEN_ENV = "DISCORD_TOKEN"
# A Discord bot token: the bot's id in base64, a timestamp, a signature, joined by dots.
TOKEN_SHAPE = re.compile(r"(?<![A-Za-z0-9_-])[MNO][A-Za-z0-9_-]{23,31}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,45}")


class Redactor:
    """Hides the secrets it was given, and anything shaped like a Discord token, in a text."""

    def __init__(self) -> None:
        self._secrets: list[str] = []

    def add(self, secret: str | None) -> None:
        value = (secret or "").strip()
        if len(value) >= MIN_SECRET and value not in self._secrets:
            self._secrets.append(value)
            self._secrets.sort(key=len, reverse=True)  # a longer secret first, should one contain another

    def add_env(self, name: str | None) -> None:
        """Hide the value of the environment variable `name` (the token, when `name` is the token's variable)."""
        if name:
            self.add(os.environ.get(name))

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, HIDDEN)
        return TOKEN_SHAPE.sub(HIDDEN, text)


REDACT = Redactor()


class RedactingStream:
    """A text stream that writes through `redact` to the stream it wraps (stdout or stderr)."""

    def __init__(self, stream: TextIO, redact: Redactor = REDACT):
        self._stream = stream
        self._redact = redact

    def write(self, text: str) -> int:
        self._stream.write(self._redact(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding ...: those of the wrapped stream
        return getattr(self._stream, name)


class RedactingFilter(logging.Filter):
    """A logging filter for handlers that write anywhere else than the protected stdout and stderr."""

    def __init__(self, redact: Redactor = REDACT):
        super().__init__()
        self._redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        return True


def protect_output() -> None:
    """Hide the token in everything this process writes to stdout and stderr, from now on."""
    REDACT.add_env(DEFAULT_TOKEN_ENV)
    if not isinstance(sys.stdout, RedactingStream):
        sys.stdout = cast(TextIO, RedactingStream(sys.stdout))  # a TextIO in all but name: the rest is delegated
    if not isinstance(sys.stderr, RedactingStream):
        sys.stderr = cast(TextIO, RedactingStream(sys.stderr))


def protect_logs() -> None:
    """Hide the token in every log record the root logger's handlers write (whatever their destination)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
