"""Staff users of an ejecutor (the people who log in to the web console), their sessions and API tokens.

An ejecutor is an organisation; its staff are people with a name, an email and an Argon2
password hash. Sessions and tokens are stored only as SHA-256 hashes of random secrets and
belong to one staff user: deactivating the user stops them at the next request.
"""

from datetime import datetime

from pydantic import field_validator
from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from api.kernel.types import UTCDateTime, utcnow

MIN_PASSWORD = 12


class StaffBase(SQLModel):
    name: str = Field(min_length=2, max_length=120)
    email: str = Field(min_length=3, max_length=254, regex=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

    @field_validator("name", mode="before")
    @classmethod
    def _trimmed_name(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value  # then at least 2 characters are left

    @field_validator("email", mode="before")
    @classmethod
    def _plain_email(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value  # one account per address


class StaffCreate(StaffBase):
    password: str = Field(min_length=MIN_PASSWORD, max_length=256, description="At least 12 characters.")


class StaffUser(StaffBase, table=True):
    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    ejecutor_id: int = Field(foreign_key="ejecutor.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class StaffPublic(StaffBase):
    id: int
    ejecutor_id: int
    active: bool
    created_at: datetime


class StaffSession(SQLModel, table=True):
    """A logged-in browser: the cookie's hash, and the CSRF token its forms carry."""

    __tablename__ = "staff_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    staff_id: int = Field(foreign_key="staff_user.id", index=True, ondelete="CASCADE")
    csrf: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class StaffToken(SQLModel, table=True):
    """A staff user's API token (a bearer token acting for the user's organisation)."""

    __tablename__ = "staff_token"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_user.id", index=True, ondelete="CASCADE")
    label: str = Field(max_length=80)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class StaffTokenCreate(SQLModel):
    label: str = Field(default="API", min_length=1, max_length=80, description="a name to recognise it by")


class StaffTokenPublic(SQLModel):
    id: int
    label: str
    created_at: datetime


class StaffTokenCreated(StaffTokenPublic):
    token: str = Field(description="Shown once; only its hash is kept.")


class LoginFailure(SQLModel, table=True):
    """Failed logins per account (`email:...`) or per address (`ip:...`), to slow guessing down."""

    __tablename__ = "login_failure"

    key: str = Field(primary_key=True, max_length=300)
    failures: int = 0
    blocked_until: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
