"""The start-up cache: the loaded programme (the loader's readings of every file, the catalog, the search index)
saved in one file beside the database, so a restart reads and indexes only what changed since.

It can never fool the bot. The file starts with a header naming this code's version (a hash of the modules
that read, load and index the programme) and a checksum of the rest: a file from other code, a truncated or
corrupt file, or one made for another folder, zone or set of track files is ignored (and rebuilt). Each
session file's reading is kept with the file's size, mtime and ctime as read; a file that differs now is read
again, so a stale cache costs the files that changed and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bot.core.programme.catalog import Catalog
from bot.core.programme.loader import CatalogLoader
from bot.core.search import SearchIndex

__all__ = ["Snapshot", "code_version", "inputs", "read", "write"]

log = logging.getLogger(__name__)

MAGIC = b"confbot programme cache\n"
_HEADER = 512  # bytes: the header line, padded, then the pickle
_PROTOCOL = 5
_CORE = Path(__file__).resolve().parents[1]  # bot/core
_CODE = ("model.py", "text.py", "programme", "search")


@dataclass(slots=True)
class Snapshot:
    """A loaded programme: the loader (its readings and state), the catalog it made, and that catalog's index."""

    inputs: dict[str, Any]
    loader: CatalogLoader
    catalog: Catalog
    index: SearchIndex


def code_version() -> str:
    """A hash of the code whose objects the cache holds: any change to it makes old caches unreadable."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{sys.version_info[:2]} pickle {_PROTOCOL}".encode())
    for name in _CODE:
        path = _CORE / name
        files = sorted(path.glob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def inputs(loader: CatalogLoader) -> dict[str, Any]:
    """What a loaded programme depends on besides its session files: folders, zone, lengths, format, side files."""
    side: list[tuple[str, int, int, int] | str] = []
    for path in loader.side_files():
        try:
            st = path.stat()
        except OSError:
            side.append(str(path))
        else:
            side.append((str(path), st.st_mtime_ns, st.st_size, st.st_ctime_ns))
    return {
        "sessions": [str(loader.sessions_dir), str(loader.sessions_dir.resolve())],
        "tracks": str(loader.tracks_dir.resolve()) if loader.tracks_dir else None,
        "tz": loader.tz.key,
        "lengths": repr(loader.lengths),  # bot.config.Lengths is a dataclass: its repr says it all
        "format": [loader.format.name, loader.format.version],
        "side": side,
    }


class _Summing:
    """A file being written, with the checksum of what passed through (the pickler writes 64 KB frames, and
    between them another thread may run: saving never holds up the event loop for long)."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.crc = 0
        self.size = 0

    def write(self, data: bytes) -> int:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        return self.file.write(data)


def write(path: Path, snapshot: Snapshot) -> None:
    """Save a snapshot: to a temporary file beside `path`, then renamed over it, so a reader never sees half."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with open(fd, "wb") as f:
            f.write(b"\0" * _HEADER)
            out = _Summing(f)
            pickle.dump(snapshot, out, protocol=_PROTOCOL)
            header = json.dumps({"code": code_version(), "size": out.size, "crc": out.crc}).encode()
            f.seek(0)
            f.write((MAGIC + header + b"\n").ljust(_HEADER, b" "))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class _Checking:
    """A file being read, with the checksum of what passed through, for the unpickler to read from in frames
    (the whole file is never in memory at once besides the objects it holds)."""

    def __init__(self, file: IO[bytes], size: int) -> None:
        self.file = file
        self.crc = 0
        self.size = 0
        self.left = size

    def read(self, n: int = -1) -> bytes:
        # Never more than the file holds: a damaged length must not make the reader reserve gigabytes.
        data = self.file.read(self.left if n < 0 else min(n, self.left))
        return self._passed(data)

    def readline(self) -> bytes:
        return self._passed(self.file.readline(self.left))

    def _passed(self, data: bytes) -> bytes:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self.left -= len(data)
        return data


def read(path: Path, expected: dict[str, Any]) -> Snapshot | None:
    """The snapshot saved at `path`, if it was written by this code for these inputs and is whole; else None."""
    try:
        with open(path, "rb") as f:
            head = f.read(_HEADER)
            if not head.startswith(MAGIC):
                return _ignored(path, "not a programme cache")
            header = json.loads(head[len(MAGIC) :].split(b"\n", 1)[0])
            if not isinstance(header, dict) or header.get("code") != code_version():
                return _ignored(path, "written by another version of the bot")
            size = f.seek(0, os.SEEK_END) - _HEADER
            if size != header.get("size"):
                return _ignored(path, "damaged (cut short, or grown)")
            f.seek(_HEADER)
            checking = _Checking(f, size)
            try:
                snapshot = pickle.load(checking)
                checking.read()  # the rest, if any, counts too
            except Exception as exc:  # noqa: BLE001 - a damaged pickle can raise almost anything; the cache is optional
                return _ignored(path, f"unreadable ({type(exc).__name__})")
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        return _ignored(path, f"unreadable ({exc})")
    if checking.size != size or checking.crc != header.get("crc"):
        return _ignored(path, "damaged (its checksum does not match)")
    if not isinstance(snapshot, Snapshot):
        return _ignored(path, "not a programme cache")
    if snapshot.inputs != expected:
        return _ignored(path, "made for another programme folder, zone, lengths or track files")
    return snapshot


def _ignored(path: Path, why: str) -> Snapshot | None:
    """None, after saying in the log why the cache at `path` is not used."""
    log.info("programme cache %s ignored: %s", path, why)
    return None
