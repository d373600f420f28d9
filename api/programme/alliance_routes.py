"""Alliances (Etapa II): the organisation's actors, the barrios' mesas and acuerdos, contributions, and
the report of resources mobilised beyond FOSIS's (per barrio and per organisation)."""

from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import FileResponse, StreamingResponse

from api.barrios.deps import CurrentEjecutor, OwnedBarrio, owned, owned_by
from api.kernel.deps import Id, SessionDep
from api.kernel.errors import ERROR_RESPONSES, NotFound
from api.kernel.exports import csv_response, xlsx_response
from api.kernel.paging import PAGED, PagingDep
from api.programme.alliance_models import (
    Actor,
    ActorIn,
    ActorPublic,
    Acuerdo,
    AcuerdoIn,
    AlliancesReport,
    ContributionIn,
    ContributionPublic,
    Mesa,
    MesaIn,
    MesaPublic,
    OrganisationReport,
)
from api.programme.alliances import (
    ORGANISATION_HEADER,
    REPORT_HEADER,
    actors_of,
    add_actor,
    add_acuerdo,
    add_contribution,
    add_mesa,
    barrios_of,
    contributions_of,
    describe_actor,
    describe_mesa,
    link_actor,
    mesas_of,
    organisation_rows,
    owned_actor,
    report,
    report_by_barrio,
    report_rows,
    update_actor,
    update_acuerdo,
)

router = APIRouter(prefix="/api", tags=["alliances"], responses=ERROR_RESPONSES)


def actor_in_path(actor_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> Actor:
    return owned_actor(session, ejecutor, actor_id)


def acuerdo_in_path(acuerdo_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> Acuerdo:
    acuerdo = session.get(Acuerdo, acuerdo_id)
    if acuerdo is None:
        raise NotFound(f"acuerdo {acuerdo_id} not found")
    try:
        owned(session, ejecutor, Mesa, acuerdo.mesa_id)
    except NotFound:
        raise NotFound(f"acuerdo {acuerdo_id} not found") from None
    return acuerdo


OwnedActor = Annotated[Actor, Depends(actor_in_path)]
OwnedMesa = Annotated[Mesa, Depends(owned_by(Mesa, "mesa_id"))]
OwnedAcuerdo = Annotated[Acuerdo, Depends(acuerdo_in_path)]


@router.post("/actors", status_code=status.HTTP_201_CREATED, response_model=ActorPublic)
def post_actor(data: ActorIn, session: SessionDep, ejecutor: CurrentEjecutor) -> ActorPublic:
    """A public or private actor in the organisation's directory (its contact stays with staff)."""
    return describe_actor(session, add_actor(session, ejecutor, data))


@router.get("/actors", response_model=list[ActorPublic], responses=PAGED)
def list_actors(session: SessionDep, ejecutor: CurrentEjecutor, paging: PagingDep) -> list[ActorPublic]:
    """The organisation's actors, by name."""
    return [describe_actor(session, a) for a in paging.page(actors_of(session, ejecutor))]


@router.get("/actors/{actor_id}", response_model=ActorPublic)
def get_actor(actor: OwnedActor, session: SessionDep) -> ActorPublic:
    return describe_actor(session, actor)


@router.put("/actors/{actor_id}", response_model=ActorPublic)
def put_actor(actor: OwnedActor, data: ActorIn, session: SessionDep) -> ActorPublic:
    return describe_actor(session, update_actor(session, actor, data))


@router.put("/actors/{actor_id}/barrios/{barrio_id}", response_model=ActorPublic)
def put_actor_barrio(actor: OwnedActor, barrio: OwnedBarrio, session: SessionDep) -> ActorPublic:
    """The actor works with this barrio."""
    link_actor(session, actor, barrio, linked=True)
    return describe_actor(session, actor)


@router.delete("/actors/{actor_id}/barrios/{barrio_id}", response_model=ActorPublic)
def delete_actor_barrio(actor: OwnedActor, barrio: OwnedBarrio, session: SessionDep) -> ActorPublic:
    """The actor no longer works with this barrio."""
    link_actor(session, actor, barrio, linked=False)
    return describe_actor(session, actor)


@router.get("/barrios/{barrio_id}/mesas", response_model=list[MesaPublic], responses=PAGED)
def list_mesas(barrio: OwnedBarrio, session: SessionDep, paging: PagingDep) -> list[MesaPublic]:
    """The barrio's mesas by the day they were held, each with who came and its acuerdos."""
    return [describe_mesa(session, m) for m in paging.page(mesas_of(session, barrio))]


@router.post("/barrios/{barrio_id}/mesas", status_code=status.HTTP_201_CREATED, response_model=MesaPublic)
def post_mesa(barrio: OwnedBarrio, data: MesaIn, session: SessionDep) -> MesaPublic:
    """A mesa de trabajo intersectorial held on a day, with the actors present."""
    return describe_mesa(session, add_mesa(session, barrio, data))


@router.post("/mesas/{mesa_id}/acuerdos", status_code=status.HTTP_201_CREATED, response_model=MesaPublic)
def post_acuerdo(mesa: OwnedMesa, data: AcuerdoIn, session: SessionDep) -> MesaPublic:
    """An agreement of the mesa: who committed what, by when."""
    add_acuerdo(session, mesa, data)
    return describe_mesa(session, mesa)


@router.put("/acuerdos/{acuerdo_id}", response_model=MesaPublic)
def put_acuerdo(acuerdo: OwnedAcuerdo, data: AcuerdoIn, session: SessionDep, ejecutor: CurrentEjecutor) -> MesaPublic:
    """Change an agreement, or mark it done."""
    update_acuerdo(session, ejecutor, acuerdo, data)
    mesa = session.get(Mesa, acuerdo.mesa_id)
    assert mesa is not None
    return describe_mesa(session, mesa)


@router.post("/barrios/{barrio_id}/contributions", status_code=status.HTTP_201_CREATED,
             response_model=ContributionPublic)
def post_contribution(barrio: OwnedBarrio, data: ContributionIn, session: SessionDep) -> ContributionPublic:
    """A partner's contribution, money or in kind (valued in CLP), to an iniciativa or to the barrio."""
    return ContributionPublic(**add_contribution(session, barrio, data).model_dump())


@router.get("/barrios/{barrio_id}/contributions", response_model=list[ContributionPublic], responses=PAGED)
def list_contributions(barrio: OwnedBarrio, session: SessionDep, paging: PagingDep) -> list[ContributionPublic]:
    return [ContributionPublic(**c.model_dump()) for c in paging.page(contributions_of(session, barrio))]


@router.get("/barrios/{barrio_id}/alliances", response_model=AlliancesReport)
def barrio_report(barrio: OwnedBarrio, session: SessionDep) -> AlliancesReport:
    """Resources mobilised beyond FOSIS's in the barrio."""
    return report(session, [barrio.id or 0])


@router.get("/barrios/{barrio_id}/alliances.csv", response_class=StreamingResponse)
def barrio_report_csv(barrio: OwnedBarrio, session: SessionDep) -> StreamingResponse:
    return csv_response(f"barrio-{barrio.id}-alliances.csv", REPORT_HEADER,
                        report_rows(report(session, [barrio.id or 0])))


@router.get("/barrios/{barrio_id}/alliances.xlsx", response_class=FileResponse)
def barrio_report_xlsx(barrio: OwnedBarrio, session: SessionDep) -> FileResponse:
    return xlsx_response(f"barrio-{barrio.id}-alliances.xlsx", "alliances", REPORT_HEADER,
                         report_rows(report(session, [barrio.id or 0])))


@router.get("/alliances", response_model=AlliancesReport)
def organisation_report(session: SessionDep, ejecutor: CurrentEjecutor) -> AlliancesReport:
    """Resources mobilised beyond FOSIS's across all the organisation's barrios."""
    return report(session, [b.id or 0 for b in barrios_of(session, ejecutor)])


@router.get("/alliances/barrios", response_model=OrganisationReport)
def organisation_report_by_barrio(session: SessionDep, ejecutor: CurrentEjecutor) -> OrganisationReport:
    """The organisation's resources mobilised beyond FOSIS's, all barrios together and each one."""
    return report_by_barrio(session, ejecutor)


@router.get("/alliances.csv", response_class=StreamingResponse)
def organisation_report_csv(session: SessionDep, ejecutor: CurrentEjecutor) -> StreamingResponse:
    """The organisation's report as CSV: its totals (barrio "all"), then each barrio's."""
    return csv_response("alliances.csv", ORGANISATION_HEADER, organisation_rows(report_by_barrio(session, ejecutor)))


@router.get("/alliances.xlsx", response_class=FileResponse)
def organisation_report_xlsx(session: SessionDep, ejecutor: CurrentEjecutor) -> FileResponse:
    return xlsx_response("alliances.xlsx", "alliances", ORGANISATION_HEADER,
                         organisation_rows(report_by_barrio(session, ejecutor)))
