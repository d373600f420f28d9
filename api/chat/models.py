"""The per-chat conversation state, and the Telegram updates already handled."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column
from sqlmodel import Field, SQLModel

from api.kernel.types import UTCDateTime, utcnow


class Conversation(SQLModel, table=True):
    """Where one person is in the chat; one row per (channel, chat, user).

    `version` makes concurrent writers (two processes behind one webhook) detect each
    other; `last_update_id` is the newest Telegram update applied to this conversation.
    """

    channel: str = Field(primary_key=True, max_length=16)
    chat_id: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(primary_key=True, max_length=64)
    member_id: str | None = Field(
        default=None, max_length=16, foreign_key="member.id", index=True, ondelete="CASCADE"
    )
    locale: str = Field(max_length=8)
    step: str = Field(default="idle", max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    version: int = 1
    last_update_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class HandledUpdate(SQLModel, table=True):
    """Telegram updates already applied, so one delivered twice counts once.

    Before consent a row holds only the update id (no chat, no person). After consent it
    also keeps, for a while, the chat and the replies the update produced: if the process
    dies between committing and sending them, Telegram delivers the update again and the
    replies go out then. `/borrar` deletes the chat's rows; old replies are pruned.
    """

    __tablename__ = "handled_update"

    channel: str = Field(primary_key=True, max_length=16)
    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    handled_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True))
    chat_id: str | None = Field(default=None, max_length=64, index=True)
    replies: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))
