"""Vecinos' rights through the real wiring: opposition leaves results, whom to ask, retention, the log."""

import threading
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from api.ballots.store import results as ballot_results
from api.barrios.models import Barrio, Member
from api.chat.models import Conversation, HandledUpdate
from api.kernel.types import utcnow
from api.outbox.enqueue import enqueue
from api.outbox.models import OutboxMessage
from api.privacy.models import DataLog
from api.privacy.retention import cut_links_due
from api.programme.ideas import propose
from api.programme.pdl_models import PdlIdea
from api.surveys.export import layout, rows
from api.surveys.models import SurveyAnswer
from api.surveys.results import results as survey_results
from conversations.kernel.events import Event
from conversations.kernel.replies import Reply
from conversations.programme.ports import Idea
from tests.factories import (
    VECINA,
    auth,
    chat_service,
    join,
    make_answers,
    make_ballot,
    make_barrio,
    make_ejecutor,
    make_member,
    make_survey,
    make_vote,
)


def _vecina(session: Session) -> str:
    return session.execute(select(Member.id).where(Member.chat_id == VECINA.chat_id)).scalar_one()


def test_a_vecina_who_withholds_her_answers_leaves_results_and_exports_until_she_undoes_it(
        engine: Engine, session: Session) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    other = make_member(session, barrio, "1")
    service = chat_service(engine)
    join(service, barrio.join_code)
    vecina = _vecina(session)
    survey, ballot = make_survey(session, barrio), make_ballot(session, barrio)
    for member, color, pick in ((vecina, "rojo", (0,)), (other, "azul", (1,))):
        make_answers(session, survey, member, {"color": color})
        make_vote(session, ballot, member, pick)

    def counted() -> tuple[int, int, int]:
        session.expire_all()
        found = survey_results(engine, survey)
        exported = list(rows(engine, survey, layout(survey, "America/Santiago", False, None)))
        return found.started, len(exported), ballot_results(session, ballot).voters

    assert counted() == (2, 2, 2)
    assert "use:yes" in [b.data for row in service.handle(VECINA, Event.parse("/misdatos"))[0].buttons for b in row]
    assert "ya no se usan" in service.handle(VECINA, Event.button("use:yes"))[0].text
    assert counted() == (1, 1, 1)
    color = next(q for q in survey_results(engine, survey).questions if q.name == "color")
    assert {c.name: c.count for c in color.choices or []} == {"rojo": 0, "azul": 1}
    assert "Pediste que tus respuestas" in service.handle(VECINA, Event.parse("/misdatos"))[0].text
    service.handle(VECINA, Event.button("use:no"))
    assert counted() == (2, 2, 2)
    actions = session.execute(select(DataLog.action).order_by(DataLog.id)).scalars().all()
    assert actions == ["vecino_withhold", "vecino_release"]


@pytest.mark.parametrize(("locale", "words"), [("es", "Responsable de tus datos: ONG Prueba"),
                                               ("ht", "Responsab done ou yo: ONG Prueba"),
                                               ("en", "Responsible for your data: ONG Prueba")])
async def test_the_privacy_notice_names_whom_to_ask_for_how_long_and_the_rights(
        client: httpx.AsyncClient, engine: Engine, session: Session, locale: str, words: str) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    me = await client.patch("/api/me", json={"privacy_contact": "datos@ong.cl"}, headers=auth(token))
    assert me.status_code == 200 and me.json()["privacy_contact"] == "datos@ong.cl"
    service = chat_service(engine)
    service.handle(VECINA, Event.parse(f"/start {barrio.join_code}"))
    notice = service.handle(VECINA, Event.button(f"join:{locale}:{barrio.join_code}"))[0].text
    assert words in notice and "datos@ong.cl" in notice and "6" in notice and "/borrar" in notice.replace(
        "/delete", "/borrar")

    changed = await client.patch(f"/api/barrios/{barrio.id}", json={"privacy_contact": "Sede, martes 10-13"},
                                 headers=auth(token))
    assert changed.status_code == 200
    notice = service.handle(VECINA, Event.button(f"join:{locale}:{barrio.join_code}"))[0].text
    assert "Sede, martes 10-13" in notice and "datos@ong.cl" not in notice


async def test_staff_set_the_programmes_end_and_are_warned_30_days_before_links_are_cut(
        client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    far = await client.patch(f"/api/barrios/{barrio.id}", json={"programme_ends_on": "2027-08-31"},
                             headers=auth(token))
    assert far.json()["links_cut_on"] == "2028-02-29" and far.json()["retention_warning"] is False
    soon = (utcnow().date() - timedelta(days=170)).isoformat()
    near = await client.patch(f"/api/barrios/{barrio.id}", json={"programme_ends_on": soon}, headers=auth(token))
    assert near.json()["retention_warning"] is True


def _set_end(session: Session, barrio: Barrio, ends: date) -> None:
    barrio.programme_ends_on = ends
    session.add(barrio)
    session.commit()


def test_retention_cuts_every_personal_link_and_keeps_the_results(engine: Engine, session: Session) -> None:
    ejecutor, _ = make_ejecutor(session)
    barrio, other_barrio = make_barrio(session, ejecutor), make_barrio(session, ejecutor, "Villa Sur")
    service = chat_service(engine)
    join(service, barrio.join_code)
    vecina = _vecina(session)
    elsewhere = make_member(session, other_barrio, "9")
    survey = make_survey(session, barrio)
    make_answers(session, survey, vecina, {"color": "rojo", "idea": "Que la señora Rosa Díaz de calle Los Aromos 12 "
                                                                    "arregle su reja"})
    make_answers(session, make_survey(session, other_barrio), elsewhere, {"idea": "Una plaza"})
    ballot = make_ballot(session, barrio)
    make_vote(session, ballot, vecina)
    service.handle(VECINA, Event.parse("/nombre Rosa Díaz"))  # shared for convocatorias
    propose(session, member_id=vecina, barrio_id=barrio.id or 0, idea=Idea("Plaza", "Donde vive Rosa, Aromos 12",
                                                                            "habitabilidad"))
    assert enqueue(session, barrio=barrio, kind="aviso", ref_id=1, render=lambda _t, _m: Reply("Hola, Rosa")) == 1
    session.commit()
    _set_end(session, barrio, utcnow().date() - timedelta(days=200))
    _set_end(session, other_barrio, utcnow().date())
    assert session.execute(select(func.count()).select_from(HandledUpdate).where(
        HandledUpdate.chat_id == VECINA.chat_id)).scalar_one() > 0

    cut_links_due(engine, utcnow())
    cut_links_due(engine, utcnow())  # idempotent
    session.expire_all()
    member = session.get(Member, vecina)
    assert member is not None and member.channel == "retired" and member.chat_id == vecina
    assert not member.subscribed and member.display_name is None and not member.share_name
    assert session.execute(select(func.count()).select_from(Conversation)).scalar_one() == 0
    # nothing left that names her or reaches her chat: handled updates, kept replies, queued messages
    assert session.execute(select(func.count()).select_from(HandledUpdate).where(
        HandledUpdate.chat_id == VECINA.chat_id)).scalar_one() == 0
    assert session.execute(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.barrio_id == barrio.id)).scalar_one() == 0
    # what she wrote freely is blanked (it named a neighbour), still counted as answered; choices stay
    texts = dict(session.execute(select(SurveyAnswer.question, SurveyAnswer.value).where(
        SurveyAnswer.member_id == vecina)).all())
    assert texts == {"color": "rojo", "idea": ""}
    idea = next(q for q in survey_results(engine, survey).questions if q.name == "idea")
    assert (idea.answered, idea.texts) == (1, [])
    assert session.execute(select(PdlIdea.title, PdlIdea.description).where(
        PdlIdea.member_id == vecina)).one() == ("Plaza", "")
    assert session.execute(select(SurveyAnswer.value).where(
        SurveyAnswer.member_id == elsewhere, SurveyAnswer.question == "idea")).scalar_one() == "Una plaza"
    assert session.get(Member, elsewhere).channel == "telegram"  # type: ignore[union-attr]  # not due yet
    assert survey_results(engine, survey).started == 1 and ballot_results(session, ballot).voters == 1
    log = session.execute(select(DataLog.action, DataLog.people, DataLog.barrio_id)).all()
    assert log == [("retention", 1, barrio.id)]
    # the chat no longer knows her, and the barrio's code no longer works
    assert "No encontré" in service.handle(VECINA, Event.parse(f"/start {barrio.join_code}"))[-1].text


def test_retention_runs_once_when_two_workers_race(engine: Engine, session: Session) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    for n in range(5):
        make_member(session, barrio, str(n))
    _set_end(session, barrio, utcnow().date() - timedelta(days=200))
    start = threading.Barrier(2)

    def worker() -> None:
        start.wait()
        cut_links_due(engine, utcnow())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert session.execute(select(DataLog.people).where(DataLog.action == "retention")).scalars().all() == [5]
    channels = session.execute(select(Member.channel).distinct()).scalars().all()
    assert channels == ["retired"]


async def test_the_data_log_shows_each_ejecutor_its_own_acts_and_no_one(
        client: httpx.AsyncClient, engine: Engine, session: Session) -> None:
    ours, token = make_ejecutor(session, "Nuestra ONG")
    theirs, their_token = make_ejecutor(session, "Otra ONG")
    barrio = make_barrio(session, ours)
    service = chat_service(engine)
    join(service, barrio.join_code)
    vecina = _vecina(session)
    service.handle(VECINA, Event.button("acct:download"))
    service.handle(VECINA, Event.parse("/borrar"))
    service.handle(VECINA, Event.button("del:yes"))
    shown = (await client.get("/api/data-log", headers=auth(token))).json()
    assert [(e["action"], e["actor"], e["barrio_id"]) for e in shown] == [
        ("vecino_delete", "vecino", barrio.id), ("vecino_download", "vecino", barrio.id)]
    assert vecina not in str(shown) and VECINA.chat_id not in str([e["detail"] for e in shown])
    assert (await client.get("/api/data-log", headers=auth(their_token))).json() == []

    survey, ballot = make_survey(session, barrio), make_ballot(session, barrio)
    for path in (f"/api/surveys/{survey.id}/responses.csv", f"/api/ballots/{ballot.id}/votes.xlsx",
                 f"/api/barrios/{barrio.id}/members"):
        assert (await client.get(path, headers=auth(token))).status_code == 200
    shown = (await client.get("/api/data-log?limit=3", headers=auth(token))).json()
    assert [(e["action"], e["actor"], e["detail"]) for e in shown] == [
        ("staff_member_list", "staff", "members"), ("staff_export", "staff", f"ballot {ballot.id} votes.xlsx"),
        ("staff_export", "staff", f"survey {survey.id} responses.csv")]
