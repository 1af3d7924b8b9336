"""Programme documents from a file or a URL, and the poller that notices their new versions.

A URL is fetched with aiohttp at start and then polled with `If-None-Match`/`If-Modified-Since`, so an
unchanged programme costs a 304. Every version that reads well is saved beside the database (the last good
copy), so a restart without network still serves the programme. A fetch that fails, times out, answers other
than 200/304 or brings something unreadable keeps the programme served: it is logged once and told to the
organizers once per outage, and the next good version ends the outage. A file is polled by its stat and read
once it has stayed unchanged for a moment (an editor's save is often a burst of writes).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import Clock
from bot.core.model import Problem
from bot.core.programme.catalog import Catalog
from bot.core.programme.document import MAX_BYTES, DocumentLoader, Fetched, Origin, is_url

__all__ = ["FileOrigin", "SourcePoller", "UrlOrigin", "origin_for"]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0  # seconds for one fetch, answer and body together
_COPY_MAGIC = b"confbot programme copy\n"
_Stamp = tuple[int, int, int]  # mtime_ns, size, inode


def origin_for(source: str, copy_path: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> Origin:
    """Where a configured programme document comes from: a URL (with its copy at `copy_path`), else a file."""
    if is_url(source):
        return UrlOrigin(source.strip(), copy_path, timeout)
    return FileOrigin(Path(source))


def _digest(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


# ---------------------------------------------------------------------- a file


class FileOrigin:
    """A programme document in a file: read whole; looked at again when its stat changes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._seen: tuple[_Stamp | None, str | None] = (None, None)  # the stamp and digest last read

    @property
    def last_read(self) -> _Stamp | None:
        """The file's stamp when it was last read."""
        return self._seen[0]

    @property
    def location(self) -> str:
        return str(self.path)

    def stamp(self) -> _Stamp | None:
        """What the file looks like now without reading it (None when it is missing)."""
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def read_now(self) -> Fetched:
        stamp = self.stamp()
        try:
            with open(self.path, "rb") as f:
                body = f.read(MAX_BYTES + 1)
        except IsADirectoryError:
            return Fetched("failed", reason="is a folder, not a file")
        except FileNotFoundError:
            return Fetched("failed", reason="file not found")
        except OSError as exc:
            return Fetched("failed", reason=f"cannot read: {exc.strerror or exc}")
        if len(body) > MAX_BYTES:
            return Fetched("failed", reason=f"larger than any programme ({MAX_BYTES:,} bytes at most)")
        self._seen = (stamp, _digest(body))
        return Fetched("new", body)

    async def fetch(self) -> Fetched:
        stamp = self.stamp()
        if stamp is not None and stamp == self._seen[0]:
            return Fetched("same")
        last = self._seen[1]
        fetched = await asyncio.to_thread(self.read_now)
        if fetched.body is not None and _digest(fetched.body) == last:
            return Fetched("same")
        return fetched

    def fallback(self) -> Fetched | None:
        return None  # the file is its own copy

    def keep(self, fetched: Fetched) -> None:
        """Nothing to keep: the file stays where it is."""


# ---------------------------------------------------------------------- a URL


class UrlOrigin:
    """A programme document at a URL: conditional fetches, and the last good copy kept at `copy_path`."""

    def __init__(self, url: str, copy_path: Path | None = None, timeout: float = DEFAULT_TIMEOUT):
        self.url = url
        self.copy_path = Path(copy_path) if copy_path is not None else None
        self.timeout = timeout
        self._lock = threading.Lock()
        self._last: Fetched | None = None  # the last body received (readable or not) and its validators
        self._copy: Fetched | None = None  # the last good copy, as read from or written to copy_path
        self._copy_read = False

    @property
    def location(self) -> str:
        return self.url

    # ------------------------------------------------------------------ fetching

    def read_now(self) -> Fetched:
        """Fetch now and wait (in a thread of its own, so it works inside or outside a running event loop);
        an unchanged document (304) is answered with the body last received or saved."""
        self.fallback()  # its validators make the first request conditional
        box: list[Fetched] = []

        def run() -> None:
            try:
                box.append(asyncio.run(self._get()))
            except BaseException as exc:  # noqa: BLE001 - reported as a failed fetch, never raised into a load
                box.append(Fetched("failed", reason=f"{type(exc).__name__}: {exc}"))

        worker = threading.Thread(target=run, name="confbot-programme-fetch", daemon=True)
        worker.start()
        worker.join(self.timeout + 5)
        if not box:
            return Fetched("failed", reason=f"no answer within {self.timeout:g} s")
        fetched = box[0]
        if fetched.status == "same":
            known = self._known()
            if known is None or known.body is None:
                return Fetched("failed", reason="the server says unchanged, but no copy is known")
            return Fetched("new", known.body, validators=known.validators)
        return fetched

    async def fetch(self) -> Fetched:
        """Fetch on the running event loop: "new" with a body that differs from the last one received, "same"
        for a 304 or the same bytes, or "failed" with the reason."""
        return await self._get()

    def _known(self) -> Fetched | None:
        with self._lock:
            return self._last or self._copy

    async def _get(self) -> Fetched:
        import aiohttp  # a dependency of discord.py; only a programme at a URL needs it

        known = self._known()
        headers = {"User-Agent": "confbot (conference programme)", "Accept": "*/*"}
        if known is not None:
            etag, modified = known.validators
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        try:
            timeout = aiohttp.ClientTimeout(total=self.timeout)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(self.url, headers=headers, allow_redirects=True) as response,
            ):
                if response.status == 304:
                    return Fetched("same")
                if response.status != 200:
                    return Fetched(
                        "failed", reason=f"the server answered HTTP {response.status} {response.reason or ''}".rstrip()
                    )
                body = await _read_limited(response, MAX_BYTES)
                if body is None:
                    return Fetched("failed", reason=f"larger than any programme ({MAX_BYTES:,} bytes at most)")
                validators = (response.headers.get("ETag"), response.headers.get("Last-Modified"))
        except TimeoutError:
            return Fetched("failed", reason=f"no answer within {self.timeout:g} s")
        except aiohttp.ClientError as exc:
            return Fetched("failed", reason=f"could not fetch it ({type(exc).__name__}: {exc})".replace(": )", ")"))
        except (OSError, ValueError) as exc:
            return Fetched("failed", reason=f"could not fetch it ({type(exc).__name__}: {exc})")
        fetched = Fetched("new", body, validators=validators)
        with self._lock:
            same = self._last is not None and self._last.body == body
            self._last = fetched
        return Fetched("same") if same else fetched

    # ------------------------------------------------------------------ the last good copy

    def fallback(self) -> Fetched | None:
        """The copy saved beside the database by an earlier run, when it is whole and of this URL."""
        with self._lock:
            if self._copy_read:
                return self._copy
            self._copy_read = True
            self._copy = _read_copy(self.copy_path, self.url) if self.copy_path is not None else None
            return self._copy

    def keep(self, fetched: Fetched) -> None:
        """Save a version that read well as the last good copy (written aside, then renamed over it)."""
        if fetched.body is None:
            return
        with self._lock:
            if (
                self._copy is not None
                and self._copy.body == fetched.body
                and self._copy.validators == fetched.validators
            ):
                return
            self._copy, self._copy_read = fetched, True
            if self._last is None:
                self._last = fetched
        if self.copy_path is not None:
            _write_copy(self.copy_path, self.url, fetched)


async def _read_limited(response: Any, limit: int) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(1 << 16):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _write_copy(path: Path, url: str, fetched: Fetched) -> None:
    assert fetched.body is not None
    etag, modified = fetched.validators
    header = json.dumps(
        {
            "url": url,
            "etag": etag,
            "last_modified": modified,
            "size": len(fetched.body),
            "digest": _digest(fetched.body),
        }
    ).encode()
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with open(fd, "wb") as f:
            f.write(_COPY_MAGIC + header + b"\n")
            f.write(fetched.body)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _read_copy(path: Path, url: str) -> Fetched | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(_COPY_MAGIC):
        return None
    head, _, body = data[len(_COPY_MAGIC) :].partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("url") != url:
        log.info("programme copy %s is of another URL: not used", path)
        return None
    if header.get("size") != len(body) or header.get("digest") != _digest(body):
        log.info("programme copy %s is damaged: not used", path)
        return None
    etag, modified = header.get("etag"), header.get("last_modified")
    return Fetched(
        "new",
        body,
        validators=(etag if isinstance(etag, str) else None, modified if isinstance(modified, str) else None),
    )


# ---------------------------------------------------------------------- the poller


Tell = Callable[[Sequence[Problem]], Awaitable[None]]


class SourcePoller:
    """Looks at a programme document every `interval` seconds and serves each new version that reads well.

    A new version is read off the event loop, offered to the loader, and served by `reload([location])` (the
    same reload, change diff and notices as edited files). A failure (unreachable, not 200/304, unreadable)
    keeps the programme served, is logged once and told once per outage through `tell`. A file is read only
    once its stat has stayed the same for `settle` (so a save in several writes is read once, whole).
    """

    def __init__(
        self,
        loader: DocumentLoader,
        reload: Callable[[list[str]], Awaitable[Any]],
        *,
        clock: Clock,
        interval: float,
        settle: timedelta = timedelta(0),
        tell: Tell | None = None,
        catalog: Callable[[], Catalog] | None = None,
    ):
        self.loader = loader
        self.origin = loader.origin
        self.reload = reload
        self.clock = clock
        self.interval = interval
        self.settle = settle
        self.tell = tell
        self.catalog = catalog
        self.down_since: datetime | None = None  # when the current outage began
        self.last_failure = ""  # why the document could last not be read
        self._report: list[Problem] = []  # what the organizers are told of the current outage
        self._told = False
        self._unreadable = False  # the last version received could not be read (only a new one ends that)
        self._stamp: object = None
        self._changed_at: datetime | None = None

    async def start(self) -> None:
        """At start: a programme served from the saved copy (or not at all) is an outage to tell of."""
        current = self.catalog() if self.catalog is not None else None
        if current is not None and self.origin.location in current.failed_files:
            errors = [p for p in current.problems if p.severity == "error" and p.path == self.origin.location]
            reason = errors[0].message if errors else "could not be read at start"
            await self._outage(reason, errors[1:])

    async def poll_once(self) -> str:
        """Look once: "new" (a new version served), "same", "waiting" (a file still being written), "failed"."""
        if self.settle and isinstance(self.origin, FileOrigin):
            stamp = self.origin.stamp()
            if stamp != self.origin.last_read:  # changed since read: wait until it stays the same a while
                now = self.clock.now()
                if stamp != self._stamp or self._changed_at is None:
                    self._stamp, self._changed_at = stamp, now
                    return "waiting"
                if now - self._changed_at < self.settle:
                    return "waiting"
        fetched = await self.origin.fetch()
        if fetched.failed:
            await self._outage(fetched.reason)
            return "failed"
        if fetched.status == "same" or fetched.body is None:
            if self.down_since is not None and not self._unreadable:  # reachable again, and what it has reads well
                if not self._serving_good():
                    if not self.loader.restore():
                        return "same"  # nothing readable was ever served: the outage goes on
                    await self.reload([self.origin.location])  # the outage's problems go
                self._recovered()
            return "same"
        reading = await asyncio.to_thread(self.loader.read, fetched.body)
        if not reading.ok:
            self._unreadable = True
            errors = [p for p in reading.problems if p.severity == "error"]
            reason = "this version could not be read: " + (errors[0].message if errors else "no sessions")
            await self._outage(reason, errors[1:4])
            return "failed"
        self._unreadable = False
        self.loader.offer(fetched, reading)
        await self.reload([self.origin.location])
        self._recovered()
        return "new"

    def _serving_good(self) -> bool:
        current = self.catalog() if self.catalog is not None else None
        return current is None or self.origin.location not in current.failed_files

    async def _outage(self, reason: str, more: Sequence[Problem] = ()) -> None:
        """Logged once when an outage begins; told once (tried again at the next poll if telling failed)."""
        self.last_failure = reason
        if self.down_since is None:
            self.down_since = self.clock.now()
            log.warning(
                "programme %s: %s; attendees keep the programme as last read well", self.origin.location, reason
            )
            since = self.down_since.astimezone(self.loader.tz).strftime("%Y-%m-%d %H:%M %Z")
            message = f"{reason} (since {since}); attendees keep the programme as last read well"
            self._report = [Problem(self.origin.location, 0, None, "error", message, at=""), *more]
            self._told = False
        else:
            log.debug("programme %s still unreadable: %s", self.origin.location, reason)
        if not self._told and self.tell is not None:
            try:
                await self.tell(self._report)
            except Exception:
                log.exception("could not tell the organizers that the programme is unreadable")
            else:
                self._told = True

    def _recovered(self) -> None:
        if self.down_since is not None:
            log.info("programme %s readable again (unreadable since %s)", self.origin.location, self.down_since)
            self.down_since = None
            self._report, self._told = [], False

    async def run(self) -> None:
        """Tell of an outage at start, then poll every `interval` seconds until cancelled."""
        await self.start()
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.poll_once()
            except Exception:
                log.exception("polling the programme %s failed", self.origin.location)
