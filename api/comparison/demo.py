"""The demo barrio's línea base (closed, about 21 months ago) and línea de salida (open), with answers.

Forty console vecinos: 32 answered the línea base, 24 of them and 6 newcomers the línea de
salida so far. Answers are drawn (with a fixed seed) around each vecino's own level, and
the salida grows most where the programme works hardest (planning, collective action,
networks with institutions) and little in neighbourhood safety, so the comparison shows
something plausible: some dimensions clearly up, some flat.
"""

import random
from datetime import datetime, timedelta

from sqlmodel import Session, select

from api.barrios.models import Barrio, Member
from api.comparison.instrument import ITEMS, definition
from api.kernel.types import utcnow
from api.surveys.models import Survey, SurveyAnswer, SurveyResponse
from api.surveys.store import create_survey
from conversations.surveys.ports import SurveyStatus
from conversations.surveys.questions import SurveyKind

VECINOS = 40
BASE_RESPONDENTS = range(0, 32)
SALIDA_RESPONDENTS = range(8, 38)  # 24 answered both, 6 are new
GROWTH = {  # points on the 1-5 scale between the rounds, per dimension
    "grupos_redes": 0.5, "confianza_solidaridad": 0.4, "accion_colectiva": 0.8,
    "informacion_comunicacion": 0.6, "cohesion_inclusion": 0.3, "empoderamiento": 0.5,
    "planificacion_gestion": 1.1, "movilizacion_recursos": 0.7, "redes_instituciones": 0.9,
}
FLAT = {"ci_seguridad"}  # safety at night did not change


def _titled(suffix: dict[str, str]) -> dict[str, str]:
    base = definition()["title"]
    return {code: f"{text} — {suffix[code]}" for code, text in base.items()}


def seed_rounds(session: Session, barrio: Barrio) -> None:
    """Create both rounds once per barrio, with the demo vecinos' answers."""
    if session.exec(select(Survey).where(Survey.barrio_id == barrio.id, Survey.kind == SurveyKind.LINEA_BASE)).first():
        return
    members = _vecinos(session, barrio)
    now = utcnow()
    base = create_survey(session, barrio=barrio, kind=SurveyKind.LINEA_BASE,
                         definition=definition(_titled({"es": "línea base", "ht": "liy baz", "en": "baseline"})))
    salida = create_survey(session, barrio=barrio, kind=SurveyKind.LINEA_SALIDA, definition=definition(
        _titled({"es": "línea de salida", "ht": "liy sòti", "en": "endline"})))
    base.status, base.opened_at, base.closed_at = SurveyStatus.CLOSED, now - timedelta(days=640), now - timedelta(
        days=610)
    salida.status, salida.opened_at = SurveyStatus.OPEN, now - timedelta(days=5)
    session.add_all([base, salida])
    rng = random.Random(17)
    level = [rng.gauss(0, 0.6) for _ in members]
    for index in BASE_RESPONDENTS:
        _respond(session, base, members[index], level[index], 0.0, rng, now - timedelta(days=625))
    for index in SALIDA_RESPONDENTS:
        _respond(session, salida, members[index], level[index] + 0.15 * (index >= 32), 1.0, rng,
                 now - timedelta(days=3))
    session.commit()


def _vecinos(session: Session, barrio: Barrio) -> list[Member]:
    members = []
    for number in range(1, VECINOS + 1):
        chat_id = f"vecino-{number:02d}"
        member = session.exec(select(Member).where(Member.channel == "console", Member.chat_id == chat_id)).first()
        if member is None:
            member = Member(id=f"vdemov{number:02d}", barrio_id=barrio.id or 0, channel="console", chat_id=chat_id,
                            locale="ht" if number % 5 == 0 else "es")
            session.add(member)
        members.append(member)
    session.flush()
    return members


def _respond(session: Session, survey: Survey, member: Member, level: float, round_: float, rng: random.Random,
             at: datetime) -> None:
    response = SurveyResponse(survey_id=survey.id or 0, member_id=member.id, started_at=at,
                              completed_at=at)
    session.add(response)
    session.flush()
    for item in ITEMS:
        growth = 0.0 if item.name in FLAT else GROWTH[item.dimension] * round_
        latent = 2.6 + level + growth + rng.gauss(0, 0.7)
        if item.type == "scale":
            value: object = min(5, max(1, round(latent)))
        else:
            value = "si" if rng.random() < min(0.95, max(0.05, (latent - 1) / 4)) else "no"
        session.add(SurveyAnswer(response_id=response.id or 0, question=item.name, survey_id=survey.id,
                                 member_id=member.id, value=value, answered_at=at))  # type: ignore[arg-type]
