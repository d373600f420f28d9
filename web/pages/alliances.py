"""A barrio's alliances (Etapa II): the organisation's actors working with it, mesas de trabajo with the
actors present and their acuerdos, contributions in CLP, and the resources mobilised beyond FOSIS's; the
same report for the whole organisation, barrio by barrio, with its downloads."""

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from sqlmodel import Session

from api.barrios.models import Barrio
from api.kernel.deps import Id, SessionDep
from api.kernel.exports import csv_response, xlsx_response
from api.programme import alliances as store
from api.programme.alliance_models import ActorIn, ActorKind, AcuerdoIn, ContributionIn, ContributionKind, Mesa, MesaIn
from api.programme.alliance_routes import acuerdo_in_path
from api.programme.pdl import iniciativas_of
from api.programme.timeline import barrio_today
from conversations.ballots.texts import ambito
from web.deps import PostingStaff, Staff, StaffDep
from web.forms import FormDep, many, parsed
from web.pages.owned import OwnedBarrio, PostedBarrio, ours, page_of
from web.pages.programme_page import serve_programme_page
from web.templating import render

router = APIRouter()


@serve_programme_page(router, "alianzas")
def alliances_page(request: Request, staff: Staff, session: Session, barrio: Barrio, error: str | None = None,
                   status: int = 200) -> HTMLResponse:
    """The organisation's actors (working with this barrio or not), the barrio's mesas, contributions, the report."""
    actors = [store.describe_actor(session, a) for a in store.actors_of(session, staff.ejecutor)]
    iniciativas = iniciativas_of(session, barrio.id or 0)
    return render(request, "alliances.html", status=status, timezone=barrio.timezone, staff=staff, barrio=barrio,
                  report=store.report(session, [barrio.id or 0]), actors=actors, names={a.id: a.name for a in actors},
                  mesas=[store.describe_mesa(session, m) for m in store.mesas_of(session, barrio)],
                  contributions=store.contributions_of(session, barrio), iniciativas=iniciativas,
                  titles={i.id: i.title for i in iniciativas},
                  actor_kinds=list(ActorKind), contribution_kinds=list(ContributionKind), today=barrio_today(barrio),
                  ambito_name=ambito, error=error)


@router.post("/barrios/{barrio_id}/alianzas/actores", response_class=HTMLResponse)
def new_actor(request: Request, barrio: PostedBarrio, staff: PostingStaff, session: SessionDep,
              form: FormDep) -> Response:
    """A new actor of the organisation, working with this barrio."""
    return alliances_page.after(request, staff, session, barrio, lambda: store.link_actor(
        session, store.add_actor(session, staff.ejecutor, parsed(ActorIn, form)), barrio, linked=True), "actores")


@router.post("/barrios/{barrio_id}/alianzas/actores/{actor_id}", response_class=HTMLResponse)
def actor_link(request: Request, barrio: PostedBarrio, actor_id: Id, staff: PostingStaff, session: SessionDep,
               form: FormDep) -> Response:
    """An actor of the organisation starts (or stops) working with this barrio."""
    actor = ours(lambda: store.owned_actor(session, staff.ejecutor, actor_id))
    return alliances_page.after(request, staff, session, barrio,
                                lambda: store.link_actor(session, actor, barrio, linked=form.get("linked") == "true"),
                                "actores")


@router.post("/barrios/{barrio_id}/alianzas/mesas", response_class=HTMLResponse)
def new_mesa(request: Request, barrio: PostedBarrio, staff: PostingStaff, session: SessionDep,
             form: FormDep) -> Response:
    """A mesa de trabajo held on a day, with the actors present."""
    return alliances_page.after(request, staff, session, barrio, lambda: store.add_mesa(
        session, barrio, parsed(MesaIn, form, actors=many(form, "actors"))), "mesas")


@router.post("/mesas/{mesa_id}/acuerdos", response_class=HTMLResponse)
def new_acuerdo(request: Request, mesa_id: Id, staff: PostingStaff, session: SessionDep, form: FormDep) -> Response:
    """An acuerdo of the mesa: who committed what, by when."""
    mesa = page_of(session, staff, Mesa, mesa_id)
    barrio = page_of(session, staff, Barrio, mesa.barrio_id)
    return alliances_page.after(request, staff, session, barrio,
                                lambda: store.add_acuerdo(session, mesa, parsed(AcuerdoIn, form)), f"mesa-{mesa.id}")


@router.post("/acuerdos/{acuerdo_id}", response_class=HTMLResponse)
def acuerdo_done(request: Request, acuerdo_id: Id, staff: PostingStaff, session: SessionDep,
                 form: FormDep) -> Response:
    """Mark an acuerdo done, or not done."""
    acuerdo = ours(lambda: acuerdo_in_path(acuerdo_id, session, staff.ejecutor))
    mesa = page_of(session, staff, Mesa, acuerdo.mesa_id)
    barrio = page_of(session, staff, Barrio, mesa.barrio_id)
    done = AcuerdoIn(**acuerdo.model_dump(include={"text", "actor_id", "due_on"}), done=form.get("done") == "true")
    return alliances_page.after(request, staff, session, barrio,
                                lambda: store.update_acuerdo(session, staff.ejecutor, acuerdo, done), f"mesa-{mesa.id}")


@router.post("/barrios/{barrio_id}/alianzas/aportes", response_class=HTMLResponse)
def new_contribution(request: Request, barrio: PostedBarrio, staff: PostingStaff, session: SessionDep,
                     form: FormDep) -> Response:
    """A partner's contribution, money or in kind (valued in CLP), to an iniciativa or to the barrio."""
    return alliances_page.after(request, staff, session, barrio, lambda: store.add_contribution(
        session, barrio, parsed(ContributionIn, form)), "aportes")


@router.get("/barrios/{barrio_id}/alianzas.csv", response_class=StreamingResponse)
def report_csv(barrio: OwnedBarrio, session: SessionDep) -> StreamingResponse:
    """The resources mobilised beyond FOSIS's, as CSV (the API's /alliances.csv)."""
    rows = store.report_rows(store.report(session, [barrio.id or 0]))
    return csv_response(f"barrio-{barrio.id}-alliances.csv", store.REPORT_HEADER, rows)


@router.get("/barrios/{barrio_id}/alianzas.xlsx", response_class=FileResponse)
def report_xlsx(barrio: OwnedBarrio, session: SessionDep) -> FileResponse:
    return xlsx_response(f"barrio-{barrio.id}-alliances.xlsx", "alliances", store.REPORT_HEADER,
                         store.report_rows(store.report(session, [barrio.id or 0])))


@router.get("/alianzas", response_class=HTMLResponse)
def organisation_page(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    """The organisation's resources mobilised beyond FOSIS's: all its barrios together, then each one."""
    return render(request, "alliances_organisation.html", staff=staff,
                  found=store.report_by_barrio(session, staff.ejecutor), ambito_name=ambito)


@router.get("/alianzas.csv", response_class=StreamingResponse)
def organisation_csv(staff: StaffDep, session: SessionDep) -> StreamingResponse:
    """The organisation's report as CSV (the API's /alliances.csv)."""
    return csv_response("alliances.csv", store.ORGANISATION_HEADER,
                        store.organisation_rows(store.report_by_barrio(session, staff.ejecutor)))


@router.get("/alianzas.xlsx", response_class=FileResponse)
def organisation_xlsx(staff: StaffDep, session: SessionDep) -> FileResponse:
    return xlsx_response("alliances.xlsx", "alliances", store.ORGANISATION_HEADER,
                         store.organisation_rows(store.report_by_barrio(session, staff.ejecutor)))

