"""Statements run on the driver's cursor convert values exactly as SQLAlchemy does."""

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import Engine, bindparam, insert, select
from sqlmodel import Session

from api.chat.driver_statement import DriverStatement
from api.chat.models import HandledUpdate

SANTIAGO_SUMMER = timezone(timedelta(hours=-3))
INSERT = insert(HandledUpdate).values(
    channel=bindparam("channel"), update_id=bindparam("update_id"), handled_at=bindparam("at"),
    replies=bindparam("replies"))
READ = select(HandledUpdate.handled_at, HandledUpdate.replies).where(HandledUpdate.update_id == bindparam("update_id"))


def test_dates_and_json_go_in_and_come_out_as_through_sqlalchemy(engine: Engine, session: Session) -> None:
    written, read = DriverStatement.compile(INSERT, engine.dialect), DriverStatement.compile(READ, engine.dialect)
    at = datetime(2026, 1, 15, 21, 30, tzinfo=SANTIAGO_SUMMER)
    replies = [{"text": "¿Vienes?", "buttons": [["Sí", "cv:1:yes"]], "replace": False}]
    with engine.begin() as connection:
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        written.execute(cursor, {"channel": "telegram", "update_id": 7, "at": at, "replies": replies})
        read.execute(cursor, {"update_id": 7})
        row = read.row(cursor.fetchone())
    assert row == (datetime(2026, 1, 16, 0, 30, tzinfo=UTC), replies)
    assert row[0].tzinfo is not None
    stored = session.get(HandledUpdate, ("telegram", 7))  # and SQLAlchemy reads what the driver wrote
    assert stored is not None and stored.handled_at == at and stored.replies == replies
