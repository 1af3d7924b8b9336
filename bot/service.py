"""Running a long-lived front end as a service: SIGTERM stops it cleanly, and the process then exits 0.

A service manager (systemd, Docker, Kubernetes) stops a program with SIGTERM, whose default action kills it
on the spot: reminders half-claimed, the database left open. `serve` turns SIGTERM into a cancellation of the
front end's main coroutine, so its `finally` and `async with` blocks stop the scheduler and close the
database, as when the console reads /quit.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import signal
import threading
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


class DaemonThreads(concurrent.futures.ThreadPoolExecutor):
    """The default executor of a served front end: each job in a daemon thread of its own.

    The console reads the terminal in an executor thread, and a read cannot be interrupted; asyncio.run (and
    the interpreter at exit) would wait for that thread forever, so a terminated console would never exit.
    """

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def work() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 - handed to whoever awaits the job
                future.set_exception(exc)

        threading.Thread(target=work, name="confbot-job", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing to wait for: a job still running is a read nobody needs any more."""


def serve(main: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run `main()` until it returns (its exit code) or SIGTERM arrives (it is cancelled, cleans up, exit 0)."""

    async def guarded() -> int:
        loop = asyncio.get_running_loop()
        loop.set_default_executor(DaemonThreads())
        task = asyncio.current_task()
        assert task is not None
        terminated = False

        def on_sigterm() -> None:
            nonlocal terminated
            if not terminated:
                terminated = True
                log.info("SIGTERM: stopping")
                task.cancel()

        with contextlib.suppress(NotImplementedError, RuntimeError):  # no signal handlers on Windows
            loop.add_signal_handler(signal.SIGTERM, on_sigterm)
        try:
            return await main()
        except asyncio.CancelledError:
            if not terminated:
                raise
            task.uncancel()
            log.info("stopped after SIGTERM")
            return 0
        finally:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signal.SIGTERM)

    return asyncio.run(guarded())
