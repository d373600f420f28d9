"""Settings that would make the service unsafe stop it at start, with a message that says what to do."""

import pytest
from pydantic import ValidationError

from api.kernel.config import Settings


def test_a_short_admin_token_is_refused() -> None:
    with pytest.raises(ValidationError, match="ADMIN_TOKEN must be at least 32 characters"):
        Settings(_env_file=None, admin_token="change-me")  # type: ignore[call-arg]


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_admin_token_counts_as_unset(blank: str) -> None:
    assert Settings(_env_file=None, admin_token=blank).admin_token is None  # type: ignore[call-arg]


def test_a_long_admin_token_is_kept() -> None:
    token = "x" * 32
    assert Settings(_env_file=None, admin_token=token).admin_token == token  # type: ignore[call-arg]
