"""The `accion-local` command refuses to start on a configuration or install it cannot serve well."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.kernel.config import get_settings
from bot.cli import main
from conversations.kernel import i18n


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A fresh settings cache, a throwaway database, no `.env`."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never.db'}")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()
    i18n.catalog.cache_clear()  # a test may have read catalogs from elsewhere


def test_a_short_admin_token_stops_it(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_TOKEN", "change-me")
    with pytest.raises(SystemExit) as stopped:
        main(["migrate"])
    assert "ADMIN_TOKEN must be at least 32 characters" in str(stopped.value.code)
    assert not (environment / "never.db").exists()


def test_a_missing_catalog_stops_it(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Kreyòl, the service would answer Haitian vecinos in Spanish: it refuses to start instead."""
    for locale in ("es", "en"):
        (environment / "locales" / locale / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(i18n.LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po",
                    environment / "locales" / locale / "LC_MESSAGES" / "messages.po")
    _use_locales(monkeypatch, environment / "locales")
    with pytest.raises(SystemExit) as stopped:
        main(["migrate"])
    assert "no catalog for 'ht'" in str(stopped.value.code)
    assert not (environment / "never.db").exists()


@pytest.mark.parametrize("broken", [b'msgid "hola"\nmsgstr "hello"\nmerge conflict here\n',
                                    b"\xde\x12\x04\x95 truncated"])
def test_a_broken_catalog_stops_it(environment: Path, monkeypatch: pytest.MonkeyPatch, broken: bytes) -> None:
    shutil.copytree(i18n.LOCALES_DIR, environment / "locales", ignore=shutil.ignore_patterns("*.mo"))
    name = "messages.mo" if broken.startswith(b"\xde") else "messages.po"
    (environment / "locales" / "en" / "LC_MESSAGES" / name).write_bytes(broken)
    _use_locales(monkeypatch, environment / "locales")
    with pytest.raises(SystemExit) as stopped:
        main(["migrate"])
    assert "the catalog for 'en'" in str(stopped.value.code) and "cannot be read" in str(stopped.value.code)


def test_an_empty_catalog_stops_it(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(i18n.LOCALES_DIR, environment / "locales", ignore=shutil.ignore_patterns("*.mo"))
    (environment / "locales" / "ht" / "LC_MESSAGES" / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    _use_locales(monkeypatch, environment / "locales")
    with pytest.raises(SystemExit) as stopped:
        main(["migrate"])
    assert "the catalog for 'ht'" in str(stopped.value.code) and "has no translations" in str(stopped.value.code)


def test_the_checkout_catalogs_pass_the_check() -> None:
    i18n.check_catalogs()


def _use_locales(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Read catalogs from `folder` for this test only (the cache is per process)."""
    monkeypatch.setattr(i18n, "LOCALES_DIR", folder)
    i18n.catalog.cache_clear()
