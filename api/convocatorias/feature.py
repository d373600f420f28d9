"""Convocatorias: what the feature contributes to the process (the composition root lists it)."""

from api.convocatorias.announcement_routes import router as announcements
from api.convocatorias.demo import seed_demo
from api.convocatorias.jobs import remind_due
from api.convocatorias.models import Rsvp
from api.convocatorias.routes import router
from api.convocatorias.store import SqlConvocatorias, count_rsvps, export_rsvps
from api.kernel.feature import Feature, PersonalData
from conversations.convocatorias.flow import FLOW
from conversations.convocatorias.ports import CONVOCATORIAS

FEATURE = Feature(
    name="convocatorias",
    flows=(FLOW,),
    ports={CONVOCATORIAS: lambda session, _member: SqlConvocatorias(session)},
    routers=(router, announcements),
    jobs=(remind_due,),
    personal_data=(PersonalData("rsvps", (Rsvp,), count_rsvps, export_rsvps),),
    demo=(seed_demo,),
)
