"""Vecinos' rights over their data, beyond each feature's own: the accountability log (its route)
and retention (its job). The data download, opposition and deletion are in the account flow
(conversations/barrios/account.py), fed by every feature's PersonalData."""

from api.kernel.feature import Feature
from api.privacy.retention import cut_links_due
from api.privacy.routes import router

FEATURE = Feature(name="privacy", routers=(router,), jobs=(cut_links_due,))
