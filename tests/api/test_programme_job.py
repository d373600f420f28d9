"""The programme's job: phases follow their dates and each start is announced once (also with two
processes), evidence ticks the right activity, a closed ballot prioritises the PDL; the demo data."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from api.ballots.schedule import close_ballot
from api.barrios.models import Barrio, Member
from api.kernel.config import Settings
from api.kernel.jobs import run_due
from api.outbox.models import OutboxMessage
from api.programme.alliance_models import Actor, Contribution
from api.programme.jobs import advance_phase
from api.programme.models import ActivityTick, ProgrammeActivity, ProgrammePhase
from api.programme.pdl import add_hito, add_iniciativa, ballot_from_pdl
from api.programme.pdl_models import HitoIn, IniciativaFields, PdlBallotIn, PdlFollower, PdlHito, PdlIniciativa
from api.programme.port import SqlProgramme
from api.programme.timeline import start_programme, tick, timeline
from bot.main import demo, jobs_of, records_of
from conversations.kernel.members import Role
from conversations.surveys.ports import SurveyStatus
from tests.factories import make_barrio, make_convocatoria, make_ejecutor, make_member, make_survey, make_vote

START = date(2026, 12, 1)
# Midnight in Santiago (UTC-3 in December) is 03:00 UTC: the phase starts at the barrio's midnight.
FIRST_DAY = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def barrio_with_vecinos(session: Session) -> Barrio:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    for chat, locale in (("1", "es"), ("2", "en"), ("3", "ht")):
        make_member(session, barrio, chat, locale=locale)
    return barrio


def announced(session: Session) -> dict[str, str]:
    session.expire_all()
    rows = session.exec(select(OutboxMessage, Member).join(Member)
                        .where(OutboxMessage.kind == "phase_start")).all()
    return {member.locale: message.text for message, member in rows}


def phase(session: Session, barrio: Barrio, name: str) -> ProgrammePhase:
    session.expire_all()
    return session.exec(select(ProgrammePhase).where(ProgrammePhase.barrio_id == barrio.id,
                                                     ProgrammePhase.phase == name)).one()


def test_a_phase_starts_at_the_barrios_midnight_and_is_announced_in_each_language(engine: Engine,
                                                                                 session: Session) -> None:
    barrio = barrio_with_vecinos(session)
    start_programme(session, barrio, START)
    run_due(engine, jobs_of(), FIRST_DAY - timedelta(minutes=1))
    assert phase(session, barrio, "fase_1").status == "planned" and not announced(session)
    run_due(engine, jobs_of(), FIRST_DAY)
    run_due(engine, jobs_of(), FIRST_DAY + timedelta(seconds=15))  # the next tick: nothing new
    assert phase(session, barrio, "fase_1").status == "active"
    sent = announced(session)
    assert set(sent) == {"es", "en", "ht"}
    assert sent["es"].startswith("Población La Esperanza comienza una nueva etapa de Acción Local: Fase I: "
                                 "inserción, articulación y diagnóstico del barrio.")
    assert "Está prevista hasta el 01-03-2027." in sent["es"]
    assert "Phase I" in sent["en"] and "Faz I" in sent["ht"]
    assert len(session.exec(select(OutboxMessage)).all()) == 3
    run_due(engine, jobs_of(), datetime(2027, 3, 1, 3, 0, tzinfo=UTC))
    assert phase(session, barrio, "fase_1").status == "done" and phase(session, barrio, "fase_2").status == "active"
    assert len(session.exec(select(OutboxMessage).where(OutboxMessage.kind == "phase_start")).all()) == 6


def test_two_processes_switching_the_same_phase_announce_it_once(engine: Engine, session: Session) -> None:
    barrio = barrio_with_vecinos(session)
    start_programme(session, barrio, START)
    first, second = Session(engine, expire_on_commit=False), Session(engine, expire_on_commit=False)
    try:
        # Both processes read the phase as planned before either moves it.
        seen_by_first = first.exec(select(ProgrammePhase).where(ProgrammePhase.barrio_id == barrio.id,
                                                                ProgrammePhase.phase == "fase_1")).one()
        seen_by_second = second.exec(select(ProgrammePhase).where(ProgrammePhase.barrio_id == barrio.id,
                                                                  ProgrammePhase.phase == "fase_1")).one()
        first_barrio, second_barrio = first.get(Barrio, barrio.id), second.get(Barrio, barrio.id)
        second.rollback()  # its snapshot ends; its objects keep what it read
        assert advance_phase(first, seen_by_first, first_barrio, FIRST_DAY) is True  # type: ignore[arg-type]
        first.commit()
        assert advance_phase(second, seen_by_second, second_barrio, FIRST_DAY) is False  # type: ignore[arg-type]
        second.commit()
    finally:
        first.close()
        second.close()
    assert len(announced(session)) == 3
    assert len(session.exec(select(OutboxMessage)).all()) == 3


def test_phases_already_over_when_the_programme_is_set_are_done_and_never_announced(engine: Engine,
                                                                                   session: Session) -> None:
    barrio = barrio_with_vecinos(session)
    start_programme(session, barrio, date(2026, 1, 1))  # I: Jan-Apr, II: Mar-Jul, III: Jun-Dec, IV: Nov-Jan
    run_due(engine, jobs_of(), datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    statuses = {p.phase: p.status for p in session.exec(select(ProgrammePhase)).all()}
    assert statuses == {"fase_1": "done", "fase_2": "done", "fase_3": "active", "fase_4": "active",
                        "fase_5": "active"}
    assert {m.ref_id for m in session.exec(select(OutboxMessage).where(OutboxMessage.kind == "phase_start"))} == {
        phase(session, barrio, name).id for name in ("fase_3", "fase_4", "fase_5")}


def activity(session: Session, barrio: Barrio, key: str) -> ProgrammeActivity:
    session.expire_all()
    return session.exec(select(ProgrammeActivity).where(ProgrammeActivity.barrio_id == barrio.id,
                                                        ProgrammeActivity.key == key)).one()


def test_evidence_ticks_the_right_activity_and_links_it(engine: Engine, session: Session) -> None:
    barrio = barrio_with_vecinos(session)
    other = make_barrio(session, make_ejecutor(session, "Otra ONG")[0], "Otro barrio")
    for row in (barrio, other):
        start_programme(session, row, START)
    make_survey(session, other, status=SurveyStatus.CLOSED)  # evidence of another barrio
    make_survey(session, barrio, status=SurveyStatus.OPEN)  # still open: no evidence yet
    run_due(engine, jobs_of(), FIRST_DAY)
    assert activity(session, barrio, "diagnostico_territorial").done_at is None
    assert activity(session, other, "diagnostico_territorial").done_by == "auto"
    diagnostico = make_survey(session, barrio, status=SurveyStatus.CLOSED)
    motor = make_member(session, barrio, "9", role=Role.MOTOR)
    assembly = make_convocatoria(session, motor, starts_in=timedelta(days=2))
    now = datetime.now(UTC)
    run_due(engine, jobs_of(), now)
    ticked = activity(session, barrio, "diagnostico_territorial")
    assert (ticked.done_by, ticked.evidence, ticked.evidence_id) == ("auto", "survey", diagnostico.id)
    assert activity(session, barrio, "difusion_validacion").done_at is None  # the assembly is not held yet
    run_due(engine, jobs_of(), now + timedelta(days=3))
    validated = activity(session, barrio, "difusion_validacion")
    assert (validated.evidence, validated.evidence_id) == ("convocatoria", assembly.id)
    assert activity(session, barrio, "linea_salida").done_at is None
    salida = make_survey(session, barrio, status=SurveyStatus.CLOSED, kind="linea_salida")
    run_due(engine, jobs_of(), now + timedelta(days=4))
    assert activity(session, barrio, "linea_salida").evidence_id == salida.id
    assert activity(session, barrio, "insercion_territorial").done_at is None  # nothing proves it


def test_staff_ticks_are_not_overwritten_by_evidence(engine: Engine, session: Session) -> None:
    barrio = barrio_with_vecinos(session)
    start_programme(session, barrio, START)
    tick(session, barrio, "diagnostico_territorial", ActivityTick(done=True, by="Ana", note="En papel"))
    make_survey(session, barrio, status=SurveyStatus.CLOSED)
    run_due(engine, jobs_of(), FIRST_DAY)
    row = activity(session, barrio, "diagnostico_territorial")
    assert (row.done_by, row.note, row.evidence) == ("Ana", "En papel", None)


def test_a_closed_ballot_from_the_pdl_prioritises_the_chosen_iniciativas_once(engine: Engine,
                                                                             session: Session) -> None:
    barrio = barrio_with_vecinos(session)
    start_programme(session, barrio, START)
    rows = [add_iniciativa(session, barrio, IniciativaFields(title=title, ambito=ambito, cost=100_000))
            for title, ambito in (("Huerto", "huertos"), ("Luces", "habitabilidad"), ("Once", "bienestar"))]
    now = datetime.now(UTC)
    ballot = ballot_from_pdl(session, barrio, PdlBallotIn(
        title="Prioricemos", method="approval", max_choices=2, opens_at=now, closes_at=now + timedelta(days=2)))
    voters = [m.id for m in session.exec(select(Member).where(Member.barrio_id == barrio.id)).all()]
    make_vote(session, ballot, voters[0], (0, 2))
    make_vote(session, ballot, voters[1], (2,))
    close_ballot(session, ballot, now)
    session.commit()
    run_due(engine, jobs_of(), now)
    run_due(engine, jobs_of(), now + timedelta(seconds=15))
    session.expire_all()
    assert [session.get(PdlIniciativa, r.id).status for r in rows] == [  # type: ignore[union-attr]
        "priorizada", "propuesta", "priorizada"]
    notices = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "iniciativa_status")).all()
    # only who voted for an iniciativa follows it, and is told it moved (once): not the third vecino
    assert sorted(n.member_id for n in notices) == sorted([voters[0], voters[0], voters[1]])
    assert len(voters) == 3 and voters[2] not in {n.member_id for n in notices}
    assert activity(session, barrio, "determinacion_iniciativas").evidence_id == ballot.id


def test_the_demo_barrio_is_in_fase_ii_with_a_pdl_and_alliances(engine: Engine, session: Session) -> None:
    settings = Settings(_env_file=None, timezone="America/Santiago")  # type: ignore[call-arg]
    first = demo(session, settings)
    demo(session, settings)  # idempotent
    shown = timeline(session, first.barrio)
    assert shown.active == ["fase_2"]  # in Fase II, not yet in Fase III
    iniciativas = session.exec(select(PdlIniciativa).where(PdlIniciativa.barrio_id == first.barrio.id)).all()
    assert {i.ambito for i in iniciativas} == {"bienestar", "habitabilidad", "huertos"} and len(iniciativas) == 4
    assert any(i.urgencia and i.status == "en_ejecucion" for i in iniciativas)
    assert sorted(h.pending for h in session.exec(select(PdlHito)).all()) == [False, True]  # one to approve
    assert len(session.exec(select(Actor)).all()) == 2
    assert sum(c.amount for c in session.exec(select(Contribution)).all()) == 650_000


def test_voters_follow_what_they_voted_for_and_followers_get_its_hitos(engine: Engine, session: Session) -> None:
    barrio = barrio_with_vecinos(session)
    members = {m.locale: m.id for m in session.exec(select(Member).where(Member.barrio_id == barrio.id)).all()}
    huerto, luces = (add_iniciativa(session, barrio, IniciativaFields(title=title, ambito=ambito, cost=100_000))
                     for title, ambito in (("Huerto", "huertos"), ("Luces", "habitabilidad")))
    now = datetime.now(UTC)
    ballot = ballot_from_pdl(session, barrio, PdlBallotIn(
        title="Prioricemos", method="approval", max_choices=2, opens_at=now, closes_at=now + timedelta(days=2)))
    make_vote(session, ballot, members["es"], (0,))
    make_vote(session, ballot, members["en"], (0, 1))
    close_ballot(session, ballot, now)
    session.commit()
    run_due(engine, jobs_of(), now)
    session.expire_all()
    follows = {(f.iniciativa_id, f.member_id) for f in session.exec(select(PdlFollower)).all()}
    assert follows == {(huerto.id, members["es"]), (huerto.id, members["en"]), (luces.id, members["en"])}
    port = SqlProgramme(session)
    port.follow(huerto.id or 0, members["en"], False)  # stops
    port.follow(huerto.id or 0, members["ht"], True)  # did not vote, chose to follow
    session.commit()
    assert records_of()["follows"](session, members["en"]) == 1
    add_hito(session, huerto, HitoIn(on=date(2026, 12, 5), text="Llegaron las semillas"))
    sent = {member.locale: message.text for message, member in session.exec(
        select(OutboxMessage, Member).join(Member).where(OutboxMessage.kind == "hito")).all()}
    assert set(sent) == {"es", "ht"}
    assert sent["es"] == "Novedad en «Huerto» (05-12-2026): Llegaron las semillas"
    photo = add_hito(session, huerto, HitoIn(on=date(2026, 12, 9), text="Primera cosecha",
                                             photo_url="https://fotos.example/cosecha.jpg"))
    with_photo = {member.locale: message.text for message, member in session.exec(
        select(OutboxMessage, Member).join(Member).where(OutboxMessage.kind == "hito",
                                                          OutboxMessage.ref_id == photo.id)).all()}
    assert with_photo["es"].endswith("Primera cosecha\nFoto: https://fotos.example/cosecha.jpg")
    assert with_photo["ht"].endswith("\nFoto: https://fotos.example/cosecha.jpg")
