"""FastAPI dependencies every router shares: the database, the settings, the bot's name, the admin.

Who the caller is and what they own (an ejecutor and its barrios) is in api/barrios/deps.py.
"""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Path, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlmodel import Session

from api.kernel.config import Settings
from api.kernel.security import same_secret

bearer = HTTPBearer(auto_error=False, description="An ejecutor's API token, or the ADMIN_TOKEN")


def get_engine(request: Request) -> Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


EngineDep = Annotated[Engine, Depends(get_engine)]


def get_session(engine: EngineDep) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_bot_username(request: Request) -> str:
    """The bot's name for t.me links: the setting, replaced by Telegram's answer once the bot starts."""
    return request.app.state.bot_username  # type: ignore[no-any-return]


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
BotUsername = Annotated[str, Depends(get_bot_username)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"})


def require_admin(credentials: Credentials, settings: SettingsDep) -> None:
    if settings.admin_token is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "admin routes are disabled: ADMIN_TOKEN is not set")
    if credentials is None:
        raise unauthorized("missing bearer token")
    if not same_secret(credentials.credentials, settings.admin_token):
        raise unauthorized("invalid admin token")


# Database ids are 32-bit integers; anything else is a 422, not a crash.
MAX_ID = 2**31 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int, Query(ge=1, le=MAX_ID)]
IdForm = Annotated[int, Form(ge=1, le=MAX_ID)]

AdminDep = Annotated[None, Depends(require_admin)]
