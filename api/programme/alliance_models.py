"""Alliances (Etapa II): an organisation's directory of public and private actors, the barrios they
work with, mesas de trabajo with their agreements, and contributions to iniciativas.

An actor's contact person is staff-only data: no chat flow reads this module. A
contribution is money or in kind, always valued in CLP: their sum is the resources
mobilised beyond FOSIS's, the programme's measure of "movilizar recursos".
"""

from datetime import date
from enum import StrEnum

from sqlmodel import Field, SQLModel

from api.barrios.models import BarrioRow
from api.programme.pdl_models import MAX_CLP


class ActorKind(StrEnum):
    PUBLICO = "publico"  # a public service
    MUNICIPIO = "municipio"
    EMPRESA = "empresa"
    FUNDACION = "fundacion"
    COMUNITARIA = "comunitaria"  # a community organisation


class ContributionKind(StrEnum):
    MONEY = "money"
    IN_KIND = "in_kind"


class Actor(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    ejecutor_id: int = Field(foreign_key="ejecutor.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    kind: str = Field(max_length=12)
    contact_name: str = Field(default="", max_length=120)
    contact_email: str = Field(default="", max_length=200)
    contact_phone: str = Field(default="", max_length=40)


class Mesa(BarrioRow, table=True):
    """A mesa de trabajo intersectorial: one dated meeting."""

    held_on: date
    title: str = Field(max_length=200)
    notes: str = Field(default="", max_length=2000)


class Acuerdo(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    mesa_id: int = Field(foreign_key="mesa.id", index=True, ondelete="CASCADE")
    actor_id: int | None = Field(default=None, foreign_key="actor.id", ondelete="SET NULL")
    text: str = Field(max_length=500)
    due_on: date | None = None
    done: bool = False


class Contribution(BarrioRow, table=True):
    actor_id: int = Field(foreign_key="actor.id", index=True, ondelete="CASCADE")
    iniciativa_id: int | None = Field(default=None, foreign_key="pdl_iniciativa.id", index=True,
                                      ondelete="SET NULL")
    kind: str = Field(max_length=8)
    description: str = Field(default="", max_length=500)
    amount: int = 0  # CLP; the valuation when in kind
    on: date


# The links: the barrios an actor works in, the actors present at a mesa.

class ActorBarrio(SQLModel, table=True):
    __tablename__ = "actor_barrio"

    actor_id: int = Field(foreign_key="actor.id", primary_key=True, ondelete="CASCADE")
    barrio_id: int = Field(foreign_key="barrio.id", primary_key=True, ondelete="CASCADE")


class MesaActor(SQLModel, table=True):
    __tablename__ = "mesa_actor"

    mesa_id: int = Field(foreign_key="mesa.id", primary_key=True, ondelete="CASCADE")
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, ondelete="CASCADE")


# --- API schemas -------------------------------------------------------------------

class ActorIn(SQLModel):
    name: str = Field(min_length=2, max_length=200)
    kind: ActorKind
    contact_name: str = Field(default="", max_length=120)
    contact_email: str = Field(default="", max_length=200)
    contact_phone: str = Field(default="", max_length=40)


class ActorPublic(ActorIn):
    id: int
    barrios: list[int]


class MesaIn(SQLModel):
    held_on: date
    title: str = Field(min_length=2, max_length=200)
    notes: str = Field(default="", max_length=2000)
    actors: list[int] = Field(default_factory=list, max_length=100, description="ids of the actors present")


class AcuerdoIn(SQLModel):
    text: str = Field(min_length=2, max_length=500)
    actor_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="who committed")
    due_on: date | None = None
    done: bool = False


class AcuerdoPublic(AcuerdoIn):
    id: int


class MesaPublic(SQLModel):
    id: int
    barrio_id: int
    held_on: date
    title: str
    notes: str
    actors: list[int]
    acuerdos: list[AcuerdoPublic]


class ContributionIn(SQLModel):
    actor_id: int = Field(ge=1, le=2**31 - 1)
    iniciativa_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    kind: ContributionKind
    description: str = Field(default="", max_length=500)
    amount: int = Field(ge=0, le=MAX_CLP, description="CLP; for in kind, its valuation")
    on: date


class ContributionPublic(ContributionIn):
    id: int
    barrio_id: int


class Total(SQLModel):
    key: str
    amount: int


class AlliancesReport(SQLModel):
    """Resources mobilised beyond FOSIS's, for one barrio or a whole organisation."""

    barrios: list[int]
    fosis: int = Field(description="FOSIS financing of the iniciativas, CLP")
    mobilised: int = Field(description="partners' contributions, money and in kind, CLP")
    by_actor_kind: list[Total]
    by_ambito: list[Total] = Field(description="contributions to iniciativas by ámbito; 'sin_iniciativa' otherwise")
    by_contribution_kind: list[Total]
    actors: int
    mesas: int
    acuerdos: int
    acuerdos_done: int


class BarrioReport(SQLModel):
    barrio_id: int
    name: str
    report: AlliancesReport


class OrganisationReport(SQLModel):
    """The organisation's report: all its barrios together, then each one."""

    total: AlliancesReport
    barrios: list[BarrioReport]
