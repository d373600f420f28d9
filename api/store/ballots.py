"""Ballots in SQL: the chat's port, creation from the API, and reading votes back anonymously."""

import secrets
from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from api.exports import Cell
from api.models import Ballot, BallotVote, BallotVoter, Barrio, Iniciativa
from api.models.ballot import OPEN, BallotCreate, BallotPublic, BallotResults, IniciativaPublic, ResultLine
from api.store.barrios import member_counts
from api.store.directory import RECORD_COUNTERS
from conversations.ballot_rules import COUNTING_RULE, RANKED, Option, Rules, tally
from conversations.ballots_ports import BallotView


def new_voter_id() -> str:
    """A per-ballot pseudonym, unrelated to the member id."""
    return "p" + secrets.token_hex(6)


def options_of(session: Session, ballot_id: int) -> tuple[Option, ...]:
    rows = session.exec(
        select(Iniciativa).where(Iniciativa.ballot_id == ballot_id).order_by(Iniciativa.position)  # type: ignore[arg-type]
    ).all()
    return tuple(Option(r.position, r.title, r.description, r.ambito, r.cost) for r in rows)


def rules_of(ballot: Ballot) -> Rules:
    return Rules(ballot.method, ballot.max_choices, ballot.budget, ballot.min_budget_share)


def view(session: Session, ballot: Ballot) -> BallotView:
    assert ballot.id is not None
    return BallotView(
        id=ballot.id, barrio_id=ballot.barrio_id, title=ballot.title, description=ballot.description,
        rules=rules_of(ballot), options=options_of(session, ballot.id), closes_at=ballot.closes_at,
        status=ballot.status,
    )


def choices(session: Session, ballot_id: int) -> list[tuple[str, list[int]]]:
    """Every confirmed vote as (pseudonym, choice), ordered by pseudonym (not by time)."""
    rows = session.exec(
        select(BallotVote.voter_id, BallotVote.choice)
        .where(BallotVote.ballot_id == ballot_id).order_by(BallotVote.voter_id)  # type: ignore[arg-type]
    ).all()
    return [(voter, list(choice)) for voter, choice in rows]


def voter_count(session: Session, ballot_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(BallotVote).where(BallotVote.ballot_id == ballot_id)
    ).one()


def _count_votes(session: Session, member_id: str) -> int:
    return session.exec(
        select(func.count()).select_from(BallotVote).join(BallotVoter)
        .where(BallotVoter.member_id == member_id)
    ).one()


RECORD_COUNTERS["votes"] = _count_votes


class SqlBallots:
    """The chat's Ballots port, bound to the ChatService transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def open_ballots(self, barrio_id: int, now: datetime) -> list[BallotView]:
        rows = self.session.exec(
            select(Ballot).where(Ballot.barrio_id == barrio_id, Ballot.status == OPEN)
            .order_by(Ballot.closes_at, Ballot.id)  # type: ignore[arg-type]
        ).all()
        return [view(self.session, b) for b in rows if b.closes_at > now]

    def ballot(self, ballot_id: int) -> BallotView | None:
        ballot = self.session.get(Ballot, ballot_id)
        return None if ballot is None else view(self.session, ballot)

    def _voter(self, ballot_id: int, member_id: str) -> BallotVoter | None:
        return self.session.exec(
            select(BallotVoter).where(BallotVoter.ballot_id == ballot_id, BallotVoter.member_id == member_id)
        ).first()

    def my_vote(self, ballot_id: int, member_id: str) -> tuple[int, ...] | None:
        voter = self._voter(ballot_id, member_id)
        if voter is None:
            return None
        vote = self.session.exec(select(BallotVote).where(BallotVote.voter_id == voter.id)).first()
        return None if vote is None else tuple(vote.choice)

    def start(self, ballot_id: int, member_id: str, now: datetime) -> None:
        if self._voter(ballot_id, member_id) is None:
            self.session.add(BallotVoter(id=new_voter_id(), ballot_id=ballot_id, member_id=member_id,
                                         started_at=now))
            self.session.flush()  # a concurrent start fails here; the ChatService retries

    def cast(self, ballot_id: int, member_id: str, choice: Sequence[int], now: datetime) -> bool:
        self.start(ballot_id, member_id, now)
        voter = self._voter(ballot_id, member_id)
        assert voter is not None
        vote = self.session.exec(select(BallotVote).where(BallotVote.voter_id == voter.id)).first()
        if vote is not None:
            vote.choice, vote.cast_at = list(choice), now
            self.session.add(vote)
            return True
        self.session.add(BallotVote(ballot_id=ballot_id, voter_id=voter.id, choice=list(choice), cast_at=now))
        self.session.flush()  # the unique (ballot, voter) constraint refuses a second row
        return False


def create_ballot(session: Session, *, barrio: Barrio, data: BallotCreate) -> Ballot:
    ballot = Ballot(
        barrio_id=barrio.id, title=data.title.strip(), description=data.description.strip(),
        method=data.method, max_choices=data.max_choices or 1, budget=data.budget,
        min_budget_share=data.min_budget_share, opens_at=data.opens_at, closes_at=data.closes_at,
    )
    session.add(ballot)
    session.flush()
    assert ballot.id is not None
    for position, item in enumerate(data.iniciativas):
        session.add(Iniciativa(ballot_id=ballot.id, position=position, title=item.title.strip(),
                               description=item.description.strip(), ambito=item.ambito, cost=item.cost))
    session.commit()
    session.refresh(ballot)
    return ballot


def describe(session: Session, ballot: Ballot) -> BallotPublic:
    assert ballot.id is not None
    return BallotPublic(
        **ballot.model_dump(exclude={"created_at"}),
        iniciativas=[IniciativaPublic(index=o.index, title=o.title, description=o.description,
                                      ambito=o.ambito, cost=o.cost) for o in options_of(session, ballot.id)],
        voters=voter_count(session, ballot.id),
    )


def barrio_members(session: Session, barrio_id: int) -> int:
    """Members as the barrio counts them (subscribed), so participation matches its figures."""
    return member_counts(session, [barrio_id]).get(barrio_id, 0)


def results(session: Session, ballot: Ballot) -> BallotResults:
    """The anonymous count of a ballot, as the API and the exports show it."""
    assert ballot.id is not None
    shown = view(session, ballot)
    counted = tally(shown.rules, shown.options, [c for _, c in choices(session, ballot.id)])
    members = barrio_members(session, ballot.barrio_id)
    return BallotResults(
        ballot_id=ballot.id, title=ballot.title, method=ballot.method, status=ballot.status,
        counting_rule=COUNTING_RULE, voters=counted.voters, members=members,
        participation=round(counted.voters / members, 4) if members else 0.0, budget=ballot.budget,
        selected=[line.option.index for line in counted.selected], selected_cost=counted.selected_cost,
        ranking=[ResultLine(rank=line.rank, index=line.option.index, title=line.option.title,
                            ambito=line.option.ambito, cost=line.option.cost, votes=line.ballots,
                            points=line.score, selected=line.selected) for line in counted.lines],
    )


def anonymous_ballots(session: Session, ballot: Ballot) -> tuple[list[str], Iterator[list[Cell]]]:
    """One row per voter pseudonym: 1/0 per iniciativa (the place, for ranked)."""
    assert ballot.id is not None
    options = options_of(session, ballot.id)
    header = ["voter", *(f"{o.index + 1}. {o.title}" for o in options)]
    ranked = ballot.method == RANKED

    def rows() -> Iterator[list[Cell]]:
        for voter, choice in choices(session, ballot.id or 0):
            marks: list[Cell] = [(choice.index(o.index) + 1 if ranked else 1) if o.index in choice
                                 else (None if ranked else 0) for o in options]
            yield [voter, *marks]

    return header, rows()


RESULTS_HEADER = ["rank", "number", "iniciativa", "ambito", "cost_clp", "votes", "points", "selected"]


def result_rows(counted: BallotResults) -> list[list[Cell]]:
    return [[line.rank, line.index + 1, line.title, line.ambito, line.cost, line.votes, line.points,
             "yes" if line.selected else "no"] for line in counted.ranking]
