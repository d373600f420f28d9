"""Ballots of the caller's barrios: create, open and close early, results and exports."""

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse, StreamingResponse
from sqlmodel import Session, select

from api.ballots.models import Ballot, BallotCreate, BallotPublic, BallotResults
from api.ballots.schedule import close_ballot, open_ballot
from api.ballots.store import RESULTS_HEADER, anonymous_ballots, create_ballot, describe, result_rows, results
from api.barrios.models import Ejecutor
from api.kernel.deps import CurrentEjecutor, Id, SessionDep, owned_barrio
from api.kernel.errors import ERROR_RESPONSES
from api.kernel.exports import csv_response, xlsx_response
from api.kernel.types import utcnow

router = APIRouter(prefix="/api", tags=["ballots"], responses=ERROR_RESPONSES)


def _owned(session: Session, ejecutor: Ejecutor, ballot_id: int) -> Ballot:
    """The ballot if it is in one of the caller's barrios; 404 otherwise."""
    ballot = session.get(Ballot, ballot_id)
    if ballot is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"ballot {ballot_id} not found")
    try:
        owned_barrio(session, ejecutor, ballot.barrio_id)
    except HTTPException:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"ballot {ballot_id} not found") from None
    return ballot


@router.post("/barrios/{barrio_id}/ballots", status_code=status.HTTP_201_CREATED, response_model=BallotPublic)
def add_ballot(barrio_id: Id, data: BallotCreate, session: SessionDep, ejecutor: CurrentEjecutor) -> BallotPublic:
    """Create a ballot; it opens and closes by itself at its times."""
    barrio = owned_barrio(session, ejecutor, barrio_id)
    if data.closes_at <= utcnow():
        raise HTTPException(422, "closes_at: must be in the future")
    return describe(session, create_ballot(session, barrio=barrio, data=data))


@router.get("/barrios/{barrio_id}/ballots", response_model=list[BallotPublic])
def list_ballots(barrio_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> list[BallotPublic]:
    """The barrio's ballots, newest first."""
    owned_barrio(session, ejecutor, barrio_id)
    rows = session.exec(select(Ballot).where(Ballot.barrio_id == barrio_id).order_by(Ballot.id.desc())).all()  # type: ignore[union-attr]
    return [describe(session, b) for b in rows]


@router.get("/ballots/{ballot_id}", response_model=BallotPublic)
def get_ballot(ballot_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> BallotPublic:
    """One ballot with its iniciativas and how many have voted."""
    return describe(session, _owned(session, ejecutor, ballot_id))


@router.post("/ballots/{ballot_id}/open", response_model=BallotPublic)
def open_now(ballot_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> BallotPublic:
    """Open a scheduled ballot before its time; the barrio is told through the outbox."""
    ballot = _owned(session, ejecutor, ballot_id)
    if not open_ballot(session, ballot, utcnow()):
        session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, f"ballot {ballot_id} is {ballot.status}, not scheduled")
    session.commit()
    return describe(session, ballot)


@router.post("/ballots/{ballot_id}/close", response_model=BallotPublic)
def close_now(ballot_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> BallotPublic:
    """Close a ballot before its time; every member gets the results through the outbox."""
    ballot = _owned(session, ejecutor, ballot_id)
    if not close_ballot(session, ballot, utcnow()):
        session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, f"ballot {ballot_id} is closed already")
    session.commit()
    return describe(session, ballot)


@router.get("/ballots/{ballot_id}/results", response_model=BallotResults)
def get_results(ballot_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> BallotResults:
    """Votes (or Borda points) per iniciativa, ranking, selected set and participation; no voter ids."""
    return results(session, _owned(session, ejecutor, ballot_id))


@router.get("/ballots/{ballot_id}/results.csv", response_class=StreamingResponse)
def results_csv(ballot_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> StreamingResponse:
    """The results as CSV."""
    counted = results(session, _owned(session, ejecutor, ballot_id))
    return csv_response(f"ballot-{ballot_id}-results.csv", RESULTS_HEADER, result_rows(counted))


@router.get("/ballots/{ballot_id}/results.xlsx", response_class=FileResponse)
def results_xlsx(ballot_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> FileResponse:
    """The results as an Excel workbook."""
    counted = results(session, _owned(session, ejecutor, ballot_id))
    return xlsx_response(f"ballot-{ballot_id}-results.xlsx", "results", RESULTS_HEADER, result_rows(counted))


@router.get("/ballots/{ballot_id}/votes.csv", response_class=StreamingResponse)
def votes_csv(ballot_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> StreamingResponse:
    """Every confirmed ballot under its pseudonym: 1/0 per iniciativa (the place, for ranked)."""
    header, rows = anonymous_ballots(session, _owned(session, ejecutor, ballot_id))
    return csv_response(f"ballot-{ballot_id}-votes.csv", header, list(rows))


@router.get("/ballots/{ballot_id}/votes.xlsx", response_class=FileResponse)
def votes_xlsx(ballot_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> FileResponse:
    """The anonymous ballots as an Excel workbook."""
    header, rows = anonymous_ballots(session, _owned(session, ejecutor, ballot_id))
    return xlsx_response(f"ballot-{ballot_id}-votes.xlsx", "votes", header, rows)
