"""The retention job run by two real processes at the same moment cuts a barrio's links once."""

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from api.barrios.models import Member
from api.kernel.db import make_engine
from api.kernel.migrate import upgrade
from api.kernel.types import utcnow
from api.privacy.models import DataLog
from tests.factories import make_barrio, make_ejecutor, make_member

ROOT = Path(__file__).resolve().parents[2]
JOB = """
import sys, time
from api.kernel.db import make_engine
from api.kernel.types import utcnow
from api.privacy.retention import cut_links_due
engine = make_engine(sys.argv[1])
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # both start together
cut_links_due(engine, utcnow())
"""


def test_two_processes_cut_a_barrios_links_once(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        barrio = make_barrio(session, make_ejecutor(session)[0])
        for n in range(20):
            make_member(session, barrio, str(n))
        barrio.programme_ends_on = utcnow().date() - timedelta(days=200)
        session.add(barrio)
        session.commit()
    start = str(time.time() + 3)
    workers = [subprocess.Popen([sys.executable, "-c", JOB, database_url, start], cwd=ROOT) for _ in range(2)]
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0]
    with Session(engine) as session:
        runs = session.execute(select(DataLog.people).where(DataLog.action == "retention")).scalars().all()
        assert runs == [20]
        assert set(session.execute(select(Member.channel)).scalars()) == {"retired"}
    engine.dispose()
