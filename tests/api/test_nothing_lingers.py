"""After /borrar nothing of the person stays on disk; the SQLite file is its owner's alone."""

from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from api.barrios.models import Member
from api.kernel.db import make_engine
from api.kernel.migrate import upgrade
from conversations.kernel.events import Event
from tests.factories import VECINA, chat_service, join, make_answers, make_barrio, make_ejecutor, make_survey

SECRET = "mi-vecino-de-al-lado-se-llama-Zacarias-Quispe"


def test_borrar_leaves_no_copy_in_the_files_and_the_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "accion.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    assert path.stat().st_mode & 0o777 == 0o600
    with Session(engine, expire_on_commit=False) as session:
        barrio = make_barrio(session, make_ejecutor(session)[0])
        service = chat_service(engine)
        join(service, barrio.join_code)
        vecina = session.execute(select(Member.id).where(Member.chat_id == VECINA.chat_id)).scalar_one()
        make_answers(session, make_survey(session, barrio), vecina, {"color": "rojo", "idea": SECRET})

    def on_disk() -> bytes:
        return b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("accion.db"))

    assert SECRET.encode() in on_disk()
    service.handle(VECINA, Event.parse("/borrar"))
    service.handle(VECINA, Event.button("del:yes"))
    wal = tmp_path / "accion.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    assert SECRET.encode() not in on_disk()
    engine.dispose()
