"""Every error as JSON with a clear message; validation errors name the field.

Stores and domain code raise the errors below, never HTTP exceptions; the handlers
installed here are where they become 404, 409 or 422 answers.
"""

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.kernel.headers import DATA_POLICY, headers_for

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A request the service understood but cannot carry out; `status` is its HTTP answer."""

    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    """It does not exist, or it is not the caller's (the same answer, so nothing leaks)."""

    status = 404


class Conflict(DomainError):
    """It conflicts with the current state (e.g. opening a closed survey)."""

    status = 409


class Invalid(DomainError):
    """Well-formed but not acceptable; the detail reads "field: what is wrong"."""

    status = 422


class ErrorBody(BaseModel):
    detail: str


class FieldError(BaseModel):
    field: str
    message: str


class ValidationErrorBody(ErrorBody):
    errors: list[FieldError] = []


# Documented on every router, so the OpenAPI schema says what errors look like.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorBody, "description": "The body could not be read (not JSON, bad encoding)"},
    401: {"model": ErrorBody, "description": "Missing or invalid bearer token"},
    403: {"model": ErrorBody, "description": "Not allowed"},
    404: {"model": ErrorBody, "description": "Not found, or not one of the caller's"},
    409: {"model": ErrorBody, "description": "Conflicts with the current state (e.g. already closed)"},
    422: {"model": ValidationErrorBody, "description": "Invalid request; `errors` names each field"},
    429: {"model": ErrorBody, "description": "Too many failed authentications from this address, or too many "
                                             "exports at once; `Retry-After` says when to try again"},
}


def _error(status: int, detail: object, headers: Mapping[str, str] | None = None) -> JSONResponse:
    body: dict[str, object] = {"detail": detail}
    if status == 422 and isinstance(detail, str):  # "field: message", as validation does
        field, _, message = detail.partition(": ")
        body["errors"] = [{"field": field, "message": message}] if message else []
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, exc.detail, exc.headers)

    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        return _error(exc.status, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": ".".join(str(part) for part in error["loc"] if part != "body") or "body",
             "message": error["msg"]}
            for error in exc.errors()
        ]
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return JSONResponse({"detail": f"invalid request: {summary}", "errors": errors}, status_code=422)

    @app.exception_handler(DataError)
    @app.exception_handler(OverflowError)
    async def unstorable_value(request: Request, exc: Exception) -> JSONResponse:
        """A value the checks let through but the database or date arithmetic cannot hold (a
        NUL, a number or date out of range): the caller's input, so a 422, logged to fix the check."""
        log.warning("unstorable value on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return _error(422, "a value is out of the range the service can store")

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        """Starlette answers this one outside every middleware, so the security headers are set here."""
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        headers = {**headers_for(request.url.path), "Content-Security-Policy": DATA_POLICY}
        return JSONResponse({"detail": "internal error; it has been logged"}, status_code=500, headers=headers)
