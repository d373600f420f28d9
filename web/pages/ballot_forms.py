"""Ballots from the console: create one with its table of iniciativas, edit or delete it while scheduled,
open or close it early, move its times, cancel it (no results go out). Times are typed in the barrio's
local time."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.ballots.changes import cancel_ballot, delete_ballot, edit_ballot, reschedule_ballot
from api.ballots.models import MAX_INICIATIVAS, Ballot, BallotCreate, BallotTimes
from api.ballots.schedule import close_ballot, open_ballot, queue_opening, queue_results
from api.ballots.store import create_ballot, describe
from api.barrios.models import Barrio
from api.kernel.deps import EngineDep, Id, SessionDep
from api.kernel.errors import Conflict, Invalid
from api.kernel.types import utcnow
from api.kernel.validation import OTHER_LANGUAGES
from conversations.ballots.ports import BallotStatus
from conversations.ballots.rules import AMBITOS, METHODS
from web.deps import PageNotFound, PostingStaff, Staff, StaffDep
from web.pages.forms import from_local, problems, to_local
from web.pages.owned import page_of
from web.templating import render

router = APIRouter()

ROWS = 6  # empty iniciativa rows offered on a new ballot (blank rows are ignored)
Texts = Annotated[list[str], Form()]


class BallotForm:
    """What the form posts: the ballot's fields and one list per iniciativa column."""

    def __init__(self, title: Annotated[str, Form(max_length=200)] = "",
                 description: Annotated[str, Form(max_length=2000)] = "",
                 method: Annotated[str, Form(max_length=12)] = "single",
                 max_choices: Annotated[str, Form(max_length=3)] = "",
                 budget: Annotated[str, Form(max_length=16)] = "",
                 opens_at: Annotated[str, Form(max_length=20)] = "",
                 closes_at: Annotated[str, Form(max_length=20)] = "",
                 title_ht: Annotated[str, Form(max_length=200)] = "",
                 title_en: Annotated[str, Form(max_length=200)] = "",
                 description_ht: Annotated[str, Form(max_length=2000)] = "",
                 description_en: Annotated[str, Form(max_length=2000)] = "",
                 ini_title: Texts = [],  # noqa: B006 (FastAPI copies defaults)
                 ini_ambito: Texts = [],  # noqa: B006
                 ini_cost: Texts = [],  # noqa: B006
                 ini_description: Texts = [],  # noqa: B006
                 ini_title_ht: Texts = [],  # noqa: B006
                 ini_title_en: Texts = [],  # noqa: B006
                 ini_description_ht: Texts = [],  # noqa: B006
                 ini_description_en: Texts = []) -> None:  # noqa: B006
        self.fields = {"title": title, "description": description, "method": method, "max_choices": max_choices,
                       "budget": budget, "opens_at": opens_at, "closes_at": closes_at, "title_ht": title_ht,
                       "title_en": title_en, "description_ht": description_ht, "description_en": description_en}
        columns = {"title": ini_title, "ambito": ini_ambito, "cost": ini_cost, "description": ini_description,
                   "title_ht": ini_title_ht, "title_en": ini_title_en, "description_ht": ini_description_ht,
                   "description_en": ini_description_en}
        self.rows = [{key: values[n] if n < len(values) else "" for key, values in columns.items()}
                     for n in range(min(len(ini_title), len(ini_ambito), len(ini_cost), MAX_INICIATIVAS))]

    def data(self, timezone: str) -> BallotCreate:
        """The ballot as the API takes it; Invalid with every problem at once."""
        f = self.fields
        try:
            return BallotCreate(
                title=f["title"], description=f["description"], method=f["method"],
                max_choices=int(f["max_choices"]) if f["max_choices"].strip().isdigit() else None,
                budget=_clp(f["budget"]) if f["budget"].strip() else None,
                opens_at=from_local(f["opens_at"], timezone, "opens_at"),
                closes_at=from_local(f["closes_at"], timezone, "closes_at"),
                iniciativas=[{"title": r["title"], "ambito": r["ambito"], "cost": _clp(r["cost"]),
                              "description": r["description"], "translations": _translations(r)}
                             for r in self.rows if r["title"].strip()],
                translations=_translations(f),
            )
        except ValidationError as error:
            raise Invalid(problems(error)) from error


def _translations(typed: dict[str, str]) -> dict[str, dict[str, str]]:
    """The Kreyòl and English title and description typed beside the Spanish ones; a language left blank is
    left out (its vecinos read Spanish)."""
    return {lang: {"title": typed[f"title_{lang}"].strip(), "description": typed[f"description_{lang}"].strip()}
            for lang in OTHER_LANGUAGES if typed[f"title_{lang}"].strip() or typed[f"description_{lang}"].strip()}


def _typed(translations: dict[str, Any]) -> dict[str, str]:
    """Stored translations as the form's fields (title_ht, description_en...)."""
    return {f"{key}_{lang}": (getattr(text, key) if not isinstance(text, dict) else text[key]) or ""
            for lang, text in translations.items() if lang in OTHER_LANGUAGES for key in ("title", "description")}


def _clp(typed: str) -> int:
    """"$1.200.000", "1200000" or "1.200.000" as pesos; -1 (refused by the schema) for anything else."""
    digits = typed.strip().lstrip("$").replace(".", "").replace(" ", "")
    return int(digits) if digits.isdigit() else -1


def _form(request: Request, staff: Staff, barrio: Barrio, *, ballot: Ballot | None = None,
          fields: dict[str, Any] | None = None, rows: list[dict[str, str]] | None = None, error: str | None = None,
          status: int = 200) -> HTMLResponse:
    blank = {"title": "", "ambito": AMBITOS[0], "cost": "", "description": ""}
    rows = list(rows or [])
    return render(request, "ballot_form.html", status=status, timezone=barrio.timezone, staff=staff, barrio=barrio,
                  ballot=ballot, fields=fields or {"method": "single"}, rows=rows + [blank] * max(ROWS - len(rows), 1),
                  methods=METHODS, ambitos=AMBITOS, error=error)


@router.get("/barrios/{barrio_id}/votaciones/nueva", response_class=HTMLResponse)
def new_ballot(request: Request, barrio_id: Id, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    return _form(request, staff, page_of(session, staff, Barrio, barrio_id))


@router.post("/barrios/{barrio_id}/votaciones", response_class=HTMLResponse)
def add_ballot(request: Request, barrio_id: Id, staff: PostingStaff, session: SessionDep,
               form: Annotated[BallotForm, Depends()]) -> Response:
    barrio = page_of(session, staff, Barrio, barrio_id)
    try:
        data = form.data(barrio.timezone)
        if data.closes_at <= utcnow():
            raise Invalid("closes_at: must be in the future")
    except Invalid as error:
        return _form(request, staff, barrio, fields=form.fields, rows=form.rows, error=error.detail, status=422)
    ballot = create_ballot(session, barrio=barrio, data=data)
    return RedirectResponse(f"/consola/votaciones/{ballot.id}", status_code=303)


@router.get("/votaciones/{ballot_id}/editar", response_class=HTMLResponse)
def edit_page(request: Request, ballot_id: Id, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    ballot = page_of(session, staff, Ballot, ballot_id)
    barrio = session.get(Barrio, ballot.barrio_id)
    assert barrio is not None
    shown = describe(session, ballot)
    fields = {**shown.model_dump(include={"title", "description", "method", "max_choices", "budget"}),
              "opens_at": to_local(ballot.opens_at, barrio.timezone),
              "closes_at": to_local(ballot.closes_at, barrio.timezone), **_typed(shown.translations)}
    rows = [{"title": i.title, "ambito": i.ambito, "cost": str(i.cost), "description": i.description,
             **_typed(i.translations)} for i in shown.iniciativas]
    error = None if ballot.status == BallotStatus.SCHEDULED else "scheduled"
    return _form(request, staff, barrio, ballot=ballot, fields=fields, rows=rows, error=error)


@router.post("/votaciones/{ballot_id}/editar", response_class=HTMLResponse)
def edit(request: Request, ballot_id: Id, staff: PostingStaff, session: SessionDep,
         form: Annotated[BallotForm, Depends()]) -> Response:
    ballot = page_of(session, staff, Ballot, ballot_id)
    barrio = session.get(Barrio, ballot.barrio_id)
    assert barrio is not None
    try:
        edit_ballot(session, ballot, form.data(barrio.timezone), utcnow())
    except (Invalid, Conflict) as error:
        return _form(request, staff, barrio, ballot=ballot, fields=form.fields, rows=form.rows, error=error.detail,
                     status=error.status)
    return RedirectResponse(f"/consola/votaciones/{ballot.id}", status_code=303)


@router.post("/votaciones/{ballot_id}/fechas", response_class=HTMLResponse)
def move(request: Request, ballot_id: Id, staff: PostingStaff, session: SessionDep,
         closes_at: Annotated[str, Form(max_length=20)],
         opens_at: Annotated[str, Form(max_length=20)] = "") -> Response:
    ballot = page_of(session, staff, Ballot, ballot_id)
    barrio = session.get(Barrio, ballot.barrio_id)
    assert barrio is not None
    try:
        times = BallotTimes(opens_at=from_local(opens_at, barrio.timezone, "opens_at") if opens_at.strip() else None,
                            closes_at=from_local(closes_at, barrio.timezone, "closes_at"))
        reschedule_ballot(session, ballot, times, utcnow())
    except (Invalid, Conflict) as error:
        return RedirectResponse(f"/consola/votaciones/{ballot.id}?error={error.status}", status_code=303)
    return RedirectResponse(f"/consola/votaciones/{ballot.id}", status_code=303)


@router.post("/votaciones/{ballot_id}/cancelar")
def cancel(ballot_id: Id, staff: PostingStaff, session: SessionDep) -> Response:
    ballot = page_of(session, staff, Ballot, ballot_id)
    try:
        cancel_ballot(session, ballot, utcnow())
    except Conflict:
        return RedirectResponse(f"/consola/votaciones/{ballot.id}?error=409", status_code=303)
    return RedirectResponse(f"/consola/votaciones/{ballot.id}", status_code=303)


@router.post("/votaciones/{ballot_id}/{action}")
def transition(ballot_id: Id, action: str, staff: PostingStaff, session: SessionDep, engine: EngineDep) -> Response:
    """abrir (now, the barrio is told), cerrar (now, everyone gets the results) or borrar (while scheduled)."""
    ballot = page_of(session, staff, Ballot, ballot_id)
    here, barrio_page = f"/consola/votaciones/{ballot.id}", f"/consola/barrios/{ballot.barrio_id}#votaciones"
    now = utcnow()
    if action == "abrir":
        done = open_ballot(session, ballot, now)
    elif action == "cerrar":
        done = close_ballot(session, ballot, now)
    elif action == "borrar":
        try:
            delete_ballot(session, ballot)
        except Conflict:
            return RedirectResponse(f"{here}?error=409", status_code=303)
        return RedirectResponse(barrio_page, status_code=303)
    else:
        raise PageNotFound()
    if not done:
        session.rollback()
        return RedirectResponse(f"{here}?error=409", status_code=303)
    session.commit()
    if action == "cerrar":
        queue_results(engine, ballot.id or 0, now)
    else:
        queue_opening(engine, ballot.id or 0, now)
    return RedirectResponse(here, status_code=303)
