"""The process as the composition root builds it: every feature's jobs run, /borrar reaches every
feature's data, the bot's command menu comes from the flows. Leaving a feature out of
`bot.main.FEATURES` makes these fail."""

import csv
import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine, ForeignKey, func, select
from sqlmodel import Session, SQLModel

import api.tables  # noqa: F401  (every table, so the metadata below is complete)
from api.ballots.models import Ballot
from api.barrios.models import Member
from api.chat.models import HandledUpdate
from api.kernel.jobs import run_due
from api.kernel.types import utcnow
from api.outbox.models import OutboxMessage
from api.privacy.models import DataLog
from bot.lifecycle import bot_commands
from bot.main import FEATURES, chat_of, exports_of, jobs_of
from conversations.convocatorias.ports import Answer
from conversations.kernel.events import Event
from conversations.kernel.i18n import Translator
from conversations.kernel.members import Role
from tests.factories import (
    VECINA,
    chat_service,
    join,
    make_answers,
    make_ballot,
    make_barrio,
    make_convocatoria,
    make_ejecutor,
    make_member,
    make_rsvp,
    make_survey,
    make_vote,
)


def _queued(session: Session, kind: str) -> int:
    counted = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == kind)
    return session.execute(counted).scalar_one()


def test_the_process_runs_every_features_jobs(engine: Engine, session: Session) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    motor = make_member(session, barrio, "1", role=Role.MOTOR)
    vecina = make_member(session, barrio, "2")
    now = utcnow()
    ballot = make_ballot(session, barrio, opens_at=now + timedelta(minutes=5), closes_at=now + timedelta(days=2))
    assembly = make_convocatoria(session, motor, starts_in=timedelta(hours=20))
    make_rsvp(session, assembly, vecina, Answer.YES)
    session.add(HandledUpdate(channel="telegram", update_id=1, handled_at=now - timedelta(days=3)))
    session.commit()

    without_ballots = [f for f in FEATURES if f.name != "ballots"]
    run_due(engine, jobs_of(without_ballots), now + timedelta(minutes=10))
    session.expire_all()
    assert session.get(Ballot, ballot.id).status == "scheduled"  # type: ignore[union-attr]  # nobody opened it

    run_due(engine, jobs_of(), now + timedelta(minutes=10))
    session.expire_all()
    assert session.get(Ballot, ballot.id).status == "open"  # type: ignore[union-attr]
    assert _queued(session, "ballot_open") == 2
    assert _queued(session, "reminder") == 1  # the assembly is within a day
    assert session.get(HandledUpdate, ("telegram", 1)) is None  # pruned

    run_due(engine, jobs_of(), now + timedelta(days=2))
    session.expire_all()
    assert session.get(Ballot, ballot.id).status == "closed"  # type: ignore[union-attr]
    assert _queued(session, "ballot_results") == 2


def _references_to_member() -> list[tuple[str, ForeignKey]]:
    return [(table.name, fk) for table in SQLModel.metadata.sorted_tables for column in table.columns
            for fk in column.foreign_keys if fk.column.table.name == "member"]


def test_every_table_that_points_at_a_person_is_declared_by_a_feature() -> None:
    declared = {t.__tablename__ for f in FEATURES for data in f.personal_data for t in data.tables}
    for table, fk in _references_to_member():
        if fk.ondelete == "SET NULL":  # e.g. the author of a convocatoria: the link goes, the assembly stays
            continue
        assert fk.ondelete == "CASCADE", f"{table} must go with the member (ON DELETE CASCADE)"
        assert table in declared, f"{table} keeps rows about a person but no feature in FEATURES declares it"


def test_misdatos_counts_and_borrar_deletes_every_features_data(engine: Engine, session: Session) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    motor = make_member(session, barrio, "1", role=Role.MOTOR)
    service = chat_service(engine)
    join(service, barrio.join_code)
    vecina = session.execute(select(Member.id).where(Member.chat_id == VECINA.chat_id)).scalar_one()
    make_answers(session, make_survey(session, barrio), vecina, {"color": "rojo", "edad": 40})
    make_vote(session, make_ballot(session, barrio), vecina)
    make_rsvp(session, make_convocatoria(session, motor), vecina, Answer.MAYBE)  # also queues her a message

    mine = service.handle(VECINA, Event.parse("/misdatos"))[0].text
    assert "2 respuestas a encuestas" in mine and "1 voto en votaciones" in mine
    assert "1 respuesta a convocatorias" in mine

    service.handle(VECINA, Event.parse("/borrar"))
    assert "borramos todos tus datos" in service.handle(VECINA, Event.button("del:yes"))[0].text
    for table, fk in _references_to_member():
        column = fk.parent
        left = session.execute(select(func.count()).select_from(column.table).where(column == vecina)).scalar_one()
        assert left == 0, f"{table}.{column.name} still points at the deleted vecina"
    assert session.get(Member, motor) is not None  # only hers


def test_descargar_mis_datos_holds_every_features_data(engine: Engine, session: Session) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    motor = make_member(session, barrio, "1", role=Role.MOTOR)
    service = chat_service(engine)
    join(service, barrio.join_code)
    vecina = session.execute(select(Member.id).where(Member.chat_id == VECINA.chat_id)).scalar_one()
    make_answers(session, make_survey(session, barrio), vecina, {"color": "rojo", "edad": 40})
    make_vote(session, make_ballot(session, barrio), vecina, (1, 0))
    make_rsvp(session, make_convocatoria(session, motor, title="Asamblea de diagnóstico"), vecina, Answer.MAYBE)

    assert "acct:download" in [b.data for row in service.handle(VECINA, Event.parse("/misdatos"))[0].buttons
                               for b in row]
    replies = service.handle(VECINA, Event.button("acct:download"))
    files = {r.document.filename: r.document.content for r in replies if r.document is not None}
    data = json.loads(files["mis-datos.json"])
    assert data["member"]["id"] == vecina and data["member"]["barrio"] == barrio.name
    assert {r["item"]: r["code"] for r in data["records"]["answers"]} == {"¿Color?": "rojo", "¿Edad?": 40}
    assert [r["value"] for r in data["records"]["votes"]] == ["2. Luminarias, 1. Huerto comunitario"]
    assert [(r["topic"], r["code"]) for r in data["records"]["rsvps"]] == [("Asamblea de diagnóstico", "maybe")]
    sheet = list(csv.reader(io.StringIO(files["mis-datos.csv"].decode("utf-8-sig"))))
    assert ["Respuestas a encuestas", "Consulta corta", "¿Color?", "Rojo"] in [row[:4] for row in sheet]
    assert ["Respuestas a convocatorias", "Asamblea de diagnóstico"] in [row[:2] for row in sheet]
    logged = session.execute(select(DataLog.action, DataLog.actor, DataLog.detail)).all()
    assert logged == [("vecino_download", "vecino", "")]  # when and where; not who


def test_a_feature_left_out_leaves_its_data_out_of_the_download() -> None:
    assert {"answers", "votes", "rsvps"} <= set(exports_of())
    assert "votes" not in exports_of([f for f in FEATURES if f.name != "ballots"])


@pytest.mark.parametrize("locale", ["es", "ht", "en"])
def test_the_bots_command_menu_lists_every_flows_commands(locale: str) -> None:
    menu = {command.command for command in bot_commands(chat_of(), Translator(locale))}
    assert {"menu", "encuestas", "votar", "convocatorias", "convocar", "nombre", "ayuda", "idioma",
            "misdatos", "borrar", "salir"} <= menu
    declared = {c.name for flow in chat_of().flows for c in flow.commands if c.about is not None}
    assert menu == declared
