"""Barrios: ejecutores, their barrios and members, joining and the vecino's account.

The member row itself is the root of everything a person has: deleting it (/borrar)
deletes every feature's rows about them (ON DELETE CASCADE).
"""

from api.barrios.ejecutor_routes import router as ejecutores
from api.barrios.member_routes import router as members
from api.barrios.models import Member
from api.barrios.routes import router as barrios
from api.kernel.feature import Feature, PersonalData
from conversations.barrios import account, onboarding

FEATURE = Feature(
    name="barrios",
    flows=(onboarding.FLOW, account.FLOW),
    routers=(ejecutores, barrios, members),
    personal_data=(PersonalData("member", (Member,)),),
)
