"""A barrio's Plan de Desarrollo Local: problems, iniciativas (created and edited: status, progress, hitos,
financing), the grupo motor's hitos waiting for approval, vecinos' ideas from the chat (merged into the plan
or declined; the proposer is told), the downloads and the printable plan."""

from datetime import datetime
from itertools import groupby
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from sqlmodel import Session, col, select

from api.barrios.models import Barrio
from api.kernel.deps import Id, SessionDep
from api.kernel.errors import Invalid
from api.kernel.exports import csv_response, xlsx_response
from api.programme import ideas
from api.programme import pdl as store
from api.programme.pdl_export import PDL_HEADER, pdl_rows
from api.programme.pdl_models import (
    HitoApproval,
    HitoIn,
    IdeaMerge,
    IniciativaFields,
    IniciativaUpdate,
    PdlBallotIn,
    PdlIdea,
    PdlIniciativa,
    ProblemIn,
    StatusMove,
)
from api.programme.timeline import barrio_today
from api.surveys.models import Survey
from conversations.ballots.rules import METHODS
from conversations.ballots.texts import ambito
from conversations.programme.rules import AMBITOS, DIMENSIONS
from conversations.programme.texts import status_name
from web.deps import PageNotFound, PostingStaff, Staff, StaffDep
from web.forms import Action, FormDep, answer, many, parsed
from web.pages.owned import OwnedBarrio, PostedBarrio, ours, page_of
from web.pages.programme_page import serve_programme_page
from web.templating import render

router = APIRouter()
TRANSLATIONS = ("title_ht", "title_en", "description_ht", "description_en")  # an emptied one is removed
NAMES = {"ambito_name": ambito, "status_name": status_name}  # how vecinos read them, in the console's language


@serve_programme_page(router, "pdl")
def pdl_page(request: Request, staff: Staff, session: Session, barrio: Barrio, error: str | None = None,
             status: int = 200) -> HTMLResponse:
    """The plan: the grupo motor's hitos to approve, vecinos' ideas, iniciativas, the ballot to prioritise them,
    the diagnóstico's problems."""
    return render(request, "pdl.html", status=status, timezone=barrio.timezone, staff=staff, barrio=barrio,
                  plan=store.pdl(session, barrio), pending=store.pending_hitos(session, barrio),
                  ideas=ideas.ideas_of(session, barrio), ambitos=AMBITOS, methods=METHODS,
                  surveys=session.exec(select(Survey).where(Survey.barrio_id == barrio.id)
                                       .order_by(col(Survey.id).desc())).all(),
                  dimensions=DIMENSIONS, today=barrio_today(barrio), error=error, **NAMES)


def _iniciativa_page(request: Request, staff: Staff, session: SessionDep, row: PdlIniciativa,
                     error: str | None = None, status: int = 200) -> HTMLResponse:
    barrio = session.get(Barrio, row.barrio_id)
    assert barrio is not None
    return render(request, "iniciativa.html", status=status, timezone=barrio.timezone, staff=staff, barrio=barrio,
                  iniciativa=store.describe(session, row), today=barrio_today(barrio), error=error, **NAMES)


def _to_iniciativa(request: Request, staff: Staff, session: SessionDep, row: PdlIniciativa, action: Action,
                   anchor: str) -> Response:
    return answer(session, action, f"/consola/iniciativas/{row.id}#{anchor}",
                  lambda error, status: _iniciativa_page(request, staff, session, row, error, status))


@router.post("/barrios/{barrio_id}/pdl/problemas", response_class=HTMLResponse)
def new_problem(request: Request, barrio: PostedBarrio, staff: PostingStaff, session: SessionDep,
                form: FormDep) -> Response:
    return pdl_page.after(request, staff, session, barrio, lambda: store.add_problem(
        session, barrio, parsed(ProblemIn, form)), "problemas")


@router.post("/barrios/{barrio_id}/pdl/iniciativas", response_class=HTMLResponse)
def new_iniciativa(request: Request, barrio: PostedBarrio, staff: PostingStaff, session: SessionDep,
                   form: FormDep) -> Response:
    """A new iniciativa, propuesta; then its own page, to follow it."""
    return answer(session, lambda: store.add_iniciativa(session, barrio, parsed(IniciativaFields, form)),
                  lambda created: f"/consola/iniciativas/{created.id}", pdl_page.again(request, staff, session, barrio))


@router.post("/barrios/{barrio_id}/pdl/votacion", response_class=HTMLResponse)
def new_ballot(request: Request, barrio: PostedBarrio, staff: PostingStaff, session: SessionDep,
               form: FormDep) -> Response:
    """A ballot over the proposed iniciativas checked, at the barrio's local times; its close prioritises them."""

    def create() -> object:
        moments = {name: _local_moment(form, name, barrio.timezone) for name in ("opens_at", "closes_at")}
        chosen = [int(i) for i in many(form, "iniciativas") if str(i).isdigit()]
        return store.ballot_from_pdl(session, barrio, parsed(PdlBallotIn, form, iniciativas=chosen, **moments))

    return answer(session, create, lambda ballot: f"/consola/votaciones/{ballot.id}",
                  pdl_page.again(request, staff, session, barrio))


def _local_moment(form: dict[str, object], name: str, timezone: str) -> datetime:
    """A datetime-local field ("2026-12-01T10:00") as that moment in the barrio's time zone."""
    try:
        return datetime.fromisoformat(str(form.get(name, ""))).replace(tzinfo=ZoneInfo(timezone))
    except ValueError:
        raise Invalid(f"{name}: a date and time, please") from None


@router.post("/barrios/{barrio_id}/pdl/aprobacion", response_class=HTMLResponse)
def hito_approval(request: Request, barrio: PostedBarrio, staff: PostingStaff, session: SessionDep,
                  form: FormDep) -> Response:
    """Whether the grupo motor's hitos wait for staff approval in this barrio."""
    return pdl_page.after(request, staff, session, barrio, lambda: store.set_hito_approval(
        session, barrio, parsed(HitoApproval, form).required), "pendientes")


@router.get("/iniciativas/{iniciativa_id}", response_class=HTMLResponse)
def iniciativa_page(request: Request, iniciativa_id: Id, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    return _iniciativa_page(request, staff, session, page_of(session, staff, PdlIniciativa, iniciativa_id))


@router.post("/iniciativas/{iniciativa_id}", response_class=HTMLResponse)
def edit_iniciativa(request: Request, iniciativa_id: Id, staff: PostingStaff, session: SessionDep,
                    form: FormDep) -> Response:
    """Texts, cost, financing, progress, the responsible."""
    row = page_of(session, staff, PdlIniciativa, iniciativa_id)
    cleared = {name: form.get(name) or None for name in TRANSLATIONS} | {"description": form.get("description", "")}
    return _to_iniciativa(request, staff, session, row,
                          lambda: store.update_iniciativa(session, row, parsed(IniciativaUpdate, form, **cleared)),
                          "datos")


@router.post("/iniciativas/{iniciativa_id}/estado", response_class=HTMLResponse)
def iniciativa_status(request: Request, iniciativa_id: Id, staff: PostingStaff, session: SessionDep,
                      form: FormDep) -> Response:
    """One allowed step (or descartada); the vecinos who follow it are told."""
    row = page_of(session, staff, PdlIniciativa, iniciativa_id)

    def move() -> None:
        store.move_status(session, row, parsed(StatusMove, form, by=staff.user.name).status, staff.user.name)
        session.commit()

    return _to_iniciativa(request, staff, session, row, move, "estado")


@router.post("/iniciativas/{iniciativa_id}/hitos", response_class=HTMLResponse)
def new_hito(request: Request, iniciativa_id: Id, staff: PostingStaff, session: SessionDep, form: FormDep) -> Response:
    """A dated hito; the vecinos who follow the iniciativa get it."""
    row = page_of(session, staff, PdlIniciativa, iniciativa_id)
    return _to_iniciativa(request, staff, session, row, lambda: store.add_hito(session, row, parsed(HitoIn, form)),
                          "hitos")


@router.post("/hitos/{hito_id}/{action}", response_class=HTMLResponse)
def decide_hito(request: Request, hito_id: Id, action: str, staff: PostingStaff, session: SessionDep) -> Response:
    """Approve a hito the grupo motor reported (its followers get it) or leave it out."""
    hito = ours(lambda: store.owned_hito(session, staff.ejecutor, hito_id))
    iniciativa = page_of(session, staff, PdlIniciativa, hito.iniciativa_id)
    barrio = page_of(session, staff, Barrio, iniciativa.barrio_id)
    decide = {"aprobar": store.approve_hito, "descartar": store.reject_hito}.get(action)
    if decide is None:
        raise PageNotFound()
    return pdl_page.after(request, staff, session, barrio, lambda: decide(session, hito), "pendientes")


@router.post("/ideas/{idea_id}/{action}", response_class=HTMLResponse)
def decide_idea(request: Request, idea_id: Id, action: str, staff: PostingStaff, session: SessionDep,
                form: FormDep) -> Response:
    """Merge a vecino's idea into the PDL (a new iniciativa, or one it names) or decline it; the proposer is told."""
    idea = page_of(session, staff, PdlIdea, idea_id)
    barrio = page_of(session, staff, Barrio, idea.barrio_id)
    if action == "incorporar":
        return pdl_page.after(request, staff, session, barrio,
                              lambda: ideas.merge(session, idea, parsed(IdeaMerge, form)), "ideas")
    if action == "descartar":
        return pdl_page.after(request, staff, session, barrio, lambda: ideas.decline(session, idea), "ideas")
    raise PageNotFound()


@router.get("/barrios/{barrio_id}/pdl/imprimir", response_class=HTMLResponse)
def printable(request: Request, barrio: OwnedBarrio, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    """The plan as the community reads it, on A4: problems and objectives, iniciativas by ámbito."""
    plan = store.pdl(session, barrio)
    shown = [i.model_copy(update={"hitos": [h for h in i.hitos if not h.pending][:3]}) for i in plan.iniciativas]
    by_ambito = [(key, [i for i in shown if i.ambito == key]) for key in AMBITOS]
    problems = [(key, list(rows)) for key, rows in groupby(sorted(plan.problems, key=lambda p: DIMENSIONS.index(
        p.dimension)), key=lambda p: p.dimension)]
    return render(request, "pdl_print.html", timezone=barrio.timezone, staff=staff, barrio=barrio, plan=plan,
                  by_ambito=[(key, rows) for key, rows in by_ambito if rows], problems=problems,
                  today=barrio_today(barrio), **NAMES)


@router.get("/barrios/{barrio_id}/pdl.csv", response_class=StreamingResponse)
def pdl_csv(barrio: OwnedBarrio, session: SessionDep) -> StreamingResponse:
    return csv_response(f"barrio-{barrio.id}-pdl.csv", PDL_HEADER, pdl_rows(store.pdl(session, barrio)))


@router.get("/barrios/{barrio_id}/pdl.xlsx", response_class=FileResponse)
def pdl_xlsx(barrio: OwnedBarrio, session: SessionDep) -> FileResponse:
    return xlsx_response(f"barrio-{barrio.id}-pdl.xlsx", "pdl", PDL_HEADER, pdl_rows(store.pdl(session, barrio)))

