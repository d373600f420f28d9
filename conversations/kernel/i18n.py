"""Translations and locale-aware formatting for everything a vecino reads.

Catalogs are Babel `.po` files under the checkout's `locales/`. A built package carries
them compiled, beside this module (`conversations/kernel/locales/`, written by the build
hook in setup.py), and reads them there; `LOCALES_DIR` points elsewhere. A compiled `.mo`
is used when it is newer than its `.po`; otherwise the `.po` is compiled in memory, so a
fresh checkout works without a build step. A missing or unreadable catalog is an error,
never a quiet fallback to Spanish: `check_catalogs()` stops the service at start.
Placeholders are named (`{name}`), filled after lookup.
"""

import os
from datetime import date as calendar_date
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, negotiate_locale
from babel.dates import format_date, format_datetime, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations

from conversations.kernel import kreyol


def _locales_dir() -> Path:
    """Where the catalogs are: $LOCALES_DIR, else the package's own copy, else the checkout's locales/."""
    if os.environ.get("LOCALES_DIR"):
        return Path(os.environ["LOCALES_DIR"])
    packaged = Path(__file__).resolve().parent / "locales"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "locales"


LOCALES_DIR = _locales_dir()
DOMAIN = "messages"
SUPPORTED = ("es", "ht", "en")
SOURCE_LOCALE = "es"  # msgids are written in Spanish, the programme's language
LANGUAGE_NAMES = {"es": "Español", "ht": "Kreyòl ayisyen", "en": "English"}
# CLDR locale used for dates and numbers; Chilean Spanish for the source language.
FORMAT_LOCALE = {"es": "es_CL", "ht": "ht", "en": "en"}
# Client settings that best predict a language we offer (Haitian phones often run French).
BEST_MATCH = {"fr": "ht", "ht": "ht", "es": "es", "en": "en"}


def negotiate(client_language: str | None, default: str = SOURCE_LOCALE) -> str:
    """The supported language closest to a client's setting such as "fr-HT" or "es-419"."""
    if not client_language:
        return default
    tag = client_language.replace("_", "-").lower()
    exact = negotiate_locale([tag.replace("-", "_")], list(SUPPORTED), sep="_")
    if exact:
        return exact
    return BEST_MATCH.get(tag.split("-", 1)[0], default)


class CatalogError(RuntimeError):
    """A language's catalog is missing, unreadable or empty: the service must not start."""


@lru_cache(maxsize=8)
def catalog(locale: str) -> NullTranslations:
    """The gettext translations for `locale` (for the source language, mostly its msgids)."""
    po = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    try:
        if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
            with mo.open("rb") as handle:
                return Translations(handle, domain=DOMAIN)
        if not po.exists():
            raise CatalogError(f"no catalog for {locale!r}: neither {po} nor {mo} exists")
        with po.open("rb") as handle:
            compiled = read_po(handle, locale=locale, domain=DOMAIN, abort_invalid=True)
        buffer = BytesIO()
        write_mo(buffer, compiled)
        buffer.seek(0)
        return Translations(buffer, domain=DOMAIN)
    except CatalogError:
        raise
    except Exception as error:  # a truncated .mo, a .po with a syntax error, unreadable files
        raise CatalogError(f"the catalog for {locale!r} in {LOCALES_DIR} cannot be read: {error}") from error


def check_catalogs() -> None:
    """Every supported language loads, and each but the source language has translations.

    Run at start (bot/cli.py): an install without its catalogs must not answer everyone in Spanish.
    """
    for locale in SUPPORTED:
        translations = catalog(locale)
        messages = getattr(translations, "_catalog", {})  # gettext's table; "" is the header
        if locale != SOURCE_LOCALE and not any(key for key in messages):
            raise CatalogError(f"the catalog for {locale!r} in {LOCALES_DIR} has no translations")


class Translator:
    """Message lookup and formatting in one vecino's language and barrio time zone."""

    def __init__(self, locale: str, timezone: str = "America/Santiago") -> None:
        self.locale = locale if locale in SUPPORTED else SOURCE_LOCALE
        self.babel_locale = Locale.parse(FORMAT_LOCALE[self.locale])
        self.tz = ZoneInfo(timezone)
        self._catalog = catalog(self.locale)

    def _(self, message: str, **values: object) -> str:
        text = self._catalog.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        text = self._catalog.ngettext(singular, plural, n)
        return text.format(n=self.number(n), **values)

    def number(self, value: int | float | Decimal) -> str:
        return format_decimal(value, locale=self.babel_locale)

    def percent(self, share: float) -> str:
        return format_percent(share, locale=self.babel_locale)

    def money(self, amount_clp: int | Decimal) -> str:
        return format_currency(amount_clp, "CLP", locale=self.babel_locale)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def datetime(self, moment: datetime) -> str:
        """A day and time as people read it, e.g. "lunes, 14 de diciembre de 2026, 18:30"."""
        local = self.local(moment)
        if self.locale == "ht":  # Babel has no Kreyòl calendar
            return kreyol.long_datetime(local)
        day = format_date(local, format="full", locale=self.babel_locale)
        hour_skeleton = "hm" if self.locale == "en" else "Hm"
        return f"{day}, {format_skeleton(hour_skeleton, local, locale=self.babel_locale)}"

    def date(self, moment: datetime) -> str:
        if self.locale == "ht":
            return kreyol.medium_date(self.local(moment).date())
        return format_date(self.local(moment), format="medium", locale=self.babel_locale)

    def day(self, day: calendar_date) -> str:  # (`date` here would be the method above)
        """A calendar date with no time of day (so no time zone), e.g. "24-12-2025" in Chile."""
        if self.locale == "ht":
            return kreyol.medium_date(day)
        return format_date(day, format="medium", locale=self.babel_locale)

    def timestamp(self, moment: datetime) -> str:
        if self.locale == "ht":
            return kreyol.short_datetime(self.local(moment))
        return format_datetime(self.local(moment), format="short", locale=self.babel_locale)
