"""What one feature contributes to the process, declared in one place: `api/<feature>/feature.py`.

The composition root (bot/main.py) lists the features and builds the process from these
declarations; nothing is registered by importing a module.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

from api.kernel.channels import Channels
from conversations.kernel.context import Port
from conversations.kernel.feature import Flow
from conversations.kernel.i18n import Translator
from conversations.kernel.members import MemberView, Record

Job = Callable[[Engine, datetime], None]  # periodic; idempotent and safe in several processes at once
# A job that needs a chat channel (to fetch the photos vecinos sent, say): built from the process's
# channels, or None when the channel it needs does not run here.
ChannelJob = Callable[[Channels], Job | None]
Seed = Callable[[Session, Any], None]  # fills the demo barrio (an api.barrios.models.Barrio), idempotently
PortFactory = Callable[[Session, MemberView | None], Any]  # a flow's port bound to one chat event
# Everything of one kind stored about a member, worded for them: their part of "Descargar mis datos".
Exporter = Callable[[Session, str, Translator], list[Record]]


@dataclass(frozen=True)
class PersonalData:
    """Rows a feature keeps about a person.

    `tables` hold rows that reference the member (ON DELETE CASCADE, so /borrar removes
    them with the member); `count` says how many there are for /misdatos, under `kind`
    (its wording is in conversations/barrios/account.py), or is None for rows /misdatos
    does not list (the conversation itself, messages waiting to go out). `export` gives
    them, readable, for the vecino's data download (portability); None for rows that
    are only the machinery (the conversation, messages waiting to go out). `forget` lets
    go of what the process keeps of them in memory, when /borrar deletes the member.
    """

    kind: str
    tables: tuple[type[SQLModel], ...]
    count: Callable[[Session, str], int] | None = None
    export: Exporter | None = None
    forget: Callable[[str], None] | None = None


@dataclass(frozen=True)
class Feature:
    name: str
    flows: tuple[Flow, ...] = ()  # chat commands, buttons, steps, menu entries (and so the bot's commands)
    ports: Mapping[Port[Any], PortFactory] = field(default_factory=dict)
    routers: tuple[APIRouter, ...] = ()
    jobs: tuple[Job, ...] = ()
    channel_jobs: tuple[ChannelJob, ...] = ()
    personal_data: tuple[PersonalData, ...] = ()
    demo: tuple[Seed, ...] = ()
