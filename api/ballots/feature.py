"""Ballots: what the feature contributes to the process (the composition root lists it)."""

from api.ballots.demo import seed_ballot
from api.ballots.models import BallotVoter
from api.ballots.routes import router
from api.ballots.schedule import ballot_job
from api.ballots.store import SqlBallots, count_votes, export_votes
from api.kernel.feature import Feature, PersonalData
from conversations.ballots.flow import FLOW
from conversations.ballots.ports import BALLOTS

FEATURE = Feature(
    name="ballots",
    flows=(FLOW,),
    ports={BALLOTS: lambda session, _member: SqlBallots(session)},
    routers=(router,),
    jobs=(ballot_job,),
    # A vote row carries only a pseudonym; the member's link to it is the voter row, and
    # deleting it (with the member) deletes the vote too.
    personal_data=(PersonalData("votes", (BallotVoter,), count_votes, export_votes),),
    demo=(seed_ballot,),
)
