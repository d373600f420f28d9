"""The results summary for the vecinos: staff choose its questions, read it in each language, publish it.

The page renders what api/surveys/summary.py computes; publishing posts the version staff
read, so a summary that changed since (other questions, new answers) is not sent.
"""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.barrios.models import Barrio
from api.kernel.deps import EngineDep, Id, SessionDep
from api.kernel.errors import Conflict, Invalid
from api.surveys.models import Survey
from api.surveys.routes import public
from api.surveys.summary import publish, summary_preview
from conversations.kernel.i18n import LANGUAGE_NAMES
from web.deps import PostingStaff, StaffDep
from web.pages.owned import page_of
from web.templating import render

router = APIRouter()
Chosen = Annotated[list[str] | None, Query(max_length=200)]


@router.get("/encuestas/{survey_id}/resumen", response_class=HTMLResponse)
def summary_page(request: Request, survey_id: Id, staff: StaffDep, session: SessionDep, engine: EngineDep,
                 question: Chosen = None, sent: int | None = None, error: str | None = None,
                 status: int = 200) -> HTMLResponse:
    survey = page_of(session, staff, Survey, survey_id)
    barrio = session.get(Barrio, survey.barrio_id)
    assert barrio is not None
    try:
        shown = summary_preview(engine, survey, barrio, question)
    except Invalid as error_:  # a question that is not one of the survey's: back to the default choice
        shown, error, status = summary_preview(engine, survey, barrio, None), error_.detail, 422
    return render(request, "survey_summary.html", status=status, timezone=barrio.timezone, staff=staff,
                  barrio=barrio, survey=public(survey), summary=shown, languages_named=LANGUAGE_NAMES, sent=sent,
                  error=error)


@router.post("/encuestas/{survey_id}/resumen/enviar", response_class=HTMLResponse)
def send(request: Request, survey_id: Id, staff: PostingStaff, session: SessionDep, engine: EngineDep,
         version: Annotated[str, Form(max_length=64)],
         question: Annotated[list[str] | None, Form()] = None) -> Response:
    """Publish the summary staff read (its version) to every vecino of the barrio."""
    survey = page_of(session, staff, Survey, survey_id)
    barrio = session.get(Barrio, survey.barrio_id)
    assert barrio is not None
    try:
        queued = publish(session, engine, survey, barrio, question, version).queued
    except (Conflict, Invalid) as error:
        return summary_page(request, survey_id, staff, session, engine, question, error=error.detail, status=409)
    chosen = "".join(f"&question={name}" for name in question or [])
    return RedirectResponse(f"/consola/encuestas/{survey_id}/resumen?sent={queued}{chosen}", status_code=303)
