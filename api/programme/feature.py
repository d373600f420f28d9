"""The programme: what the feature contributes to the process (the composition root lists it).

Phases and activities, the PDL and its iniciativas, alliances: one feature, because each
part reads the others (a phase's report counts iniciativas and contributions; a ballot's
close moves iniciativas and ticks an activity). The tables that point at a person are who
follows an iniciativa and the ideas vecinos propose (/misdatos counts them, /borrar deletes
them with the member).
"""

from api.kernel.feature import Feature, PersonalData
from api.programme.alliance_routes import router as alliance_router
from api.programme.demo import seed_programme
from api.programme.followers import count_follows, export_follows
from api.programme.ideas import count_ideas, export_ideas
from api.programme.jobs import programme_job
from api.programme.pdl_models import PdlFollower, PdlIdea
from api.programme.pdl_routes import router as pdl_router
from api.programme.port import SqlProgramme
from api.programme.timeline_routes import router as timeline_router
from conversations.programme.flow import FLOW
from conversations.programme.ports import PROGRAMME
from conversations.programme.proposing import FLOW as PROPOSING
from conversations.programme.reporting import FLOW as REPORTING

FEATURE = Feature(
    name="programme",
    flows=(FLOW, PROPOSING, REPORTING),
    ports={PROGRAMME: lambda session, _member: SqlProgramme(session)},
    routers=(timeline_router, pdl_router, alliance_router),
    jobs=(programme_job,),
    personal_data=(PersonalData("follows", (PdlFollower,), count_follows, export_follows),
                   PersonalData("ideas", (PdlIdea,), count_ideas, export_ideas)),
    demo=(seed_programme,),
)
