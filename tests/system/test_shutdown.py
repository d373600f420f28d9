"""SIGTERM on a real `accion-local serve`: it stops taking updates, finishes those in flight,
hands back the outbox rows it claimed, and exits within 10 seconds.

A broadcast is going out slowly while vecinas keep writing; the server is told to stop.
Every update it answered 200 must be stored (Telegram will not deliver it again); one it
did not answer Telegram will redeliver. No outbox row may stay claimed by the dead
process: another process sends them at once, not after the lease.
"""

import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from api.chat.models import HandledUpdate
from api.kernel.db import make_engine
from api.kernel.migrate import upgrade
from api.outbox.enqueue import enqueue
from api.outbox.models import OutboxMessage
from bench.fake_telegram import FakeTelegramServer, Recorder
from bench.processes import ServeProcess, free_port
from conversations.kernel.replies import Reply
from tests.factories import make_barrio, make_ejecutor, make_member
from tests.system.vecinas import HEADERS, message

RECIPIENTS = 200
SLOW = {"OUTBOX_RATE": "20", "OUTBOX_LEASE_SECONDS": "600"}  # leases would otherwise hold the rows 10 minutes


def _queue_broadcast(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        barrio = make_barrio(session, make_ejecutor(session)[0])
        for n in range(RECIPIENTS):
            make_member(session, barrio, str(7000 + n))
        enqueue(session, barrio=barrio, kind="convocatoria", ref_id=1,
                render=lambda t, _member: Reply(t._("¿Qué quieres hacer?")))
        session.commit()


def _by_status(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    return dict(rows)  # type: ignore[arg-type]


def test_sigterm_finishes_what_is_in_flight_and_exits_in_time(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    _queue_broadcast(engine)
    recorder = Recorder()
    with FakeTelegramServer(free_port(), recorder) as fake:
        server = ServeProcess(database_url=database_url, telegram_url=fake.url, log=tmp_path / "serve.log",
                              extra_env=SLOW).start()
        assert "server" not in httpx.get(f"{server.url}/health").headers  # no name, no version
        assert httpx.get(f"{server.url}/ready").json()["checks"]["bot"] is True
        deadline = time.monotonic() + 30
        while sum(len(t) for t in recorder.sent.values()) < 20:
            assert time.monotonic() < deadline, "the broadcast never started"
            time.sleep(0.1)

        answered: dict[int, int] = {}
        stop = threading.Event()

        def vecina(chat: int) -> None:
            """Writes until the server stops answering; remembers what it answered."""
            with httpx.Client(timeout=15) as client:
                for n in range(1000):
                    update_id = chat * 1000 + n
                    try:
                        response = client.post(f"{server.url}/telegram/webhook", headers=HEADERS,
                                               json=message(update_id, chat, "/ayuda"))
                    except httpx.HTTPError:
                        return  # refused or cut: Telegram would deliver it again
                    answered[update_id] = response.status_code
                    if stop.is_set() and response.status_code != 200:
                        return

        with ThreadPoolExecutor(4) as pool:
            for chat in range(1, 5):
                pool.submit(vecina, chat)
            time.sleep(1.0)  # updates and the broadcast under way
            assert server.process is not None
            started = time.monotonic()
            server.process.terminate()  # SIGTERM
            stop.set()
            server.process.wait(timeout=15)
            took = time.monotonic() - started
    assert took < 10, f"took {took:.1f} s to stop"
    # uvicorn re-raises the signal once shut down cleanly, as systemd expects: the status is -SIGTERM
    assert server.process.returncode in (0, -signal.SIGTERM), (tmp_path / "serve.log").read_text()[-3000:]

    assert answered and set(answered.values()) <= {200}, f"answers other than 200: {set(answered.values())}"
    with Session(engine) as session:
        stored = set(session.exec(select(HandledUpdate.update_id)).all())
    missing = [update_id for update_id in answered if update_id not in stored]
    assert missing == [], f"answered 200 but not stored: {missing}"

    counts = _by_status(engine)
    assert counts.get("sending", 0) == 0, f"rows still claimed after the shutdown: {counts}"
    delivered = sum(len(recorder.sent.get(str(7000 + n), [])) for n in range(RECIPIENTS))
    assert counts.get("sent", 0) == delivered  # each message that went out is marked sent, none twice
    assert counts.get("sent", 0) + counts.get("pending", 0) == RECIPIENTS
    log = (tmp_path / "serve.log").read_text()
    assert "Application shutdown complete" in log
    engine.dispose()
