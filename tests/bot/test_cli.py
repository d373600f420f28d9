"""The `accion-local` command refuses to start on a configuration or install it cannot serve well."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.kernel.config import get_settings
from bot.cli import main


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A fresh settings cache, a throwaway database, no `.env`."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never.db'}")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_a_short_admin_token_stops_it(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_TOKEN", "change-me")
    with pytest.raises(SystemExit) as stopped:
        main(["migrate"])
    assert "ADMIN_TOKEN must be at least 32 characters" in str(stopped.value.code)
    assert not (environment / "never.db").exists()
