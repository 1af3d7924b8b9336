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
from array import array
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

    def write(self, data: Any) -> int:
        # bytes, or a large array's buffer as is (a pickle.PickleBuffer): counted in bytes, not items
        view = memoryview(data).cast("B")
        self.crc = zlib.crc32(view, self.crc)
        self.size += view.nbytes
        return self.file.write(view)


def write(path: Path, snapshot: Snapshot) -> None:
    """Save a snapshot: to a temporary file beside `path`, then renamed over it, so a reader never sees half."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with open(fd, "wb") as f:
            f.write(b"\0" * _HEADER)
            out = _Summing(f)
            _dump(out, snapshot)
            header = json.dumps({"code": code_version(), "size": out.size, "crc": out.crc}).encode()
            f.seek(0)
            f.write((MAGIC + header + b"\n").ljust(_HEADER, b" "))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class _Pickler(pickle.Pickler):
    """A pickler for one part of the cache: objects written in earlier parts are written as their number."""

    def __init__(self, file: _Summing, known: dict[int, int]) -> None:
        super().__init__(file, protocol=_PROTOCOL)
        self.known = known
        self.dispatch_table = {array: _reduce_array}

    def persistent_id(self, obj: Any) -> int | None:
        return self.known.get(id(obj))


def _reduce_array(a: array[Any]) -> tuple[Any, ...]:
    """An array (the search index holds 40,000) written from its own memory, not through a copy in bytes that
    the memo would keep alive until the part is written."""
    return _array, (a.typecode, pickle.PickleBuffer(a))


def _array(typecode: str, data: bytes | bytearray) -> array[Any]:
    return array(typecode, data)


def _dump(out: _Summing, snapshot: Snapshot) -> None:
    """The snapshot as a run of pickles, each written with a memo of its own: the files' readings and sessions
    a batch at a time (CatalogLoader.pieces), then the loader, the catalog, each part of the index, and last
    the snapshot itself; a later part refers to an object of an earlier one by its number. One pickle of the
    whole would keep every object it wrote in its memo till the end: a million at 10,000 sessions, 50 MB more
    at the peak of a first start. Objects shared by two parts but not passed on stay equal, as copies."""
    known: dict[int, int] = {}
    kept: list[Any] = []  # every numbered object stays alive (and its id its own) until the last part is written

    def part(items: list[Any]) -> None:
        _Pickler(out, known).dump(items)
        for obj in items:  # numbered as the reader numbers them: by place, a repeat too
            known.setdefault(id(obj), len(kept))
            kept.append(obj)

    for batch in snapshot.loader.pieces():
        part(batch)
    catalog, index = snapshot.catalog, snapshot.index
    part([snapshot.loader])
    part([catalog, catalog.tracks, *catalog.tracks.values(), catalog.sessions])
    for name in index.__slots__:
        part([getattr(index, name)])
    part([index])
    _Pickler(out, known).dump(snapshot)


class _Unpickler(pickle.Unpickler):
    """Reads one part of the cache, finding the objects of earlier parts by their numbers."""

    def __init__(self, file: _Checking, kept: list[Any]) -> None:
        super().__init__(file)
        self.kept = kept

    def persistent_load(self, pid: Any) -> Any:
        if type(pid) is not int or not 0 <= pid < len(self.kept):
            raise pickle.UnpicklingError("a reference to nothing in the cache")
        return self.kept[pid]


def _load(file: _Checking) -> Any:
    """What _dump wrote: the parts in order, each list's objects numbered on, up to the snapshot."""
    kept: list[Any] = []
    while True:
        obj = _Unpickler(file, kept).load()
        if not isinstance(obj, list):
            return obj
        kept.extend(obj)


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
                snapshot = _load(checking)
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
