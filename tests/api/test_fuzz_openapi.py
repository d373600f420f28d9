"""Fuzz every API route from its own OpenAPI schema: no 5xx, no response breaking the schema.

The app runs on its own SQLite database, seeded with two ejecutores and their barrios,
so generated ids hit real rows of the caller's and of someone else's.
"""

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from api.kernel.config import Settings
from api.kernel.db import make_engine
from api.kernel.migrate import upgrade
from bot.main import build_app
from tests.factories import ADMIN_TOKEN, make_barrio, make_ejecutor


def _seeded_app():  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'fuzz.db'}")
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        ejecutor, token = make_ejecutor(session)
        make_barrio(session, ejecutor)
        other, _ = make_ejecutor(session, "Otra ONG")
        make_barrio(session, other, "Barrio ajeno")
    # the fuzzer sends missing and wrong tokens on purpose: no throttling, or it would test only 429s
    settings = Settings(_env_file=None, admin_token=ADMIN_TOKEN, telegram_bot_token=None,  # type: ignore[call-arg]
                        auth_failures=10**9)
    return build_app(settings, engine), token


APP, TOKEN = _seeded_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


@schema.parametrize()
@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_holds_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)


@schema.parametrize()
@hypothesis_settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_as_admin_holds_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, checks=CHECKS)
