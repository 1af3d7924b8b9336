"""One bot process per database: a second is refused, and a crashed one does not keep the next one out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from bot.core.storage import DatabaseBusyError, ServingLock
from tests.paths import REPO


def test_a_second_process_may_not_serve_the_same_database(tmp_path):
    """While one holds the database, a second is refused with a message naming the holder and the file."""
    db = tmp_path / "bot.db"
    with ServingLock(db):
        with pytest.raises(DatabaseBusyError) as caught:
            ServingLock(db).acquire()
        message = str(caught.value)
        assert f"process {os.getpid()}" in message and str(db) in message and "\n" not in message
        with ServingLock(tmp_path / "other.db") as other:  # another database is another matter
            assert other.held
    with ServingLock(db) as again:  # released: the next one may
        assert again.held


def test_a_killed_process_does_not_hold_the_database_forever(tmp_path):
    """A bot killed with SIGKILL leaves its lock file behind, but not its lock: the next bot starts."""
    db = tmp_path / "bot.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from bot.core.storage import ServingLock
                ServingLock({str(db)!r}).acquire()
                print("held", flush=True)
                time.sleep(60)
                """
            ),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseBusyError, match=f"process {holder.pid}"):
            ServingLock(db).acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait(5)
        assert (tmp_path / "bot.db.lock").exists()
        with ServingLock(db) as lock:
            assert lock.held
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
