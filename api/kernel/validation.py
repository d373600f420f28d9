"""Checks the API's schemas share, so each rule is written once."""

from collections.abc import Collection
from typing import Any

from pydantic import field_validator

from conversations.kernel.i18n import SOURCE_LOCALE, SUPPORTED

OTHER_LANGUAGES = tuple(locale for locale in SUPPORTED if locale != SOURCE_LOCALE)


def one_of(field: str, allowed: Collection[str]) -> Any:
    """A validator for a schema's `field`: its value must be one of `allowed` (the message lists them).

    Used in a schema's body as `_ambito = one_of("ambito", AMBITOS)`.
    """
    listed = ", ".join(allowed)

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"must be one of {listed}")
        return value

    return field_validator(field)(check)


def other_languages(field: str) -> Any:
    """A validator for a `{locale: ...}` field of texts for vecinos reading another language than Spanish."""

    def check(value: dict[str, object]) -> dict[str, object]:
        unknown = set(value) - set(OTHER_LANGUAGES)
        if unknown:
            raise ValueError(f"languages must be among {', '.join(OTHER_LANGUAGES)} (Spanish is the main text)")
        return value

    return field_validator(field)(check)
