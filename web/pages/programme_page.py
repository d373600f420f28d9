"""A page of a barrio's programme (its phases, its PDL, its alliances), whose forms post back to it.

`@serve_programme_page(router, "alianzas")` on the function that renders the page serves it at
/consola/barrios/{barrio_id}/alianzas (another organisation's barrio: the 404 page). A form's route then
calls `page.after(...)`: the form's action, then the page's section it was in, or the page again saying
what went wrong (web.forms.answer).
"""

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api.barrios.models import Barrio
from api.kernel.deps import SessionDep
from web.deps import Staff, StaffDep
from web.forms import Action, Page, answer
from web.pages.owned import OwnedBarrio

Shows = Callable[[Request, Staff, Session, Barrio, str | None, int], HTMLResponse]  # ..., error, status -> the page


@dataclass(frozen=True)
class ProgrammePage:
    path: str  # after /consola/barrios/{barrio_id}/
    show: Shows

    def again(self, request: Request, staff: Staff, session: Session, barrio: Barrio) -> Page:
        """The page shown again with what went wrong, and the status the API would give."""
        return lambda error, status: self.show(request, staff, session, barrio, error, status)

    def after(self, request: Request, staff: Staff, session: Session, barrio: Barrio, action: Action,
              anchor: str) -> Response:
        """Run a form's action; then go to the page's section `anchor`, or show the page again."""
        return answer(session, action, f"/consola/barrios/{barrio.id}/{self.path}#{anchor}",
                      self.again(request, staff, session, barrio))


def serve_programme_page(router: APIRouter, path: str) -> Callable[[Shows], ProgrammePage]:
    """Serve the decorated function at /barrios/{barrio_id}/<path> of `router`, for the barrio's staff."""

    def serve(show: Shows) -> ProgrammePage:
        def get(request: Request, barrio: OwnedBarrio, staff: StaffDep, session: SessionDep) -> HTMLResponse:
            return show(request, staff, session, barrio, None, 200)

        router.add_api_route(f"/barrios/{{barrio_id}}/{path}", get, methods=["GET"], response_class=HTMLResponse,
                             name=show.__name__)
        return ProgrammePage(path, show)

    return serve
