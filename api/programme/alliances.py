"""Alliances in SQL: an organisation's actors, mesas de trabajo and acuerdos, contributions, and the
report of resources mobilised beyond FOSIS's.

Actors belong to an organisation (ejecutor), not to a barrio: `owned_actor` is their
ownership check; anything named in a body (an actor, an iniciativa) is checked the same
way, so another organisation's ids are 404.
"""

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import delete, func
from sqlmodel import Session, select

from api.barrios.models import Barrio, Ejecutor, of_barrio
from api.kernel.db import saved
from api.kernel.errors import NotFound
from api.programme.alliance_models import (
    Actor,
    ActorBarrio,
    ActorIn,
    ActorPublic,
    Acuerdo,
    AcuerdoIn,
    AcuerdoPublic,
    AlliancesReport,
    BarrioReport,
    Contribution,
    ContributionIn,
    Mesa,
    MesaActor,
    MesaIn,
    MesaPublic,
    OrganisationReport,
    Total,
)
from api.programme.pdl_models import PdlIniciativa

NO_INICIATIVA = "sin_iniciativa"


def owned_actor(session: Session, ejecutor: Ejecutor, actor_id: int) -> Actor:
    actor = session.get(Actor, actor_id)
    if actor is None or actor.ejecutor_id != ejecutor.id:
        raise NotFound(f"actor {actor_id} not found")
    return actor


def add_actor(session: Session, ejecutor: Ejecutor, data: ActorIn) -> Actor:
    return saved(session, Actor(ejecutor_id=ejecutor.id or 0, **data.model_dump()))


def update_actor(session: Session, actor: Actor, data: ActorIn) -> Actor:
    for name, value in data.model_dump().items():
        setattr(actor, name, value)
    return saved(session, actor)


def link_actor(session: Session, actor: Actor, barrio: Barrio, linked: bool) -> None:
    """The actor works (or no longer works) with the barrio."""
    session.execute(delete(ActorBarrio).where(ActorBarrio.actor_id == actor.id,  # type: ignore[arg-type]
                                              ActorBarrio.barrio_id == barrio.id))  # type: ignore[arg-type]
    if linked:
        session.add(ActorBarrio(actor_id=actor.id or 0, barrio_id=barrio.id or 0))
    session.commit()


def describe_actor(session: Session, actor: Actor) -> ActorPublic:
    barrios = session.exec(select(ActorBarrio.barrio_id).where(ActorBarrio.actor_id == actor.id)
                           .order_by(ActorBarrio.barrio_id)).all()  # type: ignore[arg-type]
    return ActorPublic(**actor.model_dump(exclude={"ejecutor_id"}), barrios=list(barrios))


def actors_of(session: Session, ejecutor: Ejecutor) -> list[Actor]:
    return list(session.exec(select(Actor).where(Actor.ejecutor_id == ejecutor.id).order_by(Actor.name)).all())


def _our_actors(session: Session, barrio: Barrio, ids: Sequence[int]) -> None:
    ejecutor = session.get(Ejecutor, barrio.ejecutor_id)
    assert ejecutor is not None
    for actor_id in ids:
        owned_actor(session, ejecutor, actor_id)


def add_mesa(session: Session, barrio: Barrio, data: MesaIn) -> Mesa:
    actors = sorted(set(data.actors))
    _our_actors(session, barrio, actors)
    mesa = Mesa(barrio_id=barrio.id or 0, held_on=data.held_on, title=data.title, notes=data.notes)
    session.add(mesa)
    session.flush()
    session.add_all(MesaActor(mesa_id=mesa.id or 0, actor_id=a) for a in actors)
    session.commit()
    return mesa


def add_acuerdo(session: Session, mesa: Mesa, data: AcuerdoIn) -> Acuerdo:
    barrio = session.get(Barrio, mesa.barrio_id)
    assert barrio is not None
    if data.actor_id is not None:
        _our_actors(session, barrio, [data.actor_id])
    return saved(session, Acuerdo(mesa_id=mesa.id or 0, **data.model_dump()))


def update_acuerdo(session: Session, ejecutor: Ejecutor, acuerdo: Acuerdo, data: AcuerdoIn) -> Acuerdo:
    """Change an agreement (who committed is one of the organisation's actors), or mark it done."""
    if data.actor_id is not None:
        owned_actor(session, ejecutor, data.actor_id)
    for name, value in data.model_dump().items():
        setattr(acuerdo, name, value)
    return saved(session, acuerdo)


def describe_mesa(session: Session, mesa: Mesa) -> MesaPublic:
    actors = session.exec(select(MesaActor.actor_id).where(MesaActor.mesa_id == mesa.id)).all()
    acuerdos = session.exec(select(Acuerdo).where(Acuerdo.mesa_id == mesa.id).order_by(Acuerdo.id)).all()  # type: ignore[arg-type]
    return MesaPublic(**mesa.model_dump(), actors=sorted(actors),
                      acuerdos=[AcuerdoPublic(**a.model_dump(exclude={"mesa_id"})) for a in acuerdos])


def mesas_of(session: Session, barrio: Barrio) -> list[Mesa]:
    return list(session.exec(select(Mesa).where(Mesa.barrio_id == barrio.id).order_by(Mesa.held_on)).all())  # type: ignore[arg-type]


def add_contribution(session: Session, barrio: Barrio, data: ContributionIn) -> Contribution:
    _our_actors(session, barrio, [data.actor_id])
    if data.iniciativa_id is not None:
        of_barrio(session, PdlIniciativa, data.iniciativa_id, barrio.id or 0, "iniciativa")
    return saved(session, Contribution(barrio_id=barrio.id or 0, **data.model_dump()))


def contributions_of(session: Session, barrio: Barrio) -> list[Contribution]:
    return list(session.exec(select(Contribution).where(Contribution.barrio_id == barrio.id)
                             .order_by(Contribution.on, Contribution.id)).all())  # type: ignore[arg-type]


def report(session: Session, barrio_ids: Sequence[int]) -> AlliancesReport:
    """Resources mobilised beyond FOSIS's in these barrios: by actor kind, by ámbito, money or in kind."""
    ids = list(barrio_ids)
    rows = session.exec(
        select(Contribution.amount, Contribution.kind, Actor.kind, PdlIniciativa.ambito)
        .join(Actor, Actor.id == Contribution.actor_id)  # type: ignore[arg-type]
        .outerjoin(PdlIniciativa, PdlIniciativa.id == Contribution.iniciativa_id)  # type: ignore[arg-type]
        .where(Contribution.barrio_id.in_(ids))  # type: ignore[attr-defined]
    ).all()
    by_actor: dict[str, int] = defaultdict(int)
    by_ambito: dict[str, int] = defaultdict(int)
    by_kind: dict[str, int] = defaultdict(int)
    for amount, kind, actor_kind, ambito in rows:
        by_actor[actor_kind] += amount
        by_ambito[ambito or NO_INICIATIVA] += amount
        by_kind[kind] += amount
    fosis = session.exec(select(func.coalesce(func.sum(PdlIniciativa.fosis_amount), 0))
                         .where(PdlIniciativa.barrio_id.in_(ids))).one()  # type: ignore[attr-defined]
    mesa_ids = select(Mesa.id).where(Mesa.barrio_id.in_(ids))  # type: ignore[union-attr,attr-defined]
    acuerdos = session.exec(select(Acuerdo.done).where(Acuerdo.mesa_id.in_(mesa_ids))).all()  # type: ignore[attr-defined]
    actors = session.exec(select(func.count(func.distinct(ActorBarrio.actor_id)))
                          .where(ActorBarrio.barrio_id.in_(ids))).one()  # type: ignore[attr-defined]
    mesas = session.exec(select(func.count()).select_from(Mesa).where(Mesa.barrio_id.in_(ids))).one()  # type: ignore[attr-defined]

    def totals(values: dict[str, int]) -> list[Total]:
        return [Total(key=k, amount=v) for k, v in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))]

    return AlliancesReport(barrios=ids, fosis=int(fosis), mobilised=sum(by_kind.values()),
                           by_actor_kind=totals(by_actor), by_ambito=totals(by_ambito),
                           by_contribution_kind=totals(by_kind), actors=actors, mesas=mesas,
                           acuerdos=len(acuerdos), acuerdos_done=sum(1 for done in acuerdos if done))


def barrios_of(session: Session, ejecutor: Ejecutor) -> list[Barrio]:
    return list(session.exec(select(Barrio).where(Barrio.ejecutor_id == ejecutor.id).order_by(Barrio.id)).all())  # type: ignore[arg-type]


def report_by_barrio(session: Session, ejecutor: Ejecutor) -> OrganisationReport:
    """The whole organisation's resources mobilised beyond FOSIS's, and each of its barrios'."""
    barrios = barrios_of(session, ejecutor)
    return OrganisationReport(
        total=report(session, [b.id or 0 for b in barrios]),
        barrios=[BarrioReport(barrio_id=b.id or 0, name=b.name, report=report(session, [b.id or 0]))
                 for b in barrios])


REPORT_HEADER = ["section", "key", "amount_clp"]
ORGANISATION_HEADER = ["barrio_id", "barrio", *REPORT_HEADER]


def report_rows(counted: AlliancesReport) -> list[list[str | int]]:
    rows: list[list[str | int]] = [["total", "fosis", counted.fosis], ["total", "mobilised", counted.mobilised]]
    rows += [["actor_kind", t.key, t.amount] for t in counted.by_actor_kind]
    rows += [["ambito", t.key, t.amount] for t in counted.by_ambito]
    rows += [["contribution_kind", t.key, t.amount] for t in counted.by_contribution_kind]
    return rows


def organisation_rows(counted: OrganisationReport) -> list[list[str | int]]:
    """The organisation's totals (barrio "all"), then each barrio's, in the barrio report's rows."""
    rows: list[list[str | int]] = [["", "all", *row] for row in report_rows(counted.total)]
    for barrio in counted.barrios:
        rows += [[barrio.barrio_id, barrio.name, *row] for row in report_rows(barrio.report)]
    return rows
