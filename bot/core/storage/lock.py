"""One bot process per database: the right to serve it, which the system takes back when the process ends.

Two processes delivering from one database would each send what the other is sending. `ServingLock` takes
an exclusive `flock` on a file beside the database (`confbot.db.lock`): the kernel releases it when the
process exits, however it exits (a crash or SIGKILL included), so a dead bot never keeps the next one out.
The file holds the holder's process id, for the message a second process prints.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from bot.core.storage.database import DatabaseError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock; one process per database is then up to the operator
    fcntl = None  # type: ignore[assignment]  # the module is absent on this platform

__all__ = ["DatabaseBusyError", "ServingLock"]


class DatabaseBusyError(DatabaseError):
    """Another confbot process is serving this database."""


class ServingLock:
    """Held while this process serves the database at `path` (":memory:" needs none)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.lock_path = None if self.path == ":memory:" else Path(self.path + ".lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock, or raise DatabaseBusyError naming the process that holds it."""
        if self.lock_path is None or fcntl is None or self._fd is not None:
            return
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DatabaseError(
                f"the database {self.path} cannot be locked ({self.lock_path}: {exc.strerror})"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise DatabaseBusyError(
                f"another confbot (process {holder}) is already serving the database {self.path}: "
                "stop it first, or give this one another database (--db)"
            ) from None
        except OSError as exc:
            os.close(fd)
            raise DatabaseError(
                f"the database {self.path} cannot be locked ({self.lock_path}: {exc.strerror})"
            ) from exc
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def __enter__(self) -> ServingLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
