"""How long opening and closing a ballot hold the database writer, for a barrio of many members (SQLite).

The opening notice and the results go to every member; they are queued in batches of their
own transactions (api/ballots/schedule.py), so the longest transaction — the time a chat
update may wait for SQLite's one writer — stays short however large the barrio.

    python -m bench.ballot_close [--members 20000]
"""

import argparse
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event
from sqlmodel import Session, func, select

from api.ballots.models import BallotCreate, IniciativaIn
from api.ballots.store import create_ballot
from api.barrios.directory import SqlDirectory
from api.barrios.models import BarrioCreate
from api.barrios.store import create_barrio, create_ejecutor
from api.kernel.db import make_engine
from api.kernel.jobs import run_due
from api.kernel.migrate import upgrade
from api.kernel.types import utcnow
from api.outbox.models import OutboxMessage
from bot.main import jobs_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=20_000)
    args = parser.parse_args()
    engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'close.db'}")
    upgrade(engine)
    opens = utcnow()
    with Session(engine, expire_on_commit=False) as session:
        ejecutor, _ = create_ejecutor(session, name="ONG")
        barrio = create_barrio(session, ejecutor=ejecutor, data=BarrioCreate(
            name="Barrio", comuna="La Pintana", region="Metropolitana"), default_timezone="America/Santiago")
        ballot = create_ballot(session, barrio=barrio, data=BallotCreate(
            title="Prioricemos", method="single", opens_at=opens, closes_at=opens + timedelta(days=1),
            iniciativas=[IniciativaIn(title="Huerto", ambito="huertos", cost=1),
                         IniciativaIn(title="Plaza", ambito="habitabilidad", cost=1)]))
        directory = SqlDirectory(session, channel="telegram", chat_id="")
        for n in range(args.members):
            directory.chat_id = str(100_000 + n)
            directory.join(barrio_id=barrio.id or 0, role="vecino", locale=("es", "ht", "en")[n % 3])
        session.commit()
    transactions: list[float] = []
    began: dict[int, float] = {}
    event.listen(engine, "begin", lambda conn: began.__setitem__(id(conn), time.perf_counter()))
    event.listen(engine, "commit", lambda conn: transactions.append(time.perf_counter() - began.pop(id(conn), 0)))
    for done, moment in (("opened", opens + timedelta(seconds=1)), ("closed", ballot.closes_at)):
        transactions.clear()
        started = time.perf_counter()
        run_due(engine, jobs_of(), moment)
        total = time.perf_counter() - started
        with Session(engine) as session:
            queued = session.exec(select(func.count()).select_from(OutboxMessage)).one()
        print(f"{done} a ballot of {args.members} members in {total:.2f} s; {len(transactions)} transactions, "
              f"the longest {max(transactions) * 1000:.0f} ms; {queued} messages queued in all")


if __name__ == "__main__":
    main()
