"""Checks the API's schemas share, so each rule is written once."""

from collections.abc import Collection
from typing import Any

from pydantic import field_validator


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
