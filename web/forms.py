"""A posted form read into the API's own schemas, and what a console action answers.

The console's forms post the same fields the API's JSON bodies carry, so one schema checks
both: `parsed(...)` turns a form into that schema (an empty field is a field left out), and
what is wrong becomes an `Invalid` whose detail reads "field: what is wrong" (a `FormProblems`, which
pages show plainly through web.errors.explain). `answer(...)`
runs an action: a redirect (303) when it worked, otherwise the page again with the error
and the status the API would give (404, 409, 422), nothing of the action kept.
"""

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from api.kernel.errors import DomainError, Invalid
from web.errors import FormProblems

M = TypeVar("M", bound=BaseModel)
Page = Callable[[str, int], HTMLResponse]  # (error, status) -> the page showing it


async def posted(request: Request) -> dict[str, Any]:
    """The form's fields (a repeated field, such as checkboxes, as a list), without its CSRF token."""
    form = await request.form()
    return {key: values if len(values := form.getlist(key)) > 1 else values[0]
            for key in form if key != "csrf"}


FormDep = Annotated[dict[str, Any], Depends(posted)]


def parsed(model: type[M], form: dict[str, Any], **extra: Any) -> M:
    """The form as `model` (an empty field counts as left out); Invalid, saying which field, otherwise."""
    data = {key: value for key, value in form.items() if value != ""}
    try:
        return model.model_validate({**data, **extra})
    except ValidationError as error:
        raise Invalid(FormProblems.of(error)) from None


Action = Callable[[], Any]


def answer(session: Session, action: Action, to: str | Callable[[Any], str], page: Page) -> Response:
    """Run the action; then go to `to` (or where `to` says, given what the action returned), or show the
    page again with what went wrong."""
    try:
        done = action()
    except DomainError as error:
        session.rollback()
        return page(error.detail, error.status)
    return RedirectResponse(to if isinstance(to, str) else to(done), status_code=303)


def many(form: dict[str, Any], key: str) -> list[Any]:
    """A field that may repeat (checkboxes) as a list: none, one or several values."""
    value = form.get(key, [])
    return value if isinstance(value, list) else [value]
