"""Ballots of the caller's barrios: create, edit while scheduled, reschedule, open and close early, cancel,
results and exports."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import FileResponse, Response, StreamingResponse
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.ballots.changes import cancel_ballot, delete_ballot, edit_ballot, reschedule_ballot
from api.ballots.export import info_sheet, result_rows, results_header
from api.ballots.models import Ballot, BallotCreate, BallotPublic, BallotResults, BallotTimes
from api.ballots.schedule import close_ballot, open_ballot, queue_opening, queue_results
from api.ballots.store import anonymous_ballots, create_ballot, describe, results
from api.barrios.deps import ActingStaff, CurrentEjecutor, ExportDep, OwnedBarrio, owned_by
from api.barrios.models import Barrio
from api.kernel.deps import EngineDep, SessionDep
from api.kernel.errors import ERROR_RESPONSES, Conflict, Invalid
from api.kernel.exports import Sheet, csv_response, workbook_response, xlsx_response
from api.kernel.paging import PAGED, PagingDep
from api.kernel.types import utcnow
from api.privacy.log import exported

router = APIRouter(prefix="/api", tags=["ballots"], responses=ERROR_RESPONSES)


OwnedBallot = Annotated[Ballot, Depends(owned_by(Ballot, "ballot_id"))]


@router.post("/barrios/{barrio_id}/ballots", status_code=status.HTTP_201_CREATED, response_model=BallotPublic)
def add_ballot(barrio: OwnedBarrio, data: BallotCreate, session: SessionDep) -> BallotPublic:
    """Create a ballot; it opens and closes by itself at its times."""
    if data.closes_at <= utcnow():
        raise Invalid("closes_at: must be in the future")
    return describe(session, create_ballot(session, barrio=barrio, data=data))


@router.get("/barrios/{barrio_id}/ballots", response_model=list[BallotPublic], responses=PAGED)
def list_ballots(barrio: OwnedBarrio, session: SessionDep, paging: PagingDep) -> list[BallotPublic]:
    """The barrio's ballots, newest first (paged)."""
    rows = paging.rows(session, select(Ballot).where(Ballot.barrio_id == barrio.id).order_by(Ballot.id.desc()))  # type: ignore[union-attr]
    return [describe(session, b) for b in rows]


@router.get("/ballots/{ballot_id}", response_model=BallotPublic)
def get_ballot(ballot: OwnedBallot, session: SessionDep) -> BallotPublic:
    """One ballot with its iniciativas and how many have voted."""
    return describe(session, ballot)


@router.put("/ballots/{ballot_id}", response_model=BallotPublic)
def edit(ballot: OwnedBallot, data: BallotCreate, session: SessionDep) -> BallotPublic:
    """Replace a scheduled ballot (texts, rules, times, iniciativas); 409 once it has opened."""
    return describe(session, edit_ballot(session, ballot, data, utcnow()))


@router.delete("/ballots/{ballot_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove(ballot: OwnedBallot, session: SessionDep) -> Response:
    """Delete a scheduled ballot (nobody has seen it); 409 once it has opened (cancel it instead)."""
    delete_ballot(session, ballot)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/ballots/{ballot_id}/reschedule", response_model=BallotPublic)
def reschedule(ballot: OwnedBallot, times: BallotTimes, session: SessionDep) -> BallotPublic:
    """New times for a scheduled ballot; for an open one only a new closing time, and those who got it
    are told in their language."""
    return describe(session, reschedule_ballot(session, ballot, times, utcnow()))


@router.post("/ballots/{ballot_id}/cancel", response_model=BallotPublic)
def cancel(ballot: OwnedBallot, session: SessionDep) -> BallotPublic:
    """Cancel a scheduled or open ballot without results: nobody is sent any; vecinos who got the ballot or
    began voting are told it was cancelled, in their language. 409 once closed."""
    return describe(session, cancel_ballot(session, ballot, utcnow()))


@router.post("/ballots/{ballot_id}/open", response_model=BallotPublic)
def open_now(ballot: OwnedBallot, session: SessionDep, engine: EngineDep) -> BallotPublic:
    """Open a scheduled ballot before its time; the barrio is told through the outbox."""
    return _now(session, engine, ballot, open_ballot, queue_opening, refused=", not scheduled")


@router.post("/ballots/{ballot_id}/close", response_model=BallotPublic)
def close_now(ballot: OwnedBallot, session: SessionDep, engine: EngineDep) -> BallotPublic:
    """Close a ballot before its time; every member gets the results through the outbox."""
    return _now(session, engine, ballot, close_ballot, queue_results, refused=" already")


@router.get("/ballots/{ballot_id}/results", response_model=BallotResults)
def get_results(ballot: OwnedBallot, session: SessionDep) -> BallotResults:
    """Votes (or Borda points) per iniciativa, ranking, selected set and participation; no voter ids."""
    return results(session, ballot)


@router.get("/ballots/{ballot_id}/results.csv", response_class=StreamingResponse)
def results_csv(ballot: OwnedBallot, slot: ExportDep, session: SessionDep, by: ActingStaff) -> StreamingResponse:
    """The results as CSV."""
    exported(session, ballot.barrio_id, f"ballot {ballot.id} results.csv", by)
    counted = results(session, ballot)
    return csv_response(f"ballot-{ballot.id}-results.csv", results_header(counted), result_rows(counted), slot)


@router.get("/ballots/{ballot_id}/results.xlsx", response_class=FileResponse)
def results_xlsx(ballot: OwnedBallot, slot: ExportDep, session: SessionDep, by: ActingStaff,
                 ejecutor: CurrentEjecutor) -> FileResponse:
    """The results as an Excel workbook: an `info` sheet (title, method, participation, budget...), then the
    ranking (`selected` only for the participatory budget, the one method that selects)."""
    exported(session, ballot.barrio_id, f"ballot {ballot.id} results.xlsx", by)
    counted = results(session, ballot)
    barrio = session.get(Barrio, ballot.barrio_id)
    assert barrio is not None
    sheets = [info_sheet(counted, barrio, ejecutor.name),
              Sheet("results", results_header(counted), result_rows(counted))]
    return workbook_response(f"ballot-{ballot.id}-results.xlsx", sheets, slot)


@router.get("/ballots/{ballot_id}/votes.csv", response_class=StreamingResponse)
def votes_csv(ballot: OwnedBallot, slot: ExportDep, session: SessionDep, by: ActingStaff) -> StreamingResponse:
    """Every confirmed ballot under its pseudonym: 1/0 per iniciativa (the place, for ranked)."""
    exported(session, ballot.barrio_id, f"ballot {ballot.id} votes.csv", by)
    header, rows = anonymous_ballots(session, ballot)
    return csv_response(f"ballot-{ballot.id}-votes.csv", header, list(rows), slot)


@router.get("/ballots/{ballot_id}/votes.xlsx", response_class=FileResponse)
def votes_xlsx(ballot: OwnedBallot, slot: ExportDep, session: SessionDep, by: ActingStaff) -> FileResponse:
    """The anonymous ballots as an Excel workbook."""
    exported(session, ballot.barrio_id, f"ballot {ballot.id} votes.xlsx", by)
    header, rows = anonymous_ballots(session, ballot)
    return xlsx_response(f"ballot-{ballot.id}-votes.xlsx", "votes", header, rows, slot)


def _now(session: Session, engine: Engine, ballot: Ballot, move: Callable[[Session, Ballot, datetime], bool],
         tell: Callable[[Engine, int, datetime], int], *, refused: str) -> BallotPublic:
    """Staff's move (open, close) made now rather than at the ballot's time, then the barrio told; 409 when the
    ballot's status does not allow it (`refused` ends that message)."""
    now = utcnow()
    if not move(session, ballot, now):
        session.rollback()
        raise Conflict(f"ballot {ballot.id} is {ballot.status}{refused}")
    session.commit()
    tell(engine, ballot.id or 0, now)
    return describe(session, ballot)
