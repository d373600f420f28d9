"""`accion-local staff add`: an organisation's first console user from the command line."""

import io
from pathlib import Path

import pytest
from sqlmodel import Session, select

from api.barrios.models import Ejecutor
from api.kernel.config import get_settings
from api.kernel.db import make_engine
from api.staff.models import StaffUser
from api.staff.passwords import verify_password
from bot.cli import main


def _run(monkeypatch: pytest.MonkeyPatch, database_url: str, password: str, *args: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    get_settings.cache_clear()
    try:
        main(["staff", "add", "--password-stdin", *args])
    finally:
        get_settings.cache_clear()


def test_staff_add_creates_the_organisation_and_its_first_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    _run(monkeypatch, url, "una clave bien larga", "--organisation", "ONG Sur", "--name", "Ana", "--email",
         "ana@sur.cl")
    said = capsys.readouterr().out
    assert "organisation 'ONG Sur' created" in said and "al_" in said
    with Session(make_engine(url)) as session:
        user = session.exec(select(StaffUser)).one()
        ejecutor = session.get(Ejecutor, user.ejecutor_id)
    assert ejecutor is not None and ejecutor.name == "ONG Sur"
    assert verify_password(user.password_hash, "una clave bien larga")


def test_a_short_password_is_refused_with_a_clear_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with pytest.raises(SystemExit) as exit_:
        _run(monkeypatch, url, "corta", "--organisation", "ONG Sur", "--name", "Ana", "--email", "ana@sur.cl")
    assert "at least 12 characters" in str(exit_.value)
    with Session(make_engine(url)) as session:
        assert session.exec(select(Ejecutor)).all() == []  # nothing half-made
