"""Who is using the console (a staff user, by the session cookie) and the CSRF check of every form.

A page for someone not logged in redirects to the login page; a session whose user was
deactivated no longer finds its user (api/staff/store.session_user), so it stops at once.
Every POST carries the session's CSRF token in a hidden `csrf` field (the login form, before
any session, compares its field with a cookie instead).
"""

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request

from api.barrios.models import Ejecutor
from api.kernel.deps import SessionDep
from api.privacy.models import StaffActor, Via
from api.staff.models import StaffUser
from api.staff.store import session_user

SESSION_COOKIE = "al_session"
LOGIN_CSRF_COOKIE = "al_login_csrf"


class LoginRequired(Exception):
    """No live session: the console answers with a redirect to the login page."""


class PageNotFound(Exception):
    """Not there, or another organisation's: the same 404 page either way."""


class CsrfRefused(Exception):
    """A form posted without its session's CSRF token."""


@dataclass(frozen=True)
class Staff:
    user: StaffUser
    ejecutor: Ejecutor
    csrf: str
    token: str

    @property
    def actor(self) -> StaffActor:
        """This staff user, through the console: what the accountability log records."""
        return StaffActor(self.user.id, Via.CONSOLE)


def current_staff(request: Request, session: SessionDep) -> Staff:
    token = request.cookies.get(SESSION_COOKIE)
    found = session_user(session, token) if token else None
    if found is None:
        raise LoginRequired()
    user, staff_session = found
    ejecutor = session.get(Ejecutor, user.ejecutor_id)
    assert ejecutor is not None
    return Staff(user=user, ejecutor=ejecutor, csrf=staff_session.csrf, token=token or "")


StaffDep = Annotated[Staff, Depends(current_staff)]


def checked_form(staff: StaffDep, csrf: Annotated[str, Form()] = "") -> Staff:
    """The staff user of a form post whose CSRF token matches their session's."""
    if not hmac.compare_digest(csrf.encode(), staff.csrf.encode()):
        raise CsrfRefused()
    return staff


PostingStaff = Annotated[Staff, Depends(checked_form)]
