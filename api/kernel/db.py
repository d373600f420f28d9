"""Database engine and sessions, for SQLite (the default) and PostgreSQL alike."""

import os
import select
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine, event, make_url, text
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, SQLModel, create_engine

from api.kernel.green import GreenConnection

T = TypeVar("T", bound=SQLModel)


def make_engine(url: str) -> Engine:
    """An engine tuned for the backend: WAL and foreign keys on SQLite, a pool on PostgreSQL.

    Statement parameters are left out of error messages (`hide_parameters`): they hold chat
    ids and what vecinos wrote, and an error's message ends up in the logs.
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        _private_file(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Kept open: the chat's events in flight (api.chat.service.GREEN_EVENTS, 16) and a few of the
    # API's threads. A smaller pool opened and closed connections all through a load run.
    engine = create_engine(url, pool_size=20, max_overflow=20, hide_parameters=True)
    event.listen(engine, "do_connect", _green_connect)
    event.listen(engine, "connect", _set_up)  # after SQLAlchemy's own setup of the connection
    event.listen(engine, "checkout", _still_open)
    return engine


def normalise_url(url: str) -> str:
    """Plain `postgresql://` URLs use psycopg 3, the driver we install."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _green_connect(_dialect, _record, cargs, cparams):  # type: ignore[no-untyped-def]
    """psycopg connections whose waits can yield to the event loop (api/kernel/green.py)."""
    return GreenConnection.connect(*cargs, **cparams)


def _set_up(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.set_up = True


def _still_open(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
    """Drop a pooled connection the server has hung up on, before it is used.

    A restart or a terminated backend closes the server's end, and the socket of an idle
    connection then reads as ready. That check is one system call, where SQLAlchemy's
    pool_pre_ping is a round trip per checkout (4% of a chat event's CPU). A connection
    lost while in use fails that use; the chat service tries the event again.
    """
    if dbapi_connection.closed or dbapi_connection.broken or _readable(dbapi_connection.pgconn.socket):
        raise DisconnectionError("the server closed this connection")


def _readable(fileno: int) -> bool:
    return bool(select.select([fileno], [], [], 0)[0])


def _private_file(url: str) -> None:
    """Create the SQLite file readable and writable by its owner only (it holds personal data);
    SQLite gives its -wal and -shm files the same permissions."""
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        return  # SQLite says so when it connects (/ready answers 503), not engine creation
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def forget_on_disk(engine: Engine) -> None:
    """After deleting a person (/borrar, retention), leave no copy of their rows on disk: with
    secure_delete the freed pages are zeroed, and this moves the write-ahead log into the file
    and truncates it. Nothing to do on PostgreSQL (VACUUM reclaims space on its own schedule)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not just unlinked
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@contextmanager
def scratch_database(server: str, name: str) -> Iterator[str]:
    """A new, empty PostgreSQL database `name` on the server of `server` (a URL), dropped afterwards;
    its URL. For the tests and benchmarks: the URL's own database is only connected to."""
    server = normalise_url(server)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def saved(session: Session, row: T) -> T:
    """`row` added, committed and read back (with what the database set), as a route returns it."""
    session.add(row)
    session.commit()
    session.refresh(row)
    return row
