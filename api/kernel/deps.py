"""FastAPI dependencies: the database session, the settings and who is calling."""

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Path, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session, select

from api.barrios.models import Barrio, Ejecutor
from api.kernel.config import Settings
from api.kernel.security import hash_token

bearer = HTTPBearer(auto_error=False, description="An ejecutor's API token, or the ADMIN_TOKEN")


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"})


def require_admin(credentials: Credentials, settings: SettingsDep) -> None:
    if settings.admin_token is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "admin routes are disabled: ADMIN_TOKEN is not set")
    if credentials is None:
        raise _unauthorized("missing bearer token")
    if not hmac.compare_digest(credentials.credentials, settings.admin_token):
        raise _unauthorized("invalid admin token")


def current_ejecutor(credentials: Credentials, session: SessionDep) -> Ejecutor:
    if credentials is None:
        raise _unauthorized("missing bearer token")
    ejecutor = session.exec(
        select(Ejecutor).where(Ejecutor.token_hash == hash_token(credentials.credentials))
    ).first()
    if ejecutor is None:
        raise _unauthorized("invalid token")
    return ejecutor


# Database ids are 32-bit integers; anything else is a 422, not a crash.
MAX_ID = 2**31 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int, Query(ge=1, le=MAX_ID)]
IdForm = Annotated[int, Form(ge=1, le=MAX_ID)]

AdminDep = Annotated[None, Depends(require_admin)]
CurrentEjecutor = Annotated[Ejecutor, Depends(current_ejecutor)]


def owned_barrio(session: Session, ejecutor: Ejecutor, barrio_id: int) -> Barrio:
    """The barrio if it belongs to `ejecutor`; 404 otherwise (others' barrios do not exist for them)."""
    barrio = session.get(Barrio, barrio_id)
    if barrio is None or barrio.ejecutor_id != ejecutor.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"barrio {barrio_id} not found")
    return barrio
