"""The demo's token keeps working when the demo runs again (`serve --demo`, then `demo` for the codes)."""

import httpx
from sqlmodel import Session

from api.kernel.config import Settings
from bot.main import demo
from tests.factories import auth


async def test_running_the_demo_again_keeps_the_token_it_printed(client: httpx.AsyncClient, session: Session,
                                                                 settings: Settings) -> None:
    first = demo(session, settings)
    assert first.token is not None and first.token in first.describe("Bot")
    again = demo(session, settings)
    assert again.token is None and "unchanged" in again.describe("Bot") and again.barrio.id == first.barrio.id
    assert (await client.get("/api/me", headers=auth(first.token))).status_code == 200


async def test_a_new_demo_token_is_asked_for_and_announced(client: httpx.AsyncClient, session: Session,
                                                           settings: Settings) -> None:
    first = demo(session, settings)
    assert first.token is not None
    replaced = demo(session, settings, new_token=True)
    assert replaced.token is not None and "no longer works" in replaced.describe("Bot")
    assert (await client.get("/api/me", headers=auth(first.token))).status_code == 401
    assert (await client.get("/api/me", headers=auth(replaced.token))).status_code == 200
