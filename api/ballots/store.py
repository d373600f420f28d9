"""Ballots in SQL: the chat's port, creation from the API, and reading votes back anonymously."""

import secrets
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, func, insert, update
from sqlalchemy import select as core_select  # plain rows, any number of columns
from sqlmodel import Session, select

from api.ballots.models import (
    Ballot,
    BallotCreate,
    BallotPublic,
    BallotResults,
    BallotVote,
    BallotVoter,
    Iniciativa,
    IniciativaPublic,
    IniciativaText,
    ResultLine,
)
from api.barrios.models import Barrio, Member
from api.barrios.store import member_counts
from api.kernel.exports import Cell
from api.kernel.upsert import dialect_of, per_dialect
from conversations.ballots.ports import BallotStatus, BallotView
from conversations.ballots.rules import COUNTING_RULE, RANKED, Option, Rules, Tally, tally
from conversations.kernel.i18n import Translator
from conversations.kernel.members import Record


def new_voter_id() -> str:
    """A per-ballot pseudonym, unrelated to the member id."""
    return "p" + secrets.token_hex(6)


_OPTIONS = (
    core_select(Iniciativa.position, Iniciativa.title, Iniciativa.description, Iniciativa.ambito, Iniciativa.cost,
                Iniciativa.translations)
    .where(Iniciativa.ballot_id == bindparam("ballot_id")).order_by(Iniciativa.position)  # type: ignore[arg-type]
)


def options_of(session: Session, ballot_id: int) -> tuple[Option, ...]:
    rows = session.connection().execute(_OPTIONS, {"ballot_id": ballot_id})
    return tuple(Option(r.position, r.title, r.description, r.ambito, r.cost, _texts(r.translations)) for r in rows)


def _texts(translations: dict[str, dict[str, str]] | None) -> tuple[tuple[str, str, str], ...]:
    """Stored translations as the conversations hold them: (locale, title, description)."""
    return tuple((locale, text.get("title", ""), text.get("description", ""))
                 for locale, text in sorted((translations or {}).items()))


# A ballot's iniciativas change only by an edit while it is scheduled, which raises its
# revision, so they are read once per process and revision. The key carries created_at
# because SQLite gives a new ballot the id of a deleted one (a restore, a test database made
# afresh): (id, created_at, revision) never repeats.
_OPTIONS_BY_BALLOT: dict[tuple[int, datetime, int], tuple[Option, ...]] = {}


def _cached_options(session: Session, ballot: Ballot | Row[Any]) -> tuple[Option, ...]:
    key = (ballot.id, ballot.created_at, ballot.revision)
    options = _OPTIONS_BY_BALLOT.get(key)
    if options is None:
        if len(_OPTIONS_BY_BALLOT) > 512:
            _OPTIONS_BY_BALLOT.clear()
        options = _OPTIONS_BY_BALLOT[key] = options_of(session, ballot.id)
    return options


def rules_of(ballot: Ballot | Row[Any]) -> Rules:
    return Rules(ballot.method, ballot.max_choices, ballot.budget, ballot.min_budget_share)


def view(session: Session, ballot: Ballot | Row[Any]) -> BallotView:
    """The ballot as the conversations see it, from the model or a row of `_BALLOT_COLUMNS`."""
    assert ballot.id is not None
    return BallotView(
        id=ballot.id, barrio_id=ballot.barrio_id, title=ballot.title, description=ballot.description,
        rules=rules_of(ballot), options=_cached_options(session, ballot), closes_at=ballot.closes_at,
        status=ballot.status, translations=_texts(ballot.translations),
    )


def choices(session: Session, ballot_id: int) -> list[tuple[str, list[int]]]:
    """Every confirmed vote as (pseudonym, choice), ordered by pseudonym (not by time); votes of
    members who asked that their votes not be used (`member.withheld`) are left out."""
    rows = session.exec(
        select(BallotVote.voter_id, BallotVote.choice)
        .join(BallotVoter, BallotVoter.id == BallotVote.voter_id)  # type: ignore[arg-type]
        .join(Member, Member.id == BallotVoter.member_id)  # type: ignore[arg-type]
        .where(BallotVote.ballot_id == ballot_id, Member.withheld.is_(False))  # type: ignore[arg-type,attr-defined]
        .order_by(BallotVote.voter_id)  # type: ignore[arg-type]
    ).all()
    return [(voter, list(choice)) for voter, choice in rows]


def voter_count(session: Session, ballot_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(BallotVote).where(BallotVote.ballot_id == ballot_id)
    ).one()


def count_votes(session: Session, member_id: str) -> int:
    return session.exec(
        select(func.count()).select_from(BallotVote).join(BallotVoter)
        .where(BallotVoter.member_id == member_id)
    ).one()



# The chat's statements, built once (see api/chat/rows.py); they return plain rows.
_BALLOT_COLUMNS = core_select(
    Ballot.id, Ballot.barrio_id, Ballot.title, Ballot.description, Ballot.method, Ballot.max_choices,
    Ballot.budget, Ballot.min_budget_share, Ballot.closes_at, Ballot.status, Ballot.created_at, Ballot.translations,
    Ballot.revision,
)
_BALLOT = _BALLOT_COLUMNS.where(Ballot.id == bindparam("ballot_id"))
_OPEN_BALLOTS = (
    _BALLOT_COLUMNS.where(Ballot.barrio_id == bindparam("barrio_id"), Ballot.status == BallotStatus.OPEN)
    .order_by(Ballot.closes_at, Ballot.id)  # type: ignore[arg-type]
)
SHOWN_CLOSED = 5  # closed ballots whose results the chat lists
_CLOSED_BALLOTS = (
    _BALLOT_COLUMNS.where(Ballot.barrio_id == bindparam("barrio_id"), Ballot.status == BallotStatus.CLOSED)
    .order_by(Ballot.closed_at.desc(), Ballot.id.desc()).limit(SHOWN_CLOSED)  # type: ignore[union-attr]
)
_THE_VOTER = (BallotVoter.ballot_id == bindparam("ballot_id"), BallotVoter.member_id == bindparam("member_id"))
_MY_CHOICE = (
    core_select(BallotVote.choice).join(BallotVoter, BallotVoter.id == BallotVote.voter_id)  # type: ignore[arg-type]
    .where(*_THE_VOTER)
)
_VOTER_AND_VOTE = (
    core_select(BallotVoter.id, BallotVote.id)
    .outerjoin(BallotVote, BallotVote.voter_id == BallotVoter.id)  # type: ignore[arg-type]
    .where(*_THE_VOTER)
)
_START = per_dialect(lambda dialect_insert: dialect_insert(BallotVoter).values(
    id=bindparam("voter_id"), ballot_id=bindparam("ballot_id"), member_id=bindparam("member_id"),
    started_at=bindparam("now"),
).on_conflict_do_nothing(index_elements=[BallotVoter.ballot_id, BallotVoter.member_id]))
_ADD_VOTE = insert(BallotVote).values(
    ballot_id=bindparam("ballot_id"), voter_id=bindparam("voter_id"), choice=bindparam("pick"),
    cast_at=bindparam("now"),
)
_CHANGE_VOTE = (
    update(BallotVote).where(BallotVote.id == bindparam("vote_id"))  # type: ignore[arg-type]
    .values(choice=bindparam("pick"), cast_at=bindparam("now"))
)


class SqlBallots:
    """The chat's Ballots port, bound to the ChatService transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def open_ballots(self, barrio_id: int, now: datetime) -> list[BallotView]:
        rows = self.session.connection().execute(_OPEN_BALLOTS, {"barrio_id": barrio_id}).all()
        return [view(self.session, row) for row in rows if row.closes_at > now]

    def ballot(self, ballot_id: int) -> BallotView | None:
        row = self.session.connection().execute(_BALLOT, {"ballot_id": ballot_id}).first()
        return None if row is None else view(self.session, row)

    def closed_ballots(self, barrio_id: int) -> list[BallotView]:
        rows = self.session.connection().execute(_CLOSED_BALLOTS, {"barrio_id": barrio_id}).all()
        return [view(self.session, row) for row in rows]

    def results(self, ballot_id: int) -> tuple[Tally, int]:
        shown = self.ballot(ballot_id)
        assert shown is not None
        counted = tally(shown.rules, shown.options, [c for _, c in choices(self.session, ballot_id)])
        return counted, barrio_members(self.session, shown.barrio_id)

    def my_vote(self, ballot_id: int, member_id: str) -> tuple[int, ...] | None:
        choice = self.session.connection().execute(
            _MY_CHOICE, {"ballot_id": ballot_id, "member_id": member_id}).scalar()
        return None if choice is None else tuple(choice)

    def start(self, ballot_id: int, member_id: str, now: datetime) -> None:
        # A concurrent start finds the row there and leaves it (and its pseudonym) alone.
        self.session.connection().execute(_START[dialect_of(self.session)], {
            "voter_id": new_voter_id(), "ballot_id": ballot_id, "member_id": member_id, "now": now})

    def cast(self, ballot_id: int, member_id: str, choice: Sequence[int], now: datetime) -> bool:
        connection = self.session.connection()
        voter = {"ballot_id": ballot_id, "member_id": member_id}
        row = connection.execute(_VOTER_AND_VOTE, voter).first()
        if row is None:
            self.start(ballot_id, member_id, now)
            row = connection.execute(_VOTER_AND_VOTE, voter).one()
        voter_id, vote_id = row
        if vote_id is not None:
            connection.execute(_CHANGE_VOTE, {"vote_id": vote_id, "pick": list(choice), "now": now})
            return True
        # the unique (ballot, voter) constraint refuses a concurrent second row; the chat retries
        connection.execute(_ADD_VOTE, {"ballot_id": ballot_id, "voter_id": voter_id, "pick": list(choice),
                                       "now": now})
        return False


def create_ballot(session: Session, *, barrio: Barrio, data: BallotCreate) -> Ballot:
    ballot = Ballot(barrio_id=barrio.id or 0, **ballot_fields(data))
    session.add(ballot)
    session.flush()
    add_iniciativas(session, ballot.id or 0, data)
    session.commit()
    session.refresh(ballot)
    return ballot


def ballot_fields(data: BallotCreate) -> dict[str, Any]:
    """The ballot's own columns from what staff wrote (creating it, or editing it while scheduled)."""
    return {
        "title": data.title.strip(), "description": data.description.strip(), "method": data.method,
        "max_choices": data.max_choices or 1, "budget": data.budget, "min_budget_share": data.min_budget_share,
        "opens_at": data.opens_at, "closes_at": data.closes_at,
        "translations": {locale: text.model_dump() for locale, text in data.translations.items()},
    }


def add_iniciativas(session: Session, ballot_id: int, data: BallotCreate) -> None:
    for position, item in enumerate(data.iniciativas):
        session.add(Iniciativa(ballot_id=ballot_id, position=position, title=item.title.strip(),
                               description=item.description.strip(), ambito=item.ambito, cost=item.cost,
                               translations={locale: text.model_dump() for locale, text in item.translations.items()}))


def describe(session: Session, ballot: Ballot) -> BallotPublic:
    assert ballot.id is not None
    return BallotPublic(
        **ballot.model_dump(exclude={"created_at", "revision"}),
        iniciativas=[IniciativaPublic(index=o.index, title=o.title, description=o.description, ambito=o.ambito,
                                      cost=o.cost, translations={locale: IniciativaText(title=title, description=text)
                                                                 for locale, title, text in o.translations})
                     for o in options_of(session, ballot.id)],
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


def export_votes(session: Session, member_id: str, t: Translator) -> list[Record]:
    """The member's votes for their data download: the ballot and the iniciativas chosen (in order)."""
    rows = session.exec(
        select(Ballot, BallotVote.choice, BallotVote.cast_at)
        .join(BallotVoter, BallotVoter.ballot_id == Ballot.id)  # type: ignore[arg-type]
        .join(BallotVote, BallotVote.voter_id == BallotVoter.id)  # type: ignore[arg-type]
        .where(BallotVoter.member_id == member_id).order_by(BallotVote.cast_at)  # type: ignore[arg-type]
    ).all()
    records = []
    for ballot, choice, cast_at in rows:
        shown = view(session, ballot).in_language(t.locale)  # as the vecino read it, falling back to Spanish
        titles = {o.index: o.title for o in shown.options}
        chosen = ", ".join(f"{n + 1}. {titles.get(n, '?')}" for n in choice)
        records.append(Record(topic=shown.title, item=t.datetime(cast_at), value=chosen, code=list(choice),
                              at=cast_at))
    return records
