"""Staff: the people of an ejecutor who log in to the web console, with their sessions and tokens.

No flow and no personal data of vecinos: staff rows are about the organisation's own people.
"""

from api.kernel.feature import Feature
from api.staff.routes import router

FEATURE = Feature(name="staff", routers=(router,))
