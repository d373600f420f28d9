"""The demo barrio has a closed línea base and an open línea de salida whose comparison shows growth."""

import httpx
from sqlmodel import Session, select

from api.kernel.config import Settings
from api.surveys.models import Survey, SurveyResponse
from bot.main import demo
from tests.factories import auth


async def test_demo_rounds_are_seeded_once_and_compare(client: httpx.AsyncClient, session: Session) -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    first = demo(session, settings)
    made = demo(session, settings)  # a second run changes nothing, and keeps the first token working
    assert first.token is not None and made.token is None
    rounds = session.exec(select(Survey).where(Survey.kind.in_(("linea_base", "linea_salida")))).all()  # type: ignore[attr-defined]
    assert sorted((s.kind, s.status) for s in rounds) == [("linea_base", "closed"), ("linea_salida", "open")]
    assert len(session.exec(select(SurveyResponse)).all()) == 32 + 30
    response = await client.get(f"/api/barrios/{made.barrio.id}/comparison", headers=auth(first.token))
    assert response.status_code == 200, response.text
    found = response.json()
    assert (found["respondents_base"], found["respondents_salida"], found["pairs"]) == (32, 30, 24)
    assert len(found["questions"]) == 27 and not found["skipped"]
    assert all(q["paired"]["p_holm"] is not None or q["paired"]["not_tested"] for q in found["questions"])
    dimensions = {d["dimension"]: d for d in found["dimensions"]}
    assert len(dimensions) == 9
    assert found["overall"]["paired"]["ci_low"] > 0  # the barrio grew, and clearly
    grew_most = max(dimensions.values(), key=lambda d: d["paired"]["mean"])
    assert grew_most["dimension"] == "planificacion_gestion"
