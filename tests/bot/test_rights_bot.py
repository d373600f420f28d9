"""A vecino's rights through Telegram and the console: the data download arrives as documents."""

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.console import run
from tests.factories import chat_service, make_barrio, make_ejecutor
from tests.fakes.telegram import Harness

VECINA = 5002


@pytest.mark.parametrize(("locale", "heading"), [("es", "Sección"), ("ht", "Seksyon"), ("en", "Section")])
async def test_descargar_mis_datos_sends_two_documents(telegram: Harness, session: Session, locale: str,
                                                       heading: str) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    await telegram.join(VECINA, barrio.join_code, locale)
    shown = await telegram.say(VECINA, "/misdatos")
    assert "acct:download" in shown[-1].button_data
    shown = await telegram.press(VECINA, "acct:download")
    files = telegram.fake.documents(VECINA)
    assert set(files) == {"mis-datos.json", "mis-datos.csv"}
    assert json.loads(files["mis-datos.json"])["member"]["language"] == locale
    assert files["mis-datos.csv"].decode("utf-8-sig").startswith(heading)
    assert shown[-1].button_data  # then the menu again


def test_the_console_writes_the_download_to_a_file(engine: Engine, session: Session, tmp_path: Path) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    typed = iter(["1", "1", "/misdatos", "1", "/q"])  # Español, acepto, my data, download
    shown: list[str] = []
    run(chat_service(engine), join=barrio.join_code, who="rosa", read=lambda _prompt: next(typed),
        write=shown.append, downloads=tmp_path)
    written = tmp_path / "rosa" / "mis-datos.json"
    assert f"[file: {written}]" in shown
    assert json.loads(written.read_bytes())["member"]["barrio"] == barrio.name
    assert written.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only
