"""Every table of the service, for the migrations and the tests (importing a models module
adds its tables to SQLModel's metadata). A new feature adds its models module here."""

from api.ballots import models as ballots
from api.barrios import models as barrios
from api.chat import models as chat
from api.convocatorias import models as convocatorias
from api.kernel import shared_limits
from api.outbox import models as outbox
from api.privacy import models as privacy
from api.programme import alliance_models as alliances
from api.programme import models as programme
from api.programme import pdl_models as pdl
from api.staff import models as staff
from api.surveys import models as surveys

__all__ = ["alliances", "ballots", "barrios", "chat", "convocatorias", "outbox", "pdl", "privacy", "programme",
           "shared_limits", "staff", "surveys"]
