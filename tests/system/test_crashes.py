"""Faults: the server killed with SIGKILL mid-broadcast, and the Bot API unreachable.

A broadcast must finish after a restart, with every vecino getting the message and at
most one duplicate for the message in flight at the crash; while Telegram does not
answer, queued messages wait and go out when it is back.
"""

import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from api.db import make_engine
from api.migrate import upgrade
from api.models import OutboxMessage
from api.models.outbox import SENT
from api.outbox import enqueue
from api.store.directory import SqlDirectory
from bench.fake_telegram import FakeTelegramServer, Recorder
from bench.processes import ServeProcess, free_port
from conversations.replies import Reply
from tests.factories import make_barrio, make_ejecutor

FAST_RECOVERY = {"OUTBOX_LEASE_SECONDS": "3", "OUTBOX_RATE": "28.5"}


def _queue_broadcast(engine: Engine, recipients: int, first_chat: int = 7000) -> None:
    with Session(engine, expire_on_commit=False) as session:
        ejecutor, _ = make_ejecutor(session)
        barrio = make_barrio(session, ejecutor)
        directory = SqlDirectory(session, channel="telegram", chat_id="")
        for n in range(recipients):
            directory.chat_id = str(first_chat + n)
            directory.join(barrio_id=barrio.id or 0, role="vecino", locale=("es", "ht", "en")[n % 3])
        session.commit()
        enqueue(session, barrio=barrio, kind="convocatoria", ref_id=1,
                render=lambda t, _member: Reply(t._("¿Qué quieres hacer?")))
        session.commit()


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _sent_rows(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == SENT)).one()


def test_a_broadcast_finishes_after_the_server_is_killed(database_url: str, tmp_path: Path) -> None:
    recipients = 90
    engine = make_engine(database_url)
    upgrade(engine)
    _queue_broadcast(engine, recipients)
    recorder = Recorder(rate=30, per_chat_limit=True)
    with FakeTelegramServer(free_port(), recorder) as fake:
        first = ServeProcess(database_url=database_url, telegram_url=fake.url, log=tmp_path / "first.log",
                             extra_env=FAST_RECOVERY).start()
        _wait(lambda: sum(len(t) for t in recorder.sent.values()) >= 30, 30, "a third of the broadcast")
        first.kill()
        delivered_at_crash = sum(len(t) for t in recorder.sent.values())
        assert delivered_at_crash < recipients, "the broadcast ended before the crash; nothing was tested"
        with ServeProcess(database_url=database_url, telegram_url=fake.url, log=tmp_path / "second.log",
                          extra_env=FAST_RECOVERY):
            _wait(lambda: _sent_rows(engine) == recipients, 60, "the broadcast to finish after the restart")
    per_chat = [len(recorder.sent[str(7000 + n)]) for n in range(recipients)]
    assert min(per_chat) == 1, "a vecina never got the convocatoria"
    assert sum(per_chat) - recipients <= 1, f"{sum(per_chat) - recipients} duplicates after one crash"
    engine.dispose()


def test_messages_wait_while_the_bot_api_is_unreachable(database_url: str, tmp_path: Path) -> None:
    recipients = 12
    engine = make_engine(database_url)
    upgrade(engine)
    port = free_port()
    recorder = Recorder()
    with FakeTelegramServer(port, recorder) as fake:
        server = ServeProcess(database_url=database_url, telegram_url=fake.url, log=tmp_path / "serve.log",
                              extra_env=FAST_RECOVERY).start()
    try:
        _queue_broadcast(engine, recipients)  # Telegram is down now
        time.sleep(8)  # longer than the sender's backoff for five ordinary failures
        with Session(engine) as session:
            rows = session.exec(select(OutboxMessage)).all()
        assert {row.status for row in rows} <= {"pending", "sending"}, "messages given up during the outage"
        assert any("unreachable" in (row.error or "") for row in rows), "the sender never tried during the outage"
        with FakeTelegramServer(port, recorder):  # Telegram is back on the same address
            _wait(lambda: _sent_rows(engine) == recipients, 40, "the queued messages after the outage")
    finally:
        server.stop()
    assert sorted(len(recorder.sent[str(7000 + n)]) for n in range(recipients)) == [1] * recipients
    engine.dispose()
