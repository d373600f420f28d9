"""A barrio's convocatorias and announcements from the console: delivery progress and RSVP counts; send a
convocatoria or an announcement after previewing it in each language; call one off or give it a new date."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session, col, select

from api.barrios.models import Barrio
from api.convocatorias.announcement_routes import public as announcement_public
from api.convocatorias.changes import announce, cancel_convocatoria, reschedule_convocatoria
from api.convocatorias.models import (
    Announcement,
    AnnouncementCreate,
    Convocatoria,
    ConvocatoriaCreate,
    ConvocatoriaMove,
)
from api.convocatorias.store import describe, send_convocatoria
from api.kernel.deps import Id, SessionDep
from api.kernel.errors import Conflict, Invalid
from api.kernel.types import utcnow
from conversations.convocatorias import texts
from conversations.convocatorias.ports import Draft
from conversations.kernel.i18n import SUPPORTED, Translator
from web.deps import PageNotFound, PostingStaff, Staff, StaffDep
from web.pages.forms import from_local, problems
from web.pages.owned import page_of
from web.templating import render

router = APIRouter()
SHOWN = 50  # the newest convocatorias and announcements on the page (all of them through the API)
Action = Annotated[str, Form(pattern="^(preview|send)$")]


def _page(request: Request, staff: Staff, session: Session, barrio: Barrio, *, status: int = 200,
          **extra: Any) -> HTMLResponse:
    convocatorias = session.exec(select(Convocatoria).where(Convocatoria.barrio_id == barrio.id)
                                 .order_by(col(Convocatoria.starts_at).desc()).limit(SHOWN)).all()
    announcements = session.exec(select(Announcement).where(Announcement.barrio_id == barrio.id)
                                 .order_by(col(Announcement.id).desc()).limit(SHOWN)).all()
    return render(request, "convocatorias.html", status=status, timezone=barrio.timezone, staff=staff,
                  barrio=barrio, now=utcnow(), convocatorias=[describe(session, c) for c in convocatorias],
                  announcements=[announcement_public(session, a) for a in announcements],
                  languages_of_vecinos=SUPPORTED, **extra)


@router.get("/barrios/{barrio_id}/convocatorias", response_class=HTMLResponse)
def convocatorias_page(request: Request, barrio_id: Id, staff: StaffDep, session: SessionDep,
                       error: str | None = None) -> HTMLResponse:
    return _page(request, staff, session, page_of(session, staff, Barrio, barrio_id), moved_error=error)


@router.post("/barrios/{barrio_id}/convocatorias", response_class=HTMLResponse)
def send(request: Request, barrio_id: Id, staff: PostingStaff, session: SessionDep, action: Action,
         title: Annotated[str, Form(max_length=300)] = "", starts_at: Annotated[str, Form(max_length=20)] = "",
         place: Annotated[str, Form(max_length=300)] = "",
         details: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Preview the convocatoria in every language, or send it."""
    barrio = page_of(session, staff, Barrio, barrio_id)
    typed = {"title": title, "starts_at": starts_at, "place": place, "details": details}
    try:
        data = ConvocatoriaCreate(title=title.strip(), starts_at=from_local(starts_at, barrio.timezone, "starts_at"),
                                  place=place.strip(), details=details.strip())
        if data.starts_at <= utcnow():
            raise Invalid("starts_at: must be in the future")
    except ValidationError as error:
        return _page(request, staff, session, barrio, status=422, typed=typed, error=problems(error))
    except Invalid as error:
        return _page(request, staff, session, barrio, status=422, typed=typed, error=error.detail)
    draft = Draft(data.title, data.starts_at, data.place, data.details)
    if action == "preview":
        preview = {locale: texts.body(Translator(locale, barrio.timezone), draft, barrio.name) for locale in SUPPORTED}
        return _page(request, staff, session, barrio, typed=typed, preview=preview)
    send_convocatoria(session, barrio, draft, None)
    session.commit()
    return RedirectResponse(f"/consola/barrios/{barrio.id}/convocatorias#lista", status_code=303)


@router.post("/barrios/{barrio_id}/avisos", response_class=HTMLResponse)
def send_announcement(request: Request, barrio_id: Id, staff: PostingStaff, session: SessionDep, action: Action,
                      text: Annotated[str, Form(max_length=2000)] = "",
                      text_ht: Annotated[str, Form(max_length=2000)] = "",
                      text_en: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Preview the announcement in every language, or send it."""
    barrio = page_of(session, staff, Barrio, barrio_id)
    written = {"ht": text_ht, "en": text_en}
    typed = {"text": text, **{f"text_{locale}": value for locale, value in written.items()}}
    try:
        data = AnnouncementCreate(text=text.strip(), translations={
            locale: value.strip() for locale, value in written.items() if value.strip()})
    except ValidationError as error:
        return _page(request, staff, session, barrio, status=422, announcement=typed,
                     announcement_error=problems(error))
    if action == "preview":
        preview = {locale: texts.announcement(Translator(locale, barrio.timezone),
                                              data.translations.get(locale, data.text), barrio.name)
                   for locale in SUPPORTED}
        return _page(request, staff, session, barrio, announcement=typed, announcement_preview=preview)
    announce(session, barrio, data)
    session.commit()
    return RedirectResponse(f"/consola/barrios/{barrio.id}/convocatorias#avisos", status_code=303)


def _owned_convocatoria(session: Session, staff: Staff, barrio_id: int,
                        convocatoria_id: int) -> tuple[Barrio, Convocatoria]:
    barrio = page_of(session, staff, Barrio, barrio_id)
    row = session.get(Convocatoria, convocatoria_id)
    if row is None or row.barrio_id != barrio.id:
        raise PageNotFound()
    return barrio, row


@router.post("/barrios/{barrio_id}/convocatorias/{convocatoria_id}/suspender")
def call_off(barrio_id: Id, convocatoria_id: Id, staff: PostingStaff, session: SessionDep) -> Response:
    barrio, row = _owned_convocatoria(session, staff, barrio_id, convocatoria_id)
    try:
        cancel_convocatoria(session, barrio, row, utcnow())
        session.commit()
    except Conflict:
        return RedirectResponse(f"/consola/barrios/{barrio.id}/convocatorias?error=409#lista", status_code=303)
    return RedirectResponse(f"/consola/barrios/{barrio.id}/convocatorias#lista", status_code=303)


@router.post("/barrios/{barrio_id}/convocatorias/{convocatoria_id}/fecha")
def new_date(barrio_id: Id, convocatoria_id: Id, staff: PostingStaff, session: SessionDep,
             starts_at: Annotated[str, Form(max_length=20)],
             place: Annotated[str, Form(max_length=300)] = "") -> Response:
    barrio, row = _owned_convocatoria(session, staff, barrio_id, convocatoria_id)
    try:
        move = ConvocatoriaMove(starts_at=from_local(starts_at, barrio.timezone, "starts_at"),
                                place=place.strip() or None)
        reschedule_convocatoria(session, barrio, row, move, utcnow())
        session.commit()
    except (Invalid, Conflict, ValidationError):
        return RedirectResponse(f"/consola/barrios/{barrio.id}/convocatorias?error=422#lista", status_code=303)
    return RedirectResponse(f"/consola/barrios/{barrio.id}/convocatorias#lista", status_code=303)
