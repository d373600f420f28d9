"""Chat events on PostgreSQL that wait for the database without blocking the event loop.

The flows call the store synchronously (conversations/ is plain functions), so on
PostgreSQL each event used to run on a worker thread, and every wait for the database
cost a GIL handoff between that thread and the event loop: 0.4 ms of CPU per update in
bench/load.py, a sixth of the server's work. Here an event runs in a greenlet on the
loop's own thread instead; when psycopg would block on its socket, the greenlet hands
control back to the loop, which switches into it again once the socket is ready. Same
synchronous code, no threads, and the loop keeps serving other updates meanwhile.

Only `GreenConnection.wait` knows about this: outside `run_green` (the API's threads,
the jobs, the tests) it blocks as psycopg always does.
"""

import asyncio
import select
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg
from greenlet import getcurrent, greenlet
from psycopg.waiting import READY_R, READY_W, WAIT_R, WAIT_W

T = TypeVar("T")


class _EventGreenlet(greenlet):  # type: ignore[misc]
    """An event being served by `run_green`: its database waits go through the loop."""


async def run_green(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)`, letting its PostgreSQL waits give the loop to other work.

    The greenlet hands back a future each time it waits; it is resumed here, in this
    coroutine, once that future is done (never from inside the loop's own callbacks).
    """
    event = _EventGreenlet(fn)
    waited = event.switch(*args)
    while not event.dead:
        try:
            ready = await waited
        except BaseException:  # a cancelled task: raised inside the event, whose transaction rolls back
            waited = event.throw(*sys.exc_info())
        else:
            waited = event.switch(ready)
    return waited  # type: ignore[no-any-return]


class GreenConnection(psycopg.Connection[Any]):
    """A psycopg connection whose waits, inside `run_green`, wait on the event loop.

    A greenlet must never wait while it holds a lock another greenlet on the same thread
    may want: that would block the loop for good. SQLAlchemy sets a new connection up
    under such a lock, so a connection waits on the loop only once `set_up` says so.
    """

    set_up = False

    def wait(self, gen: Any, *args: Any, **kwargs: Any) -> Any:
        timed = len(args) > 1 or kwargs.get("timeout") is not None  # rare (cancel, connection checks)
        if timed or not self.set_up or not isinstance(getcurrent(), _EventGreenlet):
            return super().wait(gen, *args, **kwargs)
        fileno = self.pgconn.socket
        try:
            state = next(gen)
            while True:
                ready = _ready_now(fileno) if state & WAIT_W else 0
                state = gen.send(ready or _on_the_loop(fileno, state))
        except StopIteration as finished:
            return finished.value
        except OSError as error:
            raise psycopg.OperationalError("connection socket closed") from error


def _ready_now(fileno: int) -> int:
    """A socket asked for writing nearly always is writable: ask the kernel, skip the loop."""
    readable, writable, _ = select.select([fileno], [fileno], [], 0)
    return (READY_R if readable else 0) | (READY_W if writable else 0)


def _on_the_loop(fileno: int, state: int) -> int:
    """Give the loop back until the socket is ready as `state` asks; how it is ready."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[int] = loop.create_future()

    def wake(how: int) -> None:
        if not ready.done():  # both directions may fire in one loop pass
            ready.set_result(how)

    if state & WAIT_R:
        loop.add_reader(fileno, wake, READY_R)
    if state & WAIT_W:
        loop.add_writer(fileno, wake, READY_W)
    try:
        return getcurrent().parent.switch(ready)  # type: ignore[no-any-return]
    finally:
        if state & WAIT_R:
            loop.remove_reader(fileno)
        if state & WAIT_W:
            loop.remove_writer(fileno)
