"""Staff: the people of an ejecutor who log in to the web console, with their sessions and tokens.

No flow and no personal data of vecinos: staff rows are about the organisation's own people.
Its job forgets expired sessions and old failed-login counters.
"""

from api.kernel.feature import Feature
from api.staff.jobs import prune_sessions
from api.staff.routes import router

FEATURE = Feature(name="staff", routers=(router,), jobs=(prune_sessions,))
