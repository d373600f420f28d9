"""A problem of the PDL cites a diagnóstico survey's question and its result, from the console's form; a
survey of another organisation is not found and nothing is kept."""

import httpx
from sqlmodel import Session, select

from api.programme.pdl_models import PdlProblem
from tests.factories import TwoOrganisations, csrf_of, make_survey


async def test_a_problem_cites_a_survey_question_and_its_result(browser: httpx.AsyncClient, session: Session,
                                                                world: TwoOrganisations) -> None:
    ours, theirs = make_survey(session, world.ours), make_survey(session, world.theirs)
    page = f"/consola/barrios/{world.ours.id}/pdl"
    html = (await browser.get(page)).text
    assert f'<option value="{ours.id}">' in html and f'<option value="{theirs.id}">' not in html
    fields = {"dimension": "fisica", "title": "Pasajes oscuros", "result": "7 de cada 10 evitan salir de noche",
              "question": "seguridad_noche"}
    cited = await browser.post(f"{page}/problemas", data={"csrf": csrf_of(html), **fields,
                                                          "survey_id": str(ours.id)})
    assert cited.status_code == 303
    problem = session.exec(select(PdlProblem)).one()
    assert (problem.survey_id, problem.question, problem.result) == (ours.id, "seguridad_noche",
                                                                     "7 de cada 10 evitan salir de noche")
    html = (await browser.get(page)).text
    assert f'<a href="/consola/encuestas/{ours.id}">encuesta · seguridad_noche</a>' in html
    foreign = await browser.post(f"{page}/problemas", data={"csrf": csrf_of(html), **fields,
                                                            "survey_id": str(theirs.id)})
    assert foreign.status_code == 404 and f"survey {theirs.id} not found" in foreign.text
    session.expire_all()
    assert len(session.exec(select(PdlProblem)).all()) == 1
