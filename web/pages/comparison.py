"""Línea base vs línea de salida in the console: a barrio's two surveys compared (a chart per dimension, the
table per question, downloads), the organisation's barrios one by one and pooled, and the vecinos' summary
previewed and approved. api/comparison computes all of it; these pages only choose and show.
"""

from collections.abc import Iterable, Sequence
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.barrios.models import Barrio
from api.comparison.export import HEADER, ORGANISATION_HEADER, organisation_table, table
from api.comparison.models import Comparison
from api.comparison.publish import preview, send
from api.comparison.report import barrio_comparison, barrio_names, organisation_comparison
from api.kernel.deps import EngineDep, Id, SessionDep
from api.kernel.errors import DomainError
from api.kernel.exports import Cell, csv_response, xlsx_response
from api.privacy.log import exported, exported_all
from api.surveys.models import Survey
from web.deps import PostingStaff, Staff, StaffDep
from web.pages.owned import page_of
from web.templating import language, render

router = APIRouter()

Chosen = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
ChosenInForm = Annotated[int | None, Form(ge=1, le=2**31 - 1)]


class _Unavailable(Exception):
    """The comparison asked for cannot be made (no línea base, the same survey twice...): said on the page."""

    def __init__(self, page: HTMLResponse) -> None:
        self.page = page


@router.get("/barrios/{barrio_id}/comparacion", response_class=HTMLResponse)
def barrio_page(request: Request, barrio_id: Id, staff: StaffDep, session: SessionDep, engine: EngineDep,
                base: Chosen = None, salida: Chosen = None,
                enviados: Annotated[int | None, Query(ge=0)] = None) -> HTMLResponse:
    """Choose the two surveys; the comparison, its downloads and the vecinos' summary to approve."""
    return _page(request, page_of(session, staff, Barrio, barrio_id), staff, session, engine, base, salida,
                 sent=enviados)


def _page(request: Request, barrio: Barrio, staff: Staff, session: Session, engine: Engine, base: int | None,
          salida: int | None, *, sent: int | None = None, error: DomainError | None = None,
          status: int = 200) -> HTMLResponse:
    surveys = session.exec(select(Survey).where(Survey.barrio_id == barrio.id).order_by(col(Survey.id).desc())).all()
    found = summary = None
    if error is None:
        try:
            found = barrio_comparison(session, engine, barrio, base_id=base, salida_id=salida,
                                      language=language(request))
            summary = preview(found, barrio)
        except DomainError as problem:
            error, status = problem, problem.status
    return render(request, "comparison.html", status=status, timezone=barrio.timezone, staff=staff, barrio=barrio,
                  surveys=surveys, found=found, summary=summary, error=error, sent=sent,
                  error_code=getattr(error, "code", None),
                  base=found.base.id if found else base, salida=found.salida.id if found else salida)


def _found(request: Request, barrio_id: int, staff: Staff, session: Session, engine: Engine,
           base: int | None, salida: int | None) -> tuple[Barrio, Comparison]:
    barrio = page_of(session, staff, Barrio, barrio_id)
    try:
        return barrio, barrio_comparison(session, engine, barrio, base_id=base, salida_id=salida,
                                         language=language(request))
    except DomainError as problem:
        raise _Unavailable(_page(request, barrio, staff, session, engine, base, salida,
                                 error=problem, status=problem.status)) from problem


@router.get("/barrios/{barrio_id}/comparacion.csv", response_class=StreamingResponse)
def barrio_csv(request: Request, barrio_id: Id, staff: StaffDep, session: SessionDep, engine: EngineDep,
               base: Chosen = None, salida: Chosen = None) -> Response:
    return _barrio_download(request, barrio_id, staff, session, engine, base, salida, "csv")


@router.get("/barrios/{barrio_id}/comparacion.xlsx", response_class=FileResponse)
def barrio_xlsx(request: Request, barrio_id: Id, staff: StaffDep, session: SessionDep, engine: EngineDep,
                base: Chosen = None, salida: Chosen = None) -> Response:
    return _barrio_download(request, barrio_id, staff, session, engine, base, salida, "xlsx")


def _barrio_download(request: Request, barrio_id: int, staff: Staff, session: Session, engine: Engine,
                     base: int | None, salida: int | None, extension: str) -> Response:
    """The barrio's comparison as one table (api/comparison/export.py), logged as this staff user's export."""
    try:
        _barrio, found = _found(request, barrio_id, staff, session, engine, base, salida)
    except _Unavailable as unavailable:
        return unavailable.page
    exported(session, barrio_id, f"comparison {found.base.id}-{found.salida.id}.{extension}", staff.actor)
    return _download(f"comparacion-{found.base.id}-{found.salida.id}.{extension}", HEADER, table(found), extension)


def _download(filename: str, header: list[str], rows: Iterable[Sequence[Cell]], extension: str) -> Response:
    if extension == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, "comparacion", header, rows)


@router.post("/barrios/{barrio_id}/comparacion/resumen", response_class=HTMLResponse)
def approve_summary(request: Request, barrio_id: Id, staff: PostingStaff, session: SessionDep, engine: EngineDep,
                    approved: Annotated[str, Form(min_length=1, max_length=64)], base: ChosenInForm = None,
                    salida: ChosenInForm = None) -> Response:
    """Send the summary staff read (its version) to every vecino; refused while the línea de salida is open
    or when the answers changed since the preview."""
    try:
        barrio, found = _found(request, barrio_id, staff, session, engine, base, salida)
    except _Unavailable as unavailable:
        return unavailable.page
    try:
        sent = send(session, barrio, found, approved)
    except DomainError as problem:
        return _page(request, barrio, staff, session, engine, base, salida, error=problem,
                     status=problem.status)
    return RedirectResponse(f"/consola/barrios/{barrio_id}/comparacion?base={found.base.id}&salida={found.salida.id}"
                            f"&enviados={sent.queued}#resumen", status_code=303)


@router.get("/comparacion", response_class=HTMLResponse)
def organisation_page(request: Request, staff: StaffDep, session: SessionDep, engine: EngineDep) -> HTMLResponse:
    """Every barrio of the organisation with both rounds, one by one, then all of them pooled."""
    found = organisation_comparison(session, engine, staff.ejecutor, language=language(request))
    return render(request, "comparison_organisation.html", staff=staff, found=found,
                  names=barrio_names(session, staff.ejecutor))


@router.get("/comparacion.csv", response_class=StreamingResponse)
def organisation_csv(request: Request, staff: StaffDep, session: SessionDep, engine: EngineDep) -> Response:
    return _organisation_download(request, staff, session, engine, "csv")


@router.get("/comparacion.xlsx", response_class=FileResponse)
def organisation_xlsx(request: Request, staff: StaffDep, session: SessionDep, engine: EngineDep) -> Response:
    return _organisation_download(request, staff, session, engine, "xlsx")


def _organisation_download(request: Request, staff: Staff, session: Session, engine: Engine,
                           extension: str) -> Response:
    found = organisation_comparison(session, engine, staff.ejecutor, language=language(request))
    exported_all(session, staff.ejecutor.id or 0, f"comparison.{extension}", staff.actor)
    return _download(f"comparacion.{extension}", ORGANISATION_HEADER,
                     organisation_table(found, barrio_names(session, staff.ejecutor)), extension)
