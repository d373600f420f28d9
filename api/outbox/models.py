"""Queued messages to vecinos: one row per recipient, written before anything is sent.

Every bulk message (convocatorias, reminders, ballot openings, survey and ballot
results) goes through this table, so a crash or restart loses nothing: the sender
picks up whatever is still pending. The text is rendered at enqueue time in the
recipient's language, so the sender needs no business knowledge.
"""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.barrios.models import BarrioRow
from api.kernel.types import UTCDateTime, utcnow

PENDING, SENDING, SENT, FAILED, UNREACHABLE = "pending", "sending", "sent", "failed", "unreachable"


class OutboxMessage(BarrioRow, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id", "member_id", name="uq_outbox_once_per_member"),
        Index("ix_outbox_due", "status", "not_before"),
        Index("ix_outbox_chat", "channel", "chat_id", "status"),  # 1 msg/s per chat (api/outbox/sender.py)
    )

    member_id: str = Field(max_length=16, foreign_key="member.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)  # convocatoria, reminder, survey_results, ballot_open, ...
    ref_id: int = Field(default=0)  # the convocatoria, survey or ballot it is about
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=64)
    text: str
    buttons: list[list[dict[str, str]]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=PENDING, max_length=12)
    attempts: int = 0
    not_before: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    error: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class SendPace(SQLModel, table=True):
    """One row per bot: the next free sending slot, shared by every sender process."""

    __tablename__ = "send_pace"

    id: int = Field(default=1, primary_key=True)
    next_slot: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
