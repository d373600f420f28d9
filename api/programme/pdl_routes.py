"""The PDL of the caller's barrios: problems, iniciativas, status moves, hitos, a ballot from the plan, exports."""

from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import FileResponse, StreamingResponse

from api.ballots.models import BallotPublic
from api.ballots.store import describe as describe_ballot
from api.barrios.deps import CurrentEjecutor, OwnedBarrio, owned_by
from api.kernel.deps import Id, SessionDep
from api.kernel.errors import ERROR_RESPONSES, Invalid
from api.kernel.exports import csv_response, xlsx_response
from api.kernel.paging import PAGED, PagingDep
from api.kernel.types import utcnow
from api.programme.ideas import decline, describe_idea, ideas_of, merge
from api.programme.pdl import (
    add_hito,
    add_iniciativa,
    add_problem,
    approve_hito,
    ballot_from_pdl,
    describe,
    move_status,
    owned_hito,
    pdl,
    pending_hitos,
    reject_hito,
    set_hito_approval,
    update_iniciativa,
)
from api.programme.pdl_export import PDL_HEADER, pdl_rows
from api.programme.pdl_models import (
    HitoApproval,
    HitoIn,
    IdeaMerge,
    IdeaPublic,
    IniciativaFields,
    IniciativaPublic,
    IniciativaUpdate,
    PdlBallotIn,
    PdlHito,
    PdlIdea,
    PdlIniciativa,
    PdlPublic,
    PdlValidation,
    PendingHito,
    ProblemIn,
    ProblemPublic,
    StatusMove,
)
from api.programme.timeline import validate_pdl

router = APIRouter(prefix="/api", tags=["pdl"], responses=ERROR_RESPONSES)


OwnedIniciativa = Annotated[PdlIniciativa, Depends(owned_by(PdlIniciativa, "iniciativa_id"))]
OwnedIdea = Annotated[PdlIdea, Depends(owned_by(PdlIdea, "idea_id"))]


@router.get("/barrios/{barrio_id}/pdl", response_model=PdlPublic)
def get_pdl(barrio: OwnedBarrio, session: SessionDep) -> PdlPublic:
    """The barrio's plan: problems from the diagnóstico and iniciativas with their financing."""
    return pdl(session, barrio)


@router.post("/barrios/{barrio_id}/pdl/validation", response_model=PdlPublic)
def post_validation(barrio: OwnedBarrio, data: PdlValidation, session: SessionDep) -> PdlPublic:
    """The community validated the PDL on that day: Fase V starts then, unless its dates were set by hand."""
    validate_pdl(session, barrio, data.validated_on)
    return pdl(session, barrio)


@router.post("/barrios/{barrio_id}/pdl/problems", status_code=status.HTTP_201_CREATED, response_model=ProblemPublic)
def post_problem(barrio: OwnedBarrio, data: ProblemIn, session: SessionDep) -> ProblemPublic:
    """A problem of the diagnóstico, in one of its five dimensions; it may cite a survey question."""
    return ProblemPublic(**add_problem(session, barrio, data).model_dump())


@router.post("/barrios/{barrio_id}/pdl/iniciativas", status_code=status.HTTP_201_CREATED,
             response_model=IniciativaPublic)
def post_iniciativa(barrio: OwnedBarrio, data: IniciativaFields, session: SessionDep) -> IniciativaPublic:
    """A new iniciativa, propuesta."""
    return describe(session, add_iniciativa(session, barrio, data))


@router.post("/barrios/{barrio_id}/pdl/ballot", status_code=status.HTTP_201_CREATED, response_model=BallotPublic)
def post_ballot(barrio: OwnedBarrio, data: PdlBallotIn, session: SessionDep) -> BallotPublic:
    """A ballot over the proposed iniciativas; when it closes, the selected ones become priorizadas."""
    if data.closes_at <= utcnow():
        raise Invalid("closes_at: must be in the future")
    return describe_ballot(session, ballot_from_pdl(session, barrio, data))


@router.get("/iniciativas/{iniciativa_id}", response_model=IniciativaPublic)
def get_iniciativa(iniciativa: OwnedIniciativa, session: SessionDep) -> IniciativaPublic:
    """One iniciativa with its hitos and financing."""
    return describe(session, iniciativa)


@router.patch("/iniciativas/{iniciativa_id}", response_model=IniciativaPublic)
def patch_iniciativa(iniciativa: OwnedIniciativa, data: IniciativaUpdate, session: SessionDep) -> IniciativaPublic:
    """Change texts, cost, financing, progress or the responsible."""
    return describe(session, update_iniciativa(session, iniciativa, data))


@router.post("/iniciativas/{iniciativa_id}/status", response_model=IniciativaPublic)
def post_status(iniciativa: OwnedIniciativa, data: StatusMove, session: SessionDep) -> IniciativaPublic:
    """Move the iniciativa one allowed step (or to descartada); the barrio's vecinos are told."""
    move_status(session, iniciativa, data.status, data.by)
    session.commit()
    return describe(session, iniciativa)


@router.post("/iniciativas/{iniciativa_id}/hitos", status_code=status.HTTP_201_CREATED,
             response_model=IniciativaPublic)
def post_hito(iniciativa: OwnedIniciativa, data: HitoIn, session: SessionDep) -> IniciativaPublic:
    """A dated milestone (with an optional photo link)."""
    add_hito(session, iniciativa, data)
    return describe(session, iniciativa)


@router.get("/barrios/{barrio_id}/pdl/ideas", response_model=list[IdeaPublic], responses=PAGED)
def list_ideas(barrio: OwnedBarrio, session: SessionDep, paging: PagingDep) -> list[IdeaPublic]:
    """Ideas vecinos proposed in the chat (/proponer), oldest first; who proposed them is not shown (paged)."""
    return paging.page(ideas_of(session, barrio))


@router.post("/ideas/{idea_id}/merge", response_model=IdeaPublic)
def post_merge(idea: OwnedIdea, data: IdeaMerge, session: SessionDep) -> IdeaPublic:
    """Merge the idea into an iniciativa of the PDL (or a new one made from it); the proposer is told."""
    return describe_idea(merge(session, idea, data))


@router.post("/ideas/{idea_id}/decline", response_model=IdeaPublic)
def post_decline(idea: OwnedIdea, session: SessionDep) -> IdeaPublic:
    """Leave the idea out of the PDL; the proposer is told, kindly."""
    return describe_idea(decline(session, idea))


@router.get("/barrios/{barrio_id}/pdl.csv", response_class=StreamingResponse)
def pdl_csv(barrio: OwnedBarrio, session: SessionDep) -> StreamingResponse:
    """The PDL's iniciativas as CSV."""
    return csv_response(f"barrio-{barrio.id}-pdl.csv", PDL_HEADER, pdl_rows(pdl(session, barrio)))


@router.get("/barrios/{barrio_id}/pdl.xlsx", response_class=FileResponse)
def pdl_xlsx(barrio: OwnedBarrio, session: SessionDep) -> FileResponse:
    """The PDL's iniciativas as an Excel workbook."""
    return xlsx_response(f"barrio-{barrio.id}-pdl.xlsx", "pdl", PDL_HEADER, pdl_rows(pdl(session, barrio)))


def hito_in_path(hito_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> PdlHito:
    return owned_hito(session, ejecutor, hito_id)


OwnedHito = Annotated[PdlHito, Depends(hito_in_path)]


@router.get("/barrios/{barrio_id}/pdl/hitos/pending", response_model=list[PendingHito], responses=PAGED)
def list_pending_hitos(barrio: OwnedBarrio, session: SessionDep, paging: PagingDep) -> list[PendingHito]:
    """Hitos the grupo motor reported from the chat, waiting for approval; vecinos do not see them yet (paged)."""
    return paging.page(pending_hitos(session, barrio))


@router.put("/barrios/{barrio_id}/pdl/hito-approval", response_model=PdlPublic)
def put_hito_approval(barrio: OwnedBarrio, data: HitoApproval, session: SessionDep) -> PdlPublic:
    """Whether the grupo motor's hitos wait for staff approval (the default) or go to followers at once."""
    set_hito_approval(session, barrio, data.required)
    return pdl(session, barrio)


@router.post("/hitos/{hito_id}/approve", response_model=IniciativaPublic)
def post_approve_hito(hito: OwnedHito, session: SessionDep) -> IniciativaPublic:
    """Approve a hito the grupo motor reported: vecinos see it, and its iniciativa's followers get it."""
    approve_hito(session, hito)
    iniciativa = session.get(PdlIniciativa, hito.iniciativa_id)
    assert iniciativa is not None
    return describe(session, iniciativa)


@router.delete("/hitos/{hito_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_pending_hito(hito: OwnedHito, session: SessionDep) -> None:
    """Leave out a hito the grupo motor reported (only one waiting for approval); nobody was told of it."""
    reject_hito(session, hito)
